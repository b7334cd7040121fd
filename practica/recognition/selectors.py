"""Reads for recognition pages and the API, always through the access gate, in a constant
number of queries whatever the data size."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.utils import timezone

from practica.accounts.models import User
from practica.communities import access
from practica.communities.models import Community
from practica.lib.errors import NotFound
from practica.recognition import goals as goal_math
from practica.recognition.levels import (
    PRIVILEGE_LABELS,
    Progress,
    progress_to_next,
    requirements_for_many,
)
from practica.recognition.models import (
    Award,
    CommunitySettings,
    Entry,
    Goal,
    Kudos,
    Level,
    MonthlyScore,
    Reputation,
    Standing,
)
from practica.recognition.privileges import LEVEL_PRIVILEGES

Viewer = User | AnonymousUser | None
PROFILE_STANDINGS = 10
PROFILE_BADGES = 12
PROFILE_KUDOS = 5


def get_person(viewer: Viewer, user_id: int) -> User:
    """The person if ``viewer`` may see their profile (``access.can_view_person``), else
    NotFound (never Forbidden: a profile you may not see does not exist for you)."""
    person = User.objects.filter(pk=user_id, is_active=True).first() if user_id < 2**63 else None
    if person is None or not access.can_view_person(viewer, person):
        raise NotFound("No such person.")
    return person


@dataclass
class StandingView:
    standing: Standing
    level_label: str
    next_label: str | None
    next_unlocks: list[str]
    bars: list[Progress]
    held: bool


@dataclass
class ProfileView:
    total: int
    standings: list[StandingView] = field(default_factory=list)
    awards: list[Award] = field(default_factory=list)
    award_count: int = 0
    kudos: list[Kudos] = field(default_factory=list)
    kudos_count: int = 0


def standings_for(viewer: Viewer, person: User) -> QuerySet[Standing]:
    """The person's standings in communities ``viewer`` may see, highest reputation first."""
    visible = access.visible_communities(viewer).values("pk")
    return (
        Standing.objects.filter(user=person, community__in=visible)
        .select_related("community__organization")
        .order_by("-reputation", "community__name")
    )


def standing_views(standings: list[Standing]) -> list[StandingView]:
    reqs = requirements_for_many([s.community for s in standings])
    out = []
    for s in standings:
        nxt = s.level + 1
        out.append(
            StandingView(
                standing=s,
                level_label=Level(s.level).label,
                next_label=Level(nxt).label if nxt in Level.values else None,
                next_unlocks=[PRIVILEGE_LABELS[p] for p in LEVEL_PRIVILEGES.get(nxt, ())],
                bars=progress_to_next(s, reqs[s.community_id]),
                held=s.ceiling is not None,
            )
        )
    return out


def awards_for(viewer: Viewer, person: User) -> QuerySet[Award]:
    """Awards the viewer may see: all of one's own; others' unrevoked public ones, and
    unrevoked ones earned in communities the viewer can see."""
    rows = Award.objects.filter(user=person).select_related("badge").order_by("-awarded_at")
    if viewer is not None and viewer.is_authenticated and viewer.pk == person.pk:
        return rows
    return rows.filter(revoked_at__isnull=True).filter(_public_or_visible(viewer))


def _public_or_visible(viewer: Viewer) -> Any:
    from django.db.models import Q

    visible = access.visible_communities(viewer).values("pk")
    return Q(public=True) | Q(community__in=visible)


def kudos_for(viewer: Viewer, person: User) -> QuerySet[Kudos]:
    visible = access.visible_communities(viewer).values("pk")
    return (
        Kudos.objects.filter(recipient=person, community__in=visible)
        .select_related("giver", "community")
        .order_by("-created_at")
    )


def profile(viewer: Viewer, person: User) -> ProfileView:
    """Everything the profile's recognition section shows (a fixed number of queries)."""
    total = Reputation.objects.filter(user=person).values_list("total", flat=True).first() or 0
    standings = list(standings_for(viewer, person)[:PROFILE_STANDINGS])
    awards = awards_for(viewer, person)
    kudos = kudos_for(viewer, person)
    return ProfileView(
        total=total,
        standings=standing_views(standings),
        awards=list(awards[:PROFILE_BADGES]),
        award_count=awards.count(),
        kudos=list(kudos[:PROFILE_KUDOS]),
        kudos_count=kudos.count(),
    )


def recent_entries(viewer: Viewer, person: User) -> QuerySet[Entry]:
    """Ledger rows of the person in communities the viewer can see (and, for the person
    themselves, those outside any community)."""
    from django.db.models import Q

    visible = access.visible_communities(viewer).values("pk")
    where = Q(community__in=visible)
    if viewer is not None and viewer.is_authenticated and viewer.pk == person.pk:
        where |= Q(community__isnull=True)
    return (
        Entry.objects.filter(where, user=person)
        .select_related("community")
        .order_by("-created_at", "-pk")
    )


def shared_communities(viewer: User, person: User) -> QuerySet[Community]:
    """Communities where both are members (where kudos may be given)."""
    mine = list(access.viewer_for(viewer).roles)
    return Community.objects.filter(pk__in=mine, memberships__user=person).order_by("name")


# --- Goals and leaderboards ---------------------------------------------------------------------


@dataclass
class GoalView:
    goal: Goal
    percent: int
    label: str
    reached: bool


def goal_views(goals: list[Goal], community: Community) -> list[GoalView]:
    return [
        GoalView(
            goal=g,
            percent=goal_math.percent(g, community.member_count),
            label=goal_math.achieved_label(g, community.member_count),
            reached=g.reached_at is not None,
        )
        for g in goals
    ]


def goals_of(community: Community) -> QuerySet[Goal]:
    return Goal.objects.filter(community=community).order_by("-ends_on", "pk")


def current_goals(community: Community, limit: int = 3) -> list[Goal]:
    today = timezone.now().date()
    return list(
        Goal.objects.filter(community=community, ends_on__gte=today, starts_on__lte=today).order_by(
            "ends_on", "pk"
        )[:limit]
    )


def leaderboard_enabled(community: Community) -> bool:
    return bool(
        CommunitySettings.objects.filter(community=community)
        .values_list("leaderboard_enabled", flat=True)
        .first()
    )


def month_start(on: date | None = None) -> date:
    return (on or timezone.now().date()).replace(day=1)


def leaderboard(community: Community, month: date) -> QuerySet[MonthlyScore]:
    """Educational value earned in ``community`` in ``month`` (never post counts); people who
    opted out do not appear."""
    from practica.recognition.models import Preferences

    opted_out = Preferences.objects.filter(leaderboard_opt_out=True).values("user_id")
    return (
        MonthlyScore.objects.filter(community=community, month=month, ev_points__gt=0)
        .exclude(user_id__in=opted_out)
        .select_related("user")
        .order_by("-ev_points", "user_id")
    )
