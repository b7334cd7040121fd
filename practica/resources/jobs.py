"""Due-dated work: the nightly credibility refresh (freshness decays even when nobody writes)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django.utils import timezone

from practica.resources import credibility
from practica.resources.services import JOB_REFRESH
from practica.scheduling.services import handler, schedule


@handler(JOB_REFRESH)
def refresh(payload: dict[str, Any]) -> None:
    """Recompute every resource's score, then schedule the next night. Idempotent: running it
    twice computes the same scores."""
    now = timezone.now()
    credibility.refresh_all(now)
    tomorrow = datetime.combine(now.date() + timedelta(days=1), time.min, tzinfo=now.tzinfo)
    schedule(JOB_REFRESH, JOB_REFRESH, tomorrow)
