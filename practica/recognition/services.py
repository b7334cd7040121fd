"""The verbs of recognition that people perform (reputation itself is written by the event
sources in ``sources.py``, never by a person).

Each service checks access through ``communities.access``, validates, writes in one
transaction and emits its event after commit. Errors: ``practica.lib.errors``.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from practica.accounts.models import Organization, User
from practica.communities import access
from practica.communities.models import Community, Role
from practica.lib.errors import Forbidden, Invalid, NotFound
from practica.realtime.bus import emit
from practica.recognition import goals as goal_counters
from practica.recognition.models import (
    GOAL_TITLE_MAX,
    NOTE_MAX,
    PERCENT_METRICS,
    REASON_MAX,
    Award,
    CommunitySettings,
    Goal,
    GoalMetric,
    Kudos,
    Level,
    LevelChange,
    LevelRequirement,
    Preferences,
    Standing,
)
from practica.recognition.privileges import forget_levels

KUDOS_PER_PAIR_PER_DAY = 3
MAX_GOAL_DAYS = 366
MAX_COUNT_TARGET = 1_000_000


def _clean_text(value: str, field: str, limit: int, *, required: bool = True) -> str:
    text = (value or "").strip()
    if "\x00" in text:
        raise Invalid({field: "Must not contain NUL characters."})
    if required and not text:
        raise Invalid({field: "This field is required."})
    if len(text) > limit:
        raise Invalid({field: f"At most {limit} characters (this has {len(text)})."})
    return text


def can_moderate(user: Any, community: Community) -> bool:
    """Moderators of a community: its moderators, facilitators and coordinators, and those the
    gate lets manage it (org admins, staff)."""
    return access.role_in(user, community) == Role.MODERATOR or access.can_manage_members(
        user, community
    )


# --- Kudos --------------------------------------------------------------------------------------


def give_kudos(giver: User, recipient: User, community: Community, *, note: str) -> Kudos:
    """Thank ``recipient`` publicly in ``community`` (both must be members). At most
    ``KUDOS_PER_PAIR_PER_DAY`` a day from one person to another: thanks, not a points pump
    (kudos earn no reputation)."""
    if not access.can_view_community(giver, community):
        raise NotFound("No such community.")
    access.require(
        access.is_member(giver, community), f"Only members of {community.name} may give kudos."
    )
    if recipient.pk == giver.pk:
        raise Invalid({"recipient": "Kudos are for thanking someone else."})
    if not access.is_member(recipient, community):
        raise Invalid(
            {"recipient": f"{recipient.display_name} is not a member of {community.name}."}
        )
    text = _clean_text(note, "note", NOTE_MAX)
    with transaction.atomic():
        since = timezone.now() - timedelta(days=1)
        recent = Kudos.objects.filter(giver=giver, recipient=recipient, created_at__gte=since)
        if recent.count() >= KUDOS_PER_PAIR_PER_DAY:
            raise Invalid(
                {"note": f"You have thanked {recipient.display_name} {KUDOS_PER_PAIR_PER_DAY} "
                 "times today already: save some for tomorrow."}
            )  # fmt: skip
        kudos = Kudos.objects.create(
            giver=giver, recipient=recipient, community=community, note=text
        )
        goal_counters.count_kudos(community.pk)
        emit(
            "recognition.kudos_given",
            community_id=community.pk,
            kudos_id=kudos.pk,
            giver_id=giver.pk,
            recipient_id=recipient.pk,
        )
    from django.urls import reverse

    from practica.notifications.services import notify

    notify(
        recipient,
        kind="recognition.kudos",
        message=f"{giver.display_name} thanked you: {text}",
        url=reverse("recognition:person", args=[recipient.pk]),
        actor=giver,
    )
    return kudos


# --- Goals --------------------------------------------------------------------------------------


def create_goal(
    actor: User,
    community: Community,
    *,
    title: str,
    metric: str,
    target: int,
    starts_on: date,
    ends_on: date,
) -> Goal:
    """A new community goal (facilitators, coordinators, org admins, staff)."""
    access.require(
        access.can_manage_members(actor, community),
        "Only facilitators and coordinators may set community goals.",
    )
    text = _clean_text(title, "title", GOAL_TITLE_MAX)
    if metric not in GoalMetric.values:
        raise Invalid({"metric": "Choose one of the listed measures."})
    limit = 100 if metric in PERCENT_METRICS else MAX_COUNT_TARGET
    if not 1 <= int(target) <= limit:
        raise Invalid({"target": f"Between 1 and {limit}."})
    if ends_on < starts_on:
        raise Invalid({"ends_on": "The goal must end on or after its start."})
    if (ends_on - starts_on).days > MAX_GOAL_DAYS:
        raise Invalid({"ends_on": "A goal lasts at most a year."})
    with transaction.atomic():
        goal = Goal.objects.create(
            community=community,
            title=text,
            metric=metric,
            target=int(target),
            starts_on=starts_on,
            ends_on=ends_on,
            created_by=actor,
        )
        emit(
            "recognition.goal_created",
            community_id=community.pk,
            goal_id=goal.pk,
            actor_id=actor.pk,
        )
    return goal


def delete_goal(actor: User, goal: Goal) -> None:
    community = goal.community
    access.require(
        access.can_manage_members(actor, community),
        "Only facilitators and coordinators may remove community goals.",
    )
    with transaction.atomic():
        goal_id = goal.pk
        goal.delete()
        emit(
            "recognition.goal_deleted",
            community_id=community.pk,
            goal_id=goal_id,
            actor_id=actor.pk,
        )


# --- Levels -------------------------------------------------------------------------------------


def lower_level(
    actor: User, person: User, community: Community, *, level: int, reason: str
) -> Standing:
    """A moderator lowers ``person``'s level in ``community`` with a reason (logged). The level
    is held there (a ceiling) until a moderator lifts it with ``lift_ceiling``."""
    access.require(
        can_moderate(actor, community), "Only moderators of this community may change levels."
    )
    if person.pk == actor.pk:
        raise Invalid({"level": "Ask another moderator to change your own level."})
    if level not in Level.values:
        raise Invalid({"level": "Choose one of the levels."})
    text = _clean_text(reason, "reason", REASON_MAX)
    with transaction.atomic():
        Standing.objects.get_or_create(user=person, community=community)
        standing = Standing.objects.select_for_update().get(user=person, community=community)
        if level >= standing.level:
            raise Invalid({"level": f"Choose a level below {Level(standing.level).label}."})
        LevelChange.objects.create(
            user=person,
            community=community,
            from_level=standing.level,
            to_level=level,
            actor=actor,
            reason=text,
        )
        standing.level = level
        standing.ceiling = level
        standing.save(update_fields=["level", "ceiling"])
        emit(
            "recognition.level_lowered",
            community_id=community.pk,
            user_id=person.pk,
            level=level,
            actor_id=actor.pk,
        )
    forget_levels(person)
    return standing


def lift_ceiling(actor: User, person: User, community: Community, *, reason: str) -> Standing:
    """Let ``person`` earn levels again after a moderator lowered them (logged)."""
    from practica.recognition import levels

    access.require(
        can_moderate(actor, community), "Only moderators of this community may change levels."
    )
    text = _clean_text(reason, "reason", REASON_MAX)
    with transaction.atomic():
        standing = (
            Standing.objects.select_for_update()
            .select_related("community__organization", "user")
            .filter(user=person, community=community)
            .first()
        )
        if standing is None or standing.ceiling is None:
            raise Invalid({"reason": f"{person.display_name}'s level is not being held."})
        LevelChange.objects.create(
            user=person,
            community=community,
            from_level=standing.level,
            to_level=standing.level,
            actor=actor,
            reason=f"Hold lifted: {text}",
        )
        standing.ceiling = None
        standing.save(update_fields=["ceiling"])
        levels.promote(standing, community)
    forget_levels(person)
    return standing


def set_level_requirements(
    actor: User, org: Organization, requirements: dict[int, tuple[int, int, int]]
) -> None:
    """An organization's thresholds: level -> (reputation, people helped, days active). Each
    level must ask at least as much as the one below it."""
    access.require(access.can_admin_org(actor, org), "Only this organization's admins may do that.")
    ordered = sorted((lvl, req) for lvl, req in requirements.items() if lvl != Level.NEWCOMER)
    previous = (0, 0, 0)
    for lvl, req in ordered:
        if lvl not in Level.values:
            raise Invalid({"level": "Unknown level."})
        if any(v < 0 or v > MAX_COUNT_TARGET for v in req):
            raise Invalid({f"level_{lvl}": "Use whole numbers from 0 to 1,000,000."})
        if any(v < p for v, p in zip(req, previous, strict=True)):
            label = Level(lvl).label
            raise Invalid(
                {f"level_{lvl}": f"{label} must ask as much as the level below, or more."}
            )
        previous = req
    with transaction.atomic():
        for lvl, (rep, helped, days) in ordered:
            LevelRequirement.objects.update_or_create(
                organization=org,
                level=lvl,
                defaults={
                    "min_reputation": rep,
                    "min_people_helped": helped,
                    "min_days_active": days,
                },
            )
        emit("recognition.levels_updated", organization_id=org.pk, actor_id=actor.pk)


# --- Settings and preferences -------------------------------------------------------------------


def update_settings(actor: User, community: Community, *, leaderboard_enabled: bool) -> None:
    access.require(
        access.can_steward(actor, community),
        "Only coordinators may change this community's recognition settings.",
    )
    with transaction.atomic():
        CommunitySettings.objects.update_or_create(
            community=community, defaults={"leaderboard_enabled": bool(leaderboard_enabled)}
        )
        emit("recognition.settings_updated", community_id=community.pk, actor_id=actor.pk)


def update_preferences(user: User, *, leaderboard_opt_out: bool) -> None:
    with transaction.atomic():
        Preferences.objects.update_or_create(
            user=user, defaults={"leaderboard_opt_out": bool(leaderboard_opt_out)}
        )


# --- Awards -------------------------------------------------------------------------------------


def set_award_public(user: User, award: Award, *, public: bool) -> Award:
    """The recipient publishes (or withdraws) their award's Open Badges assertion."""
    if award.user_id != user.pk:
        raise NotFound("No such award.")
    if award.is_revoked and public:
        raise Invalid({"public": "A revoked award cannot be published."})
    with transaction.atomic():
        Award.objects.filter(pk=award.pk).update(public=bool(public))
        award.public = bool(public)
        emit(
            "recognition.award_visibility", user_id=user.pk, award_id=award.pk, public=award.public
        )
    return award


def revoke_award(actor: User, award: Award, *, reason: str) -> Award:
    """Staff (or a moderator of the community the evidence is in) revoke an award: its
    assertion then answers ``revoked: true``. The row stays, so it is never re-awarded."""
    allowed = actor.is_staff or (
        award.community is not None and can_moderate(actor, award.community)
    )
    if not allowed:
        raise Forbidden("Only staff or this community's moderators may revoke a badge.")
    text = _clean_text(reason, "reason", REASON_MAX)
    if award.is_revoked:
        raise Invalid({"reason": "This award is already revoked."})
    with transaction.atomic():
        award.revoked_at = timezone.now()
        award.revoked_reason = text
        award.save(update_fields=["revoked_at", "revoked_reason"])
        emit(
            "recognition.award_revoked", user_id=award.user_id, award_id=award.pk, actor_id=actor.pk
        )
    return award
