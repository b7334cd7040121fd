"""Telling people things. ``notify`` is the one way any app creates a notification.

Behind that one call: the person's mutes (a notification linking into something they muted is
kept but hidden), their e-mail choice for the kind (immediately → a background task after
commit; daily/weekly → the period's digest job), their pause (while quiet nothing is pushed
live and immediate e-mail waits for the next digest after the pause), and the live bell
(``notifications.created`` for the recipient only).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from practica.lib.errors import Invalid
from practica.notifications import kinds
from practica.notifications.models import EmailFrequency, Notification, NotificationSettings
from practica.realtime.bus import emit

if TYPE_CHECKING:
    from practica.accounts.models import User

QUIET_CHOICES = {
    "": None,
    "1h": timedelta(hours=1),
    "8h": timedelta(hours=8),
    "1d": timedelta(days=1),
    "1w": timedelta(weeks=1),
}


def notify(
    recipient: User, *, kind: str, message: str, url: str = "", actor: User | None = None
) -> Notification:
    """Create an in-app notification for ``recipient`` (inside the caller's transaction, so a
    rolled-back write tells no one). The message is plain text; it is escaped when shown."""
    from practica.notifications import delivery, watching

    with transaction.atomic():
        prefs = settings_for(recipient)
        hidden = bool(url) and watching.is_muted_url(recipient, url)
        mode = EmailFrequency.NEVER if hidden else email_choice(prefs, kind)
        quiet = prefs.is_quiet()
        if quiet and mode == EmailFrequency.IMMEDIATELY:
            mode = EmailFrequency.DAILY
        notification = Notification.objects.create(
            recipient=recipient,
            actor=actor,
            kind=kind,
            message=message[:300],
            url=url[:300],
            hidden=hidden,
            email_mode=mode,
        )
        if not hidden and not quiet:
            emit("notifications.created", notification_id=notification.pk, user_id=recipient.pk)
        delivery.plan(notification, prefs)
    return notification


def settings_for(user: User) -> NotificationSettings:
    """The person's settings (unsaved defaults when they never changed anything)."""
    found = NotificationSettings.objects.filter(user_id=user.pk).first()
    return found or NotificationSettings(user_id=user.pk)


def email_choice(prefs: NotificationSettings, kind: str) -> str:
    entry = kinds.resolve(kind)
    chosen = prefs.email.get(entry.key)
    return chosen if chosen in EmailFrequency.values else entry.email


def update_email_choices(user: User, choices: dict[str, str]) -> NotificationSettings:
    """Set the e-mail frequency per catalogue kind; unknown kinds or frequencies are refused
    and nothing changes."""
    errors = {
        key: f"Choose one of: {', '.join(EmailFrequency.values)}."
        for key, value in choices.items()
        if key not in kinds.BY_KEY or value not in EmailFrequency.values
    }
    if errors:
        raise Invalid(errors)
    with transaction.atomic():
        prefs, _ = NotificationSettings.objects.select_for_update().get_or_create(user_id=user.pk)
        prefs.email = {**prefs.email, **choices}
        prefs.save(update_fields=["email"])
    return prefs


def unsubscribe(user: User, kind: str | None) -> NotificationSettings:
    """Never e-mail ``kind`` again (None: no kind at all). Used by the one-click link."""
    keys = [kinds.resolve(kind).key] if kind else list(kinds.BY_KEY)
    return update_email_choices(user, dict.fromkeys(keys, EmailFrequency.NEVER))


def set_quiet(user: User, until: datetime | None) -> NotificationSettings:
    """Pause notifications until ``until`` (None resumes now). Must be in the future and
    within 90 days."""
    now = timezone.now()
    if until is not None and not now < until <= now + timedelta(days=90):
        raise Invalid({"quiet_until": "Choose a time in the next 90 days."})
    with transaction.atomic():
        prefs, _ = NotificationSettings.objects.select_for_update().get_or_create(user_id=user.pk)
        prefs.quiet_until = until
        prefs.save(update_fields=["quiet_until"])
    return prefs


def mark_read(user: User, notification_id: int | None = None) -> int:
    """Mark one (or, with None, all) of the user's notifications read; returns how many."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_id is not None:
        unread = unread.filter(pk=notification_id)
    with transaction.atomic():
        changed = unread.update(read_at=timezone.now())
        if changed:
            emit("notifications.read", user_id=user.pk, count=changed)
    return changed


def visible_to(user: User) -> QuerySet[Notification]:
    """The person's listed notifications (muted ones are never shown)."""
    return Notification.objects.filter(recipient=user, hidden=False)


def unread_count(user: User) -> int:
    """The header's unread count: plain SQL, because it runs on every signed-in page and the
    ORM's compilation of this count cost ~10x running it (decision 0015)."""
    table = connection.ops.quote_name(Notification._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) FROM {table} "  # noqa: S608 (a quoted model table name)
            "WHERE recipient_id = %s AND read_at IS NULL AND NOT hidden",
            [user.pk],
        )
        row = cursor.fetchone()
    return int(row[0]) if row else 0
