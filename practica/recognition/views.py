"""Recognition pages: a person's standing, badges and kudos; the badge catalogue and Open
Badges documents; community goals, leaderboard and settings; moderators' level changes; an
organization's level thresholds. Thin: parse, call one service, render.

People come through ``selectors.get_person`` (``access.can_view_person``), communities through
``access.get_community_for``: what a person may not see is a 404 (a login redirect when signed
out), never a 403.
"""

from __future__ import annotations

import contextlib
import json
import uuid
from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from practica.accounts.models import Organization, User
from practica.communities import access
from practica.communities.models import Community
from practica.communities.views import _community_context
from practica.lib.errors import NotFound
from practica.lib.pagination import paginate
from practica.lib.typing import AuthedHttpRequest
from practica.lib.views import (
    OUTCOME_ERRORS,
    action_result,
    form_errors,
    service_errors,
    submit_form,
)
from practica.recognition import badges as badge_engine
from practica.recognition import levels, openbadges, selectors, services
from practica.recognition.forms import (
    GoalForm,
    KudosForm,
    LevelForm,
    LiftForm,
    PreferencesForm,
    RevokeForm,
    SettingsForm,
    ThresholdsForm,
)
from practica.recognition.images import bake_svg
from practica.recognition.models import (
    Award,
    Badge,
    Goal,
    Level,
    LevelChange,
    LevelRequirement,
    Preferences,
    Standing,
)

JSON_LD = "application/ld+json"
SVG = "image/svg+xml"


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _community_base(request: HttpRequest, community: Community, active: str) -> dict[str, Any]:
    context = _community_context(request, community)
    context["active"] = active
    return context


# --- A person -----------------------------------------------------------------------------------


@login_required
@service_errors
def person(request: AuthedHttpRequest, user_id: int) -> HttpResponse:
    """A person's standing in each community, what the next level unlocks, recent reputation
    and the kudos form."""
    found = selectors.get_person(request.user, user_id)
    page = paginate(request, selectors.standings_for(request.user, found), 20)
    context = {
        "person": found,
        "page": page,
        "standings": selectors.standing_views(list(page.object_list)),
        "profile": selectors.profile(request.user, found),
        "recent": list(selectors.recent_entries(request.user, found)[:20]),
        "kudos_form": _kudos_form(request.user, found),
    }
    return render(request, "recognition/person.html", context)


def _kudos_form(viewer: User, found: User, data: Any = None) -> KudosForm | None:
    if viewer.pk == found.pk:
        return None
    shared = [(c.pk, c.name) for c in selectors.shared_communities(viewer, found)[:50]]
    return KudosForm(data, communities=shared) if shared else None


@login_required
@service_errors
def person_badges(request: AuthedHttpRequest, user_id: int) -> HttpResponse:
    found = selectors.get_person(request.user, user_id)
    page = paginate(request, selectors.awards_for(request.user, found), 30)
    return render(request, "recognition/person_badges.html", {"person": found, "page": page})


@login_required
@service_errors
def kudos(request: AuthedHttpRequest, user_id: int) -> HttpResponse:
    """GET: the kudos someone received (in communities you can see). POST: thank them."""
    found = selectors.get_person(request.user, user_id)
    form = _kudos_form(request.user, found, request.POST or None)
    if request.method == "POST":
        if form is None:
            access.require(False, "You can thank people who share a community with you.")
        assert form is not None
        if form.is_valid():
            community = Community.objects.filter(pk=form.cleaned_data["community"]).first()
            try:
                if community is None:
                    raise NotFound("No such community.")
                services.give_kudos(request.user, found, community, note=form.cleaned_data["note"])
            except OUTCOME_ERRORS as exc:
                form_errors(form, exc)
            else:
                messages.success(request, f"Thank you: {found.display_name} will see your kudos.")
                return redirect(reverse("recognition:kudos", args=[found.pk]))
    page = paginate(request, selectors.kudos_for(request.user, found), 25)
    return render(
        request, "recognition/kudos.html", {"person": found, "page": page, "kudos_form": form}
    )


