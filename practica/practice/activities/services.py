"""Verbs that change activities: adapt one for a community, edit a community's activity.

Each verb takes the actor first, asks ``activities.access`` whether they may, validates every
field before writing anything (so bad input changes nothing), writes in one transaction and
emits an event delivered after commit. The library itself is written only by
``loader.load_library``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from practica.communities import access as community_access
from practica.lib.errors import Conflict, NotFound
from practica.lib.validation import clean_choice, clean_text, raise_if, suggest_slug
from practica.practice.activities import access
from practica.practice.activities.models import Activity, Purpose
from practica.realtime.bus import emit

if TYPE_CHECKING:
    from practica.accounts.models import User
    from practica.communities.models import Community

TITLE_MAX = 120
SUMMARY_MAX = 300
MATERIALS_MAX = 1000
NOTE_MAX = 2000
STEPS_MAX = 15
STEP_MAX = 500
DURATION_RANGE = (1, 90)
GROUP_RANGE = (1, 1000)
SLUG_BASE_MAX = 70  # leaves room for a "-NN" suffix within the 80-character slug field

# The fields a person may change; everything else (slug, lineage, community) is fixed.
EDITABLE = (
    "title",
    "purpose",
    "summary",
    "duration_minutes",
    "min_group",
    "max_group",
    "in_person",
    "virtual",
    "materials",
    "steps",
)


def clean_activity(errors: dict[str, str], values: dict[str, Any]) -> dict[str, Any]:
    """Validate the EDITABLE ``values``; record one message per bad field in ``errors`` and
    return the cleaned values (stripped text, steps as a list)."""
    cleaned: dict[str, Any] = {
        "title": clean_text(errors, "title", values["title"], max_len=TITLE_MAX),
        "purpose": clean_choice(errors, "purpose", values["purpose"], list(Purpose.values)),
        "summary": clean_text(errors, "summary", values["summary"], max_len=SUMMARY_MAX),
        "materials": clean_text(
            errors, "materials", values["materials"], max_len=MATERIALS_MAX, required=False
        ),
        "duration_minutes": _clean_int(
            errors, "duration_minutes", values["duration_minutes"], DURATION_RANGE, "Duration"
        ),
        "min_group": _clean_int(
            errors, "min_group", values["min_group"], GROUP_RANGE, "The smallest group"
        ),
        "max_group": _clean_int(
            errors, "max_group", values["max_group"], GROUP_RANGE, "The largest group"
        ),
        "steps": clean_steps(errors, values["steps"]),
    }
    groups_ok = "min_group" not in errors and "max_group" not in errors
    if groups_ok and cleaned["min_group"] > cleaned["max_group"]:
        errors["max_group"] = (
            f"The largest group ({cleaned['max_group']}) must be at least the smallest "
            f"({cleaned['min_group']})."
        )
    cleaned.update(_clean_setting(errors, values["in_person"], values["virtual"]))
    return cleaned


def _clean_int(
    errors: dict[str, str], field: str, value: object, bounds: tuple[int, int], label: str
) -> int:
    low, high = bounds
    # bool is an int in Python; True minutes is a bug in the caller, not a duration.
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        errors[field] = f"{label} must be a whole number from {low} to {high}."
        return low
    return value


def _clean_setting(errors: dict[str, str], in_person: object, virtual: object) -> dict[str, bool]:
    if not isinstance(in_person, bool) or not isinstance(virtual, bool):
        errors["setting"] = "In person and virtual must each be true or false."
    elif not (in_person or virtual):
        errors["setting"] = "Choose where it can run: in person, virtual, or both."
    return {"in_person": bool(in_person), "virtual": bool(virtual)}


def clean_steps(errors: dict[str, str], steps: object) -> list[str]:
    """One to STEPS_MAX one-line steps of at most STEP_MAX characters each."""
    if isinstance(steps, str) or not isinstance(steps, Sequence):
        errors["steps"] = "Steps must be a list of text, one entry per step."
        return []
    cleaned = [s.strip() if isinstance(s, str) else s for s in steps]
    problem = _step_problem(cleaned)
    if problem:
        errors["steps"] = problem
    return cleaned if not problem else []


def _step_problem(steps: list[Any]) -> str | None:
    if not steps:
        return "Add at least one step: what the facilitator says or does first."
    if len(steps) > STEPS_MAX:
        return (
            f"At most {STEPS_MAX} steps (there are {len(steps)}): an opener this long may be "
            "two activities."
        )
    for number, step in enumerate(steps, start=1):
        if not isinstance(step, str):
            return f"Step {number} must be text."
        if not step:
            return f"Step {number} is empty: write it or remove it."
        if "\x00" in step:
            return f"Step {number} contains a NUL character; remove it."
        # One line per step, so the one-step-per-line editor shows it back unchanged.
        if "\n" in step or "\r" in step:
            return f"Step {number} has a line break: make it two steps or one line."
        if len(step) > STEP_MAX:
            return f"Step {number} has {len(step)} characters; keep each step to {STEP_MAX}."
    return None


def _clean_note(errors: dict[str, str], note: object) -> str:
    text = note if isinstance(note, str) else ""
    return clean_text(errors, "note", text, max_len=NOTE_MAX, label="What changed and why")


def _merge(base: Activity, fields: dict[str, Any]) -> dict[str, Any]:
    """``base``'s EDITABLE values overridden by ``fields``; unknown names are a caller bug."""
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise TypeError(f"Not editable activity fields: {', '.join(sorted(unknown))}")
    values = {name: getattr(base, name) for name in EDITABLE}
    values.update({k: v for k, v in fields.items() if v is not None})
    return values


