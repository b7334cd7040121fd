"""Who may do what with meetings, built on the one gate (``practica.communities.access``).

- **Read** (series, schedule, agendas, notes, action items, attendance): signed-in people who
  may view the community. Signed-out visitors are sent to log in even for public communities,
  as for the member directory: meeting pages name people.
- **Take part** (join or leave a rota, mark absences, ask for and agree to swaps, record
  attendance, write notes, add and close action items, rate the opener): members.
- **Manage** (create and change series and settings, edit the rota order, cancel, restore and
  reschedule meetings): those who manage members (coordinators, facilitators, org admins of
  non-private communities, staff).
- **Run a meeting** (edit its agenda): managers and that meeting's facilitator.
- **Pick the opener activity**: that meeting's opener, its facilitator, and managers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from practica.communities import access

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from practica.accounts.models import User
    from practica.communities.models import Community
    from practica.practice.meetings.models import Occurrence

    Person = User | AnonymousUser | None


def can_read(user: Person, community: Community) -> bool:
    return bool(user is not None and user.is_authenticated) and access.can_view_community(
        user, community
    )


def can_take_part(user: Person, community: Community) -> bool:
    return access.is_member(user, community)


def can_manage(user: Person, community: Community) -> bool:
    return access.can_manage_members(user, community)


def can_run(user: Person, occurrence: Occurrence) -> bool:
    if can_manage(user, occurrence.community):
        return True
    uid = getattr(user, "pk", None)
    return (
        uid is not None
        and uid == occurrence.facilitator_id
        and can_take_part(user, occurrence.community)
    )


def can_pick_activity(user: Person, occurrence: Occurrence) -> bool:
    if can_run(user, occurrence):
        return True
    uid = getattr(user, "pk", None)
    return (
        uid is not None
        and uid == occurrence.opener_id
        and can_take_part(user, occurrence.community)
    )


def require_member(user: Person, community: Community, doing: str) -> None:
    access.require(can_take_part(user, community), f"Only members of {community.name} may {doing}.")


def require_manager(user: Person, community: Community, doing: str) -> None:
    access.require(
        can_manage(user, community),
        f"Only the coordinators and facilitators of {community.name} may {doing}.",
    )
