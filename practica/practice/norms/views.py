"""Norm pages: the norm set, proposals and their responses, discussion, nudges, revisits and
settings. Thin: parse a form, call one service, render (or, under htmx, render one block).

Every community comes through the gate (``access.get_community_for``): one a person may not see
is a 404 (or a login redirect when signed out), exactly like the community pages.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from practica.accounts.models import User
from practica.communities import access
from practica.communities.models import Community
from practica.communities.views import _community_context
from practica.lib.errors import Invalid, NotFound, PracticaError
from practica.lib.htmx import render_page
from practica.lib.pagination import paginate
from practica.lib.typing import AuthedHttpRequest
from practica.lib.views import (
    OUTCOME_ERRORS,
    action_result,
    form_errors,
    service_errors,
    submit_form,
)
from practica.practice.norms import selectors, services
from practica.practice.norms.forms import (
    CommentForm,
    ProposalForm,
    ResponseForm,
    RetireForm,
    ReviseForm,
    SettingsForm,
)
from practica.practice.norms.models import (
    Proposal,
    ProposalKind,
    ProposalStatus,
    RevisitRound,
)

RECENT_DECIDED = 5


def _base(request: HttpRequest, community: Community) -> dict[str, Any]:
    """The community header's context (the same keys as the community pages) + our tab."""
    context = _community_context(request, community)
    context["active"] = "norms"
    return context