@login_required
@service_errors
def preferences(request: AuthedHttpRequest) -> HttpResponse:
    """Your awards (publish or withdraw each) and leaderboard opt-out."""
    prefs = Preferences.objects.filter(user=request.user).first()
    form = PreferencesForm(
        request.POST or None,
        initial={"leaderboard_opt_out": bool(prefs and prefs.leaderboard_opt_out)},
    )
    done = submit_form(
        request,
        form,
        lambda data: services.update_preferences(request.user, **data),
        success="Preferences saved.",
        to=reverse("recognition:preferences"),
    )
    if done:
        return done
    awards = Award.objects.filter(user=request.user).select_related("badge").order_by("-awarded_at")
    context = {"form": form, "page": paginate(request, awards, 30), "section": "recognition"}
    return render(request, "recognition/preferences.html", context)


# --- Badges and Open Badges ---------------------------------------------------------------------


def catalogue(request: HttpRequest) -> HttpResponse:
    """Every badge, what it is for and how it is earned (public)."""
    badge_engine.sync_badges()
    return render(request, "recognition/badges.html", {"badges": list(Badge.objects.all())})


def _badge(slug: str) -> Badge:
    badge_engine.sync_badges()
    found = Badge.objects.filter(slug=slug).first()
    if found is None:
        raise NotFound("No such badge.")
    return found


@service_errors
def badge_detail(request: HttpRequest, slug: str) -> HttpResponse:
    return render(request, "recognition/badge.html", {"badge": _badge(slug)})


@service_errors
def badge_image(request: HttpRequest, slug: str) -> HttpResponse:
    response = HttpResponse(_badge(slug).image_svg, content_type=SVG)
    response["Cache-Control"] = "public, max-age=3600"
    return response


def _json(doc: dict[str, Any], status: int = 200) -> HttpResponse:
    response = HttpResponse(json.dumps(doc, indent=2), content_type=JSON_LD, status=status)
    response["Access-Control-Allow-Origin"] = "*"  # verifiers fetch from anywhere
    return response


def _issuing_org(org_slug: str, badge: Badge | None = None) -> Organization:
    """An organization is a public issuer once it issued a published award (of ``badge``)."""
    org = Organization.objects.filter(slug=org_slug).first()
    published = Award.objects.filter(organization=org, public=True)
    if badge is not None:
        published = published.filter(badge=badge)
    if org is None or not published.exists():
        raise NotFound("No such issuer.")
    return org


def ob_issuer(request: HttpRequest, org_slug: str) -> HttpResponse:
    try:
        org = _issuing_org(org_slug)
    except NotFound as exc:
        return _json({"detail": exc.detail}, 404)
    return _json(openbadges.issuer(_base_url(request), org))


def ob_badgeclass(request: HttpRequest, org_slug: str, slug: str) -> HttpResponse:
    try:
        found = _badge(slug)
        org = _issuing_org(org_slug, found)
    except NotFound as exc:
        return _json({"detail": exc.detail}, 404)
    return _json(openbadges.badgeclass(_base_url(request), org, found))


def _award(request: HttpRequest, uid: uuid.UUID) -> Award:
    """A published award, or one's own (staff see all); NotFound otherwise."""
    award = (
        Award.objects.select_related("badge", "organization", "user", "community")
        .filter(uid=uid)
        .first()
    )
    user = request.user
    mine = (
        award is not None and user.is_authenticated and (award.user_id == user.pk or user.is_staff)
    )
    if award is None or not (award.public or mine):
        raise NotFound("No such award.")
    return award


