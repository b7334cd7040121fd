"""Who may see, adapt and edit activities: a thin layer over ``communities.access``.

- The shared library (``community`` null) is readable by anyone signed in.
- A community's activities are readable by whoever may read the community (so a public
  community's are readable signed out, a private one's by its members only).
- Adapting *into* a community: its members (any role). Staff and org admins who are not
  members may not put activities into a community they don't take part in.
- Editing a community's activity: the member who created it, and those who manage the
  community's members (facilitators, coordinators, org admins where they may, staff).
- Library activities are never edited in the app: they change in ``library.py``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q

from practica.communities import access

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from practica.accounts.models import User
    from practica.communities.models import Community
    from practica.practice.activities.models import Activity


def can_view_activity(user: User | AnonymousUser | None, activity: Activity) -> bool:
    """Needs ``activity.community.organization`` loaded to stay query-free in lists."""
    if activity.community_id is None:
        return bool(user is not None and user.is_authenticated)
    assert activity.community is not None
    return access.can_view_community(user, activity.community)


def visible_filter(user: User | AnonymousUser | None) -> Q:
    """An ``Activity`` filter matching :func:`can_view_activity`, for lists (one subquery)."""
    in_visible = Q(community__in=access.visible_communities(user))
    if user is None or not user.is_authenticated:
        return in_visible
    return Q(community__isnull=True) | in_visible


def can_adapt_into(user: User | AnonymousUser | None, community: Community) -> bool:
    return access.is_member(user, community)


def can_edit_activity(user: User | AnonymousUser | None, activity: Activity) -> bool:
    if activity.community is None or user is None or not user.is_authenticated:
        return False
    if access.can_manage_members(user, activity.community):
        return True
    return activity.created_by_id == user.pk and access.is_member(user, activity.community)
