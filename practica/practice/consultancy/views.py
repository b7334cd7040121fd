"""Consultancy pages: the sessions I may see, bringing a case, the live session page (and its
polled partial), the actions of the facilitator, presenter and participants, and the protocol
library with adaptation. Thin: parse a form, call one service, render.

Every community comes through the gate (``access.get_community_for``) and every session
through ``selectors.get_session`` (a case one may not see is a 404, like a missing one).

The live region (``consultancy/_live.html``) is self-contained: the page polls it with htmx
(``live/?shown=<step>&status=<status>``); when the step the page shows is no longer the current
one, the response also carries the contribution box out of band, so a box is only ever replaced
when the step changes (never under someone's typing).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from practica.accounts.models import User
from practica.communities import access
from practica.communities.models import Community, Membership
from practica.communities.views import _community_context
from practica.lib.errors import Invalid, PracticaError
from practica.lib.pagination import paginate
from practica.lib.typing import AuthedHttpRequest
from practica.lib.views import OUTCOME_ERRORS, action_result, form_errors, service_errors
from practica.practice.consultancy import access as consultancy_access
from practica.practice.consultancy import selectors, services
from practica.practice.consultancy.forms import (
    AdaptForm,
    CaseForm,
    ContributionForm,
    FollowupForm,
    ReflectionForm,
    StepFormSet,
    VisibilityForm,
)
from practica.practice.consultancy.models import ContributionKind, Protocol, Session

LIVE_POLL = "every 3s"
PLANNED_POLL = "every 5s"


def _base(request: HttpRequest, community: Community) -> dict[str, Any]:
    context = _community_context(request, community)
    context["active"] = "consultancy"
    return context


def _session_link(session: Session) -> str:
    return reverse("consultancy:session", args=[session.community.slug, session.pk])


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def _members(community: Community) -> list[User]:
    rows = Membership.objects.filter(community=community).select_related("user")
    return sorted((m.user for m in rows), key=lambda u: u.display_name.casefold())


# --- Sessions -----------------------------------------------------------------------------------


@login_required
@service_errors
def index(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    """The sessions I may see (live, upcoming, past), paginated."""
    community = access.get_community_for(request.user, slug)
    show = request.GET.get("show", "")
    context = _base(request, community)
    context.update(
        page=paginate(request, selectors.sessions_for(request.user, community, show), 20),
        show=show if show in selectors.SHOW else "",
        is_member=access.is_member(request.user, community),
    )
    return render(request, "consultancy/index.html", context)


@login_required
@service_errors
def new(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    """Bring a case: the case, the protocol, the facilitator (suggested from the meetings
    rota) and the participants."""
    community = access.get_community_for(request.user, slug)
    access.require(
        access.is_member(request.user, community),
        f"Only members of {community.name} may bring a case.",
    )
    members = [u for u in _members(community) if u.pk != request.user.pk]
    protocols = selectors.protocol_choices(community)
    suggestion = services.suggest_facilitator(community, request.user)
    initial: dict[str, Any] = {"protocol": protocols[0].pk if protocols else None}
    if suggestion:
        initial["facilitator"] = suggestion[0].pk
    form = CaseForm(request.POST or None, initial=initial, protocols=protocols, members=members)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            session = services.create_session(
                request.user,
                community,
                title=data["title"],
                context=data["context"],
                dilemma=data["dilemma"],
                focusing_question=data["focusing_question"],
                materials=data["materials"],
                protocol=data["protocol"],
                facilitator_id=data["facilitator"],
                participant_ids=data["participants"],
                scheduled_for=data["scheduled_for"],
                visibility=data["visibility"],
                followup_after_days=data["followup_after_days"],
            )
        except OUTCOME_ERRORS as exc:
            form_errors(form, exc)
        else:
            messages.success(request, "Your case is ready. The facilitator starts the session.")
            return HttpResponseRedirect(_session_link(session))
    context = _base(request, community)
    context.update(form=form, suggestion=suggestion)
    return render(request, "consultancy/new.html", context)


def _live_context(request: HttpRequest, session: Session, *, error: str = "") -> dict[str, Any]:
    """What the live region needs (a few queries, whatever the number of contributions)."""
    user_id = request.user.pk if request.user.is_authenticated else None
    is_person = consultancy_access.is_person_of(request.user, session)
    allowed, why = services.speaking_rule(session, user_id)
    step = session.step
    return {
        "session": session,
        "community": session.community,
        "steps": selectors.steps_with_contributions(session),
        "now": timezone.now(),
        "is_facilitator": user_id == session.facilitator_id,
        "is_presenter": user_id == session.presenter_id,
        "is_person": is_person,
        "may_write": is_person and allowed,
        "closed_reason": why if is_person else "",
        "poll": LIVE_POLL if session.is_live else PLANNED_POLL if session.is_planned else "",
        "live_error": error,
        "step_kind_label": _kind_label(step["contribution"]) if step else "",
    }


def _kind_label(kind: str) -> str:
    return ContributionKind(kind).label


@login_required
@service_errors
def session(request: AuthedHttpRequest, slug: str, session_id: int) -> HttpResponse:
    """The case, the live region, the contribution box, and afterwards the reflection and
    follow-up. 404 to anyone who is not one of the session's people (unless widened)."""
    community = access.get_community_for(request.user, slug)
    found = selectors.get_session(request.user, community, session_id)
    return _render_session(request, found)


