"""Telling people things. ``notify`` is the one way any app creates a notification."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from practica.notifications.models import Notification
from practica.realtime.bus import emit

if TYPE_CHECKING:
    from practica.accounts.models import User


def notify(
    recipient: User, *, kind: str, message: str, url: str = "", actor: User | None = None
) -> Notification:
    """Create an in-app notification for ``recipient`` (inside the caller's transaction, so a
    rolled-back write tells no one). The message is plain text; it is escaped when shown."""
    with transaction.atomic():
        notification = Notification.objects.create(
            recipient=recipient, actor=actor, kind=kind, message=message[:300], url=url[:300]
        )
        emit("notifications.created", notification_id=notification.pk, user_id=recipient.pk)
    return notification


def mark_read(user: User, notification_id: int | None = None) -> int:
    """Mark one (or, with None, all) of the user's notifications read; returns how many."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_id is not None:
        unread = unread.filter(pk=notification_id)
    return unread.update(read_at=timezone.now())


def unread_count(user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
