"""Profile, API tokens, people, organizations and invitations (HTML)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from practica.accounts import services
from practica.accounts.forms import (
    InviteForm,
    OrganizationForm,
    OrganizationSettingsForm,
    ProfileForm,
    TokenForm,
)
from practica.accounts.models import Organization, OrgInvitation, OrgMembership, OrgRole, User
from practica.communities import access, selectors
from practica.lib.errors import Invalid
from practica.lib.pagination import paginate
from practica.lib.typing import AuthedHttpRequest
from practica.lib.views import OUTCOME_ERRORS, action_result, form_errors, service_errors


@login_required
@service_errors
def profile(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    initial = {
        "name": user.name,
        "title": user.title,
        "bio": user.bio,
        "timezone": user.timezone,
        "expertise": ", ".join(e.label for e in user.expertise.all()),
    }
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_profile(
                user,
                name=form.cleaned_data["name"],
                title=form.cleaned_data["title"],
                bio=form.cleaned_data["bio"],
                timezone_name=form.cleaned_data["timezone"],
                expertise=form.cleaned_data["expertise"],
            )
        except OUTCOME_ERRORS as exc:
            form_errors(form, exc)
        else:
            messages.success(request, "Profile saved.")
            return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form, "section": "profile"})


@login_required
@service_errors
def tokens(request: AuthedHttpRequest) -> HttpResponse:
    """List personal API tokens and create one; the new raw token is shown exactly once."""
    user = request.user
    form = TokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        try:
            _, new_token = services.create_api_token(user, form.cleaned_data["name"])
        except OUTCOME_ERRORS as exc:
            form_errors(form, exc)
        else:
            form = TokenForm()
    return render(
        request,
        "accounts/tokens.html",
        {
            "form": form,
            "tokens": user.api_tokens.all()[:100],
            "new_token": new_token,
            "section": "tokens",
        },
    )


@login_required
@require_POST
@service_errors
def revoke_token(request: AuthedHttpRequest, token_id: int) -> HttpResponse:
    error = None
    try:
        services.revoke_api_token(request.user, token_id)
    except OUTCOME_ERRORS as exc:
        error = exc
    return action_result(request, error, "Token revoked.", reverse("accounts:tokens"))


@login_required
def person(request: AuthedHttpRequest, user_id: int) -> HttpResponse:
    person = User.objects.filter(pk=user_id, is_active=True).first()
    if person is None or not access.can_view_person(request.user, person):
        raise Http404("No such person.")
    communities = selectors.communities_for_listing(request.user).filter(memberships__user=person)
    orgs = access.visible_orgs(request.user).filter(memberships__user=person)
    return render(
        request,
        "accounts/person.html",
        {
            "person": person,
            "communities": communities[:50],
            "orgs": orgs[:50],
            "expertise": person.expertise.all(),
        },
    )


# --- Organizations ------------------------------------------------------------------------------


@login_required
def org_list(request: AuthedHttpRequest) -> HttpResponse:
    orgs = access.visible_orgs(request.user).order_by("path")
    return render(request, "accounts/org_list.html", {"page": paginate(request, orgs, 50)})


@login_required
@service_errors
def org_detail(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    org = access.get_org_for(request.user, slug)
    communities = selectors.communities_for_listing(request.user).filter(organization=org)
    children = access.visible_orgs(request.user).filter(parent=org)
    return render(
        request,
        "accounts/org_detail.html",
        {
            "org": org,
            "page": paginate(request, communities, 24),
            "children": children[:100],
            "ancestors": access.visible_orgs(request.user)
            .filter(pk__in=org.ancestor_ids[:-1])
            .order_by("path"),
            "is_admin": access.can_admin_org(request.user, org),
            "can_create": access.can_create_community_in(request.user, org),
        },
    )


@login_required
@service_errors
def org_new_child(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    """An admin adds an organization inside this one (a school to a district...)."""
    parent = access.get_org_for(request.user, slug, admin=True)
    form = OrganizationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            child = services.create_organization(request.user, parent=parent, **form.cleaned_data)
        except OUTCOME_ERRORS as exc:
            form_errors(form, exc)
        else:
            messages.success(request, f"{child.name} was added to {parent.name}.")
            return redirect("accounts:org-detail", slug=child.slug)
    return render(
        request,
        "accounts/org_form.html",
        {"org": parent, "form": form, "creating": True, "is_admin": True},
    )


@login_required
@service_errors
def org_settings(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    org = access.get_org_for(request.user, slug, admin=True)
    form = OrganizationSettingsForm(
        request.POST or None,
        initial={
            "name": org.name,
            "description": org.description,
            "members_can_create_communities": org.members_can_create_communities,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_organization(request.user, org, **form.cleaned_data)
        except OUTCOME_ERRORS as exc:
            form_errors(form, exc)
        else:
            messages.success(request, "Settings saved.")
            return redirect("accounts:org-detail", slug=org.slug)
    return render(
        request,
        "accounts/org_form.html",
        {"org": org, "form": form, "creating": False, "is_admin": True},
    )


@login_required
@service_errors
def org_members(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    org = access.get_org_for(request.user, slug)
    members = (
        OrgMembership.objects.filter(organization=org)
        .select_related("user")
        .order_by("user__name", "user__email")
    )
    is_admin = access.can_admin_org(request.user, org)
    open_invitations = (
        OrgInvitation.objects.filter(organization=org, accepted_at__isnull=True).order_by("email")
        if is_admin
        else OrgInvitation.objects.none()
    )
    return render(
        request,
        "accounts/org_members.html",
        {
            "org": org,
            "page": paginate(request, members, 50),
            "is_admin": is_admin,
            "roles": OrgRole.choices,
            "invitations": open_invitations[:200],
        },
    )


@login_required
@service_errors
def org_invite(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    """Invite one address or a CSV; the result is a per-row report."""
    org = access.get_org_for(request.user, slug, admin=True)
    form = InviteForm(request.POST or None, request.FILES or None)
    report: list[services.InviteOutcome] | None = None
    if request.method == "POST" and form.is_valid():
        report = _run_invite(request, org, form)
        if report is not None:
            form = InviteForm()
    return render(request, "accounts/org_invite.html", {"org": org, "form": form, "report": report})


def _run_invite(
    request: AuthedHttpRequest, org: Organization, form: InviteForm
) -> list[services.InviteOutcome] | None:
    upload = form.cleaned_data.get("csv_file")
    try:
        if upload:
            return services.invite_csv_to_org(request.user, org, upload.read())
        if not form.cleaned_data["email"]:
            form.add_error("email", "Give an e-mail address or choose a CSV file.")
            return None
        return [
            services.invite_to_org(
                request.user,
                org,
                form.cleaned_data["email"],
                name=form.cleaned_data["name"],
                role=form.cleaned_data["role"],
            )
        ]
    except OUTCOME_ERRORS as exc:
        if isinstance(exc, Invalid) and "file" in exc.errors:
            form.add_error("csv_file", exc.errors["file"])
        else:
            form_errors(form, exc)
        return None


@login_required
@require_POST
@service_errors
def org_set_role(request: AuthedHttpRequest, slug: str, user_id: int) -> HttpResponse:
    org = access.get_org_for(request.user, slug, admin=True)
    member = User.objects.filter(pk=user_id).first()
    error = None
    try:
        if member is None:
            raise Http404("No such person.")
        if request.POST.get("action") == "remove":
            services.remove_org_member(request.user, org, member)
            ok = f"{member.display_name} removed."
        else:
            services.set_org_role(request.user, org, member, request.POST.get("role", ""))
            ok = f"{member.display_name} is now {request.POST.get('role')}."
    except OUTCOME_ERRORS as exc:
        error, ok = exc, ""
    return action_result(request, error, ok, reverse("accounts:org-members", args=[org.slug]))


@login_required
@service_errors
def accept_invitation(request: AuthedHttpRequest, token: str) -> HttpResponse:
    invitation = OrgInvitation.objects.select_related("organization").filter(token=token).first()
    if request.method == "POST":
        try:
            org = services.accept_invitation(request.user, token)
        except OUTCOME_ERRORS as exc:
            messages.error(request, exc.detail)
        else:
            messages.success(request, f"Welcome to {org.name}!")
            return redirect("accounts:org-detail", slug=org.slug)
    return render(request, "accounts/invitation.html", {"invitation": invitation, "token": token})
