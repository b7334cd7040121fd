"""Keeping the outbox small: rows older than the retention window are pruned daily by due-dated
work (``realtime.prune``); a client resuming from before the window is told to reload."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from practica.realtime import presence
from practica.realtime.models import OutboxEvent
from practica.scheduling.services import handler, schedule

PRUNE_KEY = "realtime.prune"


def prune(now: datetime | None = None) -> int:
    """Delete events older than the retention window (the newest row is always kept, so
    ids never restart and resuming clients can tell they are too late)."""
    now = now or timezone.now()
    cutoff = now - timedelta(hours=settings.REALTIME_RETENTION_HOURS)
    newest = OutboxEvent.objects.order_by("-pk").values_list("pk", flat=True).first()
    old = OutboxEvent.objects.filter(created_at__lt=cutoff)
    if newest is not None:
        old = old.exclude(pk=newest)
    deleted, _ = old.delete()
    presence.prune()
    return deleted


@handler(PRUNE_KEY)
def _prune_job(payload: dict[str, Any]) -> None:
    prune()
    schedule(PRUNE_KEY, PRUNE_KEY, timezone.now() + timedelta(days=1))


def ensure_scheduled() -> None:
    """Called by the scheduler at start (idempotent: one row per key)."""
    from practica.scheduling.models import DueJob

    if not DueJob.objects.filter(key=PRUNE_KEY, done_at__isnull=True).exists():
        schedule(PRUNE_KEY, PRUNE_KEY, timezone.now() + timedelta(hours=1))
