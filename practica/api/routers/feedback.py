"""Honest feedback, the trust pulse and community health (docs/feedback.md).

Anonymity: no body here pairs a person with an anonymous answer, gives an exact count of
answers before release, carries a time for an answer, or says who has not answered (reminders
go out without telling the requester whom they reached). Anonymous answers come shuffled.
"""

from __future__ import annotations

from datetime import date, datetime

from django.db.models import Q
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from practica.accounts.models import User
from practica.api.auth import AUTH, caller
from practica.api.pagination import paginate
from practica.api.schemas import ErrorOut, PageOut, PageParams, Text
from practica.communities import access
from practica.communities.models import Community
from practica.lib.errors import NotFound
from practica.practice.feedback import health, services, trust
from practica.practice.feedback.models import FeedbackRequest, FeedbackStatus

router = Router(tags=["feedback"])

READ = {200: None, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
WRITE = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class QuestionIn(Schema):
    text: Text
    with_scale: bool = False


class FeedbackIn(Schema):
    aspect: Text
    context: Text = ""
    questions: list[QuestionIn]
    invitees: list[int] = Field(..., description="User ids of the members asked.")
    closes_at: datetime
    anonymous: bool = True
    k: int = Field(3, description="Anonymous answers are shown only when at least k arrived.")


class FeedbackSummaryOut(Schema):
    id: int
    aspect: str
    requester: str
    anonymous: bool
    status: str
    progress: str = Field(
        ..., description='Never an exact count before release, e.g. "fewer than 3 answers so far".'
    )
    closes_at: datetime
    shared: bool


class FeedbackPage(PageOut):
    items: list[FeedbackSummaryOut]


class QuestionOut(Schema):
    id: int
    text: str
    with_scale: bool


class ResultItemOut(Schema):
    text: str
    scale: int | None
    author: str | None = Field(..., description="Only for signed rounds.")


class QuestionResultOut(Schema):
    question_id: int
    scale_mean: float | None
    items: list[ResultItemOut]


class FeedbackOut(FeedbackSummaryOut):
    context: str
    k: int
    questions: list[QuestionOut]
    is_requester: bool
    answered: bool = Field(..., description="Whether the caller (if asked) has answered.")
    results: list[QuestionResultOut] | None
    reflection: str
    will_change: str


class AnswerIn(Schema):
    question_id: int
    text: Text = ""
    scale: int | None = None


class AnswersIn(Schema):
    answers: list[AnswerIn]


class ReflectionIn(Schema):
    reflection: Text = ""
    will_change: Text = ""
    shared: bool = False


class OkOut(Schema):
    detail: str


def _summary(r: FeedbackRequest) -> dict[str, object]:
    return {
        "id": r.pk,
        "aspect": r.aspect,
        "requester": r.requester.display_name,
        "anonymous": r.anonymous,
        "status": r.status,
        "progress": services.progress_label(r),
        "closes_at": r.closes_at,
        "shared": r.shared,
    }


def _request(user: User, request_id: int) -> FeedbackRequest:
    found = FeedbackRequest.objects.select_related("community").filter(pk=request_id).first()
    if found is None:
        raise NotFound("No such feedback request.")
    community = access.get_community_for(user, found.community.slug)
    return services.get_request_for(user, community, request_id)


def _detail(r: FeedbackRequest, user: User) -> dict[str, object]:
    is_requester = r.requester_id == user.pk
    results = services.results(r) if (is_requester or r.shared) else None
    return {
        **_summary(r),
        "context": r.context,
        "k": r.k,
        "questions": [
            {"id": q.pk, "text": q.text, "with_scale": q.with_scale} for q in r.questions.all()
        ],
        "is_requester": is_requester,
        "answered": services.has_answered(r, user),
        "results": None
        if results is None
        else [
            {
                "question_id": qr.question.pk,
                "scale_mean": qr.scale_mean,
                "items": [
                    {
                        "text": i.text,
                        "scale": i.scale,
                        "author": i.author.display_name if i.author else None,
                    }
                    for i in qr.items
                ],
            }
            for qr in results
        ],
        "reflection": r.reflection,
        "will_change": r.will_change,
    }


@router.get("/communities/{slug:slug}/feedback", auth=AUTH, response={**READ, 200: FeedbackPage})
def list_feedback(request: HttpRequest, slug: str, paging: Query[PageParams]) -> dict[str, object]:
    """Requests the caller made, was asked for, or that members shared, newest first."""
    user = caller(request)
    community = access.get_community_for(user, slug)
    if not access.is_member(user, community):
        rows = FeedbackRequest.objects.none()
    else:
        rows = FeedbackRequest.objects.filter(
            Q(requester=user)
            | Q(pk__in=FeedbackRequest.objects.filter(invitees__user=user).values("pk"))
            | Q(shared=True, status=FeedbackStatus.RELEASED),
            community=community,
        )
    rows = rows.select_related("requester").order_by("-created_at")
    return paginate(rows, paging, _summary)


@router.post("/communities/{slug:slug}/feedback", auth=AUTH, response={**WRITE, 201: FeedbackOut})
def create_feedback(request: HttpRequest, slug: str, payload: FeedbackIn) -> Status:
    """Ask members for feedback (members only; see the rules in docs/feedback.md)."""
    user = caller(request)
    community: Community = access.get_community_for(user, slug)
    created = services.request_feedback(
        user,
        community,
        aspect=payload.aspect,
        context=payload.context,
        questions=[services.QuestionSpec(q.text, q.with_scale) for q in payload.questions],
        invitee_ids=payload.invitees,
        closes_at=payload.closes_at,
        anonymous=payload.anonymous,
        k=payload.k,
    )
    return Status(201, _detail(created, user))


@router.get("/feedback/{request_id}", auth=AUTH, response={**READ, 200: FeedbackOut})
def get_feedback(request: HttpRequest, request_id: int) -> dict[str, object]:
    """One request: for its requester, those asked, and members once it is shared."""
    user = caller(request)
    return _detail(_request(user, request_id), user)


@router.post("/feedback/{request_id}/answers", auth=AUTH, response={**WRITE, 201: OkOut})
def answer_feedback(request: HttpRequest, request_id: int, payload: AnswersIn) -> Status:
    """Answer once (those asked, while open). 409 ``already_answered`` the second time."""
    user = caller(request)
    found = _request(user, request_id)
    answers = {a.question_id: (a.text, a.scale) for a in payload.answers}
    services.respond(user, found, answers)
    return Status(201, {"detail": "Your answer is in."})


@router.post("/feedback/{request_id}/remind", auth=AUTH, response={**WRITE, 200: OkOut})
def remind_feedback(request: HttpRequest, request_id: int) -> dict[str, str]:
    """The requester nudges everyone who hasn't answered (once a day; no names, no count)."""
    user = caller(request)
    services.remind(user, _request(user, request_id))
    return {"detail": "Reminders sent to everyone who hasn't answered yet."}


@router.put("/feedback/{request_id}/reflection", auth=AUTH, response={**WRITE, 200: FeedbackOut})
def reflect_feedback(
    request: HttpRequest, request_id: int, payload: ReflectionIn
) -> dict[str, object]:
    """The requester's reflection, what they will change, and whether members may see it."""
    user = caller(request)
    found = services.reflect(
        user,
        _request(user, request_id),
        reflection=payload.reflection,
        will_change=payload.will_change,
        shared=payload.shared,
    )
    return _detail(found, user)


# --- Trust pulse and health ----------------------------------------------------------------


class StatementOut(Schema):
    text: str
    reverse: bool


class OpenPulseOut(Schema):
    id: int
    statements: list[StatementOut]
    closes_at: datetime
    progress: str
    answered: bool


class StatementResultOut(Schema):
    text: str
    reverse: bool
    mean: float
    spread: float


class PulseResultOut(Schema):
    id: int
    opened_at: datetime
    respondents: int
    overall: float
    spread: float
    statements: list[StatementResultOut]


class TrustOut(Schema):
    open_pulse: OpenPulseOut | None
    results: list[PulseResultOut] = Field(
        ..., description="Closed pulses with at least k answers, oldest first."
    )


class PulseAnswersIn(Schema):
    values: dict[int, int] = Field(..., description="Statement index → 1..7.")


class HealthWeekOut(Schema):
    week: date
    posts: int
    answered: int
    median_first_answer_hours: float | None
    active_members: int


class HealthOut(Schema):
    weeks: list[HealthWeekOut]
    trust: list[PulseResultOut]


def _trust_community(user: User, slug: str) -> Community:
    community = access.get_community_for(user, slug)
    if not (access.is_member(user, community) or access.can_steward(user, community)):
        raise NotFound("Only members see the trust pulse.")
    return community


def _results(community: Community) -> list[dict[str, object]]:
    out = []
    for p in trust.released_pulses(community):
        r = trust.result(p)
        if r is not None:
            out.append(
                {
                    "id": p.pk,
                    "opened_at": p.opened_at,
                    "respondents": p.respondents,
                    "overall": r.overall,
                    "spread": r.spread,
                    "statements": [
                        {"text": s.text, "reverse": s.reverse, "mean": s.mean, "spread": s.spread}
                        for s in r.statements
                    ],
                }
            )
    return out


@router.get("/communities/{slug:slug}/trust", auth=AUTH, response={**READ, 200: TrustOut})
def get_trust(request: HttpRequest, slug: str) -> dict[str, object]:
    """The open pulse (if any) and released results (members and stewards)."""
    user = caller(request)
    community = _trust_community(user, slug)
    pulse = trust.current_pulse(community)
    open_pulse = None
    if pulse is not None:
        below = pulse.respondents < pulse.k
        open_pulse = {
            "id": pulse.pk,
            "statements": pulse.statements,
            "closes_at": pulse.closes_at,
            "progress": f"fewer than {pulse.k} answers so far"
            if below
            else f"{pulse.k} or more answers so far",
            "answered": trust.has_answered(pulse, user),
        }
    return {"open_pulse": open_pulse, "results": _results(community)}


@router.post("/communities/{slug:slug}/trust/answers", auth=AUTH, response={**WRITE, 201: OkOut})
def answer_trust(request: HttpRequest, slug: str, payload: PulseAnswersIn) -> Status:
    """Answer the open pulse (members, once). Answers are only added to totals."""
    user = caller(request)
    community = access.get_community_for(user, slug)
    trust.respond(user, community, payload.values)
    return Status(201, {"detail": "Your answers were added anonymously."})


@router.post("/communities/{slug:slug}/trust/open", auth=AUTH, response={**WRITE, 201: OkOut})
def open_trust(request: HttpRequest, slug: str) -> Status:
    """Stewards: open a pulse now (409 ``pulse_open`` if one is open)."""
    user = caller(request)
    trust.open_pulse(access.get_community_for(user, slug), actor=user)
    return Status(201, {"detail": "The trust pulse is open."})


@router.get("/communities/{slug:slug}/health", auth=AUTH, response={**READ, 200: HealthOut})
def get_health(request: HttpRequest, slug: str) -> dict[str, object]:
    """Participation per week (last 26) and the trust trend (members and stewards)."""
    user = caller(request)
    community = _trust_community(user, slug)
    weeks = [
        {
            "week": w.week,
            "posts": w.posts,
            "answered": w.answered,
            "median_first_answer_hours": w.median_first_answer_hours,
            "active_members": w.active_members,
        }
        for w in health.weeks(community)
    ]
    return {"weeks": weeks, "trust": _results(community)}
