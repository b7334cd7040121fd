"""Pages of the expertise feature: who knows about X, routing settings, asking an expert by
name, channels (list, create, detail, post, follow) and the feed of followed channels.

Thin: parse a form, call one service, render. Every community comes through the gate
(``access.get_community_for``): one a person may not see is a 404 (a login redirect when signed
out). Lists of people need a signed-in viewer, like the members page.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from practica.communities import access
from practica.communities.models import Community
from practica.communities.views import _community_context
from practica.expertise import selectors, services
from practica.expertise.forms import (
    AskExpertForm,
    ChannelForm,
    ChannelPostForm,
    RoutingSettingsForm,
)
from practica.expertise.models import Channel
from practica.lib.errors import Invalid, NotFound, PracticaError
from practica.lib.htmx import render_page
from practica.lib.pagination import paginate
from practica.lib.typing import AuthedHttpRequest
from practica.lib.views import OUTCOME_ERRORS, action_result, form_errors, service_errors
from practica.qa.models import Post

EXPERTS_PER_PAGE = 20
POSTS_PER_PAGE = 20
CHANNELS_PER_PAGE = 30


def _base(request: HttpRequest, community: Community, active: str) -> dict[str, Any]:
    context = _community_context(request, community)
    context["active"] = active
    return context


# --- Who knows about X --------------------------------------------------------------------------


@login_required
@service_errors
def experts(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    """Search a tag or words: members with earned expertise first, then those who only
    declared it (labelled). Under htmx only the results block is rendered."""
    community = access.get_community_for(request.user, slug)
    search = selectors.search_for(community, request.GET.get("tag", ""), request.GET.get("q", ""))
    earned = paginate(request, selectors.earned_experts(community, search.tags), EXPERTS_PER_PAGE)
    declared = list(selectors.declared_experts(community, search)[:EXPERTS_PER_PAGE])
    earned_users = list(earned.object_list)
    waiting = selectors.my_open_routings(request.user, community)
    for routing in waiting:
        routing.post.community = community
    context = _base(request, community, "experts")
    context.update(
        search=search,
        earned=earned,
        breakdown=selectors.earned_breakdown(community, earned_users, search.tags),
        declared=declared,
        declared_topics=selectors.declared_labels(declared),
        top_tags=[] if search.asked else selectors.top_tags(community),
        waiting=[(r, services.post_url(r.post)) for r in waiting],
        pager_extra="&" + urlencode({"tag": search.tag, "q": search.q}),
    )
    return render_page(request, "expertise/experts.html", context, block="results")


@login_required
@service_errors
def routing_settings(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    community = access.get_community_for(request.user, slug)
    access.require(
        access.can_steward(request.user, community),
        "Only coordinators may change how questions are routed.",
    )
    current = services.settings_for(community)
    form = RoutingSettingsForm(
        request.POST or None, initial={"reroute_after_hours": current.reroute_after_hours}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_settings(request.user, community, **form.cleaned_data)
        except OUTCOME_ERRORS as exc:
            form_errors(form, exc)
        else:
            messages.success(request, "Routing settings saved.")
            return redirect("expertise:experts", community.slug)
    context = _base(request, community, "experts")
    context["form"] = form
    return render(request, "expertise/settings.html", context)


@login_required
@require_POST
@service_errors
def ask(request: AuthedHttpRequest, slug: str, post_id: int) -> HttpResponse:
    """The asker puts the question to a member by name; back to the question with the
    outcome."""
    community = access.get_community_for(request.user, slug)
    post = Post.objects.filter(community=community, pk=post_id, deleted_at__isnull=True).first()
    if post is None:
        raise NotFound("No such question in this community.")
    post.community = community
    form = AskExpertForm(request.POST)
    error: PracticaError | None = None
    ok = ""
    if not form.is_valid():
        error = Invalid({"expert": "Name the member you want to ask."})
    else:
        try:
            routing = services.ask_expert(request.user, post, form.cleaned_data["expert"])
            ok = f"Asked {routing.expert.display_name}: they have been told."
        except OUTCOME_ERRORS as exc:
            error = exc
    return action_result(request, error, ok, services.post_url(post))


# --- Channels -----------------------------------------------------------------------------------


@service_errors
def channels(request: HttpRequest, slug: str) -> HttpResponse:
    community = access.get_community_for(request.user, slug)
    page = paginate(request, selectors.channels_of(community), CHANNELS_PER_PAGE)
    context = _base(request, community, "channels")
    context.update(
        page=page,
        following=selectors.followed_ids(request.user, list(page.object_list)),
        may_create=services.may_create_channel(_user(request), community),
        is_member=access.is_member(request.user, community),
    )
    return render(request, "expertise/channels.html", context)


@login_required
@service_errors
def create_channel(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    community = access.get_community_for(request.user, slug)
    access.require(
        services.may_create_channel(request.user, community),
        "Only facilitators, coordinators and moderators may create channels.",
    )
    form = ChannelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            channel = services.create_channel(request.user, community, **form.cleaned_data)
        except OUTCOME_ERRORS as exc:
            form_errors(form, exc)
        else:
            messages.success(request, f"The channel “{channel.name}” is open.")
            return redirect("expertise:channel", community.slug, channel.slug)
    context = _base(request, community, "channels")
    context["form"] = form
    return render(request, "expertise/channel_new.html", context)


def _channel_context(
    request: HttpRequest, community: Community, channel: Channel, form: ChannelPostForm | None
) -> dict[str, Any]:
    user = _user(request)
    context = _base(request, community, "channels")
    may_post = services.may_post_in(user, channel)
    context.update(
        channel=channel,
        page=paginate(request, selectors.channel_posts(channel), POSTS_PER_PAGE),
        following=bool(selectors.followed_ids(request.user, [channel])),
        is_member=access.is_member(request.user, community),
        may_post=may_post,
        form=form or (ChannelPostForm() if may_post else None),
    )
    return context


@service_errors
def channel(request: HttpRequest, slug: str, channel_slug: str) -> HttpResponse:
    community = access.get_community_for(request.user, slug)
    found = services.get_channel(community, channel_slug)
    return render(
        request, "expertise/channel.html", _channel_context(request, community, found, None)
    )


@login_required
@service_errors
def channel_post(request: AuthedHttpRequest, slug: str, channel_slug: str) -> HttpResponse:
    """GET: the channel with its post form; POST: publish, or show the form with its errors."""
    community = access.get_community_for(request.user, slug)
    found = services.get_channel(community, channel_slug)
    access.require(
        services.may_post_in(request.user, found),
        f"Only {community.name}'s experts (and its facilitators, coordinators and moderators) "
        "may post in an expert channel.",
    )
    form = ChannelPostForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.post_to_channel(
                request.user,
                found,
                kind=data["kind"],
                title=data["title"],
                body=data["body"],
                video_url=data["video_url"],
                tags=data["tags"].split(),
            )
        except OUTCOME_ERRORS as exc:
            form_errors(form, exc)
        else:
            messages.success(request, "Posted. Followers will see it in their feed.")
            return redirect("expertise:channel", community.slug, found.slug)
    context = _channel_context(request, community, found, form)
    status = 422 if request.method == "POST" else 200
    return render(request, "expertise/channel.html", context, status=status)


@login_required
@require_POST
@service_errors
def follow(request: AuthedHttpRequest, slug: str, channel_slug: str) -> HttpResponse:
    community = access.get_community_for(request.user, slug)
    found = services.get_channel(community, channel_slug)
    unfollowing = request.POST.get("action") == "unfollow"
    if unfollowing:
        services.unfollow(request.user, found)
        ok = f"You no longer follow “{found.name}”."
    else:
        services.follow(request.user, found)
        ok = f"You follow “{found.name}”: its posts appear in your feed."
    return action_result(
        request, None, ok, reverse("expertise:channel", args=[community.slug, found.slug])
    )


@login_required
def feed(request: AuthedHttpRequest) -> HttpResponse:
    """What the channels I follow have posted, newest first."""
    page = paginate(request, selectors.feed(request.user), POSTS_PER_PAGE)
    return render(request, "expertise/feed.html", {"page": page})


def _user(request: HttpRequest) -> Any:
    return request.user if request.user.is_authenticated else None
