"""Reads for resources. Every resource comes through :func:`get_resource`, which asks the gate
(``communities.access``) about its community: one a person may not see is NotFound, exactly
like a missing one. Lists start from a community the caller already got through the gate.

Who sees what: a visible resource — whoever may read its community; a hidden one (pending
review) — its author and the community's reviewers; a removed one — reviewers only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Prefetch, QuerySet

from practica.accounts.models import User
from practica.communities import access
from practica.communities.models import Community, Membership, Role
from practica.lib.errors import NotFound
from practica.resources.models import (
    Flag,
    ModerationEntry,
    NeedsReviewMark,
    Resource,
    ResourceRating,
    ResourceSettings,
    Status,
    UsedMark,
)
from practica.tags.models import Tag

REVIEWER_ROLES = frozenset({Role.MODERATOR, Role.FACILITATOR})
SORTS = {
    "top": ("-credibility", "-created_at", "-id"),
    "newest": ("-created_at", "-id"),
    "used": ("-used_count", "-credibility", "-id"),
}

Viewer = User | AnonymousUser | None


def can_contribute(user: Viewer, community: Community) -> bool:
    """Members contribute, rate, mark used, flag."""
    return access.is_member(user, community)


def can_review(user: Viewer, community: Community) -> bool:
    """Moderators and facilitators of the community, and its stewards (coordinators, org
    admins where they may steward, staff) review flagged resources."""
    return access.can_steward(user, community) or access.role_in(user, community) in REVIEWER_ROLES


def can_see(user: Viewer, resource: Resource) -> bool:
    """Whether ``user`` may see ``resource`` (its community already passed the gate)."""
    if resource.status == Status.VISIBLE:
        return True
    if can_review(user, resource.community):
        return True
    is_author = user is not None and user.is_authenticated and resource.author_id == user.pk
    return resource.status == Status.HIDDEN and is_author


def get_resource(user: Viewer, resource_id: int, community: Community | None = None) -> Resource:
    """The resource if ``user`` may see it (and it belongs to ``community`` when given);
    NotFound otherwise."""
    found = (
        Resource.objects.select_related("community__organization", "author", "related_post")
        .prefetch_related("tags")
        .filter(pk=resource_id)
        .first()
    )
    if found is None or (community is not None and found.community_id != community.pk):
        raise NotFound("No such resource.")
    if not access.can_view_community(user, found.community) or not can_see(user, found):
        raise NotFound("No such resource.")
    if community is not None:
        found.community = community
    return found


def resources(
    community: Community,
    *,
    sort: str = "top",
    tag: str = "",
    grade_band: str = "",
    audience_role: str = "",
    status: str = Status.VISIBLE,
) -> QuerySet[Resource]:
    """A community's resources in ``sort`` order ("top", "newest", "used"), filtered by tag
    slug and audience; authors and tags loaded with the page (no query per row)."""
    rows = Resource.objects.filter(community=community, status=status)
    if tag:
        rows = rows.filter(tags__slug=tag)
    if grade_band:
        rows = rows.filter(grade_band=grade_band)
    if audience_role:
        rows = rows.filter(audience_role=audience_role)
    return (
        rows.select_related("author")
        .prefetch_related(Prefetch("tags", queryset=Tag.objects.order_by("name")))
        .order_by(*SORTS.get(sort, SORTS["top"]))
    )


def review_queue(community: Community) -> QuerySet[Resource]:
    """Hidden resources, and visible ones with open flags, oldest hidden first."""
    return (
        Resource.objects.filter(community=community, status__in=[Status.HIDDEN, Status.VISIBLE])
        .filter(flag_weight__gt=0)
        .select_related("author")
        .prefetch_related("tags")
        .order_by("-status", "hidden_at", "-flag_weight", "id")
    )


def community_tags(community: Community) -> list[Tag]:
    return list(Tag.objects.filter(community=community).order_by("name"))


def settings_for(community: Community) -> ResourceSettings:
    """The community's settings, or the defaults (unsaved): reads never write."""
    found = ResourceSettings.objects.filter(community=community).first()
    return found if found is not None else ResourceSettings(community=community)


def used_marks(resource: Resource) -> QuerySet[UsedMark]:
    return UsedMark.objects.filter(resource=resource).select_related("user")


def open_flags(resource: Resource) -> QuerySet[Flag]:
    return Flag.objects.filter(resource=resource, resolved_at__isnull=True).select_related("user")


def log(resource: Resource) -> QuerySet[ModerationEntry]:
    return ModerationEntry.objects.filter(resource=resource).select_related("actor")


@dataclass
class Mine:
    """The viewer's own signals on one resource."""

    rating: int | None = None
    used: UsedMark | None = None
    needs_review: bool = False
    flagged: bool = False


def mine(user: Viewer, resource: Resource) -> Mine:
    if user is None or not user.is_authenticated:
        return Mine()
    rating = (
        ResourceRating.objects.filter(resource=resource, user_id=user.pk)
        .values_list("value", flat=True)
        .first()
    )
    return Mine(
        rating=rating,
        used=UsedMark.objects.filter(resource=resource, user_id=user.pk).first(),
        needs_review=NeedsReviewMark.objects.filter(resource=resource, user_id=user.pk).exists(),
        flagged=Flag.objects.filter(
            resource=resource, user_id=user.pk, resolved_at__isnull=True
        ).exists(),
    )


def reviewers(community: Community) -> list[User]:
    """People to tell when a resource is hidden: the community's moderators, facilitators
    and coordinators (one query)."""
    ids = Membership.objects.filter(
        community=community, role__in=[Role.MODERATOR, Role.FACILITATOR, Role.COORDINATOR]
    ).values("user_id")
    return list(User.objects.filter(pk__in=ids))


def tag_counts(community: Community) -> list[dict[str, Any]]:
    """Tags used by visible resources, with counts (for the filter bar)."""
    from django.db.models import Count, Q

    return list(
        Tag.objects.filter(community=community)
        .annotate(n=Count("resources", filter=Q(resources__status=Status.VISIBLE)))
        .filter(n__gt=0)
        .order_by("name")
        .values("slug", "name", "n")
    )


def wiki_page(resource: Resource) -> tuple[str, str] | None:
    """(title, url) of the related wiki page while it exists in the community's wiki, else
    None (one query; the page is referred to by id until a foreign key can point at it)."""
    if not resource.wiki_page_id:
        return None
    from django.apps import apps
    from django.urls import NoReverseMatch, reverse

    try:
        page_model = apps.get_model("wiki", "Page")
    except LookupError:
        return None
    found = (
        page_model._default_manager.filter(
            pk=resource.wiki_page_id,
            space__community_id=resource.community_id,
            deleted_at__isnull=True,
        )
        .values_list("title", "slug")
        .first()
    )
    if found is None:
        return None
    try:
        return found[0], reverse("wiki:page", args=[resource.community.slug, found[1]])
    except NoReverseMatch:
        return found[0], ""