def _render_session(
    request: AuthedHttpRequest,
    found: Session,
    *,
    contribution_form: ContributionForm | None = None,
    reflection_form: ReflectionForm | None = None,
    followup_form: FollowupForm | None = None,
    status: int = 200,
) -> HttpResponse:
    context = _base(request, found.community)
    context.update(_live_context(request, found))
    context.update(
        participants=selectors.participants_of(found),
        contribution_form=contribution_form
        or ContributionForm(initial={"step": found.current_step}),
        reflection_form=reflection_form
        or ReflectionForm(
            initial={
                "reflection": found.reflection,
                "followup_after_days": found.followup_after_days,
            }
        ),
        followup_form=followup_form
        or FollowupForm(
            initial={"tried": found.followup_tried, "happened": found.followup_happened}
        ),
    )
    return render(request, "consultancy/session.html", context, status=status)


@login_required
@service_errors
def live(request: AuthedHttpRequest, slug: str, session_id: int) -> HttpResponse:
    """The live region alone (polled). ``shown``/``status`` are what the page shows: if the
    step changed, the contribution box comes along out of band; once the session is over, the
    page reloads to show the reflection."""
    community = access.get_community_for(request.user, slug)
    found = selectors.get_session(request.user, community, session_id)
    shown_status = request.GET.get("status", found.status)
    if shown_status != found.status and found.is_completed:
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    stale = request.GET.get("shown", "") != _step_key(found)
    return _render_live(request, found, oob=stale)


def _step_key(session: Session) -> str:
    return "" if session.current_step is None else str(session.current_step)


def _render_live(
    request: HttpRequest, found: Session, *, oob: bool, error: str = "", form: Any = None
) -> HttpResponse:
    context = _live_context(request, found, error=error)
    context.update(
        oob_contribute=oob,
        contribution_form=form or ContributionForm(initial={"step": found.current_step}),
    )
    return render(request, "consultancy/_live.html", context)


def _facilitate(request: AuthedHttpRequest, slug: str, session_id: int, verb: str) -> HttpResponse:
    """start / advance / back / finish: htmx gets the live region back (and the box, whose
    rules changed with the step); a plain form post goes back to the page."""
    community = access.get_community_for(request.user, slug)
    found = selectors.get_session(request.user, community, session_id)
    raw = request.POST.get("from_step", "")
    from_step = int(raw) if raw.isdigit() else None
    error: PracticaError | None = None
    try:
        if verb == "start":
            services.start_session(request.user, found)
        elif verb == "advance":
            services.advance_step(request.user, found, from_step=from_step)
        elif verb == "back":
            services.previous_step(request.user, found, from_step=from_step)
        else:
            services.finish_session(request.user, found)
    except OUTCOME_ERRORS as exc:
        error = exc
        found = selectors.get_session(request.user, community, session_id)
    if _is_htmx(request):
        if error is None and found.is_completed:
            response = HttpResponse(status=204)
            response["HX-Refresh"] = "true"
            return response
        return _render_live(request, found, oob=True, error=error.detail if error else "")
    ok = {
        "start": "The session has started.",
        "advance": "Moved to the next step.",
        "back": "Went back one step.",
        "finish": "The session is finished. Thank you, everyone.",
    }[verb]
    return action_result(request, error, ok, _session_link(found))


