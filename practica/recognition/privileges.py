"""Privileges that standing unlocks (contract used by Q&A, wiki, resources, communities).

``has_privilege(user, community, privilege)`` is the one question other features ask ("may
this person create tags here?"). Community roles grant privileges outright (a moderator may
always edit); otherwise the person's level in the community decides (levels: issue 6).
"""

from __future__ import annotations

from enum import StrEnum

from django.contrib.auth.models import AnonymousUser

from practica.accounts.models import User
from practica.communities import access
from practica.communities.models import Community, Role


class Privilege(StrEnum):
    CREATE_TAGS = "create_tags"
    EDIT_OTHERS = "edit_others"
    PROMOTE_TO_WIKI = "promote_to_wiki"
    FLAG_HIDES = "flag_hides"
    CREATE_COMMUNITY = "create_community"


# Roles that carry every privilege in their community.
_STEWARD_ROLES = {Role.MODERATOR, Role.FACILITATOR, Role.COORDINATOR}
_EXPERT_PRIVILEGES = {Privilege.CREATE_TAGS, Privilege.EDIT_OTHERS, Privilege.PROMOTE_TO_WIKI}


def has_privilege(
    user: User | AnonymousUser | None, community: Community, privilege: Privilege
) -> bool:
    """True when ``user`` holds ``privilege`` in ``community`` (members only; staff always)."""
    if user is None or not user.is_authenticated:
        return False
    if user.is_staff:
        return True
    role = access.role_in(user, community)
    if role is None:
        return False
    if role in _STEWARD_ROLES:
        return True
    return role == Role.EXPERT and privilege in _EXPERT_PRIVILEGES
