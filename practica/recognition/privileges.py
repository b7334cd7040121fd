"""Privileges that standing unlocks (contract used by Q&A, wiki, resources, communities).

``has_privilege(user, community, privilege)`` is the one question other features ask ("may
this person create tags here?"). Community roles grant privileges outright (a moderator may
always edit); otherwise the person's level in the community decides (``LEVEL_PRIVILEGES``;
levels are earned with reputation and breadth: docs/recognition.md). Staff hold every
privilege. ``CREATE_COMMUNITY`` also needs the organization to let members start communities.

Cost: one indexed query per (person, community) per request, cached on the user object.
"""

from __future__ import annotations

from enum import StrEnum

from django.contrib.auth.models import AnonymousUser

from practica.accounts.models import User
from practica.communities import access
from practica.communities.models import Community, Role
from practica.lib.prepared import first_value


class Privilege(StrEnum):
    CREATE_TAGS = "create_tags"
    EDIT_OTHERS = "edit_others"
    PROMOTE_TO_WIKI = "promote_to_wiki"
    FLAG_HIDES = "flag_hides"
    CREATE_COMMUNITY = "create_community"


# What each level adds (levels hold every privilege of the levels below).
# 0 newcomer, 1 member, 2 contributor, 3 steward, 4 leader (models.Level).
LEVEL_PRIVILEGES: dict[int, tuple[Privilege, ...]] = {
    0: (),
    1: (),
    2: (Privilege.CREATE_TAGS, Privilege.FLAG_HIDES),
    3: (Privilege.EDIT_OTHERS, Privilege.PROMOTE_TO_WIKI),
    4: (Privilege.CREATE_COMMUNITY,),
}

# Roles that carry every privilege in their community.
_STEWARD_ROLES = {Role.MODERATOR, Role.FACILITATOR, Role.COORDINATOR}
_EXPERT_PRIVILEGES = {Privilege.CREATE_TAGS, Privilege.EDIT_OTHERS, Privilege.PROMOTE_TO_WIKI}
_CACHE_ATTR = "_practica_levels"


def privileges_of_level(level: int) -> set[Privilege]:
    """Every privilege held at ``level`` (its own and those of the levels below)."""
    return {p for lvl, privs in LEVEL_PRIVILEGES.items() if lvl <= level for p in privs}


def level_in(user: User, community: Community) -> int:
    """The person's level in ``community`` (0 when they have no standing yet); cached per
    request on the user object."""
    from practica.recognition.models import Standing

    cache: dict[int, int] = getattr(user, _CACHE_ATTR, None) or {}
    if community.pk not in cache:
        found = first_value(
            Standing, "level", {"user_id": user.pk, "community_id": community.pk}, default=0
        )
        cache[community.pk] = int(found or 0)
        setattr(user, _CACHE_ATTR, cache)
    return cache[community.pk]


def forget_levels(user: object) -> None:
    """Drop the cached levels after a write that changes them."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def has_privilege(
    user: User | AnonymousUser | None, community: Community, privilege: Privilege
) -> bool:
    """True when ``user`` holds ``privilege`` in ``community`` (members only; staff always)."""
    if user is None or not user.is_authenticated or not isinstance(user, User):
        return False
    if user.is_staff:
        return True
    role = access.role_in(user, community)
    if role is None:
        return False
    if role in _STEWARD_ROLES:
        return True
    if role == Role.EXPERT and privilege in _EXPERT_PRIVILEGES:
        return True
    if privilege not in privileges_of_level(level_in(user, community)):
        return False
    if privilege == Privilege.CREATE_COMMUNITY:
        return bool(community.organization.members_can_create_communities)
    return True