@login_required
@require_POST
@service_errors
def start(request: AuthedHttpRequest, slug: str, session_id: int) -> HttpResponse:
    return _facilitate(request, slug, session_id, "start")


@login_required
@require_POST
@service_errors
def advance(request: AuthedHttpRequest, slug: str, session_id: int) -> HttpResponse:
    return _facilitate(request, slug, session_id, "advance")


@login_required
@require_POST
@service_errors
def back(request: AuthedHttpRequest, slug: str, session_id: int) -> HttpResponse:
    return _facilitate(request, slug, session_id, "back")


@login_required
@require_POST
@service_errors
def finish(request: AuthedHttpRequest, slug: str, session_id: int) -> HttpResponse:
    return _facilitate(request, slug, session_id, "finish")


@login_required
@require_POST
@service_errors
def contribute(request: AuthedHttpRequest, slug: str, session_id: int) -> HttpResponse:
    """Add a contribution in the current step. htmx: the live region with a fresh (or, on a
    problem, the same) box out of band; otherwise back to the page."""
    community = access.get_community_for(request.user, slug)
    found = selectors.get_session(request.user, community, session_id)
    form = ContributionForm(request.POST)
    saved = False
    if form.is_valid():
        try:
            services.add_contribution(
                request.user, found, body=form.cleaned_data["body"], step=form.cleaned_data["step"]
            )
            saved = True
        except OUTCOME_ERRORS as exc:
            form_errors(form, exc)
    found = selectors.get_session(request.user, community, session_id)
    if _is_htmx(request):
        fresh = ContributionForm(initial={"step": found.current_step}) if saved else form
        return _render_live(request, found, oob=True, form=fresh)
    if saved:
        return action_result(request, None, "Added.", _session_link(found) + "#contribute")
    return _render_session(request, found, contribution_form=form, status=422)


@login_required
@require_POST
@service_errors
def reflection(request: AuthedHttpRequest, slug: str, session_id: int) -> HttpResponse:
    community = access.get_community_for(request.user, slug)
    found = selectors.get_session(request.user, community, session_id)
    form = ReflectionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.write_reflection(
                request.user,
                found,
                reflection=data["reflection"],
                followup_after_days=data["followup_after_days"],
            )
        except OUTCOME_ERRORS as exc:
            form_errors(form, exc)
        else:
            messages.success(request, "Your reflection is saved.")
            return HttpResponseRedirect(_session_link(found) + "#reflection")
    return _render_session(request, found, reflection_form=form, status=422)


@login_required
@require_POST
@service_errors
def followup(request: AuthedHttpRequest, slug: str, session_id: int) -> HttpResponse:
    community = access.get_community_for(request.user, slug)
    found = selectors.get_session(request.user, community, session_id)
    form = FollowupForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.record_followup(
                request.user, found, tried=data["tried"], happened=data["happened"]
            )
        except OUTCOME_ERRORS as exc:
            form_errors(form, exc)
        else:
            messages.success(request, "Your follow-up is recorded. Thank you for closing the loop.")
            return HttpResponseRedirect(_session_link(found) + "#followup")
    return _render_session(request, found, followup_form=form, status=422)


