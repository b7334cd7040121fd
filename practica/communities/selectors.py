"""Reads for communities, always through the access gate's filters."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Prefetch, QuerySet

from practica.accounts.models import DeclaredExpertise, User
from practica.communities import access
from practica.communities.models import (
    Community,
    CommunityInvitation,
    JoinRequest,
    Membership,
    RequestStatus,
)


def communities_for_listing(user: User | AnonymousUser | None) -> QuerySet[Community]:
    return access.visible_communities(user).select_related("organization").order_by("name")


def my_communities(user: User) -> QuerySet[Community]:
    return (
        Community.objects.filter(memberships__user=user)
        .select_related("organization")
        .order_by("name")
    )


def members_of(community: Community, *, with_expertise: bool = True) -> QuerySet[Membership]:
    """Members (with their declared expertise when asked), in one or two queries whatever the
    page size."""
    members = (
        Membership.objects.filter(community=community)
        .select_related("user")
        .order_by("user__name", "user__email")
    )
    if with_expertise:
        expertise = Prefetch("user__expertise", queryset=DeclaredExpertise.objects.all())
        members = members.prefetch_related(expertise)
    return members


def pending_requests(community: Community) -> QuerySet[JoinRequest]:
    return JoinRequest.objects.filter(
        community=community, status=RequestStatus.PENDING
    ).select_related("user")


def pending_invitations_for(user: User) -> QuerySet[CommunityInvitation]:
    return CommunityInvitation.objects.filter(
        user=user, status=RequestStatus.PENDING
    ).select_related("community", "invited_by")
