"""The reputation ledger: settle what a cause is worth, maintain the totals, rebuild them.

A source (``sources.py``) turns an event into ``Settle`` instructions: "cause C is now worth P
points to person U". ``settle`` compares that with the cause's net in the ledger and writes the
difference as one row (nothing when equal, so replaying an event is a no-op; a reversing row
when the cause is undone). The rules that protect the meaning of points apply to gains only:

- a person never earns from their own action (self-votes, self-ratings, self-acceptance);
- between the same two people, at most ``PAIR_LIMIT`` causes a day earn anything (collusion);
- helpful votes earn at most ``daily_vote_cap()`` points a day per person.

Totals (``Standing`` per community, ``Reputation`` overall, ``MonthlyScore``) change in the
same transaction as the row, with ``F()``; ``recompute`` rebuilds them from the ledger.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, Sum
from django.utils import timezone

from practica.communities.models import Community
from practica.recognition.models import (
    ActiveDay,
    Category,
    Entry,
    Helped,
    MonthlyScore,
    Reputation,
    Standing,
)

PAIR_LIMIT = 3  # causes a day from one person to another that may earn (votes and ratings)
DEFAULT_VOTE_CAP = 200
_APPRAISALS = frozenset({Category.VOTE, Category.EV})


def daily_vote_cap() -> int:
    """Points a person may earn from helpful votes in a day (``RECOGNITION_DAILY_VOTE_CAP``)."""
    return int(getattr(settings, "RECOGNITION_DAILY_VOTE_CAP", DEFAULT_VOTE_CAP))


@dataclass(frozen=True)
class Settle:
    """``cause`` is now worth ``points`` to ``user_id`` (0: undone)."""

    cause: str
    user_id: int
    points: int
    category: str
    reason: str
    community_id: int | None
    actor_id: int | None
    object_type: str
    object_id: int | None
    helped: bool = False  # the actor was helped by the user (counts once per pair)


def today() -> date:
    return timezone.now().date()


def net_of(cause: str, user_id: int) -> int:
    return int(
        Entry.objects.filter(cause=cause, user_id=user_id).aggregate(s=Sum("points"))["s"] or 0
    )


def settle(item: Settle, event: str, *, note: str = "") -> Entry | None:
    """Bring ``item.cause`` to its worth, within the rules above; the row written, if any."""
    with transaction.atomic():
        standing = _lock_standing(item.user_id, item.community_id)
        current = net_of(item.cause, item.user_id)
        desired = _allowed(item, current)
        entry = None
        if desired != current:
            entry = _write(item, desired - current, event, note)
            _add_to_totals(item, standing, desired - current)
        if item.helped and desired > 0 and item.actor_id and item.community_id:
            _helped(item.user_id, item.actor_id, item.community_id, standing)
        if standing is not None:
            from practica.recognition import levels

            levels.promote(standing, standing.community)
        return entry


def _allowed(item: Settle, current: int) -> int:
    """What the cause may be worth now: gains are checked; losses always go through."""
    desired = item.points
    if desired <= current:
        return desired
    if item.actor_id is not None and item.actor_id == item.user_id:
        return current  # nobody earns from their own vote, rating or acceptance
    if item.category in _APPRAISALS and item.actor_id is not None and _pair_full(item):
        return current
    if item.category == Category.VOTE:
        earned = _votes_earned_today(item.user_id)
        room = max(0, daily_vote_cap() - earned)
        return current + min(desired - current, room)
    return desired


def _pair_full(item: Settle) -> bool:
    """True when ``actor`` already gave ``user`` PAIR_LIMIT earning causes today."""
    causes = (
        Entry.objects.filter(
            actor_id=item.actor_id,
            user_id=item.user_id,
            day=today(),
            category__in=_APPRAISALS,
            points__gt=0,
        )
        .exclude(cause=item.cause)
        .values("cause")
        .distinct()
        .count()
    )
    return causes >= PAIR_LIMIT


def _votes_earned_today(user_id: int) -> int:
    rows = Entry.objects.filter(
        user_id=user_id, category=Category.VOTE, day=today(), points__gt=0
    ).aggregate(s=Sum("points"))
    return int(rows["s"] or 0)


def _lock_standing(user_id: int, community_id: int | None) -> Standing | None:
    Reputation.objects.get_or_create(user_id=user_id)
    if community_id is None:
        return None
    Standing.objects.get_or_create(user_id=user_id, community_id=community_id)
    return (
        Standing.objects.select_for_update()
        .select_related("community__organization", "user")
        .get(user_id=user_id, community_id=community_id)
    )


def _write(item: Settle, delta: int, event: str, note: str) -> Entry:
    return Entry.objects.create(
        user_id=item.user_id,
        community_id=item.community_id,
        points=delta,
        category=item.category,
        reason=item.reason,
        event=event,
        cause=item.cause,
        object_type=item.object_type,
        object_id=item.object_id,
        actor_id=item.actor_id,
        note=note[:120],
        day=today(),
    )


def _add_to_totals(item: Settle, standing: Standing | None, delta: int) -> None:
    Reputation.objects.filter(user_id=item.user_id).update(total=F("total") + delta)
    if standing is None or item.community_id is None:
        return
    ev = delta if item.category == Category.EV else 0
    Standing.objects.filter(pk=standing.pk).update(
        reputation=F("reputation") + delta, ev_points=F("ev_points") + ev, updated_at=timezone.now()
    )
    standing.reputation += delta
    standing.ev_points += ev
    if ev:
        month = today().replace(day=1)
        MonthlyScore.objects.get_or_create(
            user_id=item.user_id, community_id=item.community_id, month=month
        )
        MonthlyScore.objects.filter(
            user_id=item.user_id, community_id=item.community_id, month=month
        ).update(ev_points=F("ev_points") + ev)
        from practica.recognition import goals

        goals.add_ev_points(item.community_id, ev)


def _helped(helper_id: int, person_id: int, community_id: int, standing: Standing | None) -> None:
    if helper_id == person_id:
        return
    _, created = Helped.objects.get_or_create(
        helper_id=helper_id, person_id=person_id, community_id=community_id
    )
    if created and standing is not None:
        Standing.objects.filter(pk=standing.pk).update(people_helped=F("people_helped") + 1)
        standing.people_helped += 1


def mark_active(user_id: int | None, community_id: int | None, when: date | None = None) -> None:
    """Count a day of contribution for the person in the community (idempotent)."""
    if not user_id or not community_id:
        return
    with transaction.atomic():
        _, created = ActiveDay.objects.get_or_create(
            user_id=user_id, community_id=community_id, day=when or today()
        )
        if not created:
            return
        standing = _lock_standing(user_id, community_id)
        assert standing is not None
        Standing.objects.filter(pk=standing.pk).update(days_active=F("days_active") + 1)
        standing.days_active += 1
        from practica.recognition import levels

        levels.promote(standing, standing.community)


def causes_of(object_type: str, object_ids: list[int]) -> list[dict[str, Any]]:
    """Every cause about these objects with a non-zero net (for undoing them all), with the
    fields a ``Settle`` needs."""
    if not object_ids:
        return []
    rows = (
        Entry.objects.filter(object_type=object_type, object_id__in=object_ids)
        .values("cause", "user_id", "category", "reason", "community_id", "actor_id", "object_id")
        .annotate(net=Sum("points"))
    )
    return [r for r in rows if r["net"]]


def undo_all(object_type: str, object_ids: list[int], event: str) -> int:
    """Reverse every cause about these objects (a deleted answer, a cancelled meeting)."""
    undone = 0
    for row in causes_of(object_type, object_ids):
        settle(
            Settle(
                cause=row["cause"],
                user_id=row["user_id"],
                points=0,
                category=row["category"],
                reason=row["reason"],
                community_id=row["community_id"],
                actor_id=row["actor_id"],
                object_type=object_type,
                object_id=row["object_id"],
            ),
            event,
            note="undone",
        )
        undone += 1
    return undone


# --- Rebuilding the totals ----------------------------------------------------------------------


@dataclass(frozen=True)
class Totals:
    """Non-zero totals only (a row holding 0 and a missing row mean the same)."""

    overall: dict[int, int]
    per_community: dict[tuple[int, int], tuple[int, int, int, int]]  # rep, ev, helped, days
    monthly: dict[tuple[int, int, date], int]

    def __post_init__(self) -> None:
        for table in (self.overall, self.per_community, self.monthly):
            _drop_zeros(table)


def _drop_zeros(table: dict[Any, Any]) -> None:
    for key in [k for k, v in table.items() if not any(v if isinstance(v, tuple) else (v,))]:
        del table[key]


def totals_from_ledger() -> Totals:
    """The totals as the ledger and breadth rows say they are (aggregates, no per-row work)."""
    overall = {
        r["user_id"]: int(r["s"] or 0)
        for r in Entry.objects.values("user_id").annotate(s=Sum("points"))
    }
    per: dict[tuple[int, int], list[int]] = {}
    for r in (
        Entry.objects.filter(community__isnull=False)
        .values("user_id", "community_id", "category")
        .annotate(s=Sum("points"))
    ):
        key = (r["user_id"], r["community_id"])
        slot = per.setdefault(key, [0, 0, 0, 0])
        slot[0] += int(r["s"] or 0)
        if r["category"] == Category.EV:
            slot[1] += int(r["s"] or 0)
    for r in Helped.objects.values("helper_id", "community_id").annotate(n=Count("id")):
        per.setdefault((r["helper_id"], r["community_id"]), [0, 0, 0, 0])[2] = r["n"]
    for r in ActiveDay.objects.values("user_id", "community_id").annotate(n=Count("id")):
        per.setdefault((r["user_id"], r["community_id"]), [0, 0, 0, 0])[3] = r["n"]
    monthly: dict[tuple[int, int, date], int] = {}
    for e in Entry.objects.filter(category=Category.EV, community__isnull=False).values(
        "user_id", "community_id", "day", "points"
    ):
        month_key = (e["user_id"], e["community_id"], e["day"].replace(day=1))
        monthly[month_key] = monthly.get(month_key, 0) + e["points"]
    return Totals(overall, {k: (v[0], v[1], v[2], v[3]) for k, v in per.items()}, monthly)


def live_totals() -> Totals:
    """The totals as maintained on write (what ``recompute`` must reproduce exactly)."""
    overall = dict(Reputation.objects.values_list("user_id", "total"))
    per = {
        (s.user_id, s.community_id): (s.reputation, s.ev_points, s.people_helped, s.days_active)
        for s in Standing.objects.all()
    }
    monthly = {
        (m.user_id, m.community_id, m.month): m.ev_points for m in MonthlyScore.objects.all()
    }
    return Totals(overall, per, monthly)


def recompute() -> Totals:
    """Rebuild every total from the ledger and the breadth rows; return them. Levels are
    re-evaluated upward only (recomputing never demotes anyone)."""
    fresh = totals_from_ledger()
    with transaction.atomic():
        Reputation.objects.exclude(user_id__in=fresh.overall).update(total=0)
        for user_id, total in fresh.overall.items():
            Reputation.objects.update_or_create(user_id=user_id, defaults={"total": total})
        Standing.objects.update(reputation=0, ev_points=0, people_helped=0, days_active=0)
        for (user_id, community_id), (rep, ev, helped, days) in fresh.per_community.items():
            Standing.objects.update_or_create(
                user_id=user_id,
                community_id=community_id,
                defaults={
                    "reputation": rep,
                    "ev_points": ev,
                    "people_helped": helped,
                    "days_active": days,
                },
            )
        MonthlyScore.objects.all().delete()
        MonthlyScore.objects.bulk_create(
            MonthlyScore(user_id=u, community_id=c, month=m, ev_points=p)
            for (u, c, m), p in fresh.monthly.items()
        )
        communities = Community.objects.select_related("organization").in_bulk()
        from practica.recognition import levels

        for standing in Standing.objects.select_related("user"):
            levels.promote(standing, communities[standing.community_id])
    return fresh
