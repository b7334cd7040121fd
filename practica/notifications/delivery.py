"""E-mail: immediately (a background task after commit) or in a daily/weekly digest (due-dated
work, one job per person and period), with a one-click unsubscribe.

Guarantees:
- **Access is checked again when sending**: a notification linking into a community (or an
  organization's pages) the person may no longer see is left out of the e-mail entirely.
- **A digest is sent once**: its job claims the period's notifications into a ``Digest`` row
  unique per (person, frequency, period) and sends inside the scheduler's transaction; a worker
  that dies before the commit rolls everything back and the retry sends the one e-mail. A
  rerun after success finds ``sent_at`` and does nothing. (The only duplicate left is a crash
  between the SMTP server's "250 OK" and our commit; the fixed Message-ID lets mail systems
  drop it.)
- **Quiet**: while paused, immediate mail waits for the next digest and digests wait until the
  pause ends.
- **Unsubscribe**: every e-mail carries a signed, user-bound link (no login) and the
  ``List-Unsubscribe`` / ``List-Unsubscribe-Post: List-Unsubscribe=One-Click`` headers (RFC 8058).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from practica.communities import access
from practica.notifications import kinds
from practica.notifications.models import (
    Digest,
    EmailFrequency,
    Notification,
    NotificationSettings,
)
from practica.scheduling.services import handler, schedule

if TYPE_CHECKING:
    from practica.accounts.models import User

DIGEST_HOUR = 7  # local time of the person
UNSUBSCRIBE_SALT = "practica.notifications.unsubscribe"
_COMMUNITY_URL = re.compile(r"^/c/([-\w]+)/")
_ORG_URL = re.compile(r"^/orgs/([-\w]+)/")


# --- Planning, when a notification is created ---------------------------------------------------
def plan(notification: Notification, prefs: NotificationSettings) -> None:
    mode = notification.email_mode
    if mode == EmailFrequency.IMMEDIATELY:
        pk = notification.pk
        transaction.on_commit(lambda: send_now.enqueue(pk))
    elif mode in (EmailFrequency.DAILY, EmailFrequency.WEEKLY):
        schedule_digest(notification.recipient, mode, notification.created_at, prefs)


def _zone(user: User) -> ZoneInfo:
    try:
        return ZoneInfo(getattr(user, "timezone", "") or "UTC")
    except (KeyError, ValueError):
        return ZoneInfo("UTC")


def digest_due(user: User, frequency: str, after: datetime) -> tuple[str, datetime]:
    """(period, due time): the next 07:00 local after ``after`` (daily), or the next Monday's
    07:00 (weekly). The period is that due date, so one job and one e-mail per period."""
    local = timezone.localtime(after, _zone(user))
    due = local.replace(hour=DIGEST_HOUR, minute=0, second=0, microsecond=0)
    if due <= local:
        due += timedelta(days=1)
    if frequency == EmailFrequency.WEEKLY:
        due += timedelta(days=(7 - due.weekday()) % 7)
    return due.date().isoformat(), due


def digest_key(user_id: int, frequency: str, period: str) -> str:
    return f"notifications.digest:{frequency}:{user_id}:{period}"


def schedule_digest(
    user: User, frequency: str, after: datetime, prefs: NotificationSettings
) -> None:
    period, due = digest_due(user, frequency, after)
    if prefs.quiet_until and prefs.quiet_until > due:
        due = prefs.quiet_until
    schedule(
        "notifications.digest",
        digest_key(user.pk, frequency, period),
        due,
        user_id=user.pk,
        frequency=frequency,
        period=period,
    )


# --- Access, again, at sending time ------------------------------------------------------------
class StillVisible:
    """``check(url)``: may the person still see what the link points into? Communities and
    organizations are looked up once per e-mail."""

    def __init__(self, user: User) -> None:
        self.user = user
        self.seen: dict[str, bool] = {}

    def __call__(self, url: str) -> bool:
        from practica.accounts.models import Organization
        from practica.communities.models import Community

        community = _COMMUNITY_URL.match(url)
        org = _ORG_URL.match(url)
        key = f"c:{community.group(1)}" if community else f"o:{org.group(1)}" if org else ""
        if not key:
            return True
        if key not in self.seen:
            if community:
                found = Community.objects.select_related("organization").filter(
                    slug=community.group(1)
                )
                target = found.first()
                self.seen[key] = target is not None and access.can_view_community(self.user, target)
            else:
                assert org is not None
                found_org = Organization.objects.filter(slug=org.group(1)).first()
                self.seen[key] = found_org is not None and access.can_view_org(self.user, found_org)
        return self.seen[key]


# --- Unsubscribe --------------------------------------------------------------------------------
def unsubscribe_token(user: User, kind: str | None) -> str:
    return signing.dumps({"u": user.pk, "k": kind or ""}, salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, str | None]:
    """(user id, kind or None for "all e-mail"); raises ``signing.BadSignature``."""
    data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    return int(data["u"]), (str(data["k"]) or None)


def unsubscribe_url(user: User, kind: str | None) -> str:
    path = reverse("notifications:unsubscribe", args=[unsubscribe_token(user, kind)])
    return f"{settings.SITE_URL}{path}"


# --- Sending ------------------------------------------------------------------------------------
def _absolute(url: str) -> str:
    return f"{settings.SITE_URL}{url}" if url.startswith("/") else url


def _send(
    user: User, subject: str, items: list[Notification], kind: str | None, ident: str
) -> None:
    unsubscribe = unsubscribe_url(user, kind)
    lines = [f"- {n.message}" + (f"\n  {_absolute(n.url)}" if n.url else "") for n in items]
    text = "\n".join(
        [
            f"Hello {user.display_name},",
            "",
            *lines,
            "",
            f"Your notifications: {settings.SITE_URL}{reverse('notifications:inbox')}",
            f"Choose what we e-mail you: {settings.SITE_URL}{reverse('notifications:settings')}",
            f"Unsubscribe: {unsubscribe}",
        ]
    )
    context: dict[str, Any] = {
        "user": user,
        "subject": subject,
        "items": [(n, _absolute(n.url) if n.url else "") for n in items],
        "unsubscribe": unsubscribe,
        "site_url": settings.SITE_URL,
        "site_name": settings.SITE_NAME,
    }
    html = render_to_string("notifications/email/message.html", context)
    domain = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]
    message = EmailMultiAlternatives(
        subject=f"[{settings.SITE_NAME}] {subject}",
        body=text,
        to=[user.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Message-ID": f"<{ident}@{domain or 'practica'}>",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(html, "text/html")
    message.send()


@task()
def send_now(notification_id: int) -> None:
    """E-mail one notification now. Claimed by a conditional update (two runs send once);
    skipped if it was read already, is hidden, or points where the person may no longer go."""
    claimed = Notification.objects.filter(
        pk=notification_id, emailed_at__isnull=True, email_mode=EmailFrequency.IMMEDIATELY
    ).update(emailed_at=timezone.now())
    if not claimed:
        return
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    user = notification.recipient
    if notification.hidden or notification.read_at or not user.is_active or not user.email:
        return
    if not StillVisible(user)(notification.url):
        return
    try:
        _send(user, notification.message[:120], [notification], notification.kind,
              f"notification-{notification.pk}")  # fmt: skip
    except Exception:
        Notification.objects.filter(pk=notification_id).update(emailed_at=None)
        raise


@handler("notifications.digest")
def send_digest(payload: dict[str, Any]) -> None:
    """The digest of one person for one period (see the module docstring for "once")."""
    from practica.accounts.models import User
    from practica.notifications.services import settings_for

    user = User.objects.filter(pk=payload["user_id"], is_active=True).first()
    if user is None:
        return
    frequency, period = str(payload["frequency"]), str(payload["period"])
    prefs = settings_for(user)
    if prefs.is_quiet():
        assert prefs.quiet_until is not None
        schedule("notifications.digest", digest_key(user.pk, frequency, period),
                 prefs.quiet_until, **payload)  # fmt: skip
        return
    digest, _ = Digest.objects.get_or_create(user=user, frequency=frequency, period=period)
    if digest.sent_at is not None:
        return
    Notification.objects.filter(
        recipient=user, email_mode=frequency, emailed_at__isnull=True, digest__isnull=True,
        hidden=False, created_at__lte=timezone.now(),
    ).update(digest=digest)  # fmt: skip
    claimed = list(digest.notifications.order_by("created_at", "pk"))
    visible = StillVisible(user)
    items = [n for n in claimed if visible(n.url)]
    if items and user.email:
        label = "Your daily digest" if frequency == EmailFrequency.DAILY else "Your weekly digest"
        count = f"{len(items)} thing{'s' if len(items) != 1 else ''}"
        _send(user, f"{label}: {count} since last time", items, None, f"digest-{digest.pk}")
    now = timezone.now()
    digest.notifications.update(emailed_at=now)
    digest.sent_at = now
    digest.item_count = len(items)
    digest.save(update_fields=["sent_at", "item_count"])


def kind_label(key: str) -> str:
    return kinds.resolve(key).label
