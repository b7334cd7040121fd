"""API v1 endpoints of the consultancy feature (see docs/api.md and docs/consultancy.md).

Sessions: list the ones the caller may see, bring a case, read one (404 to anyone who is not one
of its people, unless the presenter shared it with the community), run it (start, advance, back,
finish: its facilitator only), contribute, reflect, record the follow-up, widen or narrow it.
Protocols: the library and the community's adaptations, one protocol, adapt one.

Every lookup goes through the gate (``access.get_community_for``, then
``consultancy.selectors.get_session``); every write through
``practica.practice.consultancy.services``. All endpoints need authentication (401 without):
cases are never public.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from practica.accounts.models import User
from practica.api.auth import AUTH, caller
from practica.api.pagination import paginate
from practica.api.schemas import ErrorOut, PageOut, PageParams, Text
from practica.communities import access
from practica.communities.models import Community
from practica.practice.consultancy import selectors, services
from practica.practice.consultancy.models import (
    CaseVisibility,
    Contribution,
    ContributionKind,
    Protocol,
    Session,
    SessionStatus,
    Speakers,
)

router = Router(tags=["consultancy"])

ONE = "/communities/{slug:slug}/consultancy"
SESSION = ONE + "/sessions/{session_id}"
PROTOCOL = ONE + "/protocols/{protocol_id}"
DB_INT_MAX = 2**63 - 1

READ = {200: None, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
WRITE = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


# --- Schemas ------------------------------------------------------------------------------------


class ConsultancyPersonOut(Schema):
    id: int
    name: str


class ConsultancyStepOut(Schema):
    name: str
    purpose: str
    minutes: int
    speakers: Speakers
    contribution: ContributionKind


class ConsultancySessionOut(Schema):
    id: int
    title: str
    status: SessionStatus
    visibility: CaseVisibility
    presenter: ConsultancyPersonOut
    facilitator: ConsultancyPersonOut | None
    protocol_id: int | None
    protocol_title: str
    scheduled_for: datetime | None
    started_at: datetime | None
    completed_at: datetime | None
    created_at: datetime


class ConsultancySessionPage(PageOut):
    items: list[ConsultancySessionOut]


class ConsultancyLiveOut(Schema):
    current_step: int | None = Field(..., description="0-based index into steps while live.")
    step_started_at: datetime | None
    step_ends_at: datetime | None = Field(..., description="When the step's time is up.")
    server_now: datetime = Field(..., description="The server's clock: count down from this.")
    may_contribute: bool = Field(..., description="Whether you may write in the current step.")
    closed_reason: str = Field(..., description="Why not, when you may not.")


class ConsultancyContributionOut(Schema):
    id: int
    step: int
    kind: ContributionKind
    author: ConsultancyPersonOut | None
    body: str
    html: str = Field(..., description="Sanitized HTML of the Markdown.")
    created_at: datetime


class ConsultancyContributionPage(PageOut):
    items: list[ConsultancyContributionOut]


class ConsultancySessionDetailOut(ConsultancySessionOut):
    context: str
    context_html: str
    dilemma: str
    dilemma_html: str
    focusing_question: str
    materials: str
    materials_html: str
    participants: list[ConsultancyPersonOut]
    steps: list[ConsultancyStepOut]
    live: ConsultancyLiveOut
    reflection: str
    reflection_html: str
    reflected_at: datetime | None
    followup_after_days: int
    followup_due_at: datetime | None
    followup_tried: str
    followup_happened: str
    followup_recorded_at: datetime | None


class ConsultancySessionIn(Schema):
    title: Text
    context: Text
    dilemma: Text
    focusing_question: Text
    materials: Text = Field("", description="Markdown; links welcome.")
    protocol_id: int = Field(..., ge=1, le=DB_INT_MAX)
    facilitator_id: int = Field(..., ge=1, le=DB_INT_MAX)
    participant_ids: list[Annotated[int, Field(ge=1, le=DB_INT_MAX)]] = Field(
        ..., description="Members of the community (not you, not the facilitator).", max_length=100
    )
    scheduled_for: datetime | None = None
    visibility: CaseVisibility = CaseVisibility.PARTICIPANTS
    followup_after_days: int = Field(14, description="1 to 180.")


class ConsultancyMoveIn(Schema):
    from_step: int | None = Field(
        None, description="The step you saw; 409 if the session has moved since."
    )


class ConsultancyContributionIn(Schema):
    body: Text = Field(..., description="Markdown.")
    step: int | None = Field(
        None, description="The step you wrote it in; 409 if the session has moved since."
    )


class ConsultancyReflectionIn(Schema):
    reflection: Text = Field(..., description="Markdown.")
    followup_after_days: int | None = Field(None, description="Move the follow-up request.")


class ConsultancyFollowupIn(Schema):
    tried: Text = Field(..., description="What I tried (Markdown).")
    happened: Text = Field(..., description="What happened (Markdown).")


class ConsultancyVisibilityIn(Schema):
    visibility: CaseVisibility


class ConsultancyProtocolOut(Schema):
    id: int
    slug: str
    title: str
    summary: str
    library: bool = Field(..., description="True for the shared library, false if adapted here.")
    adapted_from_id: int | None
    adaptation_note: str
    step_count: int
    minutes: int


class ConsultancyProtocolPage(PageOut):
    items: list[ConsultancyProtocolOut]


class ConsultancyProtocolDetailOut(ConsultancyProtocolOut):
    steps: list[ConsultancyStepOut]
    lineage: list[int] = Field(..., description="Ids it was adapted from, nearest first.")


class ConsultancyStepIn(Schema):
    name: Text
    purpose: Text
    minutes: int
    speakers: Speakers
    contribution: ContributionKind


class ConsultancyAdaptIn(Schema):
    title: Text
    summary: Text
    note: Text = Field(..., description="What you changed and why.")
    steps: list[ConsultancyStepIn] | None = Field(None, description="Default: the source's.")


# --- Converters (never query: lists load what they need up front) ------------------------------


def _person(user: User | None) -> ConsultancyPersonOut | None:
    return ConsultancyPersonOut(id=user.pk, name=user.display_name) if user else None


def _session_fields(s: Session) -> dict[str, object]:
    return {
        "id": s.pk,
        "title": s.title,
        "status": s.status,
        "visibility": s.visibility,
        "presenter": _person(s.presenter),
        "facilitator": _person(s.facilitator),
        "protocol_id": s.protocol_id,
        "protocol_title": s.protocol_title,
        "scheduled_for": s.scheduled_for,
        "started_at": s.started_at,
        "completed_at": s.completed_at,
        "created_at": s.created_at,
    }


def _session_out(s: Session) -> ConsultancySessionOut:
    return ConsultancySessionOut(**_session_fields(s))  # type: ignore[arg-type]


def _contribution_out(c: Contribution) -> ConsultancyContributionOut:
    return ConsultancyContributionOut(
        id=c.pk,
        step=c.step,
        kind=ContributionKind(c.kind),
        author=_person(c.author),
        body=c.body,
        html=c.html,
        created_at=c.created_at,
    )


def _detail_out(s: Session, user: User) -> ConsultancySessionDetailOut:
    is_person = user.pk in (s.presenter_id, s.facilitator_id)
    people = selectors.participants_of(s)
    is_person = is_person or any(u.pk == user.pk for u in people)
    allowed, why = services.speaking_rule(s, user.pk)
    return ConsultancySessionDetailOut(
        **_session_fields(s),  # type: ignore[arg-type]
        context=s.context,
        context_html=s.context_html,
        dilemma=s.dilemma,
        dilemma_html=s.dilemma_html,
        focusing_question=s.focusing_question,
        materials=s.materials,
        materials_html=s.materials_html,
        participants=[_person(u) for u in people],  # type: ignore[misc]
        steps=[ConsultancyStepOut(**step) for step in s.steps],
        live=ConsultancyLiveOut(
            current_step=s.current_step if s.is_live else None,
            step_started_at=s.step_started_at,
            step_ends_at=s.step_ends_at,
            server_now=timezone.now(),
            may_contribute=is_person and allowed,
            closed_reason="" if allowed else (why if is_person else "You are not a participant."),
        ),
        reflection=s.reflection,
        reflection_html=s.reflection_html,
        reflected_at=s.reflected_at,
        followup_after_days=s.followup_after_days,
        followup_due_at=s.followup_due_at,
        followup_tried=s.followup_tried,
        followup_happened=s.followup_happened,
        followup_recorded_at=s.followup_recorded_at,
    )


def _protocol_fields(p: Protocol, step_count: int, minutes: int) -> dict[str, object]:
    return {
        "id": p.pk,
        "slug": p.slug,
        "title": p.title,
        "summary": p.summary,
        "library": p.community_id is None,
        "adapted_from_id": p.adapted_from_id,
        "adaptation_note": p.adaptation_note,
        "step_count": step_count,
        "minutes": minutes,
    }


def _protocol_out(p: Protocol) -> ConsultancyProtocolOut:
    return ConsultancyProtocolOut(
        **_protocol_fields(p, p.step_count, p.minutes or 0)  # type: ignore[attr-defined,arg-type]
    )


def _protocol_detail(p: Protocol) -> ConsultancyProtocolDetailOut:
    steps = [s.as_snapshot() for s in p.steps.all()]
    return ConsultancyProtocolDetailOut(
        **_protocol_fields(p, len(steps), sum(s["minutes"] for s in steps)),  # type: ignore[arg-type]
        steps=[ConsultancyStepOut(**s) for s in steps],
        lineage=[a.pk for a in selectors.lineage(p)],
    )


# --- Lookups through the gate -------------------------------------------------------------------


def _community(request: HttpRequest, slug: str) -> tuple[Community, User]:
    user = caller(request)
    return access.get_community_for(user, slug), user


def _session(request: HttpRequest, slug: str, session_id: int) -> tuple[Session, User]:
    community, user = _community(request, slug)
    return selectors.get_session(user, community, session_id), user


# --- Sessions -----------------------------------------------------------------------------------


@router.get(
    ONE + "/sessions",
    response={**READ, 200: ConsultancySessionPage},
    auth=AUTH,
    summary="Sessions you may see",
)
def list_sessions(
    request: HttpRequest,
    slug: str,
    params: Query[PageParams],
    show: str = "",
) -> dict[str, object]:
    """Live first, then upcoming (soonest first), then past (latest first);
    ``?show=upcoming|live|past`` narrows the list."""
    community, user = _community(request, slug)
    return paginate(selectors.sessions_for(user, community, show), params, _session_out)


@router.post(
    ONE + "/sessions",
    response={201: ConsultancySessionDetailOut, **WRITE},
    auth=AUTH,
    summary="Bring a case",
)
def create_session(request: HttpRequest, slug: str, body: ConsultancySessionIn) -> Status:
    """You present it. The facilitator and participants must be members; the protocol is the
    library's or one of this community's."""
    community, user = _community(request, slug)
    protocol = selectors.protocol_choices(community)
    chosen = next((p for p in protocol if p.pk == body.protocol_id), None)
    session = services.create_session(
        user,
        community,
        title=body.title,
        context=body.context,
        dilemma=body.dilemma,
        focusing_question=body.focusing_question,
        materials=body.materials,
        protocol=chosen,
        facilitator_id=body.facilitator_id,
        participant_ids=body.participant_ids,
        scheduled_for=body.scheduled_for,
        visibility=body.visibility,
        followup_after_days=body.followup_after_days,
    )
    session = selectors.get_session(user, community, session.pk)
    return Status(201, _detail_out(session, user))


@router.get(
    SESSION,
    response={**READ, 200: ConsultancySessionDetailOut},
    auth=AUTH,
    summary="One session: the case, its steps and live state",
)
def get_session(request: HttpRequest, slug: str, session_id: int) -> ConsultancySessionDetailOut:
    """404 to anyone who is not one of its people (unless shared with the community)."""
    session, user = _session(request, slug, session_id)
    return _detail_out(session, user)


def _refreshed(request: HttpRequest, slug: str, session_id: int) -> ConsultancySessionDetailOut:
    session, user = _session(request, slug, session_id)
    return _detail_out(session, user)


@router.post(
    SESSION + "/start",
    response={200: ConsultancySessionDetailOut, **WRITE},
    auth=AUTH,
    summary="Start the session (facilitator)",
)
def start_session(request: HttpRequest, slug: str, session_id: int) -> ConsultancySessionDetailOut:
    session, user = _session(request, slug, session_id)
    services.start_session(user, session)
    return _refreshed(request, slug, session_id)


@router.post(
    SESSION + "/advance",
    response={200: ConsultancySessionDetailOut, **WRITE},
    auth=AUTH,
    summary="Next step (facilitator)",
)
def advance(
    request: HttpRequest, slug: str, session_id: int, body: ConsultancyMoveIn | None = None
) -> ConsultancySessionDetailOut:
    session, user = _session(request, slug, session_id)
    services.advance_step(user, session, from_step=body.from_step if body else None)
    return _refreshed(request, slug, session_id)


@router.post(
    SESSION + "/back",
    response={200: ConsultancySessionDetailOut, **WRITE},
    auth=AUTH,
    summary="Back one step (facilitator)",
)
def back(
    request: HttpRequest, slug: str, session_id: int, body: ConsultancyMoveIn | None = None
) -> ConsultancySessionDetailOut:
    session, user = _session(request, slug, session_id)
    services.previous_step(user, session, from_step=body.from_step if body else None)
    return _refreshed(request, slug, session_id)


@router.post(
    SESSION + "/finish",
    response={200: ConsultancySessionDetailOut, **WRITE},
    auth=AUTH,
    summary="Finish the session (facilitator)",
)
def finish(request: HttpRequest, slug: str, session_id: int) -> ConsultancySessionDetailOut:
    """Schedules the follow-up request and emits ``consultancy.session_completed``."""
    session, user = _session(request, slug, session_id)
    services.finish_session(user, session)
    return _refreshed(request, slug, session_id)


@router.get(
    SESSION + "/contributions",
    response={**READ, 200: ConsultancyContributionPage},
    auth=AUTH,
    summary="Contributions, in step order",
)
def list_contributions(
    request: HttpRequest, slug: str, session_id: int, params: Query[PageParams]
) -> dict[str, object]:
    session, _user = _session(request, slug, session_id)
    return paginate(selectors.contributions(session), params, _contribution_out)


@router.post(
    SESSION + "/contributions",
    response={201: ConsultancyContributionOut, **WRITE},
    auth=AUTH,
    summary="Contribute in the current step",
)
def contribute(
    request: HttpRequest, slug: str, session_id: int, body: ConsultancyContributionIn
) -> Status:
    """403 ``presenter_silent`` when the presenter writes in a listening step."""
    session, user = _session(request, slug, session_id)
    contribution = services.add_contribution(user, session, body=body.body, step=body.step)
    contribution.author = user
    return Status(201, _contribution_out(contribution))


@router.put(
    SESSION + "/reflection",
    response={200: ConsultancySessionDetailOut, **WRITE},
    auth=AUTH,
    summary="The presenter's reflection",
)
def reflect(
    request: HttpRequest, slug: str, session_id: int, body: ConsultancyReflectionIn
) -> ConsultancySessionDetailOut:
    session, user = _session(request, slug, session_id)
    services.write_reflection(
        user, session, reflection=body.reflection, followup_after_days=body.followup_after_days
    )
    return _refreshed(request, slug, session_id)


@router.put(
    SESSION + "/followup",
    response={200: ConsultancySessionDetailOut, **WRITE},
    auth=AUTH,
    summary="Record the follow-up (presenter)",
)
def record_followup(
    request: HttpRequest, slug: str, session_id: int, body: ConsultancyFollowupIn
) -> ConsultancySessionDetailOut:
    """The first record emits ``consultancy.followup_recorded``."""
    session, user = _session(request, slug, session_id)
    services.record_followup(user, session, tried=body.tried, happened=body.happened)
    return _refreshed(request, slug, session_id)


@router.put(
    SESSION + "/visibility",
    response={200: ConsultancySessionDetailOut, **WRITE},
    auth=AUTH,
    summary="Share the case with the community, or not (presenter)",
)
def set_visibility(
    request: HttpRequest, slug: str, session_id: int, body: ConsultancyVisibilityIn
) -> ConsultancySessionDetailOut:
    session, user = _session(request, slug, session_id)
    services.set_visibility(user, session, body.visibility)
    return _refreshed(request, slug, session_id)


# --- Protocols ----------------------------------------------------------------------------------


@router.get(
    ONE + "/protocols",
    response={**READ, 200: ConsultancyProtocolPage},
    auth=AUTH,
    summary="The protocol library and this community's adaptations",
)
def list_protocols(request: HttpRequest, slug: str, params: Query[PageParams]) -> dict[str, object]:
    community, _user = _community(request, slug)
    return paginate(selectors.protocols_for(community), params, _protocol_out)


@router.get(
    PROTOCOL,
    response={**READ, 200: ConsultancyProtocolDetailOut},
    auth=AUTH,
    summary="One protocol with its steps and lineage",
)
def get_protocol(request: HttpRequest, slug: str, protocol_id: int) -> ConsultancyProtocolDetailOut:
    community, _user = _community(request, slug)
    return _protocol_detail(selectors.get_protocol(community, protocol_id))


@router.post(
    PROTOCOL + "/adapt",
    response={201: ConsultancyProtocolDetailOut, **WRITE},
    auth=AUTH,
    summary="Adapt a protocol for this community (members)",
)
def adapt_protocol(
    request: HttpRequest, slug: str, protocol_id: int, body: ConsultancyAdaptIn
) -> Status:
    community, user = _community(request, slug)
    source = selectors.get_protocol(community, protocol_id)
    adapted = services.adapt_protocol(
        user,
        source,
        community,
        title=body.title,
        summary=body.summary,
        note=body.note,
        steps=[s.dict() for s in body.steps] if body.steps is not None else None,
    )
    return Status(201, _protocol_detail(selectors.get_protocol(community, adapted.pk)))
