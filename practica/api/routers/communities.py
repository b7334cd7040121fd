"""Communities: list, create, read, join, leave, ask to join, and their members.

Every lookup goes through ``access.get_community_for`` (a community the caller may not see is
a 404, exactly like one that does not exist); every write goes through ``communities.services``.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.urls import reverse
from ninja import Query, Router, Status

from practica.accounts.models import User
from practica.api.auth import AUTH, OPTIONAL_AUTH, OPTIONAL_AUTH_OPENAPI, caller, viewer
from practica.api.pagination import paginate
from practica.api.schemas import (
    CommunityIn,
    CommunityOut,
    CommunityPage,
    ErrorOut,
    ExpertiseOut,
    JoinRequestIn,
    JoinRequestOut,
    MemberOut,
    MemberPage,
    MembershipOut,
    PageParams,
)
from practica.communities import access, selectors, services
from practica.communities.models import Community, JoinRequest, Membership

router = Router(tags=["communities"])

ONE = "/communities/{slug:slug}"


def community_out(
    request: HttpRequest, community: Community, user: User | AnonymousUser
) -> CommunityOut:
    """Needs ``community.organization`` loaded; the role comes from the gate's cached viewer."""
    return CommunityOut(
        slug=community.slug,
        name=community.name,
        domain=community.domain,
        purpose=community.purpose,
        visibility=community.visibility,
        join_policy=community.join_policy,
        organization=community.organization.slug,
        member_count=community.member_count,
        my_role=access.role_in(user, community),
        url=request.build_absolute_uri(reverse("communities:home", args=[community.slug])),
    )


def _membership_out(membership: Membership) -> MembershipOut:
    return MembershipOut(
        community=membership.community.slug, role=membership.role, joined_at=membership.joined_at
    )


def _member_out(membership: Membership) -> MemberOut:
    person = membership.user
    return MemberOut(
        id=person.pk,
        name=person.display_name,
        role=membership.role,
        expertise=[ExpertiseOut(slug=e.slug, label=e.label) for e in person.expertise.all()],
        joined_at=membership.joined_at,
    )


def _request_out(join_request: JoinRequest) -> JoinRequestOut:
    return JoinRequestOut(
        id=join_request.pk,
        community=join_request.community.slug,
        status=join_request.status,
        message=join_request.message,
        created_at=join_request.created_at,
    )


@router.get(
    "/communities",
    auth=OPTIONAL_AUTH,
    response={200: CommunityPage, 401: ErrorOut, 422: ErrorOut},
    openapi_extra=OPTIONAL_AUTH_OPENAPI,
)
def list_communities(request: HttpRequest, paging: Query[PageParams]) -> dict[str, object]:
    """Communities you may read, by name. Signed out: the public ones."""
    user = viewer(request)
    communities = selectors.communities_for_listing(user).order_by("name", "pk")
    return paginate(communities, paging, lambda c: community_out(request, c, user))


@router.post(
    "/communities",
    auth=AUTH,
    response={
        201: CommunityOut,
        400: ErrorOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        422: ErrorOut,
    },
)
def create_community(request: HttpRequest, payload: CommunityIn) -> Status[CommunityOut]:
    """Start a community in an organization you may create in; you become its coordinator.
    An organization you cannot see (or that does not exist) is a 404 ``not_found``."""
    user = caller(request)
    organization = access.get_org_for(user, payload.organization)
    community = services.create_community(
        user,
        organization,
        name=payload.name,
        slug=payload.slug,
        domain=payload.domain,
        purpose=payload.purpose,
        visibility=payload.visibility,
        join_policy=payload.join_policy,
    )
    return Status(201, community_out(request, community, user))


@router.get(
    ONE,
    auth=OPTIONAL_AUTH,
    response={200: CommunityOut, 401: ErrorOut, 404: ErrorOut},
    openapi_extra=OPTIONAL_AUTH_OPENAPI,
)
def get_community(request: HttpRequest, slug: str) -> CommunityOut:
    """One community. Private ones you are not in are 404, like ones that do not exist;
    signed out, anything that is not public is 401."""
    user = viewer(request)
    return community_out(request, access.get_community_for(user, slug), user)


@router.post(
    f"{ONE}/join",
    auth=AUTH,
    response={201: MembershipOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
)
def join(request: HttpRequest, slug: str) -> Status[MembershipOut]:
    """Join an open community (or one you are invited to). Request-policy communities answer
    403 ``request_required`` (POST .../requests instead); invite-only ones 403 ``invite_only``."""
    user = caller(request)
    community = access.get_community_for(user, slug)
    return Status(201, _membership_out(services.join_community(user, community)))


@router.post(
    f"{ONE}/leave",
    auth=AUTH,
    response={204: None, 401: ErrorOut, 404: ErrorOut, 409: ErrorOut},
)
def leave(request: HttpRequest, slug: str) -> Status[None]:
    """Leave. 409 ``not_member`` if you are not in it; 409 ``last_coordinator`` if you would
    leave it without one."""
    user = caller(request)
    services.leave_community(user, access.get_community_for(user, slug))
    return Status(204, None)


@router.post(
    f"{ONE}/requests",
    auth=AUTH,
    response={
        201: JoinRequestOut,
        400: ErrorOut,
        401: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        422: ErrorOut,
    },
)
def request_to_join(
    request: HttpRequest, slug: str, payload: JoinRequestIn | None = None
) -> Status[JoinRequestOut]:
    """Ask to join a request-policy community; its facilitators decide. 409 ``no_requests`` for
    open or invite-only communities, ``already_requested`` while one is pending."""
    user = caller(request)
    community = access.get_community_for(user, slug)
    message = payload.message if payload else ""
    return Status(201, _request_out(services.request_to_join(user, community, message)))


@router.get(
    f"{ONE}/members",
    auth=AUTH,
    response={200: MemberPage, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def list_members(request: HttpRequest, slug: str, paging: Query[PageParams]) -> dict[str, object]:
    """Members of a community you may read, by name, with their role and declared expertise."""
    community = access.get_community_for(caller(request), slug)
    return paginate(selectors.members_of(community), paging, _member_out)
