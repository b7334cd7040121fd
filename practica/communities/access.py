"""THE access gate: every "may this person see/do this" question in Practica is answered here.

Views, the API, selectors, search, feeds, notifications and streams all call these functions;
nothing else checks roles or visibility on its own. The rules, one per line where possible:

Organizations
- Someone *belongs to* an organization when they are a member of it or of any organization
  below it (a teacher at a school belongs to the school, its district and its network).
- They may *see* an organization they belong to, or one below an organization they administer.
- They may *administer* an organization when they are an admin of it or of any organization
  above it. Staff may do everything.

Communities
- ``public``: anyone may read, even signed out.
- ``organization``: readable by those who belong to the owning organization (so a network's
  community spans all its districts and schools), by its members, and by the organization's
  admins.
- ``private``: members only (and people with a pending invitation). To everyone else it does
  not exist: 404, never 403, not even its name. (Org admins don't see private communities
  either: see docs/decisions/0002-private-means-private.md.)
- Signed-out visitors asking for anything that is not public are sent to log in, whether or not
  it exists, so the redirect leaks nothing.
- Managing members (approve, deny, invite, remove): coordinators and facilitators, org admins
  (for non-private communities and for private ones they are members of), staff.
- Changing roles and settings: coordinators, org admins, staff.

The viewer's facts (organizations, memberships, invitations) are loaded once per request in
``viewer_for`` (three small queries), and dropped with ``forget_viewer`` after a write.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import Q, QuerySet

from practica.accounts.models import Organization, OrgMembership, OrgRole
from practica.communities.models import (
    Community,
    CommunityInvitation,
    Membership,
    RequestStatus,
    Role,
    Visibility,
)
from practica.lib.errors import Forbidden, NotFound
from practica.lib.prepared import PreparedGet

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from practica.accounts.models import User

MANAGER_ROLES = frozenset({Role.COORDINATOR, Role.FACILITATOR})
STEWARD_ROLES = frozenset({Role.COORDINATOR})


@dataclass(frozen=True)
class Viewer:
    """What the gate needs to know about one person, loaded in two queries."""

    user_id: int | None
    is_staff: bool = False
    # Organizations the person belongs to: direct memberships and every ancestor of them.
    within_org_ids: frozenset[int] = frozenset()
    direct_org_ids: frozenset[int] = frozenset()
    # Paths of the organizations they administer; they administer everything below too.
    admin_paths: tuple[str, ...] = ()
    # community id -> role
    roles: dict[int, str] = field(default_factory=dict)
    # Communities with a pending invitation for this person: they may see what they're invited to.
    invited: frozenset[int] = frozenset()

    @property
    def is_authenticated(self) -> bool:
        return self.user_id is not None

    def administers(self, org: Organization) -> bool:
        return self.is_staff or any(org.path.startswith(p) for p in self.admin_paths)

    def administers_org_id_path(self, path: str) -> bool:
        return self.is_staff or any(path.startswith(p) for p in self.admin_paths)


ANONYMOUS = Viewer(user_id=None)

_CACHE_ATTR = "_practica_viewer"


def viewer_for(user: User | AnonymousUser | None) -> Viewer:
    """The viewer for ``user``, cached on the user object for the rest of the request."""
    if user is None or not user.is_authenticated:
        return ANONYMOUS
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    org_rows, roles, invited = _memberships_of(user.pk)
    within: set[int] = set()
    direct: set[int] = set()
    admin_paths: list[str] = []
    for path, role in org_rows:
        ids = [int(p) for p in path.strip("/").split("/") if p]
        within.update(ids)
        if ids:
            direct.add(ids[-1])
        if role == OrgRole.ADMIN:
            admin_paths.append(path)
    viewer = Viewer(
        user_id=user.pk,
        is_staff=bool(user.is_staff),
        within_org_ids=frozenset(within),
        direct_org_ids=frozenset(direct),
        admin_paths=tuple(admin_paths),
        roles=roles,
        invited=frozenset(invited),
    )
    setattr(user, _CACHE_ATTR, viewer)
    return viewer


def _memberships_of(
    user_id: int,
) -> tuple[list[tuple[str, str]], dict[int, str], frozenset[int]]:
    """(organization path, org role) rows, {community id: role} and the communities with a
    pending invitation, in ONE statement: this runs on every signed-in request, and three ORM
    queries cost ~1 ms of compilation alone (bench/profile_page.py)."""
    orgs = connection.ops.quote_name(Organization._meta.db_table)
    org_members = connection.ops.quote_name(OrgMembership._meta.db_table)
    members = connection.ops.quote_name(Membership._meta.db_table)
    invitations = connection.ops.quote_name(CommunityInvitation._meta.db_table)
    sql = f"""
        SELECT 'o', o.path, m.role FROM {org_members} m
          JOIN {orgs} o ON o.id = m.organization_id WHERE m.user_id = %s
        UNION ALL
        SELECT 'c', CAST(community_id AS TEXT), role FROM {members} WHERE user_id = %s
        UNION ALL
        SELECT 'i', CAST(community_id AS TEXT), '' FROM {invitations}
          WHERE user_id = %s AND status = %s
    """  # noqa: S608 (quoted model table names; values are parameters)
    with connection.cursor() as cursor:
        cursor.execute(sql, [user_id, user_id, user_id, RequestStatus.PENDING.value])
        rows = cursor.fetchall()
    org_rows = [(str(key), str(role)) for kind, key, role in rows if kind == "o"]
    roles = {int(key): str(role) for kind, key, role in rows if kind == "c"}
    invited = frozenset(int(key) for kind, key, _ in rows if kind == "i")
    return org_rows, roles, invited


def forget_viewer(user: Any) -> None:
    """Drop the cached viewer after a write that changes memberships or roles."""
    if user is not None and hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


# --- Organizations ------------------------------------------------------------------------------


def can_view_org(user: User | AnonymousUser | None, org: Organization) -> bool:
    v = viewer_for(user)
    if not v.is_authenticated:
        return False
    return v.is_staff or org.pk in v.within_org_ids or v.administers(org)


def can_admin_org(user: User | AnonymousUser | None, org: Organization) -> bool:
    v = viewer_for(user)
    return v.is_authenticated and v.administers(org)


def is_org_member(user: User | AnonymousUser | None, org: Organization) -> bool:
    """A member of ``org`` itself (not only of an organization below it), or one who
    administers it. Used where belonging to a sub-organization is enough to read but not to
    write (an organization's wiki: docs/wiki.md)."""
    v = viewer_for(user)
    if not v.is_authenticated:
        return False
    return org.pk in v.direct_org_ids or v.administers(org)


def visible_orgs(user: User | AnonymousUser | None) -> QuerySet[Organization]:
    v = viewer_for(user)
    if not v.is_authenticated:
        return Organization.objects.none()
    if v.is_staff:
        return Organization.objects.all()
    q = Q(pk__in=v.within_org_ids)
    for path in v.admin_paths:
        q |= Q(path__startswith=path)
    return Organization.objects.filter(q)


def get_org_for(
    user: User | AnonymousUser | None, slug: str, *, admin: bool = False
) -> Organization:
    """The organization, or NotFound if the user may not see it, or Forbidden if ``admin`` is
    asked for and they only see it."""
    org = Organization.objects.filter(slug=slug).first()
    if org is None or not can_view_org(user, org):
        raise NotFound("No such organization.")
    if admin and not can_admin_org(user, org):
        raise Forbidden("Only this organization's admins may do that.")
    return org


def can_create_community_in(user: User | AnonymousUser | None, org: Organization) -> bool:
    v = viewer_for(user)
    if not v.is_authenticated:
        return False
    if v.administers(org):
        return True
    return org.members_can_create_communities and org.pk in v.within_org_ids


# --- Communities --------------------------------------------------------------------------------


def role_in(user: User | AnonymousUser | None, community: Community) -> str | None:
    return viewer_for(user).roles.get(community.pk)


def can_view_community(user: User | AnonymousUser | None, community: Community) -> bool:
    v = viewer_for(user)
    if community.visibility == Visibility.PUBLIC:
        return True
    if not v.is_authenticated:
        return False
    if v.is_staff or community.pk in v.roles or community.pk in v.invited:
        return True
    if community.visibility == Visibility.PRIVATE:
        return False
    return community.organization_id in v.within_org_ids or v.administers_org_id_path(
        community.organization.path
    )


def visible_communities(user: User | AnonymousUser | None) -> QuerySet[Community]:
    """Every community ``user`` may read, as one filter (no per-row checks)."""
    v = viewer_for(user)
    public = Q(visibility=Visibility.PUBLIC)
    if not v.is_authenticated:
        return Community.objects.filter(public)
    if v.is_staff:
        return Community.objects.all()
    org_scope = Q(organization_id__in=v.within_org_ids)
    for path in v.admin_paths:
        org_scope |= Q(organization__path__startswith=path)
    mine = Q(pk__in=[*v.roles, *v.invited])
    q = public | mine | (Q(visibility=Visibility.ORGANIZATION) & org_scope)
    return Community.objects.filter(q)


def get_community_for(user: User | AnonymousUser | None, slug: str) -> Community:
    """The community (its organization loaded with it) if ``user`` may read it; NotFound
    otherwise (never Forbidden: a private community's existence is itself private)."""
    community = _community_by_slug.get(slug)
    if community is None or not can_view_community(user, community):
        raise NotFound("No such community.")
    return community


# As select_related("organization").filter(slug=...).first(), compiled once: this runs on every
# community page, and the ORM's compilation cost more than the query.
_community_by_slug: PreparedGet[Community] = PreparedGet(
    lambda: Community.objects.all(), "slug", kind=str, related="organization"
)


def is_member(user: User | AnonymousUser | None, community: Community) -> bool:
    return role_in(user, community) is not None


def can_manage_members(user: User | AnonymousUser | None, community: Community) -> bool:
    v = viewer_for(user)
    if not v.is_authenticated:
        return False
    if v.is_staff or v.roles.get(community.pk) in MANAGER_ROLES:
        return True
    return _org_admin_may_steward(v, community)


def can_steward(user: User | AnonymousUser | None, community: Community) -> bool:
    """May change roles and the community's settings."""
    v = viewer_for(user)
    if not v.is_authenticated:
        return False
    if v.is_staff or v.roles.get(community.pk) in STEWARD_ROLES:
        return True
    return _org_admin_may_steward(v, community)


def _org_admin_may_steward(v: Viewer, community: Community) -> bool:
    # An org admin does not reach into a private community unless they are in it.
    if community.visibility == Visibility.PRIVATE and community.pk not in v.roles:
        return False
    return v.administers_org_id_path(community.organization.path)


def require(allowed: bool, message: str) -> None:
    """Raise Forbidden with ``message`` unless ``allowed``."""
    if not allowed:
        raise Forbidden(message)


# --- People -------------------------------------------------------------------------------------


def can_view_person(viewer_user: User | AnonymousUser | None, person: User) -> bool:
    """People see profiles of those they share an organization tree or a community with."""
    v = viewer_for(viewer_user)
    if not v.is_authenticated:
        return False
    if v.is_staff or v.user_id == person.pk:
        return True
    theirs = viewer_for(person)
    if v.within_org_ids & theirs.within_org_ids:
        return True
    return bool(set(v.roles) & set(theirs.roles))


def visible_people_filter(viewer_user: User | AnonymousUser | None) -> Q:
    """A ``User`` filter matching :func:`can_view_person` for lists and search."""
    v = viewer_for(viewer_user)
    if not v.is_authenticated:
        return Q(pk__in=[])
    if v.is_staff:
        return Q()
    # The organizations first (a few dozen paths), then their seats by index: a join on the
    # path let SQLite without statistics test the path once per seat (thousands of REGEXPs).
    shared_orgs = Organization.objects.filter(path__regex=_any_of_regex(v.within_org_ids))
    shared_org = OrgMembership.objects.filter(
        organization_id__in=shared_orgs.order_by().values("pk")
    ).values("user_id")
    shared_community = Membership.objects.filter(community_id__in=list(v.roles)).values("user_id")
    return Q(pk=v.user_id) | Q(pk__in=shared_org) | Q(pk__in=shared_community)


def _any_of_regex(org_ids: frozenset[int]) -> str:
    """Matches a path that passes through any of ``org_ids`` (i.e. at or below one of them)."""
    if not org_ids:
        return r"^$a"  # matches nothing
    return "/(" + "|".join(str(i) for i in sorted(org_ids)) + ")/"
