"""Coaching and mentoring (docs/coaching.md). A relationship is 404 to anyone but its two
people; suggestions are people in the caller's role elsewhere in their network."""

from __future__ import annotations

from datetime import date, datetime

from django.db.models import Q
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema, Status

from practica.accounts.models import User
from practica.api.auth import AUTH, caller
from practica.api.pagination import paginate
from practica.api.schemas import ErrorOut, PageOut, PageParams, Text
from practica.lib.errors import NotFound
from practica.practice.coaching import matching, services
from practica.practice.coaching.models import (
    Goal,
    MatchRequest,
    Relationship,
    RequestStatus,
    StretchAssignment,
)

router = Router(tags=["coaching"])
READ = {200: None, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
WRITE = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class PersonOut(Schema):
    id: int
    name: str
    title: str


class RelationshipOut(Schema):
    id: int
    kind: str
    status: str
    focus: str
    coach: PersonOut
    coachee: PersonOut
    started_at: datetime


class RelationshipPage(PageOut):
    items: list[RelationshipOut]


class GoalOut(Schema):
    id: int
    text: str
    stretch: bool
    status: str
    progress: int


class CheckInOut(Schema):
    id: int
    held_on: date
    notes: str
    author_id: int


class AssignmentOut(Schema):
    id: int
    title: str
    description: str
    due_on: date | None
    status: str
    reflection: str


class RelationshipDetailOut(RelationshipOut):
    goals: list[GoalOut]
    checkins: list[CheckInOut]
    assignments: list[AssignmentOut]


class SuggestionOut(Schema):
    person: PersonOut
    organization: str
    score: float
    same_role: bool
    complementary_expertise: float
    time_zone_overlap: float
    strengths: list[str]


class SuggestionsOut(Schema):
    isolated: bool
    items: list[SuggestionOut]


class MatchRequestOut(Schema):
    id: int
    sender: PersonOut
    recipient: PersonOut
    kind: str
    message: str
    status: str
    created_at: datetime


class RequestsOut(Schema):
    incoming: list[MatchRequestOut]
    outgoing: list[MatchRequestOut]


class MatchRequestIn(Schema):
    recipient_id: int
    kind: str
    message: Text = ""


class DecideIn(Schema):
    accept: bool
    note: Text = ""
    focus: Text = ""


class DecidedOut(Schema):
    relationship_id: int | None


class GoalIn(Schema):
    text: Text
    stretch: bool = False


class GoalPatch(Schema):
    status: str
    progress: int


class CheckInIn(Schema):
    held_on: date
    notes: Text


class AssignmentIn(Schema):
    title: Text
    description: Text = ""
    due_on: date | None = None
    goal_id: int | None = None


class DoneIn(Schema):
    reflection: Text


class StatusIn(Schema):
    status: str


def _person(u: User) -> dict[str, object]:
    return {"id": u.pk, "name": u.display_name, "title": u.title}


def _relationship(r: Relationship) -> dict[str, object]:
    return {
        "id": r.pk,
        "kind": r.kind,
        "status": r.status,
        "focus": r.focus,
        "coach": _person(r.coach),
        "coachee": _person(r.coachee),
        "started_at": r.started_at,
    }


def _detail(r: Relationship) -> dict[str, object]:
    return {
        **_relationship(r),
        "goals": list(r.goals.values("id", "text", "stretch", "status", "progress")),
        "checkins": list(r.checkins.values("id", "held_on", "notes", "author_id")),
        "assignments": list(
            r.assignments.values("id", "title", "description", "due_on", "status", "reflection")
        ),
    }


def _match(m: MatchRequest) -> dict[str, object]:
    return {
        "id": m.pk,
        "sender": _person(m.sender),
        "recipient": _person(m.recipient),
        "kind": m.kind,
        "message": m.message,
        "status": m.status,
        "created_at": m.created_at,
    }


@router.get("/coaching", auth=AUTH, response={**READ, 200: RelationshipPage})
def list_relationships(request: HttpRequest, paging: Query[PageParams]) -> dict[str, object]:
    """The caller's coaching, mentoring and peer relationships."""
    user = caller(request)
    rows = (
        Relationship.objects.filter(Q(coach=user) | Q(coachee=user))
        .select_related("coach", "coachee")
        .order_by("status", "-started_at")
    )
    return paginate(rows, paging, _relationship)


@router.get("/coaching/suggestions", auth=AUTH, response={**READ, 200: SuggestionsOut})
def coaching_suggestions(request: HttpRequest) -> dict[str, object]:
    """People in the caller's role in other organizations of their network, best first."""
    user = caller(request)
    items = [
        {
            "person": _person(s.person),
            "organization": s.organization,
            "score": s.score,
            "same_role": s.role == 1,
            "complementary_expertise": s.expertise,
            "time_zone_overlap": s.overlap,
            "strengths": s.strengths,
        }
        for s in matching.suggestions(user)
    ]
    return {"isolated": matching.is_isolated(user), "items": items}


@router.get("/coaching/requests", auth=AUTH, response={**READ, 200: RequestsOut})
def list_match_requests(request: HttpRequest) -> dict[str, object]:
    """Pending requests to and from the caller."""
    user = caller(request)
    pending = MatchRequest.objects.filter(status=RequestStatus.PENDING).select_related(
        "sender", "recipient"
    )
    return {
        "incoming": [_match(m) for m in pending.filter(recipient=user)],
        "outgoing": [_match(m) for m in pending.filter(sender=user)],
    }


@router.post("/coaching/requests", auth=AUTH, response={**WRITE, 201: MatchRequestOut})
def create_match_request(request: HttpRequest, payload: MatchRequestIn) -> Status:
    """Ask someone the caller may see: ``kind`` coaching, mentoring or peer."""
    user = caller(request)
    recipient = User.objects.filter(pk=payload.recipient_id, is_active=True).first()
    if recipient is None:
        raise NotFound("No such person.")
    found = services.request_match(user, recipient, kind=payload.kind, message=payload.message)
    return Status(201, _match(found))


@router.post(
    "/coaching/requests/{request_id}/decide", auth=AUTH, response={**WRITE, 200: DecidedOut}
)
def decide_match_request(
    request: HttpRequest, request_id: int, payload: DecideIn
) -> dict[str, object]:
    """The recipient accepts (a relationship starts) or declines."""
    relationship = services.decide(
        caller(request), request_id, accept=payload.accept, note=payload.note, focus=payload.focus
    )
    return {"relationship_id": relationship.pk if relationship else None}


@router.get("/coaching/{relationship_id}", auth=AUTH, response={**READ, 200: RelationshipDetailOut})
def get_relationship(request: HttpRequest, relationship_id: int) -> dict[str, object]:
    """A relationship with its goals, check-ins and stretch assignments (the two people only)."""
    return _detail(services.get_relationship_for(caller(request), relationship_id))


@router.post("/coaching/{relationship_id}/goals", auth=AUTH, response={**WRITE, 201: GoalOut})
def add_goal(request: HttpRequest, relationship_id: int, payload: GoalIn) -> Status:
    user = caller(request)
    r = services.get_relationship_for(user, relationship_id)
    goal = services.add_goal(user, r, text=payload.text, stretch=payload.stretch)
    return Status(201, goal)


@router.patch(
    "/coaching/{relationship_id}/goals/{goal_id}", auth=AUTH, response={**WRITE, 200: GoalOut}
)
def update_goal(
    request: HttpRequest, relationship_id: int, goal_id: int, payload: GoalPatch
) -> Goal:
    user = caller(request)
    r = services.get_relationship_for(user, relationship_id)
    goal = get_object_or_404(Goal, pk=goal_id, relationship=r)
    return services.update_goal(user, goal, status=payload.status, progress=payload.progress)


@router.post("/coaching/{relationship_id}/checkins", auth=AUTH, response={**WRITE, 201: CheckInOut})
def add_checkin(request: HttpRequest, relationship_id: int, payload: CheckInIn) -> Status:
    user = caller(request)
    r = services.get_relationship_for(user, relationship_id)
    found = services.check_in(user, r, held_on=payload.held_on, notes=payload.notes)
    return Status(201, found)


@router.post(
    "/coaching/{relationship_id}/assignments", auth=AUTH, response={**WRITE, 201: AssignmentOut}
)
def add_assignment(request: HttpRequest, relationship_id: int, payload: AssignmentIn) -> Status:
    user = caller(request)
    r = services.get_relationship_for(user, relationship_id)
    goal = Goal.objects.filter(pk=payload.goal_id).first() if payload.goal_id else None
    found = services.assign_stretch(
        user,
        r,
        title=payload.title,
        description=payload.description,
        due_on=payload.due_on,
        goal=goal,
    )
    return Status(201, found)


@router.post(
    "/coaching/{relationship_id}/assignments/{assignment_id}/done",
    auth=AUTH,
    response={**WRITE, 200: AssignmentOut},
)
def complete_assignment(
    request: HttpRequest, relationship_id: int, assignment_id: int, payload: DoneIn
) -> StretchAssignment:
    user = caller(request)
    r = services.get_relationship_for(user, relationship_id)
    found = get_object_or_404(StretchAssignment, pk=assignment_id, relationship=r)
    return services.complete_stretch(user, found, reflection=payload.reflection)


@router.put(
    "/coaching/{relationship_id}/status", auth=AUTH, response={**WRITE, 200: RelationshipOut}
)
def set_relationship_status(
    request: HttpRequest, relationship_id: int, payload: StatusIn
) -> dict[str, object]:
    user = caller(request)
    r = services.get_relationship_for(user, relationship_id)
    return _relationship(services.set_status(user, r, payload.status))
