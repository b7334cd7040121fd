"""Which wiki a request is about, and who may do what in it (built on ``communities.access``).

A *space* is a community's wiki or an organization's wiki. The rules (docs/wiki.md):

- Read: a community's wiki follows the community's visibility (``can_view_community``); an
  organization's wiki is readable by whoever may see the organization (its members, those of
  the organizations below it, the admins above it: ``can_view_org``).
- Edit: a community's members and those who manage its members (facilitators, coordinators,
  org admins where they reach, staff); an organization's own members and its admins
  (``is_org_member``) — belonging to a school lets you read the district's wiki, not edit it.
- Curate (edit protected pages, protect, delete, restore from the trash): facilitators and
  coordinators (``can_manage_members``) for a community; the organization's admins.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.urls import reverse

from practica.communities import access
from practica.wiki.models import Space

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from practica.accounts.models import Organization, User
    from practica.communities.models import Community

COMMUNITY = "community"
ORGANIZATION = "organization"


@dataclass
class SpaceRef:
    """A community's or an organization's wiki; ``space`` is None until its first page."""

    kind: str
    community: Community | None
    organization: Organization | None
    space: Space | None

    @property
    def owner(self) -> Community | Organization:
        owner = self.community if self.kind == COMMUNITY else self.organization
        assert owner is not None
        return owner

    @property
    def name(self) -> str:
        return self.owner.name

    @property
    def slug(self) -> str:
        return self.owner.slug

    @property
    def community_id(self) -> int | None:
        return self.community.pk if self.community is not None else None

    @property
    def organization_id(self) -> int | None:
        return self.organization.pk if self.organization is not None else None

    def url(self, name: str, *args: Any) -> str:
        """This space's page called ``name`` (``index``, ``page``, ``edit``...)."""
        prefix = "" if self.kind == COMMUNITY else "org-"
        return reverse(f"wiki:{prefix}{name}", args=[self.slug, *args])

    @property
    def base_url(self) -> str:
        return self.url("index")


def for_community(community: Community) -> SpaceRef:
    space = Space.objects.filter(community=community).first()
    return SpaceRef(COMMUNITY, community, None, space)


def for_organization(org: Organization) -> SpaceRef:
    space = Space.objects.filter(organization=org).first()
    return SpaceRef(ORGANIZATION, None, org, space)


def get_space_for(user: User | AnonymousUser | None, kind: str, slug: str) -> SpaceRef:
    """The wiki of the community (or organization) ``slug`` if ``user`` may read it; NotFound
    otherwise (exactly as the gate answers for the community or organization itself)."""
    if kind == COMMUNITY:
        return for_community(access.get_community_for(user, slug))
    return for_organization(access.get_org_for(user, slug))


def ref_for_space(space: Space) -> SpaceRef:
    """The reference of a loaded space (``community``/``organization`` select_related)."""
    if space.community_id is not None:
        return SpaceRef(COMMUNITY, space.community, None, space)
    return SpaceRef(ORGANIZATION, None, space.organization, space)


def can_read(user: User | AnonymousUser | None, ref: SpaceRef) -> bool:
    if ref.community is not None:
        return access.can_view_community(user, ref.community)
    assert ref.organization is not None
    return access.can_view_org(user, ref.organization)


def can_edit(user: User | AnonymousUser | None, ref: SpaceRef) -> bool:
    if ref.community is not None:
        return access.is_member(user, ref.community) or access.can_manage_members(
            user, ref.community
        )
    assert ref.organization is not None
    return access.is_org_member(user, ref.organization)


def can_curate(user: User | AnonymousUser | None, ref: SpaceRef) -> bool:
    if ref.community is not None:
        return access.can_manage_members(user, ref.community)
    assert ref.organization is not None
    return access.can_admin_org(user, ref.organization)


def who_edits(ref: SpaceRef) -> str:
    if ref.community is not None:
        return f"members of {ref.community.name}"
    return f"members of {ref.name}"


def who_curates(ref: SpaceRef) -> str:
    if ref.community is not None:
        return f"{ref.community.name}'s facilitators and coordinators"
    return f"{ref.name}'s admins"