def assertion(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    """The hosted Open Badges 2.0 Assertion (410 with ``revoked: true`` once revoked)."""
    try:
        award = _award(request, uid)
    except NotFound as exc:
        return _json({"detail": exc.detail}, 404)
    doc = openbadges.assertion(_base_url(request), award)
    return _json(doc, 410 if award.is_revoked else 200)


def baked(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    """The badge image with this award's assertion baked in (SVG baking)."""
    try:
        award = _award(request, uid)
    except NotFound:
        return HttpResponse("No such award.", status=404, content_type="text/plain")
    base = _base_url(request)
    doc = openbadges.assertion(base, award)
    svg = bake_svg(award.badge.image_svg, openbadges.assertion_url(base, award), doc)
    response = HttpResponse(svg, content_type=SVG)
    response["Content-Disposition"] = f'inline; filename="{award.badge.slug}-baked.svg"'
    return response


@service_errors
def award_page(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    """The page to share: the badge, who earned it, its evidence, and how to verify it."""
    award = _award(request, uid)
    user = request.user
    context = {
        "award": award,
        "mine": user.is_authenticated and award.user_id == user.pk,
        "can_revoke": user.is_authenticated
        and not award.is_revoked
        and (
            user.is_staff
            or (award.community is not None and services.can_moderate(user, award.community))
        ),
        "assertion_url": openbadges.assertion_url(_base_url(request), award),
        "revoke_form": RevokeForm(),
    }
    return render(request, "recognition/award.html", context)


def _own_award(request: AuthedHttpRequest, uid: uuid.UUID) -> Award:
    award = Award.objects.select_related("badge").filter(uid=uid, user=request.user).first()
    if award is None:
        raise NotFound("No such award.")
    return award


@login_required
@require_POST
@service_errors
def award_public(request: AuthedHttpRequest, uid: uuid.UUID) -> HttpResponse:
    award = _own_award(request, uid)
    public = request.POST.get("public") == "1"
    error = None
    try:
        services.set_award_public(request.user, award, public=public)
    except OUTCOME_ERRORS as exc:
        error = exc
    ok = "Published: anyone with the link can verify it." if public else "Made private again."
    return action_result(request, error, ok, reverse("recognition:award", args=[award.uid]))


@login_required
@require_POST
@service_errors
def award_revoke(request: AuthedHttpRequest, uid: uuid.UUID) -> HttpResponse:
    award = Award.objects.select_related("badge", "community").filter(uid=uid).first()
    if award is None or not (
        award.public
        or award.user_id == request.user.pk
        or request.user.is_staff
        or (
            award.community is not None and access.can_view_community(request.user, award.community)
        )
    ):
        raise NotFound("No such award.")
    form = RevokeForm(request.POST)
    error = None
    try:
        if not form.is_valid():
            services.revoke_award(request.user, award, reason="")  # raises the message
        services.revoke_award(request.user, award, reason=form.cleaned_data["reason"])
    except OUTCOME_ERRORS as exc:
        error = exc
    return action_result(
        request, error, "Revoked.", reverse("recognition:badge", args=[award.badge.slug])
    )


# --- A community's goals, leaderboard and settings ----------------------------------------------


def _goal_form(request: HttpRequest) -> GoalForm:
    today = timezone.now().date()
    end = (today.replace(day=1) + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    initial = {"starts_on": today, "ends_on": end, "metric": "answered_48h", "target": 90}
    return GoalForm(request.POST or None, initial=initial)


@service_errors
def goals(request: HttpRequest, slug: str) -> HttpResponse:
    """The community's goals (current and past) and, for facilitators, a form for a new one."""
    community = access.get_community_for(request.user, slug)
    can_manage = access.can_manage_members(request.user, community)
    form = _goal_form(request) if can_manage else None
    if request.method == "POST":
        access.require(
            request.user.is_authenticated and can_manage,
            "Only facilitators and coordinators may set community goals.",
        )
        assert form is not None
        assert isinstance(request.user, User)
        user = request.user
        done = submit_form(
            request,
            form,
            lambda data: services.create_goal(user, community, **data),
            success="Goal set. Its progress bar is on the community's home.",
            to=reverse("recognition:goals", args=[community.slug]),
        )
        if done:
            return done
    page = paginate(request, selectors.goals_of(community), 20)
    context = _community_base(request, community, "goals")
    context.update(
        page=page,
        goal_views=selectors.goal_views(list(page.object_list), community),
        form=form,
        leaderboard=selectors.leaderboard_enabled(community),
    )
    return render(request, "recognition/goals.html", context)


@login_required
@require_POST
@service_errors
def goal_delete(request: AuthedHttpRequest, slug: str, goal_id: int) -> HttpResponse:
    community = access.get_community_for(request.user, slug)
    goal = (
        Goal.objects.select_related("community").filter(pk=goal_id, community=community).first()
        if goal_id < 2**63
        else None
    )
    if goal is None:
        raise NotFound("No such goal.")
    services.delete_goal(request.user, goal)
    messages.success(request, "Goal removed.")
    return redirect(reverse("recognition:goals", args=[community.slug]))


@service_errors
def leaderboard(request: HttpRequest, slug: str) -> HttpResponse:
    """Educational value earned this month (or ``?month=YYYY-MM``); only when the community
    turned leaderboards on."""
    community = access.get_community_for(request.user, slug)
    if not selectors.leaderboard_enabled(community):
        raise NotFound("This community has no leaderboard.")
    month = selectors.month_start()
    raw = request.GET.get("month", "")
    with contextlib.suppress(ValueError):  # a malformed month shows this month
        month = date.fromisoformat(raw + "-01") if raw else month
    page = paginate(request, selectors.leaderboard(community, month), 25)
    previous = (month - timedelta(days=1)).replace(day=1)
    context = _community_base(request, community, "goals")
    context.update(page=page, month=month, previous=previous, offset=page.start_index() - 1)
    return render(request, "recognition/leaderboard.html", context)


@login_required
@service_errors
def community_settings(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    community = access.get_community_for(request.user, slug)
    access.require(
        access.can_steward(request.user, community),
        "Only coordinators may change this community's recognition settings.",
    )
    form = SettingsForm(
        request.POST or None,
        initial={"leaderboard_enabled": selectors.leaderboard_enabled(community)},
    )
    done = submit_form(
        request,
        form,
        lambda data: services.update_settings(request.user, community, **data),
        success="Recognition settings saved.",
        to=reverse("recognition:goals", args=[community.slug]),
    )
    if done:
        return done
    context = _community_base(request, community, "goals")
    context["form"] = form
    return render(request, "recognition/settings.html", context)


@login_required
@service_errors
def member_level(request: AuthedHttpRequest, slug: str, user_id: int) -> HttpResponse:
    """A moderator lowers a member's level (with a reason), or lifts a hold."""
    community = access.get_community_for(request.user, slug)
    access.require(
        services.can_moderate(request.user, community),
        "Only moderators of this community may change levels.",
    )
    member = (
        User.objects.filter(pk=user_id, community_memberships__community=community).first()
        if user_id < 2**63
        else None
    )
    if member is None:
        raise NotFound("That person is not a member of this community.")
    lift = request.POST.get("action") == "lift"
    form = LevelForm(None if lift else (request.POST or None))
    lift_form = LiftForm(request.POST if lift else None)
    target = reverse("recognition:member-level", args=[community.slug, member.pk])
    if lift:
        done = submit_form(
            request,
            lift_form,
            lambda data: services.lift_ceiling(request.user, member, community, **data),
            success="Hold lifted.",
            to=target,
        )
    else:
        done = submit_form(
            request,
            form,
            lambda data: services.lower_level(request.user, member, community, **data),
            success="Level changed and logged.",
            to=target,
        )
    if done:
        return done
    standing = Standing.objects.filter(user=member, community=community).first()
    context = _community_base(request, community, "members")
    context.update(
        member=member,
        standing=standing,
        level_label=Level(standing.level if standing else 0).label,
        form=form,
        lift_form=lift_form,
        log=LevelChange.objects.filter(user=member, community=community)
        .select_related("actor")
        .order_by("-created_at")[:20],
    )
    return render(request, "recognition/member_level.html", context)


# --- An organization's thresholds ----------------------------------------------------------------


@login_required
@service_errors
def org_levels(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    org = access.get_org_for(request.user, slug, admin=True)
    current = {
        r.level: (r.min_reputation, r.min_people_helped, r.min_days_active)
        for r in LevelRequirement.objects.filter(organization=org)
    }
    form = ThresholdsForm(request.POST or None, current=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_level_requirements(request.user, org, form.requirements())
        except OUTCOME_ERRORS as exc:
            form_errors(form, exc)
        else:
            messages.success(request, "Level thresholds saved.")
            return redirect(reverse("recognition:org-levels", args=[org.slug]))
    context = {
        "org": org,
        "form": form,
        "levels": [(lvl, Level(lvl).label) for lvl in Level.values[1:]],
        "defaults": levels.DEFAULTS,
    }
    return render(request, "recognition/org_levels.html", context)
