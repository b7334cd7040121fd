"""Planner statistics for search (and the rest of the database): SQLite keeps none unless asked.

Without ``sqlite_stat1``, SQLite planned the people rule of a search (``access.
visible_people_filter``) by testing an organization path per seat, and in general guesses every
index's selectivity. So, on SQLite only:

- after ``migrate`` (``post_migrate`` of this app): statistics are made if there are none, else
  ``PRAGMA optimize`` refreshes those that drifted;
- nightly (``search.statistics``, run by ``practica.scheduling``): ``PRAGMA optimize``, which
  re-analyzes only the tables whose size changed a lot (cheap with ``analysis_limit``).

PostgreSQL's autovacuum keeps its statistics; nothing is done there.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django.db import connection
from django.utils import timezone

from practica.scheduling.models import DueJob
from practica.scheduling.services import handler, schedule

JOB_STATISTICS = "search.statistics"
STATISTICS_KEY = f"{JOB_STATISTICS}:nightly"
STATISTICS_AT = time(3, 30)  # UTC, after the other nightly jobs
ANALYSIS_LIMIT = 1000  # rows sampled per index (SQLite's advice for PRAGMA optimize: 100-1000)


def refresh_statistics() -> None:
    """SQLite: ANALYZE when there are no statistics yet, else PRAGMA optimize."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA analysis_limit = {ANALYSIS_LIMIT}")
        cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if cursor.fetchone() is None:
            cursor.execute("ANALYZE")
        else:
            cursor.execute("PRAGMA optimize = 0x10002")  # every table, not just this session's


def next_night(now: datetime | None = None) -> datetime:
    now = now or timezone.now()
    tonight = datetime.combine(now.date(), STATISTICS_AT, tzinfo=now.tzinfo)
    return tonight if tonight > now else tonight + timedelta(days=1)


def ensure_nightly() -> None:
    """Schedule tonight's refresh unless one is pending (SQLite only)."""
    if connection.vendor != "sqlite":
        return
    if not DueJob.objects.filter(key=STATISTICS_KEY, done_at__isnull=True).exists():
        schedule(JOB_STATISTICS, STATISTICS_KEY, next_night())


@handler(JOB_STATISTICS)
def nightly_statistics(payload: dict[str, Any]) -> None:
    refresh_statistics()
    schedule(JOB_STATISTICS, STATISTICS_KEY, next_night(timezone.now() + timedelta(minutes=1)))


def after_migrate(**kwargs: Any) -> None:
    refresh_statistics()
    ensure_nightly()
