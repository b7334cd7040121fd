"""Coaching pages: my relationships and requests, suggestions, a relationship's workspace.
Private: a relationship is 404 to anyone but its two people."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from practica.accounts.models import User
from practica.communities import access
from practica.lib.errors import NotFound, PracticaError
from practica.lib.typing import AuthedHttpRequest
from practica.lib.views import OUTCOME_ERRORS, action_result, service_errors
from practica.practice.coaching import matching, services
from practica.practice.coaching.forms import (
    AskForm,
    CheckInForm,
    DecideForm,
    DoneForm,
    GoalForm,
    GoalUpdateForm,
    StatusForm,
    StretchForm,
)
from practica.practice.coaching.models import (
    Goal,
    MatchRequest,
    Relationship,
    RequestStatus,
    Status,
    StretchAssignment,
)


def _form_error(form: Any) -> PracticaError:
    from practica.lib.errors import Invalid

    return Invalid({k: " ".join(str(e) for e in v) for k, v in form.errors.items()})


@login_required
def index(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    relationships = (
        Relationship.objects.filter(Q(coach=user) | Q(coachee=user))
        .select_related("coach", "coachee")
        .order_by("status", "-started_at")[:50]
    )
    pending = MatchRequest.objects.filter(status=RequestStatus.PENDING).select_related(
        "sender", "recipient"
    )
    context = {
        "relationships": list(relationships),
        "incoming": list(pending.filter(recipient=user)),
        "outgoing": list(pending.filter(sender=user)),
        "isolated": matching.is_isolated(user),
    }
    return render(request, "coaching/index.html", context)


@login_required
def find(request: AuthedHttpRequest) -> HttpResponse:
    return render(
        request,
        "coaching/find.html",
        {
            "suggestions": matching.suggestions(request.user),
            "isolated": matching.is_isolated(request.user),
            "form": AskForm(),
        },
    )


@login_required
@service_errors
def ask(request: AuthedHttpRequest, user_id: int) -> HttpResponse:
    person = User.objects.filter(pk=user_id, is_active=True).first()
    if person is None or not access.can_view_person(request.user, person):
        raise NotFound("No such person.")
    form = AskForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_match(request.user, person, **form.cleaned_data)
        except OUTCOME_ERRORS as exc:
            return action_result(request, exc, "", reverse("coaching:index"))
        return action_result(
            request, None, f"Your request is with {person.display_name}.", reverse("coaching:index")
        )
    status = 422 if form.errors else 200
    return render(request, "coaching/ask.html", {"person": person, "form": form}, status=status)


@login_required
@require_POST
@service_errors
def decide(request: AuthedHttpRequest, request_id: int) -> HttpResponse:
    form = DecideForm(request.POST)
    error: PracticaError | None = None if form.is_valid() else _form_error(form)
    relationship = None
    if error is None:
        try:
            relationship = services.decide(request.user, request_id, **form.cleaned_data)
        except OUTCOME_ERRORS as exc:
            if isinstance(exc, NotFound):
                raise
            error = exc
    to = services.relationship_url(relationship) if relationship else reverse("coaching:index")
    return action_result(request, error, "Done.", to)


@login_required
@require_POST
@service_errors
def withdraw(request: AuthedHttpRequest, request_id: int) -> HttpResponse:
    error: PracticaError | None = None
    try:
        services.withdraw(request.user, request_id)
    except OUTCOME_ERRORS as exc:
        if isinstance(exc, NotFound):
            raise
        error = exc
    return action_result(request, error, "Request withdrawn.", reverse("coaching:index"))


@login_required
@service_errors
def relationship(request: AuthedHttpRequest, relationship_id: int) -> HttpResponse:
    found = services.get_relationship_for(request.user, relationship_id)
    context = {
        "r": found,
        "is_coach": found.coach_id == request.user.pk,
        "other": found.coachee if found.coach_id == request.user.pk else found.coach,
        "goals": list(found.goals.all()),
        "checkins": list(found.checkins.select_related("author")[:30]),
        "assignments": list(found.assignments.all()),
        "open": found.status != Status.ENDED,
        "goal_form": GoalForm(),
        "checkin_form": CheckInForm(initial={"held_on": timezone.localdate()}),
        "stretch_form": StretchForm(),
        "statuses": Status.choices,
    }
    return render(request, "coaching/relationship.html", context)


def _act(
    request: AuthedHttpRequest, relationship_id: int, form: Any, write: Any, ok: str
) -> HttpResponse:
    """Run ``write(found, data)`` for a valid form; flash the outcome; back to the workspace."""
    found = services.get_relationship_for(request.user, relationship_id)
    error: PracticaError | None = None if form.is_valid() else _form_error(form)
    if error is None:
        try:
            write(found, form.cleaned_data)
        except OUTCOME_ERRORS as exc:
            if isinstance(exc, NotFound):
                raise
            error = exc
    return action_result(request, error, ok, services.relationship_url(found))


@login_required
@require_POST
@service_errors
def add_goal(request: AuthedHttpRequest, relationship_id: int) -> HttpResponse:
    return _act(
        request,
        relationship_id,
        GoalForm(request.POST),
        lambda r, d: services.add_goal(request.user, r, **d),
        "Goal added.",
    )


@login_required
@require_POST
@service_errors
def update_goal(request: AuthedHttpRequest, relationship_id: int, goal_id: int) -> HttpResponse:
    def write(r: Relationship, d: dict[str, Any]) -> Goal:
        goal = get_object_or_404(Goal, pk=goal_id, relationship=r)
        return services.update_goal(request.user, goal, **d)

    return _act(request, relationship_id, GoalUpdateForm(request.POST), write, "Goal updated.")


@login_required
@require_POST
@service_errors
def check_in(request: AuthedHttpRequest, relationship_id: int) -> HttpResponse:
    return _act(
        request,
        relationship_id,
        CheckInForm(request.POST),
        lambda r, d: services.check_in(request.user, r, **d),
        "Check-in recorded.",
    )


@login_required
@require_POST
@service_errors
def add_stretch(request: AuthedHttpRequest, relationship_id: int) -> HttpResponse:
    return _act(
        request,
        relationship_id,
        StretchForm(request.POST),
        lambda r, d: services.assign_stretch(request.user, r, **d),
        "Stretch assignment added.",
    )


@login_required
@require_POST
@service_errors
def complete_stretch(
    request: AuthedHttpRequest, relationship_id: int, assignment_id: int
) -> HttpResponse:
    def write(r: Relationship, d: dict[str, Any]) -> StretchAssignment:
        assignment = get_object_or_404(StretchAssignment, pk=assignment_id, relationship=r)
        return services.complete_stretch(request.user, assignment, **d)

    return _act(request, relationship_id, DoneForm(request.POST), write, "Marked done.")


@login_required
@require_POST
@service_errors
def set_status(request: AuthedHttpRequest, relationship_id: int) -> HttpResponse:
    return _act(
        request,
        relationship_id,
        StatusForm(request.POST),
        lambda r, d: services.set_status(request.user, r, d["status"]),
        "Status changed.",
    )
