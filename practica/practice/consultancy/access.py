"""Who may see and do what with consultancy sessions, built on ``communities.access`` (the gate).

The rules, one per line:

- A session's *people* are its presenter, its facilitator and its participants.
- A case is visible to its people, and to every **member** of the community once the presenter
  widens it to the community. To anyone else it does not exist (404): stewards, org admins and
  **staff** included, unless they are among its people (docs/decisions/0012).
- Anyone who may no longer see the community (they left a private one) no longer sees its cases.
- Bringing a case: members of the community.
- Running the session (start, advance, back, finish): its facilitator only.
- Contributing: its people, while it is live, as the current step allows.
- Reflection, follow-up and widening: the presenter only.
- Protocols: readable by whoever may see the community (the library and its adaptations);
  adapting one: members of the community.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Q, QuerySet

from practica.communities import access
from practica.practice.consultancy.models import (
    CaseVisibility,
    Participant,
    Protocol,
    Session,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from practica.accounts.models import User
    from practica.communities.models import Community


def is_person_of(user: User | AnonymousUser | None, session: Session) -> bool:
    """Presenter, facilitator or participant (one query for plain participants)."""
    if user is None or not user.is_authenticated:
        return False
    if user.pk in (session.presenter_id, session.facilitator_id):
        return True
    return Participant.objects.filter(session=session, user_id=user.pk).exists()


def can_view_session(user: User | AnonymousUser | None, session: Session) -> bool:
    if not access.can_view_community(user, session.community):
        return False
    if session.visibility == CaseVisibility.COMMUNITY and access.is_member(user, session.community):
        return True
    return is_person_of(user, session)


def visible_sessions(user: User | AnonymousUser | None, community: Community) -> QuerySet[Session]:
    """The community's sessions ``user`` may see, as one filter (no per-row checks). The
    caller has already checked that ``user`` may see ``community``."""
    if user is None or not user.is_authenticated:
        return Session.objects.none()
    mine = (
        Q(presenter_id=user.pk)
        | Q(facilitator_id=user.pk)
        | Q(Exists(Participant.objects.filter(session=OuterRef("pk"), user_id=user.pk)))
    )
    if access.is_member(user, community):
        mine |= Q(visibility=CaseVisibility.COMMUNITY)
    return Session.objects.filter(Q(community=community) & mine)


def visible_protocols(community: Community) -> QuerySet[Protocol]:
    """The shared library and this community's adaptations."""
    return Protocol.objects.filter(Q(community__isnull=True) | Q(community=community))