def _viewer(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


def _proposal_link(proposal: Proposal) -> str:
    return reverse("norms:proposal", args=[proposal.community.slug, proposal.pk])


def _invalid(form: Any) -> Invalid:
    """A Django form's errors as the services' Invalid (for one-click actions)."""
    return Invalid({k: " ".join(str(e) for e in v) for k, v in form.errors.items()})


# --- The norm set -------------------------------------------------------------------------------


@service_errors
def index(request: HttpRequest, slug: str) -> HttpResponse:
    """The norm set, the open proposals, a revisit round if one is open, recent decisions."""
    community = access.get_community_for(request.user, slug)
    context = _base(request, community)
    proposals = selectors.proposals_with_counts(community)
    context.update(
        norms=selectors.current_norms(community),
        norm_version=selectors.norm_set_version(community),
        norm_settings=selectors.settings_for(community),
        revisit=selectors.open_revisit(community),
        open_proposals=list(proposals.filter(status=ProposalStatus.OPEN)),
        decided=list(proposals.exclude(status=ProposalStatus.OPEN)[:RECENT_DECIDED]),
        members=selectors.member_count(community.pk),
        is_member=access.is_member(request.user, community),
    )
    return render(request, "norms/index.html", context)


@service_errors
def history(request: HttpRequest, slug: str) -> HttpResponse:
    """Every version of the norm set, newest first, with who proposed each change and when."""
    community = access.get_community_for(request.user, slug)
    context = _base(request, community)
    context["page"] = paginate(request, selectors.set_versions(community), 20)
    return render(request, "norms/history.html", context)


@service_errors
def proposals(request: HttpRequest, slug: str) -> HttpResponse:
    """All proposals, newest first, optionally by status."""
    community = access.get_community_for(request.user, slug)
    context = _base(request, community)
    rows = selectors.proposals_with_counts(community)
    status = request.GET.get("status", "")
    if status in ProposalStatus.values:
        rows = rows.filter(status=status)
    context.update(
        page=paginate(request, rows, 20),
        statuses=ProposalStatus.choices,
        status_filter=status,
        members=selectors.member_count(community.pk),
    )
    return render(request, "norms/proposals.html", context)


# --- Proposing ----------------------------------------------------------------------------------


@login_required
@service_errors
def propose(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    """Propose a new norm; ``?kind=change&norm=ID`` or ``?kind=retire&norm=ID`` for an
    existing one (the form then starts from its text)."""
    community = access.get_community_for(request.user, slug)
    access.require(
        access.is_member(request.user, community), f"Only members of {community.name} may propose."
    )
    source = request.POST if request.method == "POST" else request.GET
    raw_kind = source.get("kind", "")
    kind = raw_kind if raw_kind in ProposalKind.values else ProposalKind.NEW
    target = selectors.get_norm(community, source.get("norm")) if kind != ProposalKind.NEW else None
    if kind != ProposalKind.NEW and (target is None or target.retired_at is not None):
        raise NotFound("No such norm in this community's set.")
    form_class = RetireForm if kind == ProposalKind.RETIRE else ProposalForm
    initial: dict[str, object] = {"kind": kind, "norm": target.pk if target else None}
    initial["closes_on"] = services.local_today(request.user.timezone) + timedelta(
        days=services.DEFAULT_ROUND_DAYS
    )
    if target is not None:
        initial.update(statement=target.statement, why="" if kind == "retire" else target.why)
    form = form_class(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            proposal = services.propose(
                request.user,
                community,
                kind=kind,
                norm=target,
                statement=data.get("statement") or "",
                why=data["why"],
                closes_on=data["closes_on"],
            )
        except OUTCOME_ERRORS as exc:
            form_errors(form, exc)
        else:
            messages.success(request, "Proposed. The group's response round is open.")
            return redirect(_proposal_link(proposal))
    context = _base(request, community)
    context.update(form=form, kind=kind, target=target)
    return render(request, "norms/propose.html", context)


# --- One proposal -------------------------------------------------------------------------------


def _proposal_context(
    request: HttpRequest,
    community: Community,
    proposal: Proposal,
    *,
    response_form: ResponseForm | None = None,
    comment_form: CommentForm | None = None,
) -> dict[str, Any]:
    viewer = _viewer(request)
    detail = selectors.proposal_detail(proposal, viewer)
    mine = detail.mine
    if response_form is None:
        initial = (
            {"stance": mine.stance, "reason": mine.reason, "signed": mine.signed} if mine else {}
        )
        response_form = ResponseForm(initial=initial)
    can_manage = access.can_manage_members(request.user, community)
    context = _base(request, community)
    context.update(
        proposal=proposal,
        detail=detail,
        tally=detail.tally,
        mine=mine,
        response_form=response_form,
        comment_form=comment_form or CommentForm(),
        comments=paginate(request, selectors.comments(proposal), 50),
        is_member=access.is_member(request.user, community),
        is_proposer=viewer is not None and proposal.proposed_by_id == viewer.pk,
        can_manage=can_manage,
        waiting=list(selectors.waiting_for(proposal)) if can_manage and proposal.is_open else [],
        nudged=selectors.nudged_today(proposal) if can_manage and proposal.is_open else set(),
    )
    return context


@service_errors
def proposal(request: HttpRequest, slug: str, proposal_id: int) -> HttpResponse:
    community = access.get_community_for(request.user, slug)
    found = selectors.get_proposal(community, proposal_id)
    return render(request, "norms/proposal.html", _proposal_context(request, community, found))


def _respond_result(
    request: HttpRequest,
    community: Community,
    found: Proposal,
    error: PracticaError | None,
    ok: str,
    form: ResponseForm | None = None,
) -> HttpResponse:
    """htmx: the response block again (or a full reload once the proposal is decided);
    otherwise flash and go back to the proposal, or show the page again with the typed text."""
    found.refresh_from_db()
    if error is None and not found.is_open:
        ok = "Consent reached: the norm is adopted." if found.status == "adopted" else ok
        messages.success(request, ok)
        if getattr(request, "htmx", False):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = _proposal_link(found)
            return response
        return redirect(_proposal_link(found))
    if getattr(request, "htmx", False) or (error is not None and form is not None):
        if error is not None and form is not None and form.is_valid():
            form_errors(form, error)  # a service's refusal; a form's own errors are already on it
        context = _proposal_context(request, community, found, response_form=form)
        context["flash"] = error.detail if error else ok
        context["flash_error"] = error is not None
        return render_page(request, "norms/proposal.html", context, block="respond")
    return action_result(request, error, ok, _proposal_link(found))


@login_required
@require_POST
@service_errors
def respond(request: AuthedHttpRequest, slug: str, proposal_id: int) -> HttpResponse:
    community = access.get_community_for(request.user, slug)
    found = selectors.get_proposal(community, proposal_id)
    form = ResponseForm(request.POST)
    if not form.is_valid():
        return _respond_result(request, community, found, _invalid(form), "", form)
    try:
        services.respond(request.user, found, **form.cleaned_data)
    except OUTCOME_ERRORS as exc:
        return _respond_result(request, community, found, exc, "", form)
    return _respond_result(request, community, found, None, "Thank you: your response is in.")


@login_required
@require_POST
@service_errors
def withdraw_objection(request: AuthedHttpRequest, slug: str, proposal_id: int) -> HttpResponse:
    community = access.get_community_for(request.user, slug)
    found = selectors.get_proposal(community, proposal_id)
    error = None
    try:
        services.withdraw_objection(request.user, found)
    except OUTCOME_ERRORS as exc:
        error = exc
    ok = "Objection withdrawn: you now stand aside (you can still change to agree)."
    return _respond_result(request, community, found, error, ok)


@login_required
@service_errors
def revise(request: AuthedHttpRequest, slug: str, proposal_id: int) -> HttpResponse:
    """The proposer writes a new version (a new round for those who objected)."""
    community = access.get_community_for(request.user, slug)
    found = selectors.get_proposal(community, proposal_id)
    access.require(
        found.proposed_by_id == request.user.pk and access.is_member(request.user, community),
        "Only the person who proposed it may revise it: suggest a change in the discussion.",
    )
    keeps = timezone.localtime(found.open_until).strftime("%a %b %-d, %H:%M")
    form = ReviseForm(
        request.POST or None,
        initial={"statement": found.statement, "why": found.why},
        retire=found.kind == ProposalKind.RETIRE,
        keeps=keeps,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        statement = data["statement"] if found.kind != ProposalKind.RETIRE else found.statement
        try:
            version = services.revise(
                request.user,
                found,
                statement=statement,
                why=data["why"],
                note=data["note"],
                closes_on=data["closes_on"],
            )
        except OUTCOME_ERRORS as exc:
            form_errors(form, exc)
        else:
            messages.success(request, f"Version {version.number} is up; objectors are asked again.")
            return redirect(_proposal_link(found))
    context = _base(request, community)
    context.update(form=form, proposal=found, detail=selectors.proposal_detail(found, None))
    return render(request, "norms/revise.html", context)


@login_required
@require_POST
@service_errors
def comment(request: AuthedHttpRequest, slug: str, proposal_id: int) -> HttpResponse:
    community = access.get_community_for(request.user, slug)
    found = selectors.get_proposal(community, proposal_id)
    form = CommentForm(request.POST)
    error: PracticaError | None = None if form.is_valid() else _invalid(form)
    if error is None:
        try:
            services.comment(request.user, found, body=form.cleaned_data["body"])
        except OUTCOME_ERRORS as exc:
            error = exc
    if error is not None:  # show the page again with what they typed, never lose it
        if form.is_valid():
            form_errors(form, error)
        context = _proposal_context(request, community, found, comment_form=form)
        return render(request, "norms/proposal.html", context)
    messages.success(request, "Added to the discussion.")
    return redirect(_proposal_link(found) + "#discussion")


@login_required
@require_POST
@service_errors
def nudge(request: AuthedHttpRequest, slug: str, proposal_id: int, user_id: int) -> HttpResponse:
    community = access.get_community_for(request.user, slug)
    found = selectors.get_proposal(community, proposal_id)
    access.require(
        access.can_manage_members(request.user, community),
        "Only facilitators and coordinators may nudge members.",
    )
    member = User.objects.filter(pk=user_id).first() if user_id <= selectors.DB_INT_MAX else None
    error = None
    ok = ""
    try:
        if member is None:
            raise NotFound("That person is not a member of this community.")
        services.nudge(request.user, found, member)
        ok = f"{member.display_name} was asked for their voice."
    except OUTCOME_ERRORS as exc:
        error = exc
    return action_result(request, error, ok, _proposal_link(found) + "#waiting")


# --- Settings -----------------------------------------------------------------------------------


@login_required
@service_errors
def norm_settings(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    """Quorum, revisit interval and next revisit date (coordinators)."""
    community = access.get_community_for(request.user, slug)
    access.require(
        access.can_steward(request.user, community),
        "Only coordinators may change how this community decides its norms.",
    )
    current = selectors.settings_for(community)
    form = SettingsForm(
        request.POST or None,
        initial={
            "quorum_percent": current.quorum_percent,
            "revisit_interval_days": current.revisit_interval_days,
            "next_revisit_on": current.next_revisit_on,
        },
    )
    done = submit_form(
        request,
        form,
        lambda data: services.update_settings(request.user, community, **data),
        success="Norm settings saved.",
        to=reverse("norms:index", args=[community.slug]),
    )
    if done:
        return done
    context = _base(request, community)
    context.update(form=form, norm_settings=current)
    return render(request, "norms/settings.html", context)


# --- Revisit rounds -----------------------------------------------------------------------------


def _round_context(request: HttpRequest, community: Community, found: RevisitRound) -> Any:
    can_manage = access.can_manage_members(request.user, community)
    context = _base(request, community)
    context.update(
        round=selectors.round_detail(found, _viewer(request)),
        is_member=access.is_member(request.user, community),
        can_manage=can_manage,
        waiting=list(selectors.round_waiting(found)) if can_manage and found.is_open else [],
    )
    return context


@service_errors
def revisit(request: HttpRequest, slug: str, round_id: int) -> HttpResponse:
    community = access.get_community_for(request.user, slug)
    found = selectors.get_round(community, round_id)
    return render(request, "norms/revisit.html", _round_context(request, community, found))


@login_required
@require_POST
@service_errors
def reaffirm(request: AuthedHttpRequest, slug: str, round_id: int) -> HttpResponse:
    """Reaffirm one norm (``norm=ID``) or every norm not yet spoken about (``norm=all``)."""
    community = access.get_community_for(request.user, slug)
    found = selectors.get_round(community, round_id)
    raw = request.POST.get("norm", "")
    note = request.POST.get("note", "")
    error = None
    ok = "Reaffirmed."
    try:
        if raw == "all":
            ok = f"Reaffirmed {services.reaffirm_all(request.user, found)} norm(s)."
        else:
            norm = selectors.get_norm(community, raw)
            if norm is None:
                raise NotFound("No such norm in this community's set.")
            services.reaffirm(request.user, found, norm, note=note)
    except OUTCOME_ERRORS as exc:
        error = exc
    if getattr(request, "htmx", False):
        context = _round_context(request, community, found)
        context["flash"] = error.detail if error else ok
        context["flash_error"] = error is not None
        return render_page(request, "norms/revisit.html", context, block="round")
    link = reverse("norms:revisit", args=[community.slug, found.pk])
    return action_result(request, error, ok, link)
