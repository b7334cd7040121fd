"""Badges: definitions as data, each with its rule as code, registered in one place.

    @badge("open-door", "Open Door", tier="bronze", category="sharing",
           description="...", criteria="...", events=("qa.answer_posted",))
    def open_door(user_ids: list[int] | None) -> dict[int, Evidence]: ...

A rule answers "who among ``user_ids`` (everyone when None) has earned this, and what is the
evidence?" with a constant number of queries. It runs when one of its ``events`` names a
person (author, voter, rater...), in the backfill task, and in the daily safety net.
Awarding is idempotent: ``Award`` is unique per (badge, person), so running a rule twice, or
concurrently, awards once. A revoked award stays revoked (its row blocks re-awarding).

The ``Badge`` rows (name, description, criteria, tier, image) are synced from the
registrations by ``sync_badges`` (cheap: one query when nothing changed).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F

from practica.accounts.models import OrgMembership
from practica.communities.models import Community
from practica.realtime import bus
from practica.realtime.bus import Event, emit
from practica.recognition.images import badge_svg
from practica.recognition.models import Award, Badge

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Evidence:
    """What earned the badge: an object in a community (or an organization), in words."""

    community_id: int | None
    object_type: str
    object_id: int | None
    note: str
    organization_id: int | None = None


Rule = Callable[[list[int] | None], dict[int, Evidence]]


@dataclass(frozen=True)
class BadgeDef:
    slug: str
    name: str
    description: str
    criteria: str
    tier: str
    category: str
    events: tuple[str, ...]
    rule: Rule


_defs: dict[str, BadgeDef] = {}
# Payload keys that name people whose badges an event may change.
PERSON_KEYS = (
    "author_id", "voter_id", "rater_id", "answer_author_id", "previous_author_id", "actor_id",
    "post_author_id", "presenter_id", "facilitator_id", "participant_ids", "user_id",
    "giver_id", "recipient_id", "coach_id", "coachee_id",
)  # fmt: skip


def badge(
    slug: str,
    name: str,
    *,
    tier: str,
    category: str,
    description: str,
    criteria: str,
    events: Iterable[str],
) -> Callable[[Rule], Rule]:
    """Register a badge and its rule (the decorated function)."""

    def register(rule: Rule) -> Rule:
        d = BadgeDef(slug, name, description, criteria, tier, category, tuple(events), rule)
        _defs[slug] = d
        from practica.recognition.sources import dispatch

        for event_name in d.events:
            bus.subscribe(event_name)(dispatch)  # sources.dispatch then calls on_event
        return rule

    return register


def definitions() -> list[BadgeDef]:
    return list(_defs.values())


def _row_fields(d: BadgeDef, position: int) -> dict[str, Any]:
    return {
        "name": d.name,
        "description": d.description,
        "criteria": d.criteria,
        "tier": d.tier,
        "category": d.category,
        "image_svg": badge_svg(d.name, d.tier, d.category),
        "position": position,
    }


def sync_badges() -> dict[str, Badge]:
    """Make the ``Badge`` rows match the registrations; slug -> row."""
    rows = {b.slug: b for b in Badge.objects.all()}
    for position, d in enumerate(_defs.values()):
        fields = _row_fields(d, position)
        row = rows.get(d.slug)
        if row is None:
            try:
                with transaction.atomic():
                    rows[d.slug] = Badge.objects.create(slug=d.slug, **fields)
            except IntegrityError:  # created concurrently
                rows[d.slug] = Badge.objects.get(slug=d.slug)
        elif any(getattr(row, k) != v for k, v in fields.items()):
            Badge.objects.filter(pk=row.pk).update(**fields)
            for k, v in fields.items():
                setattr(row, k, v)
    return rows


def people_in(payload: dict[str, Any]) -> list[int]:
    ids: set[int] = set()
    for key in PERSON_KEYS:
        value = payload.get(key)
        if isinstance(value, list):
            ids.update(int(v) for v in value if v)
        elif value:
            ids.add(int(value))
    return sorted(ids)


def on_event(event: Event) -> None:
    """Run the rules of badges listening to ``event`` for the people it names."""
    users = people_in(event.payload)
    if not users:
        return
    defs = [d for d in _defs.values() if event.name in d.events]
    award_rules(defs, users)


def award_rules(defs: Iterable[BadgeDef], user_ids: list[int] | None) -> list[Award]:
    """Run ``defs``' rules for ``user_ids`` (everyone when None); award what is earned and not
    yet awarded. Returns the new awards."""
    defs = list(defs)
    if not defs:
        return []
    rows = sync_badges()
    created: list[Award] = []
    for d in defs:
        earned = d.rule(user_ids)
        if not earned:
            continue
        have = set(
            Award.objects.filter(badge=rows[d.slug], user_id__in=list(earned)).values_list(
                "user_id", flat=True
            )
        )
        for user_id, evidence in earned.items():
            if user_id not in have:
                award = _award(rows[d.slug], user_id, evidence)
                if award is not None:
                    created.append(award)
    return created


def _organization_for(evidence: Evidence, user_id: int) -> int | None:
    if evidence.community_id:
        return (
            Community.objects.filter(pk=evidence.community_id)
            .values_list("organization_id", flat=True)
            .first()
        )
    if evidence.organization_id:
        return evidence.organization_id
    return (
        OrgMembership.objects.filter(user_id=user_id)
        .values_list("organization_id", flat=True)
        .first()
    )


def _award(row: Badge, user_id: int, evidence: Evidence) -> Award | None:
    org_id = _organization_for(evidence, user_id)
    if org_id is None:
        return None  # no organization can issue it (yet): the backfill tries again later
    try:
        with transaction.atomic():
            award = Award.objects.create(
                badge=row,
                user_id=user_id,
                organization_id=org_id,
                community_id=evidence.community_id,
                evidence_type=evidence.object_type,
                evidence_id=evidence.object_id,
                evidence_note=evidence.note[:300],
            )
            Badge.objects.filter(pk=row.pk).update(award_count=F("award_count") + 1)
            emit(
                "recognition.badge_awarded",
                user_id=user_id,
                award_id=award.pk,
                badge=row.slug,
                community_id=evidence.community_id,
            )
    except IntegrityError:
        return None  # awarded concurrently: once is enough
    _notify(award)
    return award


def _notify(award: Award) -> None:
    from django.urls import reverse

    from practica.notifications.services import notify

    notify(
        award.user,
        kind="recognition.badge_awarded",
        message=f"You earned the {award.badge.name} badge: {award.evidence_note}",
        url=reverse("recognition:award", args=[award.uid]),
    )


def backfill(slugs: Iterable[str] | None = None) -> int:
    """Run every rule (or those named) for everyone; the number of new awards."""
    wanted = set(slugs) if slugs else None
    defs = [d for d in _defs.values() if wanted is None or d.slug in wanted]
    return len(award_rules(defs, None))
