"""Reads for consultancy pages and the API. Every session read goes through
``consultancy.access`` (a session one may not see is NotFound, like a missing one); every list
loads what it shows in a constant number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Case, Count, F, IntegerField, Prefetch, QuerySet, Sum, Value, When

from practica.lib.errors import NotFound
from practica.practice.consultancy import access as consultancy_access
from practica.practice.consultancy.models import (
    Contribution,
    Participant,
    Protocol,
    ProtocolStep,
    Session,
    SessionStatus,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from practica.accounts.models import User
    from practica.communities.models import Community

SHOW = {
    "upcoming": [SessionStatus.PLANNED],
    "live": [SessionStatus.LIVE],
    "past": [SessionStatus.COMPLETED],
}
LINEAGE_MAX = 10
DB_INT_MAX = 2**63 - 1


def _pk(raw: int | str) -> int | None:
    """An id as the database can hold it, or None (junk and out-of-range ids are not found)."""
    try:
        pk = int(raw)
    except (TypeError, ValueError):
        return None
    return pk if 1 <= pk <= DB_INT_MAX else None


def get_session(
    user: User | AnonymousUser | None, community: Community, session_id: int | str
) -> Session:
    """The session, if ``user`` may see it; NotFound otherwise (missing and hidden look alike)."""
    pk = _pk(session_id)
    if pk is None:
        raise NotFound("No such consultancy session.")
    session = (
        Session.objects.select_related("presenter", "facilitator", "protocol")
        .filter(community=community, pk=pk)
        .first()
    )
    if session is None:
        raise NotFound("No such consultancy session.")
    session.community = community
    if not consultancy_access.can_view_session(user, session):
        raise NotFound("No such consultancy session.")
    return session


def sessions_for(
    user: User | AnonymousUser | None, community: Community, show: str = ""
) -> QuerySet[Session]:
    """Sessions ``user`` may see: live first, then upcoming (soonest first), then past (latest
    first); ``show`` narrows to "upcoming", "live" or "past"."""
    rows = consultancy_access.visible_sessions(user, community)
    if show in SHOW:
        rows = rows.filter(status__in=SHOW[show])
    return (
        rows.select_related("presenter", "facilitator")
        .annotate(
            people=Count("participants", distinct=True),
            rank=Case(
                When(status=SessionStatus.LIVE, then=Value(0)),
                When(status=SessionStatus.PLANNED, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            ),
        )
        .order_by(
            "rank",
            F("scheduled_for").asc(nulls_last=True),
            F("completed_at").desc(nulls_last=True),
            "-created_at",
            "-id",
        )
    )


def participants_of(session: Session) -> list[User]:
    """The plain participants (not the presenter or facilitator), by name."""
    rows = Participant.objects.filter(session=session).select_related("user")
    return sorted((p.user for p in rows), key=lambda u: u.display_name.casefold())


@dataclass
class StepView:
    index: int
    step: dict[str, Any]
    contributions: list[Contribution] = field(default_factory=list)

    @property
    def number(self) -> int:
        return self.index + 1


def steps_with_contributions(session: Session) -> list[StepView]:
    """Every step of the session with what was written in it (one query)."""
    views = [StepView(i, step) for i, step in enumerate(session.steps)]
    for c in Contribution.objects.filter(session=session).select_related("author"):
        if 0 <= c.step < len(views):
            views[c.step].contributions.append(c)
    return views


def contributions(session: Session) -> QuerySet[Contribution]:
    return Contribution.objects.filter(session=session).select_related("author")


# --- Protocols ----------------------------------------------------------------------------------


def protocols_for(community: Community) -> QuerySet[Protocol]:
    """The library and the community's adaptations, with step counts and total minutes."""
    return (
        consultancy_access.visible_protocols(community)
        .select_related("adapted_from", "created_by")
        .annotate(step_count=Count("steps"), minutes=Sum("steps__minutes"))
        .order_by(F("community_id").asc(nulls_first=True), "title", "id")
    )


def get_protocol(community: Community, protocol_id: int | str) -> Protocol:
    """A library protocol or one of this community's, with its steps; NotFound otherwise."""
    pk = _pk(protocol_id)
    if pk is None:
        raise NotFound("No such protocol.")
    protocol = (
        consultancy_access.visible_protocols(community)
        .select_related("adapted_from", "created_by", "community")
        .prefetch_related(Prefetch("steps", queryset=ProtocolStep.objects.order_by("position")))
        .filter(pk=pk)
        .first()
    )
    if protocol is None:
        raise NotFound("No such protocol.")
    return protocol


def lineage(protocol: Protocol) -> list[Protocol]:
    """What ``protocol`` was adapted from, nearest first, back to the library (a few queries,
    one per generation; adaptations rarely go more than two deep)."""
    chain: list[Protocol] = []
    current = protocol.adapted_from
    while current is not None and len(chain) < LINEAGE_MAX:
        chain.append(current)
        current = (
            Protocol.objects.select_related("adapted_from").get(pk=current.pk).adapted_from
            if current.adapted_from_id
            else None
        )
    return chain


def adaptations_in(protocol: Protocol, community: Community) -> list[Protocol]:
    return list(Protocol.objects.filter(adapted_from=protocol, community=community))


def protocol_choices(community: Community) -> list[Protocol]:
    return list(
        consultancy_access.visible_protocols(community).order_by(
            F("community_id").asc(nulls_first=True), "title", "id"
        )
    )
