"""Due-dated work for recognition (run by ``practica.scheduling``); every handler is idempotent.

- ``recognition.wiki_stands`` — a wiki revision not reverted for ``wiki_stand_days()`` earns its
  author points (settling the same cause twice writes nothing).
- ``recognition.backfill`` — the daily safety net: run every badge rule for everyone, then
  schedule tomorrow's run (awards are unique per badge and person, so reruns award nothing new).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from practica.recognition import badges
from practica.recognition.sources import JOB_WIKI_STANDS, credit_wiki_revision
from practica.scheduling.models import DueJob
from practica.scheduling.services import handler, schedule

JOB_BACKFILL = "recognition.backfill"
BACKFILL_KEY = f"{JOB_BACKFILL}:daily"


@handler(JOB_WIKI_STANDS)
def wiki_stands(payload: dict[str, Any]) -> None:
    credit_wiki_revision(payload, "recognition.wiki_stood")


@handler(JOB_BACKFILL)
def daily_backfill(payload: dict[str, Any]) -> None:
    badges.backfill()
    schedule(JOB_BACKFILL, BACKFILL_KEY, timezone.now() + timedelta(days=1))


def ensure_daily_backfill() -> None:
    """Schedule the daily safety net unless it is already pending."""
    if not DueJob.objects.filter(key=BACKFILL_KEY, done_at__isnull=True).exists():
        schedule(JOB_BACKFILL, BACKFILL_KEY, timezone.now() + timedelta(days=1))
