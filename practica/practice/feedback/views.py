"""Feedback, trust pulse and health pages. Thin: parse a form, call one service, render.

Who sees what: feedback requests — the requester and those asked (and members once shared);
the trust pulse and the health page — the community's members and its stewards. Everyone
else who may read the community gets a short explanation; others get the gate's 404.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from practica.accounts.models import User
from practica.communities import access
from practica.communities.models import Community
from practica.communities.views import _community_context
from practica.lib.errors import NotFound, PracticaError
from practica.lib.pagination import paginate
from practica.lib.typing import AuthedHttpRequest
from practica.lib.views import OUTCOME_ERRORS, action_result, form_errors, service_errors
from practica.practice.feedback import charts, health, services, trust
from practica.practice.feedback.forms import (
    AnswerForm,
    ReflectionForm,
    RequestForm,
    TrustSettingsForm,
)
from practica.practice.feedback.models import FeedbackRequest, FeedbackStatus, Pulse


def _base(request: HttpRequest, community: Community, active: str) -> dict[str, Any]:
    context = _community_context(request, community)
    context["active"] = active
    context["is_member"] = access.is_member(request.user, community)
    return context


def _may_see_trust(request: HttpRequest, community: Community) -> bool:
    return access.is_member(request.user, community) or access.can_steward(request.user, community)


# --- Feedback -------------------------------------------------------------------------------------


@service_errors
def index(request: HttpRequest, slug: str) -> HttpResponse:
    """My requests, the requests asking me, and results members chose to share."""
    community = access.get_community_for(request.user, slug)
    context = _base(request, community, "feedback")
    if context["is_member"]:
        user = request.user
        assert isinstance(user, User)
        mine = FeedbackRequest.objects.filter(community=community, requester=user)
        asked = FeedbackRequest.objects.filter(community=community, invitees__user=user)
        shared = FeedbackRequest.objects.filter(
            community=community, shared=True, status=FeedbackStatus.RELEASED
        )
        rows = (
            FeedbackRequest.objects.filter(Q(pk__in=mine) | Q(pk__in=asked) | Q(pk__in=shared))
            .select_related("requester")
            .order_by("-created_at")
        )
        page = paginate(request, rows, 20)
        for r in page.object_list:
            r.progress = services.progress_label(r)
        context.update(page=page)
    return render(request, "feedback/index.html", context)


@login_required
@service_errors
def new(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    community = access.get_community_for(request.user, slug)
    access.require(access.is_member(request.user, community), "Only members ask for feedback.")
    form = RequestForm(
        request.POST or None, candidates=services.candidates(community, request.user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            created = services.request_feedback(
                request.user,
                community,
                aspect=form.cleaned_data["aspect"],
                context=form.cleaned_data["context"],
                questions=form.question_specs(),
                invitee_ids=form.cleaned_data["invitees"],
                closes_at=form.closes_at(request.user.timezone or "UTC"),
                anonymous=form.cleaned_data["anonymous"],
                k=form.cleaned_data["k"],
            )
        except OUTCOME_ERRORS as exc:
            form_errors(form, exc)
        else:
            return action_result(
                request, None, "Your request is out.", services.request_url(created)
            )
    context = _base(request, community, "feedback")
    context["form"] = form
    return render(request, "feedback/new.html", context, status=422 if form.errors else 200)


def _detail_context(
    request: HttpRequest, community: Community, found: FeedbackRequest
) -> dict[str, Any]:
    context = _base(request, community, "feedback")
    user = request.user
    is_requester = found.requester_id == user.pk
    is_invitee = user.is_authenticated and found.invitees.filter(user=user).exists()
    answered = is_invitee and services.has_answered(found, user)  # type: ignore[arg-type]
    context.update(
        req=found,
        is_requester=is_requester,
        is_invitee=is_invitee,
        answered=answered,
        progress=services.progress_label(found),
        results=services.results(found) if (is_requester or found.shared) else None,
        questions=list(found.questions.all()),
        invitee_count=found.invitees.count(),
    )
    if is_invitee and not answered and found.is_open:
        context["answer_form"] = AnswerForm(questions=context["questions"])
    if is_requester and found.status == FeedbackStatus.RELEASED:
        context["reflection_form"] = ReflectionForm(
            initial={
                "reflection": found.reflection,
                "will_change": found.will_change,
                "shared": found.shared,
            }
        )
    return context


@login_required
@service_errors
def detail(request: AuthedHttpRequest, slug: str, request_id: int) -> HttpResponse:
    community = access.get_community_for(request.user, slug)
    found = services.get_request_for(request.user, community, request_id)
    return render(request, "feedback/detail.html", _detail_context(request, community, found))


@login_required
@require_POST
@service_errors
def respond(request: AuthedHttpRequest, slug: str, request_id: int) -> HttpResponse:
    community = access.get_community_for(request.user, slug)
    found = services.get_request_for(request.user, community, request_id)
    form = AnswerForm(request.POST, questions=list(found.questions.all()))
    if form.is_valid():
        try:
            services.respond(request.user, found, form.answers())
        except OUTCOME_ERRORS as exc:
            form_errors(form, exc)
        else:
            return action_result(
                request, None, "Thank you — your answer is in.", services.request_url(found)
            )
    context = _detail_context(request, community, found)
    context["answer_form"] = form
    return render(request, "feedback/detail.html", context, status=422)


@login_required
@require_POST
@service_errors
def remind(request: AuthedHttpRequest, slug: str, request_id: int) -> HttpResponse:
    community = access.get_community_for(request.user, slug)
    found = services.get_request_for(request.user, community, request_id)
    error: PracticaError | None = None
    try:
        services.remind(request.user, found)
    except OUTCOME_ERRORS as exc:
        error = exc
    return action_result(
        request,
        error,
        "Reminders sent to everyone who hasn't answered yet.",
        services.request_url(found),
    )


@login_required
@require_POST
@service_errors
def reflect(request: AuthedHttpRequest, slug: str, request_id: int) -> HttpResponse:
    community = access.get_community_for(request.user, slug)
    found = services.get_request_for(request.user, community, request_id)
    form = ReflectionForm(request.POST)
    if form.is_valid():
        try:
            services.reflect(request.user, found, **form.cleaned_data)
        except OUTCOME_ERRORS as exc:
            form_errors(form, exc)
        else:
            return action_result(request, None, "Reflection saved.", services.request_url(found))
    context = _detail_context(request, community, found)
    context["reflection_form"] = form
    return render(request, "feedback/detail.html", context, status=422)


# --- Trust pulse ----------------------------------------------------------------------------------


def _trust_context(request: HttpRequest, community: Community) -> dict[str, Any]:
    context = _base(request, community, "health")
    pulse = trust.current_pulse(community)
    released = trust.released_pulses(community)
    user = request.user
    answered = bool(pulse and isinstance(user, User) and trust.has_answered(pulse, user))
    context.update(
        pulse=pulse,
        can_answer=trust.member_can_answer(user, community, pulse),
        answered=answered,
        latest=trust.result(released[-1]) if released else None,
        config=trust.settings_for(community),
        scale=range(1, 8),
    )
    return context


@login_required
@service_errors
def trust_page(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    community = access.get_community_for(request.user, slug)
    if not _may_see_trust(request, community):
        raise NotFound("Only members see the trust pulse.")
    return render(request, "feedback/trust.html", _trust_context(request, community))


@login_required
@require_POST
@service_errors
def trust_respond(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    community = access.get_community_for(request.user, slug)
    pulse = trust.current_pulse(community)
    values: dict[int, int] = {}
    for i in range(len(pulse.statements) if pulse else 0):
        raw = request.POST.get(f"s{i}", "")
        if raw.strip():
            values[i] = int(raw) if raw.isdigit() else 0
    error: PracticaError | None = None
    try:
        trust.respond(request.user, community, values)
    except OUTCOME_ERRORS as exc:
        error = exc
    return action_result(
        request,
        error,
        "Thank you. Your answers were added anonymously.",
        reverse("feedback:trust", args=[slug]),
    )


@login_required
@require_POST
@service_errors
def trust_open(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    community = access.get_community_for(request.user, slug)
    error: PracticaError | None = None
    try:
        trust.open_pulse(community, actor=request.user)
    except OUTCOME_ERRORS as exc:
        error = exc
    return action_result(
        request, error, "The trust pulse is open.", reverse("feedback:trust", args=[slug])
    )


@login_required
@require_POST
@service_errors
def trust_close(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    community = access.get_community_for(request.user, slug)
    pulse = trust.current_pulse(community)
    access.require(access.can_steward(request.user, community), "Only stewards close a pulse.")
    if pulse is not None:
        trust.close_now(request.user, pulse)
    return action_result(
        request, None, "The pulse is closed.", reverse("feedback:trust", args=[slug])
    )


@login_required
@service_errors
def trust_settings(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    community = access.get_community_for(request.user, slug)
    access.require(access.can_steward(request.user, community), "Only stewards change the pulse.")
    config = trust.settings_for(community)
    form = TrustSettingsForm(
        request.POST or None,
        initial={
            "statements": TrustSettingsForm.statements_text(config.statements),
            "cadence_days": config.cadence_days,
            "k": config.k,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            trust.update_settings(
                request.user,
                community,
                statements=form.parsed_statements(),
                cadence_days=form.cleaned_data["cadence_days"],
                k=form.cleaned_data["k"],
            )
        except OUTCOME_ERRORS as exc:
            form_errors(form, exc)
        else:
            return action_result(
                request, None, "Trust pulse settings saved.", reverse("feedback:trust", args=[slug])
            )
    context = _base(request, community, "health")
    context["form"] = form
    return render(
        request, "feedback/trust_settings.html", context, status=422 if form.errors else 200
    )


# --- Health ---------------------------------------------------------------------------------------


def _trust_points(pulses: list[Pulse]) -> list[charts.Point]:
    points = []
    for p in pulses:
        found = trust.result(p)
        if found is not None:
            points.append(charts.Point(p.opened_at.date(), found.overall))
    return points


@login_required
@service_errors
def health_page(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    """The trust trend beside participation health, norm events marked (a few queries)."""
    community = access.get_community_for(request.user, slug)
    if not _may_see_trust(request, community):
        raise NotFound("Only members see the community's health.")
    rows = health.weeks(community)
    pulses = trust.released_pulses(community)
    since = min([r.week for r in rows] + [p.opened_at.date() for p in pulses] or [date.today()])
    marks = [(m.day, m.label) for m in health.markers(community, since)]
    answer_rate = [
        charts.Point(r.week, 100 * r.answered / r.posts if r.posts else None) for r in rows
    ]
    first_answer = [charts.Point(r.week, r.median_first_answer_hours) for r in rows]
    active = [charts.Point(r.week, float(r.active_members)) for r in rows]
    top_hours = max([r.median_first_answer_hours or 0 for r in rows] + [24])
    top_active = max([r.active_members for r in rows] + [5])
    context = _base(request, community, "health")
    context.update(
        trust_chart=charts.line_chart(
            "Trust pulse, overall (1–7, higher is more trust)",
            _trust_points(pulses),
            low=1,
            high=7,
            markers=marks,
        ),
        answer_chart=charts.line_chart(
            "Questions answered (% per week)",
            answer_rate,
            low=0,
            high=100,
            unit="%",
            markers=marks,
            decimals=0,
        ),
        first_answer_chart=charts.line_chart(
            "Median time to first answer (hours)",
            first_answer,
            low=0,
            high=top_hours,
            unit="h",
            markers=marks,
            decimals=0,
        ),
        active_chart=charts.line_chart(
            "Active members per week",
            active,
            low=0,
            high=top_active,
            markers=marks,
            decimals=0,
        ),
        weeks=rows,
        pulses=[trust.result(p) for p in pulses],
        markers=marks,
        since=since,
        updated=timezone.now() - timedelta(days=0),
    )
    return render(request, "feedback/health.html", context)