@login_required
@require_POST
@service_errors
def visibility(request: AuthedHttpRequest, slug: str, session_id: int) -> HttpResponse:
    community = access.get_community_for(request.user, slug)
    found = selectors.get_session(request.user, community, session_id)
    form = VisibilityForm(request.POST)
    error: PracticaError | None = None
    try:
        if not form.is_valid():
            raise Invalid({"visibility": "Choose who may read this case."})
        services.set_visibility(request.user, found, form.cleaned_data["visibility"])
    except OUTCOME_ERRORS as exc:
        error = exc
    return action_result(request, error, "Saved who may read this case.", _session_link(found))


# --- Protocols ----------------------------------------------------------------------------------


@service_errors
def protocols(request: HttpRequest, slug: str) -> HttpResponse:
    """The shared library and this community's adaptations."""
    community = access.get_community_for(request.user, slug)
    context = _base(request, community)
    context.update(
        page=paginate(request, selectors.protocols_for(community), 25),
        is_member=access.is_member(request.user, community),
    )
    return render(request, "consultancy/protocols.html", context)


@service_errors
def protocol(request: HttpRequest, slug: str, protocol_id: int) -> HttpResponse:
    community = access.get_community_for(request.user, slug)
    found = selectors.get_protocol(community, protocol_id)
    context = _base(request, community)
    context.update(
        protocol=found,
        steps=list(found.steps.all()),
        lineage=selectors.lineage(found),
        adaptations=selectors.adaptations_in(found, community),
        is_member=access.is_member(request.user, community),
    )
    return render(request, "consultancy/protocol.html", context)


def _steps_initial(found: Protocol) -> list[dict[str, Any]]:
    return [s.as_snapshot() for s in found.steps.all()]


def _kept_forms(formset: Any) -> list[Any]:
    """The step rows to save, in order: deleted rows and the empty spare row are dropped."""
    kept = []
    for form in formset.forms:
        data = form.cleaned_data if form.is_valid() else {}
        if not data or data.get("DELETE"):
            continue
        if not (data.get("name") or data.get("purpose") or data.get("minutes")):
            continue  # an empty row (the spare one at the end)
        kept.append(form)
    return kept


def _steps_from(formset: Any) -> list[dict[str, Any]]:
    fields = ("name", "purpose", "minutes", "speakers", "contribution")
    return [{k: form.cleaned_data.get(k) for k in fields} for form in _kept_forms(formset)]


def _attach_step_errors(formset: Any, exc: PracticaError) -> None:
    """Service errors keyed ``steps.<i>.<field>`` onto the matching rows of the formset."""
    if not isinstance(exc, Invalid):
        return
    kept = _kept_forms(formset)
    for key, message in exc.errors.items():
        parts = key.split(".")
        if len(parts) == 3 and parts[0] == "steps" and int(parts[1]) < len(kept):
            kept[int(parts[1])].add_error(parts[2], message)


@login_required
@service_errors
def adapt(request: AuthedHttpRequest, slug: str, protocol_id: int) -> HttpResponse:
    """Adapt a protocol for this community: a copy with lineage, its steps edited."""
    community = access.get_community_for(request.user, slug)
    found = selectors.get_protocol(community, protocol_id)
    access.require(
        access.is_member(request.user, community),
        f"Only members of {community.name} may adapt a protocol.",
    )
    form = AdaptForm(
        request.POST or None,
        initial={"title": f"{found.title} ({community.name})", "summary": found.summary},
    )
    formset = StepFormSet(request.POST or None, initial=_steps_initial(found), prefix="steps")
    step_error = ""
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = form.cleaned_data
        try:
            adapted = services.adapt_protocol(
                request.user,
                found,
                community,
                title=data["title"],
                summary=data["summary"],
                note=data["note"],
                steps=_steps_from(formset),
            )
        except OUTCOME_ERRORS as exc:
            form_errors(form, exc)
            _attach_step_errors(formset, exc)
            if isinstance(exc, Invalid):
                step_error = exc.errors.get("steps", "")
        else:
            messages.success(request, "Adapted. It is now in your community's library.")
            return HttpResponseRedirect(
                reverse("consultancy:protocol", args=[community.slug, adapted.pk])
            )
    context = _base(request, community)
    context.update(protocol=found, form=form, formset=formset, step_error=step_error)
    return render(request, "consultancy/adapt.html", context)
