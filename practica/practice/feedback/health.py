"""A community's health over time: the trust trend beside participation (answer rate, median
time to first answer, active members per week), with norm events marked on the timeline.

Participation is summarized into :class:`HealthWeek` rows by a weekly job
(``recompute_weeks``); the page reads those rows and the closed pulses — a handful of small
queries whatever the community's size — and draws server-side SVG.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.db import transaction
from django.db.models import Min, Q
from django.utils import timezone

from practica.communities.models import Community
from practica.practice.feedback.models import HealthWeek
from practica.practice.norms.models import NormSetVersion, RevisitRound
from practica.qa.models import Answer, Comment, Post
from practica.scheduling.services import schedule

JOB_WEEKLY = "health.weekly"
DEFAULT_WEEKS = 26


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _bounds(week: date) -> tuple[datetime, datetime]:
    start = datetime.combine(week, time.min, tzinfo=UTC)
    return start, start + timedelta(days=7)


def compute_week(community: Community, week: date) -> HealthWeek:
    """(Re)compute one week from the Q&A rows (idempotent: an upsert)."""
    start, end = _bounds(week)
    posts = list(
        Post.objects.filter(
            community=community, created_at__gte=start, created_at__lt=end, deleted_at__isnull=True
        )
        .annotate(
            first_answer=Min("answers__created_at", filter=Q(answers__deleted_at__isnull=True))
        )
        .values_list("created_at", "first_answer")
    )
    delays = [
        (first - created).total_seconds() / 3600 for created, first in posts if first is not None
    ]
    authors: set[int] = set()
    sources = ((Post, "community"), (Answer, "post__community"), (Comment, "post__community"))
    for model, community_path in sources:
        authors.update(
            model.objects.filter(
                **{community_path: community},
                created_at__gte=start,
                created_at__lt=end,
                author__community_memberships__community=community,
            )
            .values_list("author_id", flat=True)
            .distinct()
        )
    found, _ = HealthWeek.objects.update_or_create(
        community=community,
        week=week,
        defaults={
            "posts": len(posts),
            "answered": len(delays),
            "median_first_answer_hours": statistics.median(delays) if delays else None,
            "active_members": len(authors),
        },
    )
    return found


def recompute_weeks(
    community: Community, weeks: int = DEFAULT_WEEKS, today: date | None = None
) -> None:
    """Recompute the last ``weeks`` weeks (the current, partial one included)."""
    this_week = week_start(today or timezone.now().date())
    with transaction.atomic():
        for n in range(weeks):
            compute_week(community, this_week - timedelta(weeks=n))


def weekly_job(community_id: int) -> None:
    """Due weekly per community: refresh the last two weeks (late answers count), reschedule."""
    community = Community.objects.filter(pk=community_id).first()
    if community is None:
        return
    recompute_weeks(community, weeks=2)
    due = datetime.combine(
        week_start(timezone.now().date()) + timedelta(days=7), time(2), tzinfo=UTC
    )
    schedule(JOB_WEEKLY, f"{JOB_WEEKLY}:{community_id}", due, community_id=community_id)


@dataclass(frozen=True)
class Marker:
    day: date
    label: str


def markers(community: Community, since: date) -> list[Marker]:
    """Norm events to mark on the timeline: norm-set versions adopted, revisit rounds."""
    start = datetime.combine(since, time.min, tzinfo=UTC)
    adopted = NormSetVersion.objects.filter(community=community, adopted_at__gte=start).values_list(
        "adopted_at", flat=True
    )
    revisits = RevisitRound.objects.filter(community=community, opened_at__gte=start).values_list(
        "opened_at", flat=True
    )
    found = [Marker(a.date(), "Norms adopted") for a in adopted]
    found += [Marker(r.date(), "Norms revisited") for r in revisits]
    return sorted(found, key=lambda m: m.day)


def weeks(community: Community, count: int = DEFAULT_WEEKS) -> list[HealthWeek]:
    since = week_start(timezone.now().date()) - timedelta(weeks=count - 1)
    return list(HealthWeek.objects.filter(community=community, week__gte=since).order_by("week"))
