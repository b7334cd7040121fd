"""Levels: what each requires (reputation AND breadth), what it unlocks, and promotion.

Requirements are per organization (``LevelRequirement``), the nearest organization up the tree
that sets a level winning, else ``DEFAULTS``. Promotion happens on write (``promote``), only
upward: nobody is demoted for being away. A moderator's lowering sets a ``ceiling`` that holds
until lifted (``services.lower_level`` / ``services.lift_ceiling``).
"""

from __future__ import annotations

from dataclasses import dataclass

from practica.communities.models import Community
from practica.realtime.bus import emit
from practica.recognition.models import Level, LevelChange, LevelRequirement, Standing
from practica.recognition.privileges import LEVEL_PRIVILEGES, Privilege


@dataclass(frozen=True)
class Requirement:
    reputation: int
    people_helped: int
    days_active: int


# Good defaults: a member after a couple of useful days; a leader after sustained, broad help.
DEFAULTS: dict[int, Requirement] = {
    Level.NEWCOMER: Requirement(0, 0, 0),
    Level.MEMBER: Requirement(10, 1, 2),
    Level.CONTRIBUTOR: Requirement(100, 3, 5),
    Level.STEWARD: Requirement(400, 10, 15),
    Level.LEADER: Requirement(1200, 25, 40),
}

PRIVILEGE_LABELS: dict[Privilege, str] = {
    Privilege.CREATE_TAGS: "create tags",
    Privilege.FLAG_HIDES: "flags that hide content until a moderator looks",
    Privilege.EDIT_OTHERS: "edit others' posts",
    Privilege.PROMOTE_TO_WIKI: "promote answers to the wiki",
    Privilege.CREATE_COMMUNITY: "start communities (where your organization allows it)",
}


def requirements_for(community: Community) -> dict[int, Requirement]:
    """Every level's requirement in ``community`` (one query)."""
    org_ids = community.organization.ancestor_ids  # root first
    depth = {org_id: i for i, org_id in enumerate(org_ids)}
    result = dict(DEFAULTS)
    rows = LevelRequirement.objects.filter(organization_id__in=org_ids)
    for row in sorted(rows, key=lambda r: depth[r.organization_id]):  # nearest org last: wins
        result[row.level] = Requirement(
            row.min_reputation, row.min_people_helped, row.min_days_active
        )
    return result


def requirements_for_many(communities: list[Community]) -> dict[int, dict[int, Requirement]]:
    """``requirements_for`` of several communities in one query: community id -> levels."""
    org_ids = {i for c in communities for i in c.organization.ancestor_ids}
    rows = list(LevelRequirement.objects.filter(organization_id__in=org_ids))
    result = {}
    for c in communities:
        chain = c.organization.ancestor_ids
        depth = {org_id: i for i, org_id in enumerate(chain)}
        reqs = dict(DEFAULTS)
        mine = sorted(
            (r for r in rows if r.organization_id in depth), key=lambda r: depth[r.organization_id]
        )
        for row in mine:
            reqs[row.level] = Requirement(
                row.min_reputation, row.min_people_helped, row.min_days_active
            )
        result[c.pk] = reqs
    return result


def earned_level(standing: Standing, reqs: dict[int, Requirement]) -> int:
    """The highest level whose every requirement (and every lower level's) ``standing`` meets."""
    earned = Level.NEWCOMER
    for level in sorted(reqs):
        r = reqs[level]
        met = (
            standing.reputation >= r.reputation
            and standing.people_helped >= r.people_helped
            and standing.days_active >= r.days_active
        )
        if not met:
            break
        earned = Level(level)
    return int(earned)


def promote(standing: Standing, community: Community) -> bool:
    """Raise ``standing.level`` to what it has earned (never lower, never past ``ceiling``);
    log it and tell the person. True if it rose. The caller holds the row's lock."""
    target = earned_level(standing, requirements_for(community))
    if standing.ceiling is not None:
        target = min(target, standing.ceiling)
    if target <= standing.level:
        return False
    LevelChange.objects.create(
        user_id=standing.user_id,
        community=community,
        from_level=standing.level,
        to_level=target,
        reason="Requirements met.",
    )
    Standing.objects.filter(pk=standing.pk).update(level=target)
    standing.level = target
    emit(
        "recognition.level_reached",
        community_id=community.pk,
        user_id=standing.user_id,
        level=target,
    )
    _notify_level(standing, community, target)
    return True


def _notify_level(standing: Standing, community: Community, level: int) -> None:
    from django.urls import reverse

    from practica.notifications.services import notify

    unlocked = ", ".join(PRIVILEGE_LABELS[p] for p in LEVEL_PRIVILEGES.get(level, ()))
    message = f"You are now a {Level(level).label} in {community.name}."
    if unlocked:
        message += f" You can now {unlocked}."
    notify(
        standing.user,
        kind="recognition.level_reached",
        message=message,
        url=reverse("recognition:person", args=[standing.user_id]),
    )


@dataclass(frozen=True)
class Progress:
    label: str
    have: int
    need: int

    @property
    def percent(self) -> int:
        if self.need <= 0:
            return 100
        return min(100, int(self.have * 100 / self.need))

    @property
    def done(self) -> bool:
        return self.have >= self.need


def progress_to_next(standing: Standing, reqs: dict[int, Requirement]) -> list[Progress]:
    """One bar per requirement of the next level ([] at the top level)."""
    nxt = standing.level + 1
    if nxt not in reqs:
        return []
    r = reqs[nxt]
    return [
        Progress("Reputation", standing.reputation, r.reputation),
        Progress("People helped", standing.people_helped, r.people_helped),
        Progress("Days active", standing.days_active, r.days_active),
    ]
