"""Activity pages: the shared library, an activity, adapting one for a community, and a
community's own activities (listed, shown, edited)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from practica.communities import access as community_access
from practica.communities.models import Community
from practica.communities.views import _community_context
from practica.lib.htmx import render_page
from practica.lib.pagination import paginate
from practica.lib.typing import AuthedHttpRequest
from practica.lib.views import OUTCOME_ERRORS, form_errors, service_errors
from practica.practice.activities import access, selectors, services
from practica.practice.activities.forms import ActivityFilterForm, ActivityForm, AdaptForm
from practica.practice.activities.models import Activity, Purpose

LIBRARY_PAGE_SIZE = 24


@login_required
def library(request: AuthedHttpRequest) -> HttpResponse:
    form = ActivityFilterForm(request.GET)
    filters = form.filters()
    activities = selectors.library(request.user, filters)
    context = {
        "form": form,
        "page": paginate(request, activities, LIBRARY_PAGE_SIZE),
        "querystring": form.querystring(),
        "purposes": Purpose.choices,
        "current_purpose": filters.purpose,
    }
    return render_page(request, "activities/library.html", context, block="results")


@login_required
@service_errors
def detail(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    activity = selectors.library_activity(slug)
    if activity is None:
        raise Http404("No such activity in the library.")
    return render(request, "activities/detail.html", _detail_context(request, activity))


def _detail_context(request: HttpRequest, activity: Activity) -> dict[str, Any]:
    user = request.user
    return {
        "activity": activity,
        "source": selectors.visible_source(user, activity),
        "adaptations": list(selectors.visible_adaptations(user, activity)[:50]),
        "can_adapt": user.is_authenticated and selectors.adaptable_communities(user).exists(),
        "can_edit": access.can_edit_activity(user, activity),
    }


@login_required
@service_errors
def adapt_library(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    source = selectors.library_activity(slug)
    if source is None:
        raise Http404("No such activity in the library.")
    return _adapt(request, source)


@login_required
@service_errors
def adapt_community(request: AuthedHttpRequest, slug: str, activity_slug: str) -> HttpResponse:
    community = community_access.get_community_for(request.user, slug)
    return _adapt(request, _community_activity_or_404(community, activity_slug))


def _adapt(request: AuthedHttpRequest, source: Activity) -> HttpResponse:
    communities = selectors.adaptable_communities(request.user)
    initial = ActivityForm.initial_for(source)
    initial["community"] = request.GET.get("community", "")
    form = AdaptForm(request.POST or None, communities=communities, initial=initial)
    if request.method == "POST" and form.is_valid():
        fields = form.activity_fields()
        try:
            activity = services.adapt_activity(
                request.user, source, form.cleaned_data["community"], **fields
            )
        except OUTCOME_ERRORS as exc:
            form_errors(form, exc)
        else:
            messages.success(request, f"Adapted for {form.cleaned_data['community'].name}.")
            return redirect(activity.get_absolute_url())
    context = {"form": form, "source": source, "has_communities": communities.exists()}
    return render(request, "activities/adapt.html", context)


def _community_activity_or_404(community: Community, activity_slug: str) -> Activity:
    activity = selectors.community_activity(community, activity_slug)
    if activity is None:
        raise Http404("No such activity in this community.")
    return activity


@service_errors
def community_index(request: HttpRequest, slug: str) -> HttpResponse:
    community = community_access.get_community_for(request.user, slug)
    context = _community_context(request, community)
    page = paginate(request, selectors.community_activities(community))
    context.update(
        page=page,
        # The source is shown only when the viewer may see it (no query: it is joined).
        items=[(a, selectors.visible_source(request.user, a)) for a in page.object_list],
        can_adapt=access.can_adapt_into(request.user, community),
    )
    return render(request, "activities/community.html", context)


@service_errors
def community_detail(request: HttpRequest, slug: str, activity_slug: str) -> HttpResponse:
    community = community_access.get_community_for(request.user, slug)
    activity = _community_activity_or_404(community, activity_slug)
    context = _community_context(request, community)
    context.update(_detail_context(request, activity))
    return render(request, "activities/detail.html", context)


@login_required
@service_errors
def community_edit(request: AuthedHttpRequest, slug: str, activity_slug: str) -> HttpResponse:
    community = community_access.get_community_for(request.user, slug)
    activity = _community_activity_or_404(community, activity_slug)
    services.require_editor(request.user, activity)  # before showing the form, too
    initial = ActivityForm.initial_for(activity, note=activity.adaptation_note)
    form = ActivityForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_activity(request.user, activity, **form.activity_fields())
        except OUTCOME_ERRORS as exc:
            form_errors(form, exc)
        else:
            messages.success(request, "Activity saved.")
            return redirect(activity.get_absolute_url())
    context = _community_context(request, community)
    context.update(form=form, activity=activity)
    return render(request, "activities/edit.html", context)
