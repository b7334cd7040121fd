"""Due-dated work of the Q&A app: the nightly refresh of educational-value scores.

Each rating refreshes its own post's answers at once; the community's prior also moves for
every *other* post, whose stored scores are brought up to date here, once a night per
community with Q&A activity (``services.refresh_community_scores`` is idempotent: it does
nothing when the prior has not moved since the last refresh).
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django.utils import timezone

from practica.communities.models import Community
from practica.qa import services
from practica.qa.models import QASettings
from practica.scheduling.services import handler, schedule

JOB_REFRESH = "qa.refresh_scores"
REFRESH_AT = time(3, 0)  # UTC: a quiet hour for every demo time zone


def next_night(now: datetime | None = None) -> datetime:
    now = now or timezone.now()
    tonight = datetime.combine(now.date(), REFRESH_AT, tzinfo=now.tzinfo)
    return tonight if tonight > now else tonight + timedelta(days=1)


def schedule_refresh(community_id: int, now: datetime | None = None) -> None:
    """Make sure this community's scores are refreshed tonight (one pending job per community)."""
    schedule(
        JOB_REFRESH, f"{JOB_REFRESH}:{community_id}", next_night(now), community_id=community_id
    )


@handler(JOB_REFRESH)
def refresh_scores(payload: dict[str, Any]) -> None:
    community = Community.objects.filter(pk=int(payload.get("community_id") or 0)).first()
    if community is None or not QASettings.objects.filter(community=community).exists():
        return
    services.refresh_community_scores(community)
