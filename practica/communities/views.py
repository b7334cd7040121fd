"""Community pages: create, home, members, joining and leaving, requests, invitations, roles."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from practica.accounts.models import Organization, User
from practica.communities import access, selectors, services
from practica.communities.forms import (
    CommunityForm,
    CommunityInviteForm,
    CommunitySettingsForm,
    JoinRequestForm,
)
from practica.communities.models import (
    Community,
    CommunityInvitation,
    JoinPolicy,
    JoinRequest,
    RequestStatus,
    Role,
    Visibility,
)
from practica.communities.panels import panels_for
from practica.lib.errors import PracticaError
from practica.lib.htmx import render_page
from practica.lib.pagination import paginate
from practica.lib.typing import AuthedHttpRequest
from practica.lib.views import OUTCOME_ERRORS, action_result, form_errors, service_errors


def _creatable_orgs(user: User) -> list[Organization]:
    return [
        o
        for o in access.visible_orgs(user).order_by("path")
        if access.can_create_community_in(user, o)
    ]


@login_required
def community_list(request: AuthedHttpRequest) -> HttpResponse:
    communities = selectors.communities_for_listing(request.user)
    return render(request, "communities/list.html", {"page": paginate(request, communities, 24)})


@login_required
@service_errors
def community_create(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    orgs = _creatable_orgs(user)
    form = CommunityForm(
        request.POST or None,
        initial={
            "visibility": Visibility.ORGANIZATION,
            "join_policy": JoinPolicy.OPEN,
            "organization": request.GET.get("org") or (orgs[0].slug if orgs else None),
        },
    )
    form.fields["organization"].queryset = Organization.objects.filter(  # type: ignore[attr-defined]
        pk__in=[o.pk for o in orgs]
    ).order_by("path")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            community = services.create_community(
                user,
                data["organization"],
                name=data["name"],
                slug=data["slug"],
                domain=data["domain"],
                purpose=data["purpose"],
                visibility=data["visibility"],
                join_policy=data["join_policy"],
            )
        except OUTCOME_ERRORS as exc:
            form_errors(form, exc)
        else:
            messages.success(request, f"{community.name} is ready. Invite your colleagues!")
            return redirect("communities:home", slug=community.slug)
    return render(request, "communities/create.html", {"form": form, "orgs": orgs})


def _community_context(request: HttpRequest, community: Community) -> dict[str, object]:
    user = request.user
    role = access.role_in(user, community)
    pending_request = None
    invitation = None
    if user.is_authenticated and role is None:
        pending_request = JoinRequest.objects.filter(
            community=community, user=user, status=RequestStatus.PENDING
        ).first()
        invitation = CommunityInvitation.objects.filter(
            community=community, user=user, status=RequestStatus.PENDING
        ).first()
    can_manage = access.can_manage_members(user, community)
    return {
        "community": community,
        "role": role,
        "role_label": Role(role).label if role else None,
        "pending_request": pending_request,
        "invitation": invitation,
        "can_manage": can_manage,
        "can_steward": access.can_steward(user, community),
        "request_count": selectors.pending_requests(community).count() if can_manage else 0,
    }


@service_errors
def community_home(request: HttpRequest, slug: str) -> HttpResponse:
    community = access.get_community_for(request.user, slug)
    context = _community_context(request, community)
    members = selectors.members_of(community, with_expertise=False)
    context["leaders"] = list(members.exclude(role=Role.MEMBER)[:12])
    context["recent"] = list(members.order_by("-joined_at")[:12])
    context["request_form"] = JoinRequestForm()
    context["panels"] = panels_for(request, community)
    return render_page(request, "communities/home.html", context, block="membership")


@service_errors
def community_members(request: HttpRequest, slug: str) -> HttpResponse:
    if not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    community = access.get_community_for(request.user, slug)
    context = _community_context(request, community)
    members = selectors.members_of(community)
    role_filter = request.GET.get("role", "")
    if role_filter in Role.values:
        members = members.filter(role=role_filter)
    context.update(
        page=paginate(request, members, 30),
        roles=Role.choices,
        role_filter=role_filter,
        invite_form=CommunityInviteForm(),
        requests=list(selectors.pending_requests(community)[:100]) if context["can_manage"] else [],
    )
    return render(request, "communities/members.html", context)


def _membership_response(
    request: HttpRequest, community: Community, error: PracticaError | None, ok: str
) -> HttpResponse:
    """htmx: re-render the membership block in place; otherwise flash and go back."""
    if getattr(request, "htmx", False):
        community.refresh_from_db()
        access.forget_viewer(request.user)
        context = _community_context(request, community)
        context["request_form"] = JoinRequestForm()
        context["flash"] = error.detail if error else ok
        context["flash_error"] = error is not None
        return render_page(
            request, "communities/home.html", context, block="membership", status=200
        )
    return action_result(request, error, ok, reverse("communities:home", args=[community.slug]))


@login_required
@require_POST
@service_errors
def join(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    community = access.get_community_for(request.user, slug)
    error = None
    try:
        services.join_community(request.user, community)
    except OUTCOME_ERRORS as exc:
        error = exc
    return _membership_response(request, community, error, f"Welcome to {community.name}!")


@login_required
@require_POST
@service_errors
def leave(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    community = access.get_community_for(request.user, slug)
    error = None
    try:
        services.leave_community(request.user, community)
    except OUTCOME_ERRORS as exc:
        error = exc
    # A private community disappears for someone who left it: go home, not to a 404.
    if error is None and not access.can_view_community(request.user, community):
        messages.success(request, f"You left {community.name}.")
        return redirect("web:home")
    return _membership_response(request, community, error, f"You left {community.name}.")


@login_required
@require_POST
@service_errors
def request_join(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    community = access.get_community_for(request.user, slug)
    error = None
    if request.POST.get("action") == "withdraw":
        try:
            services.withdraw_request(request.user, community)
        except OUTCOME_ERRORS as exc:
            error = exc
        return _membership_response(request, community, error, "Request withdrawn.")
    form = JoinRequestForm(request.POST)
    message = form.cleaned_data["message"] if form.is_valid() else ""
    if not form.is_valid():
        from practica.lib.errors import Invalid

        error = Invalid({"message": " ".join(str(e) for e in form.errors.get("message", []))})
    else:
        try:
            services.request_to_join(request.user, community, message)
        except OUTCOME_ERRORS as exc:
            error = exc
    return _membership_response(
        request, community, error, "Request sent. A facilitator will answer soon."
    )


@login_required
@require_POST
@service_errors
def decide_request(request: AuthedHttpRequest, slug: str, request_id: int) -> HttpResponse:
    community = access.get_community_for(request.user, slug)
    join_request = (
        JoinRequest.objects.select_related("user", "community")
        .filter(pk=request_id, community=community)
        .first()
    )
    if join_request is None:
        raise Http404("No such request.")
    approve = request.POST.get("decision") == "approve"
    error = None
    try:
        services.decide_join_request(request.user, join_request, approve=approve)
    except OUTCOME_ERRORS as exc:
        error = exc
    verb = "approved" if approve else "declined"
    return action_result(
        request,
        error,
        f"Request from {join_request.user.display_name} {verb}.",
        reverse("communities:members", args=[community.slug]),
    )


@login_required
@require_POST
@service_errors
def invite(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    community = access.get_community_for(request.user, slug)
    access.require(
        access.can_manage_members(request.user, community),
        "Only facilitators and coordinators may invite.",
    )
    form = CommunityInviteForm(request.POST)
    error = None
    ok = ""
    if form.is_valid():
        try:
            invitation = services.invite_to_community(
                request.user, community, form.cleaned_data["email"], form.cleaned_data["role"]
            )
            ok = f"{invitation.user.display_name} is invited."
        except OUTCOME_ERRORS as exc:
            error = exc
    else:
        from practica.lib.errors import Invalid

        error = Invalid({k: " ".join(str(e) for e in v) for k, v in form.errors.items()})
    return action_result(request, error, ok, reverse("communities:members", args=[community.slug]))


@login_required
@require_POST
@service_errors
def respond_invitation(request: AuthedHttpRequest, slug: str, invitation_id: int) -> HttpResponse:
    community = access.get_community_for(request.user, slug)
    invitation = CommunityInvitation.objects.filter(
        pk=invitation_id, community=community, user=request.user
    ).first()
    if invitation is None:
        raise Http404("No such invitation.")
    accept = request.POST.get("decision") == "accept"
    error = None
    try:
        services.respond_to_invitation(request.user, invitation, accept=accept)
    except OUTCOME_ERRORS as exc:
        error = exc
    ok = f"Welcome to {community.name}!" if accept else "Invitation declined."
    if not accept and not access.can_view_community(request.user, community):
        messages.info(request, ok)
        return redirect("web:home")
    return _membership_response(request, community, error, ok)


@login_required
@require_POST
@service_errors
def member_role(request: AuthedHttpRequest, slug: str, user_id: int) -> HttpResponse:
    community = access.get_community_for(request.user, slug)
    member = User.objects.filter(pk=user_id).first()
    if member is None:
        raise Http404("No such person.")
    error = None
    try:
        if request.POST.get("action") == "remove":
            services.remove_member(request.user, community, member)
            ok = f"{member.display_name} was removed."
        else:
            role = request.POST.get("role", "")
            services.change_member_role(request.user, community, member, role)
            ok = f"{member.display_name} is now {Role(role).label.lower()}."
    except OUTCOME_ERRORS as exc:
        error, ok = exc, ""
    return action_result(request, error, ok, reverse("communities:members", args=[community.slug]))


@login_required
@service_errors
def community_settings(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    community = access.get_community_for(request.user, slug)
    access.require(
        access.can_steward(request.user, community),
        "Only coordinators may change this community's settings.",
    )
    form = CommunitySettingsForm(
        request.POST or None,
        initial={
            f: getattr(community, f)
            for f in ("name", "domain", "purpose", "visibility", "join_policy")
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_community(request.user, community, **form.cleaned_data)
        except OUTCOME_ERRORS as exc:
            form_errors(form, exc)
        else:
            messages.success(request, "Settings saved.")
            return redirect("communities:home", slug=community.slug)
    return render(
        request,
        "communities/settings.html",
        {**_community_context(request, community), "form": form},
    )
