"""Resource pages: the list, contributing, one resource (player or preview, ratings, "used it"
notes), its file, flags, the review queue and decisions, and the settings. Thin: parse a form,
call one service, render (or, under htmx, render one block).

Every community comes through the gate (``access.get_community_for``) and every resource
through ``selectors.get_resource``: one a person may not see is a 404 (a login redirect when
signed out), exactly like one that does not exist.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_http_methods, require_POST

from practica.accounts.models import User
from practica.communities import access
from practica.communities.models import Community
from practica.communities.views import _community_context
from practica.lib.errors import Invalid, PracticaError
from practica.lib.htmx import render_page
from practica.lib.pagination import paginate
from practica.lib.typing import AuthedHttpRequest
from practica.lib.views import OUTCOME_ERRORS, action_result, form_errors, service_errors
from practica.resources import selectors, services, serving, uploads
from practica.resources.forms import (
    FlagForm,
    LimitsForm,
    ModerateForm,
    NeedsReviewForm,
    RateForm,
    ResourceForm,
    ReviewedForm,
    SettingsForm,
    UsedForm,
)
from practica.resources.models import AudienceRole, GradeBand, Resource, Status

PAGE_SIZE = 20
NOTES_PAGE_SIZE = 20
SORT_LABELS = {"top": "Most credible", "newest": "Newest", "used": "Most used"}


def _base(request: HttpRequest, community: Community) -> dict[str, Any]:
    context = _community_context(request, community)
    context["active"] = "resources"
    context["can_review"] = selectors.can_review(request.user, community)
    return context


def _detail_url(resource: Resource) -> str:
    return reverse("resources:detail", args=[resource.community.slug, resource.pk])


def _invalid(form: Any) -> Invalid:
    return Invalid({k: " ".join(str(e) for e in v) for k, v in form.errors.items()})


def _user(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


# --- Lists --------------------------------------------------------------------------------------


@service_errors
def index(request: HttpRequest, slug: str) -> HttpResponse:
    """Resources by credibility, newest or most used; filtered by tag and audience."""
    community = access.get_community_for(request.user, slug)
    sort = request.GET.get("sort", "top")
    sort = sort if sort in SORT_LABELS else "top"
    tag = request.GET.get("tag", "")
    grade = request.GET.get("grade", "")
    grade = grade if grade in GradeBand.values else ""
    role = request.GET.get("for", "")
    role = role if role in AudienceRole.values else ""
    rows = selectors.resources(community, sort=sort, tag=tag, grade_band=grade, audience_role=role)
    context = _base(request, community)
    query = "".join(
        f"&{k}={v}" for k, v in (("sort", sort), ("tag", tag), ("grade", grade), ("for", role)) if v
    )
    context.update(
        page=paginate(request, rows, PAGE_SIZE),
        sort=sort,
        sorts=SORT_LABELS,
        tag=tag,
        grade=grade,
        role=role,
        grades=GradeBand.choices,
        roles=AudienceRole.choices,
        tags=selectors.tag_counts(community),
        query=query,
        can_contribute=selectors.can_contribute(request.user, community),
        review_count=selectors.review_queue(community).count() if context["can_review"] else 0,
    )
    return render_page(request, "resources/index.html", context, block="list")


# --- Contributing and editing -------------------------------------------------------------------


def _form_values(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "title": data.get("title") or "",
        "description": data.get("description") or "",
        "tags": data.get("tags") or "",
        "grade_band": data.get("grade_band") or "",
        "audience_role": data.get("audience_role") or "",
        "related_post_id": data.get("related_post"),
        "wiki_page_id": data.get("wiki_page"),
    }


@login_required
@service_errors
def new(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    """Contribute a resource: a file (size checked while it streams in) or a link."""
    community = access.get_community_for(request.user, slug)
    access.require(
        selectors.can_contribute(request.user, community),
        f"Only members of {community.name} may contribute resources.",
    )
    status = 200
    form = ResourceForm(request.POST or None, request.FILES or None)
    refused = uploads.refusal(request) if request.method == "POST" else None
    if refused:
        form.is_valid()
        form.add_error("file", refused)
        status = 413
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            resource = services.create_resource(
                request.user,
                community,
                **_form_values(data),
                url=data.get("url") or "",
                upload=data.get("file"),
            )
        except OUTCOME_ERRORS as exc:
            form_errors(form, exc)
            status = 422
        else:
            messages.success(request, "Shared. Thank you: colleagues can now rate and use it.")
            return redirect(_detail_url(resource))
    if request.method == "POST" and status == 200:
        status = 422  # the form's own errors (e.g. an empty file)
    context = _base(request, community)
    context.update(form=form, limits=uploads.limits_for_organization(community.organization_id))
    return render(request, "resources/new.html", context, status=status)


@login_required
@service_errors
def edit(request: AuthedHttpRequest, slug: str, resource_id: int) -> HttpResponse:
    community = access.get_community_for(request.user, slug)
    resource = selectors.get_resource(request.user, resource_id, community)
    services.require_editor(request.user, resource)
    initial = {
        "title": resource.title,
        "description": resource.description,
        "tags": ", ".join(t.name for t in resource.tags.all()),
        "grade_band": resource.grade_band,
        "audience_role": resource.audience_role,
        "related_post": resource.related_post_id,
        "wiki_page": resource.wiki_page_id,
        "url": resource.url,
    }
    form = ResourceForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.edit_resource(
                request.user,
                resource,
                **_form_values(data),
                url=data.get("url") if resource.kind == "link" else None,
            )
        except OUTCOME_ERRORS as exc:
            form_errors(form, exc)
        else:
            messages.success(request, "Saved.")
            return redirect(_detail_url(resource))
    context = _base(request, community)
    context.update(form=form, resource=resource)
    return render(request, "resources/edit.html", context)


# --- One resource -------------------------------------------------------------------------------


def _detail_context(
    request: HttpRequest, community: Community, resource: Resource, **forms: Any
) -> dict[str, Any]:
    user = _user(request)
    mine = selectors.mine(user, resource)
    context = _base(request, community)
    is_author = user is not None and resource.author_id == user.pk
    context.update(
        resource=resource,
        mine=mine,
        is_author=is_author,
        can_signal=selectors.can_contribute(request.user, community)
        and not is_author
        and resource.status == Status.VISIBLE,
        can_edit=is_author or context["can_review"],
        rate_form=forms.get("rate_form") or RateForm(initial={"value": mine.rating}),
        used_form=forms.get("used_form")
        or UsedForm(initial={"note": mine.used.note if mine.used else ""}),
        notes=paginate(request, selectors.used_marks(resource), NOTES_PAGE_SIZE),
        log=list(selectors.log(resource)[:20]) if context["can_review"] or is_author else [],
        flags=list(selectors.open_flags(resource)) if context["can_review"] else [],
        file_url=services.file_url(resource) if resource.is_file else "",
        related_post_url=_post_url(resource),
        wiki_page=selectors.wiki_page(resource),
    )
    return context


def _post_url(resource: Resource) -> str:
    post = resource.related_post
    if post is None or post.deleted_at is not None:
        return ""
    getter = getattr(post, "get_absolute_url", None)
    if callable(getter):
        return str(getter())
    for name in ("qa:question", "qa:post", "qa:detail"):
        try:
            return reverse(name, args=[resource.community.slug, post.pk])
        except NoReverseMatch:
            continue
    return ""


@service_errors
def detail(request: HttpRequest, slug: str, resource_id: int) -> HttpResponse:
    community = access.get_community_for(request.user, slug)
    resource = selectors.get_resource(request.user, resource_id, community)
    services.record_view(resource, request.user)
    return render(request, "resources/detail.html", _detail_context(request, community, resource))


@require_http_methods(["GET", "HEAD"])
@service_errors
def file(request: HttpRequest, slug: str, resource_id: int) -> HttpResponse:
    """The uploaded file, to those who may see the resource (others: 404, as if missing)."""
    community = access.get_community_for(request.user, slug)
    resource = selectors.get_resource(request.user, resource_id, community)
    if not resource.is_file or not resource.file:
        raise Http404("This resource is a link, not a file.")
    # Streaming for files; typed as HttpResponse for the view decorators' sake.
    return serving.serve(request, resource)  # type: ignore[return-value]


def _signal_result(
    request: HttpRequest,
    community: Community,
    resource: Resource,
    error: PracticaError | None,
    ok: str,
    **forms: Any,
) -> HttpResponse:
    """htmx: the signals block again, with the outcome; otherwise flash and go back."""
    if getattr(request, "htmx", False):
        resource.refresh_from_db()
        context = _detail_context(request, community, resource, **forms)
        context["flash"] = error.detail if error else ok
        context["flash_error"] = error is not None
        return render_page(request, "resources/detail.html", context, block="signals")
    return action_result(request, error, ok, _detail_url(resource))


@login_required
@require_POST
@service_errors
def rate(request: AuthedHttpRequest, slug: str, resource_id: int) -> HttpResponse:
    community = access.get_community_for(request.user, slug)
    resource = selectors.get_resource(request.user, resource_id, community)
    form = RateForm(request.POST)
    error: PracticaError | None = None
    try:
        if request.POST.get("clear"):
            services.unrate(request.user, resource)
        elif not form.is_valid():
            raise _invalid(form)
        else:
            services.rate(request.user, resource, form.cleaned_data["value"])
    except OUTCOME_ERRORS as exc:
        error = exc
    ok = "Rating removed." if request.POST.get("clear") else "Thank you for rating it."
    return _signal_result(request, community, resource, error, ok)


@login_required
@require_POST
@service_errors
def used(request: AuthedHttpRequest, slug: str, resource_id: int) -> HttpResponse:
    community = access.get_community_for(request.user, slug)
    resource = selectors.get_resource(request.user, resource_id, community)
    form = UsedForm(request.POST)
    error: PracticaError | None = None
    try:
        if request.POST.get("remove"):
            services.unmark_used(request.user, resource)
        elif not form.is_valid():
            raise _invalid(form)
        else:
            services.mark_used(request.user, resource, form.cleaned_data["note"])
    except OUTCOME_ERRORS as exc:
        error = exc
    ok = "No longer marked as used." if request.POST.get("remove") else "Thank you: noted."
    return _signal_result(request, community, resource, error, ok, used_form=form)


@login_required
@require_POST
@service_errors
def needs_review(request: AuthedHttpRequest, slug: str, resource_id: int) -> HttpResponse:
    community = access.get_community_for(request.user, slug)
    resource = selectors.get_resource(request.user, resource_id, community)
    form = NeedsReviewForm(request.POST)
    error: PracticaError | None = None
    try:
        if not form.is_valid():
            raise _invalid(form)
        services.mark_needs_review(request.user, resource, form.cleaned_data["note"])
    except OUTCOME_ERRORS as exc:
        error = exc
    return action_result(
        request, error, "Thanks: the author will take a look.", _detail_url(resource)
    )


@login_required
@require_POST
@service_errors
def reviewed(request: AuthedHttpRequest, slug: str, resource_id: int) -> HttpResponse:
    community = access.get_community_for(request.user, slug)
    resource = selectors.get_resource(request.user, resource_id, community)
    form = ReviewedForm(request.POST)
    error: PracticaError | None = None
    try:
        if not form.is_valid():
            raise _invalid(form)
        services.mark_reviewed(request.user, resource, form.cleaned_data["reason"])
    except OUTCOME_ERRORS as exc:
        error = exc
    return action_result(request, error, "Marked as up to date.", _detail_url(resource))


@login_required
@service_errors
def flag(request: AuthedHttpRequest, slug: str, resource_id: int) -> HttpResponse:
    community = access.get_community_for(request.user, slug)
    resource = selectors.get_resource(request.user, resource_id, community)
    access.require(
        selectors.can_contribute(request.user, community)
        or selectors.can_review(request.user, community),
        f"Only members of {community.name} may flag resources.",
    )
    form = FlagForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.flag(
                request.user, resource, form.cleaned_data["reason"], form.cleaned_data["note"]
            )
        except OUTCOME_ERRORS as exc:
            form_errors(form, exc)
        else:
            messages.success(request, "Thank you: moderators will look at it.")
            return redirect(_detail_url(resource))
    context = _base(request, community)
    context.update(form=form, resource=resource)
    return render(request, "resources/flag.html", context)


# --- Review -------------------------------------------------------------------------------------


@login_required
@service_errors
def review_queue(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    community = access.get_community_for(request.user, slug)
    access.require(
        selectors.can_review(request.user, community),
        "Only moderators, facilitators and coordinators review resources.",
    )
    context = _base(request, community)
    context["page"] = paginate(request, selectors.review_queue(community), PAGE_SIZE)
    return render(request, "resources/review.html", context)


@login_required
@service_errors
def moderate(request: AuthedHttpRequest, slug: str, resource_id: int) -> HttpResponse:
    community = access.get_community_for(request.user, slug)
    resource = selectors.get_resource(request.user, resource_id, community)
    access.require(
        selectors.can_review(request.user, community),
        "Only moderators, facilitators and coordinators review resources.",
    )
    initial = {"title": resource.title, "description": resource.description}
    form = ModerateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.review(
                request.user,
                resource,
                action=data["action"],
                reason=data["reason"],
                title=data["title"],
                description=data["description"],
            )
        except OUTCOME_ERRORS as exc:
            form_errors(form, exc)
        else:
            messages.success(request, "Decision recorded; the author has been told.")
            return redirect(reverse("resources:review", args=[community.slug]))
    context = _base(request, community)
    context.update(
        form=form,
        resource=resource,
        flags=list(selectors.open_flags(resource)),
        log=list(selectors.log(resource)[:50]),
    )
    return render(request, "resources/moderate.html", context)


# --- Settings -----------------------------------------------------------------------------------


@login_required
@service_errors
def resource_settings(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    community = access.get_community_for(request.user, slug)
    access.require(
        access.can_steward(request.user, community),
        "Only the community's coordinators may change how flags work.",
    )
    row = selectors.settings_for(community)
    initial = {
        "flag_threshold": row.flag_threshold,
        "weight_member": row.weight_member,
        "weight_expert": row.weight_expert,
        "weight_leader": row.weight_leader,
    }
    form = SettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_settings(request.user, community, **form.cleaned_data)
        except OUTCOME_ERRORS as exc:
            form_errors(form, exc)
        else:
            messages.success(request, "Saved.")
            return redirect(reverse("resources:index", args=[community.slug]))
    context = _base(request, community)
    context["form"] = form
    return render(request, "resources/settings.html", context)


@login_required
@service_errors
def org_limits(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    """An organization's upload limits (its admins)."""
    org = access.get_org_for(request.user, slug, admin=True)
    limits = uploads.limits_for_organization(org.pk, org.name)
    initial = {"media_max_mb": limits.media_max_mb, "other_max_mb": limits.other_max_mb}
    form = LimitsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_upload_limits(request.user, org, **form.cleaned_data)
        except OUTCOME_ERRORS as exc:
            form_errors(form, exc)
        else:
            messages.success(request, "Saved.")
            return redirect(reverse("resources:limits", args=[org.slug]))
    return render(request, "resources/limits.html", {"org": org, "form": form})


# --- The question page's panel (practica.qa.panels) ---------------------------------------------


def related_resources_panel(request: HttpRequest, post: Any) -> dict[str, Any] | None:
    """Visible resources tied to this question (one query, cached per ``Post.version``:
    migration 0002's triggers bump it on every resource write); hidden when there are none."""
    from practica.qa.panels import cached_for_post

    rows = cached_for_post(
        post,
        "resources:related",
        lambda: list(
            Resource.objects.filter(related_post=post, status=Status.VISIBLE)
            .select_related("community")
            .order_by("-credibility")[:5]
        ),
    )
    return {"related_resources": rows} if rows else None
