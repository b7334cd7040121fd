"""The credibility score of a resource (0–100): the formula, and keeping it on the row.

Signals (one of each per person: a second rating replaces the first, so one person can never
count twice):

- a **rating** r ∈ 1..5, read as u = (r - 1) / 4 ∈ [0, 1];
- a **"used it"** mark — the strongest signal: it doubles the weight of that person's rating
  and adds to the evidence term;
- each signal's weight is ``expertise × freshness``:
  ``expertise = 1 + min(ln(1 + e), 2)`` where e is the person's earned expertise in the
  resource's tags (``practica.expertise.scores``; 0 when unknown, so everyone weighs 1 to 3),
  ``freshness = 0.5 ** (age_days / 365)`` (a signal counts half after a year).

With rating weights wᵢ (× 2 if that person also used it) and used-mark weights vⱼ::

    mean     = (PRIOR_WEIGHT × 0.5 + Σ wᵢ uᵢ) / (PRIOR_WEIGHT + Σ wᵢ)    # shrunk toward neutral
    evidence = 1 - exp(-Σ vⱼ / EVIDENCE_SCALE)                           # 0 … <1
    score    = 100 × (RATING_SHARE × mean + (1 - RATING_SHARE) × evidence)

Properties (tested with hypothesis in tests/test_resources_credibility.py): the score stays in
[0, 100]; raising any rating never lowers it; views are not an input; a person's repeated
ratings leave exactly the score of their last one. Maintained on every write that changes a
signal (``recompute``) and refreshed nightly so freshness keeps decaying (``refresh_all``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Avg, Count
from django.utils import timezone

from practica.expertise.scores import expertise_by_user
from practica.resources.models import Resource, ResourceRating, UsedMark

PRIOR_WEIGHT = 3.0
EVIDENCE_SCALE = 3.0
RATING_SHARE = 0.75
HALF_LIFE_DAYS = 365.0
USED_BOOST = 2.0
EXPERTISE_CAP = 2.0


@dataclass(frozen=True)
class Signal:
    """One person's rating (``value`` 1–5, or None) and/or used mark, with their weights."""

    value: int | None
    used: bool
    expertise: float  # earned expertise (>= 0) in the resource's tags
    rated_age_days: float = 0.0
    used_age_days: float = 0.0


def expertise_weight(expertise: float) -> float:
    return 1.0 + min(math.log1p(max(expertise, 0.0)), EXPERTISE_CAP)


def freshness(age_days: float) -> float:
    return float(0.5 ** (max(age_days, 0.0) / HALF_LIFE_DAYS))


def score(signals: Iterable[Signal]) -> float:
    """The formula above, for one signal per person."""
    weighted = 0.0
    total = 0.0
    evidence = 0.0
    for s in signals:
        person = expertise_weight(s.expertise)
        if s.value is not None:
            w = person * freshness(s.rated_age_days) * (USED_BOOST if s.used else 1.0)
            weighted += w * (min(max(s.value, 1), 5) - 1) / 4
            total += w
        if s.used:
            evidence += person * freshness(s.used_age_days)
    mean = (PRIOR_WEIGHT * 0.5 + weighted) / (PRIOR_WEIGHT + total)
    used_term = 1.0 - math.exp(-evidence / EVIDENCE_SCALE)
    return round(100.0 * (RATING_SHARE * mean + (1.0 - RATING_SHARE) * used_term), 4)


def _age(now: datetime, then: datetime) -> float:
    return (now - then).total_seconds() / 86400.0


def signals_for(resource: Resource, now: datetime) -> list[Signal]:
    """Every person's signals on ``resource`` (three queries, whatever the numbers)."""
    ratings = {r.user_id: r for r in ResourceRating.objects.filter(resource=resource)}
    used = {m.user_id: m for m in UsedMark.objects.filter(resource=resource)}
    people = set(ratings) | set(used)
    tag_ids = [t.pk for t in resource.tags.all()]
    expertise = (
        expertise_by_user(resource.community_id, people, tag_ids) if people and tag_ids else {}
    )
    signals = []
    for user_id in people:
        rating, mark = ratings.get(user_id), used.get(user_id)
        signals.append(
            Signal(
                value=rating.value if rating else None,
                used=mark is not None,
                expertise=float(expertise.get(user_id, 0.0)),
                rated_age_days=_age(now, rating.updated_at) if rating else 0.0,
                used_age_days=_age(now, mark.created_at) if mark else 0.0,
            )
        )
    return signals


def recompute(resource: Resource, now: datetime | None = None) -> None:
    """Store ``resource``'s score and counters (call inside the writing transaction)."""
    now = now or timezone.now()
    stats = ResourceRating.objects.filter(resource=resource).aggregate(
        n=Count("id"), m=Avg("value")
    )
    resource.credibility = score(signals_for(resource, now))
    resource.rating_count = stats["n"] or 0
    resource.rating_mean = float(stats["m"] or 0.0)
    resource.used_count = UsedMark.objects.filter(resource=resource).count()
    resource.scored_at = now
    Resource.objects.filter(pk=resource.pk).update(
        credibility=resource.credibility,
        rating_count=resource.rating_count,
        rating_mean=resource.rating_mean,
        used_count=resource.used_count,
        scored_at=now,
    )


def refresh_all(now: datetime | None = None, batch: Sequence[int] | None = None) -> int:
    """Recompute every resource (or those in ``batch``) so freshness decay shows; returns how
    many. Idempotent: the nightly job runs it."""
    now = now or timezone.now()
    rows = Resource.objects.prefetch_related("tags").order_by("pk")
    if batch is not None:
        rows = rows.filter(pk__in=batch)
    count = 0
    for resource in rows.iterator(chunk_size=200):
        recompute(resource, now)
        count += 1
    return count
