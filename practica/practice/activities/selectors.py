"""Reads for activities, always through the access rules (``activities.access``).

Every list here costs the same few queries whatever its length: relations are joined with
``select_related`` and visibility is one filter, never a per-row check that queries.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Count, Q, QuerySet

from practica.communities import access as community_access
from practica.communities.models import Community
from practica.practice.activities import access
from practica.practice.activities.models import Activity

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from practica.accounts.models import User

# Joined for cards and API items: the community (for URLs) and the source with its community
# and organization (to decide, without a query, whether the viewer may see the source).
LIST_RELATED = ("community", "adapted_from__community__organization")
MAX_ID_DIGITS = 18  # larger "ids" cannot be primary keys (and overflow SQLite's integers)


class Setting(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    VIRTUAL = "virtual", "Virtual"


@dataclass(frozen=True)
class ActivityFilters:
    """What the library's filter form and the API's query parameters ask for; empty = any."""

    purpose: str = ""
    max_duration: int | None = None
    setting: str = ""
    group_size: int | None = None
    q: str = ""


def apply_filters(activities: QuerySet[Activity], filters: ActivityFilters) -> QuerySet[Activity]:
    if filters.purpose:
        activities = activities.filter(purpose=filters.purpose)
    if filters.max_duration is not None:
        activities = activities.filter(duration_minutes__lte=filters.max_duration)
    if filters.setting == Setting.IN_PERSON:
        activities = activities.filter(in_person=True)
    elif filters.setting == Setting.VIRTUAL:
        activities = activities.filter(virtual=True)
    if filters.group_size is not None:
        activities = activities.filter(
            min_group__lte=filters.group_size, max_group__gte=filters.group_size
        )
    words = filters.q.casefold().split()
    for word in words:  # every word must appear somewhere: "trust virtual" narrows
        activities = activities.filter(search_text__contains=word)
    return activities


def library(
    user: User | AnonymousUser | None, filters: ActivityFilters | None = None
) -> QuerySet[Activity]:
    """Library activities matching ``filters``, by title, each annotated with
    ``adaptation_count``: its adaptations in communities ``user`` may see (others uncounted)."""
    visible = Q(adaptations__community__in=community_access.visible_communities(user))
    activities = Activity.objects.filter(community__isnull=True).annotate(
        adaptation_count=Count("adaptations", filter=visible, distinct=True)
    )
    return apply_filters(activities, filters or ActivityFilters()).order_by("title", "pk")


def library_activity(slug: str) -> Activity | None:
    return Activity.objects.filter(community__isnull=True, slug=slug).first()


def community_activities(
    community: Community, filters: ActivityFilters | None = None
) -> QuerySet[Activity]:
    """A community's own activities (the caller has checked it may see the community)."""
    activities = Activity.objects.filter(community=community).select_related(
        *LIST_RELATED, "created_by"
    )
    return apply_filters(activities, filters or ActivityFilters()).order_by("title", "pk")


def community_activity(community: Community, slug: str) -> Activity | None:
    return (
        Activity.objects.filter(community=community, slug=slug)
        .select_related(*LIST_RELATED, "created_by", "community__organization")
        .first()
    )


def visible_source(user: User | AnonymousUser | None, activity: Activity) -> Activity | None:
    """What ``activity`` was adapted from, if ``user`` may see it; else None, so lineage never
    names a community the viewer may not know about. Needs LIST_RELATED loaded."""
    source = activity.adapted_from
    if source is None or not access.can_view_activity(user, source):
        return None
    return source


def visible_adaptations(
    user: User | AnonymousUser | None, activity: Activity
) -> QuerySet[Activity]:
    """Adaptations of ``activity`` in communities ``user`` may see, newest first."""
    return (
        Activity.objects.filter(
            adapted_from=activity, community__in=community_access.visible_communities(user)
        )
        .select_related("community")
        .order_by("-created_at", "-pk")
    )


def find_activity(user: User | AnonymousUser | None, ref: str) -> Activity | None:
    """The activity ``ref`` names, if ``user`` may see it: an id, a library slug, or
    ``community-slug/activity-slug``. None when it is missing or hidden (indistinguishable)."""
    ref = ref.strip()
    activities = Activity.objects.select_related("community__organization")
    if ref.isascii() and ref.isdigit() and len(ref) <= MAX_ID_DIGITS:
        found = activities.filter(pk=int(ref)).first()
    elif "/" in ref:
        community_slug, _, slug = ref.partition("/")
        found = activities.filter(community__slug=community_slug, slug=slug).first()
    else:
        found = activities.filter(community__isnull=True, slug=ref).first()
    return found if found is not None and access.can_view_activity(user, found) else None


def adaptable_communities(user: User) -> QuerySet[Community]:
    """Communities ``user`` may adapt activities for: those they are a member of."""
    return (
        Community.objects.filter(memberships__user=user)
        .select_related("organization")
        .order_by("name")
    )