def require_member(actor: User, community: Community) -> None:
    """Forbidden unless ``actor`` may adapt activities into ``community`` (is a member)."""
    community_access.require(
        access.can_adapt_into(actor, community),
        f"Only members of {community.name} may adapt activities for it.",
    )


def adapt_activity(
    actor: User, source: Activity, community: Community, *, note: str, **fields: Any
) -> Activity:
    """Copy ``source`` into ``community`` with ``fields`` changed (omitted or None: as in the
    source) and ``note`` saying what changed and why; ``adapted_from`` keeps the lineage.

    Raises NotFound if the actor may not see the source, Forbidden unless they are a member of
    ``community``, Invalid (nothing written) for bad fields, Conflict on a slug race.
    """
    if not access.can_view_activity(actor, source):
        raise NotFound("No such activity.")
    require_member(actor, community)
    errors: dict[str, str] = {}
    values = clean_activity(errors, _merge(source, fields))
    note = _clean_note(errors, note)
    raise_if(errors)
    return _create_adaptation(actor, source, community, values, note)


def _create_adaptation(
    actor: User, source: Activity, community: Community, values: dict[str, Any], note: str
) -> Activity:
    # Two people adapting the same title at once may pick the same free slug; the unique
    # constraint decides, and the loser retries with the next free one.
    for _attempt in range(3):
        slug = _free_slug(community, values["title"])
        try:
            with transaction.atomic():
                activity = Activity.objects.create(
                    community=community,
                    slug=slug,
                    adapted_from=source,
                    adaptation_note=note,
                    created_by=actor,
                    **values,
                )
                emit(
                    "activities.adapted",
                    activity_id=activity.pk,
                    source_id=source.pk,
                    community_id=community.pk,
                    actor_id=actor.pk,
                )
            return activity
        except IntegrityError:
            continue
    raise Conflict("Someone saved an activity with this title just now; try again.", code="busy")


def _free_slug(community: Community, title: str) -> str:
    base = suggest_slug(title, SLUG_BASE_MAX) or "activity"
    taken = set(
        Activity.objects.filter(community=community, slug__startswith=base).values_list(
            "slug", flat=True
        )
    )
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


def require_editor(actor: User, activity: Activity) -> None:
    """Forbidden unless ``actor`` may edit ``activity`` (see ``activities.access``)."""
    community_access.require(
        access.can_edit_activity(actor, activity),
        "Only the member who adapted this activity, or the community's facilitators and "
        "coordinators, may edit it."
        if activity.community_id
        else "Library activities change only in the library itself: adapt this one instead.",
    )


def update_activity(actor: User, activity: Activity, *, note: str, **fields: Any) -> Activity:
    """Change a community's activity (``fields`` omitted or None: unchanged; ``note`` is
    required). Its slug, community and lineage never change.

    Raises Forbidden unless :func:`access.can_edit_activity`; Invalid (nothing written) for
    bad fields.
    """
    require_editor(actor, activity)
    errors: dict[str, str] = {}
    values = clean_activity(errors, _merge(activity, fields))
    note = _clean_note(errors, note)
    raise_if(errors)
    with transaction.atomic():
        for name, value in values.items():
            setattr(activity, name, value)
        activity.adaptation_note = note
        activity.updated_at = timezone.now()
        activity.save(update_fields=[*values, "adaptation_note", "updated_at"])
        emit(
            "activities.updated",
            activity_id=activity.pk,
            community_id=activity.community_id,
            actor_id=actor.pk,
        )
    return activity
