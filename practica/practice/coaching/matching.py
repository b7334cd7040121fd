"""Suggesting mentors and peers for people who have no one in their role nearby.

A principal who is the only principal at her school has no colleague down the hall to think
with. We suggest people **in the same role** in other organizations of the same network,
ordered by a score (docs/coaching.md)::

    score = 2.0 * role_match                  # 1 same title, 0.5 sharing a key word
          + 1.0 * complementary_expertise     # 0..1: what they know that you know less of
          + 1.0 * time_zone_overlap           # 0..1: shared working hours (08:00-17:00)

Complementary expertise compares earned expertise (summed per tag across communities) and
declared expertise (a declared tag counts as 0.5 evidence): for each tag, what they have beyond
what you have; the total t is squashed as t / (t + 3). Everything is read in a few queries.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db.models import Sum

from practica.accounts.models import DeclaredExpertise, Organization, OrgMembership, User
from practica.communities import access

DECLARED_WEIGHT = 0.5
ROLE_WEIGHT, EXPERTISE_WEIGHT, ZONE_WEIGHT = 2.0, 1.0, 1.0
WORK_START, WORK_END = 8, 17
LIMIT = 10
_STOP = {"of", "the", "and", "a", "an", "at", "for", "in", "teacher"}


def normalize_title(title: str) -> str:
    return re.sub(r"[^a-z0-9 ]+", " ", (title or "").lower()).strip()


def title_words(title: str) -> set[str]:
    return {w for w in normalize_title(title).split() if w not in _STOP and len(w) > 2}


def role_match(mine: str, theirs: str) -> float:
    if not normalize_title(mine) or not normalize_title(theirs):
        return 0.0
    if normalize_title(mine) == normalize_title(theirs):
        return 1.0
    return 0.5 if title_words(mine) & title_words(theirs) else 0.0


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def zone_overlap(a: str, b: str, on: date | None = None) -> float:
    """Share (0..1) of a working day (08:00-17:00 local) the two have in common."""
    day = on or date.today()

    def window(zone: str) -> tuple[datetime, datetime]:
        tz = _zone(zone)
        return (
            datetime.combine(day, time(WORK_START), tzinfo=tz),
            datetime.combine(day, time(WORK_END), tzinfo=tz),
        )

    (a0, a1), (b0, b1) = window(a), window(b)
    shared = min(a1, b1) - max(a0, b0)
    return max(shared, timedelta(0)) / timedelta(hours=WORK_END - WORK_START)


def _expertise(user_ids: list[int]) -> dict[int, dict[str, float]]:
    """Per person, evidence per tag slug: earned (summed over communities) + declared."""
    from practica.expertise.models import EarnedExpertise

    found: dict[int, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    earned = (
        EarnedExpertise.objects.filter(user_id__in=user_ids)
        .values("user_id", "tag__slug")
        .annotate(total=Sum("score"))
    )
    for row in earned:
        found[row["user_id"]][row["tag__slug"]] += float(row["total"])
    for user_id, slug in DeclaredExpertise.objects.filter(user_id__in=user_ids).values_list(
        "user_id", "slug"
    ):
        found[user_id][slug] += DECLARED_WEIGHT
    return found


def complementary(mine: dict[str, float], theirs: dict[str, float]) -> float:
    total = sum(max(0.0, v - mine.get(tag, 0.0)) for tag, v in theirs.items())
    return total / (total + 3.0)


def network_org_ids(user: User) -> tuple[set[int], set[int]]:
    """(the person's own organizations, every organization in the same networks)."""
    own = list(Organization.objects.filter(memberships__user=user).values_list("pk", "path"))
    roots = {path.strip("/").split("/")[0] for _, path in own if path}
    network: set[int] = set()
    for root in roots:
        network.update(
            Organization.objects.filter(path__startswith=f"/{root}/").values_list("pk", flat=True)
        )
    return {pk for pk, _ in own}, network


def is_isolated(user: User) -> bool:
    """True when no one else in the person's own organizations shares their role."""
    if not normalize_title(user.title):
        return False
    own, _ = network_org_ids(user)
    peers = (
        User.objects.filter(org_memberships__organization_id__in=own, is_active=True)
        .exclude(pk=user.pk)
        .values_list("title", flat=True)
    )
    return not any(normalize_title(t) == normalize_title(user.title) for t in peers)


@dataclass(frozen=True)
class Suggestion:
    person: User
    organization: str
    score: float
    role: float
    expertise: float
    overlap: float
    strengths: list[str]


def suggestions(user: User, limit: int = LIMIT) -> list[Suggestion]:
    """People in the same (or a close) role in *other* organizations of the user's networks,
    whom the user may see, best first."""
    own, network = network_org_ids(user)
    others = network - own
    if not others or (not title_words(user.title) and not normalize_title(user.title)):
        return []
    memberships = (
        OrgMembership.objects.filter(organization_id__in=others, user__is_active=True)
        .exclude(user=user)
        .exclude(user__org_memberships__organization_id__in=own)
        .filter(user__in=User.objects.filter(access.visible_people_filter(user)))
        .select_related("user", "organization")
    )
    people: dict[int, tuple[User, str]] = {}
    for m in memberships:
        if role_match(user.title, m.user.title) > 0:
            people.setdefault(m.user_id, (m.user, m.organization.name))
    if not people:
        return []
    evidence = _expertise([user.pk, *people])
    mine = evidence.get(user.pk, {})
    found = []
    for person, org_name in people.values():
        role = role_match(user.title, person.title)
        theirs = evidence.get(person.pk, {})
        comp = complementary(mine, theirs)
        overlap = zone_overlap(user.timezone, person.timezone)
        strengths = sorted(
            (t for t, v in theirs.items() if v > mine.get(t, 0.0)), key=lambda t: -theirs[t]
        )[:3]
        score = ROLE_WEIGHT * role + EXPERTISE_WEIGHT * comp + ZONE_WEIGHT * overlap
        found.append(Suggestion(person, org_name, round(score, 3), role, comp, overlap, strengths))
    found.sort(key=lambda s: (-s.score, s.person.display_name))
    return found[:limit]
