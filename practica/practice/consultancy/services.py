"""Verbs of consultancy sessions: bring a case, run it live (start, advance, go back one step,
finish), contribute per step, reflect, record the follow-up, widen a case, adapt a protocol.

Each verb takes the actor first, asks the gate (``consultancy.access``, built on
``communities.access``) whether they may, validates (the rules are stated once, here, for the
forms and the API alike), writes in one transaction and emits an event delivered after commit.
A refused write changes nothing. The follow-up request is due-dated work
(``practica.scheduling``), done by :func:`request_followup_job`, which is idempotent.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from practica.accounts.models import User
from practica.communities import access
from practica.communities.models import Community, Membership
from practica.lib.errors import Conflict, Forbidden, NotFound
from practica.lib.markdown import cook
from practica.lib.validation import clean_choice, clean_text, raise_if, suggest_slug
from practica.notifications.services import notify
from practica.practice.consultancy import access as consultancy_access
from practica.practice.consultancy.models import (
    CASE_TEXT_MAX,
    CONTRIBUTION_MAX,
    FOCUS_MAX,
    NOTE_MAX,
    REFLECTION_MAX,
    STEP_MINUTES_MAX,
    STEP_NAME_MAX,
    STEP_PURPOSE_MAX,
    STEPS_MAX,
    SUMMARY_MAX,
    TITLE_MAX,
    CaseVisibility,
    Contribution,
    ContributionKind,
    Participant,
    Protocol,
    ProtocolStep,
    Session,
    SessionStatus,
    Speakers,
)
from practica.realtime.bus import emit
from practica.scheduling.services import cancel, schedule

JOB_FOLLOWUP = "consultancy.followup"
FOLLOWUP_DAYS_MIN, FOLLOWUP_DAYS_MAX = 1, 180
DEFAULT_FOLLOWUP_DAYS = 14
MAX_PARTICIPANTS = 30
DB_INT_MAX = 2**63 - 1
# A session may be planned for a moment that has just passed (a slow form); not for yesterday.
SCHEDULE_GRACE = timedelta(hours=1)


# --- Small helpers ------------------------------------------------------------------------------


def session_url(session: Session) -> str:
    return reverse("consultancy:session", args=[session.community.slug, session.pk])


def _participant_ids(session: Session) -> list[int]:
    return sorted(Participant.objects.filter(session=session).values_list("user_id", flat=True))


def _require_visible(actor: User, session: Session) -> None:
    if not consultancy_access.can_view_session(actor, session):
        raise NotFound("No such consultancy session.")


def _require_facilitator(actor: User, session: Session, what: str) -> None:
    _require_visible(actor, session)
    access.require(
        actor.pk == session.facilitator_id, f"Only the session's facilitator may {what}."
    )


def _require_presenter(actor: User, session: Session, what: str) -> None:
    _require_visible(actor, session)
    access.require(actor.pk == session.presenter_id, f"Only the presenter may {what}.")


def _locked(session: Session) -> Session:
    """The session, locked for this transaction (two facilitator clicks never both apply)."""
    row = (
        Session.objects.select_for_update(of=("self",))
        .select_related("community")
        .get(pk=session.pk)
    )
    return row


def _sync(target: Session, source: Session) -> None:
    """Copy the written live state back onto the caller's object."""
    for name in (
        "status",
        "current_step",
        "step_started_at",
        "started_at",
        "completed_at",
        "updated_at",
        "visibility",
        "reflection",
        "reflection_html",
        "reflected_at",
        "followup_after_days",
        "followup_due_at",
        "followup_tried",
        "followup_tried_html",
        "followup_happened",
        "followup_happened_html",
        "followup_recorded_at",
    ):
        setattr(target, name, getattr(source, name))


def _zone(name: str) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# --- Facilitator suggestion (the meetings rota decides; we only read it) ------------------------


def suggest_facilitator(community: Community, presenter: User | None) -> tuple[User, Any] | None:
    """The facilitator of the community's next scheduled meeting on the meetings rota, with
    that meeting, if they are a member other than the presenter; None when there is none.

    The rota itself is ``practica.practice.meetings`` (its selector ``upcoming``); this never
    re-plans turns, it reads who already holds the next one.
    """
    from practica.practice.meetings import selectors as meetings

    for occ in meetings.upcoming(community, limit=5):
        if occ.is_cancelled or occ.facilitator is None:
            continue
        if presenter is not None and occ.facilitator_id == presenter.pk:
            continue
        if Membership.objects.filter(community=community, user=occ.facilitator).exists():
            return occ.facilitator, occ
    return None


# --- Bringing a case ----------------------------------------------------------------------------


def _clean_people(
    errors: dict[str, str],
    community: Community,
    presenter: User,
    facilitator_id: int | None,
    participant_ids: Iterable[int],
) -> tuple[User | None, list[User]]:
    """The facilitator and participants, all members of ``community``, none the presenter."""
    wanted = list(dict.fromkeys(int(i) for i in participant_ids))
    # Ids no database row can have are simply not members (and never reach the database).
    ids = {i for i in [*wanted, facilitator_id] if i and 1 <= i <= DB_INT_MAX}
    members = {
        m.user_id: m.user
        for m in Membership.objects.filter(community=community, user_id__in=ids).select_related(
            "user"
        )
    }
    facilitator = members.get(facilitator_id) if facilitator_id else None
    if not facilitator_id:
        errors["facilitator"] = "Choose a facilitator to keep time and guide the steps."
    elif facilitator is None:
        errors["facilitator"] = f"The facilitator must be a member of {community.name}."
    elif facilitator.pk == presenter.pk:
        errors["facilitator"] = (
            "You are presenting: ask another member to facilitate, so you can think."
        )
    outsiders = [i for i in wanted if i not in members]
    if outsiders:
        errors["participants"] = (
            f"Participants must be members of {community.name}; "
            f"{len(outsiders)} of the people chosen {'is' if len(outsiders) == 1 else 'are'} not."
        )
    people = [
        members[i] for i in wanted if i in members and i not in (presenter.pk, facilitator_id)
    ]
    if not outsiders and not people:
        errors["participants"] = "Invite at least one participant besides the facilitator."
    elif len(people) > MAX_PARTICIPANTS:
        errors["participants"] = f"Invite at most {MAX_PARTICIPANTS} participants."
    return facilitator, people


def _clean_followup_days(errors: dict[str, str], days: int | None) -> int:
    days = DEFAULT_FOLLOWUP_DAYS if days is None else int(days)
    if not FOLLOWUP_DAYS_MIN <= days <= FOLLOWUP_DAYS_MAX:
        errors["followup_after_days"] = (
            f"Ask for the follow-up after {FOLLOWUP_DAYS_MIN} to {FOLLOWUP_DAYS_MAX} days."
        )
    return days


def _clean_protocol(
    errors: dict[str, str], community: Community, protocol: Protocol | None
) -> list[dict[str, Any]]:
    if protocol is None or (
        protocol.community_id is not None and protocol.community_id != community.pk
    ):
        errors["protocol"] = "Choose one of this community's protocols."
        return []
    steps = [s.as_snapshot() for s in ProtocolStep.objects.filter(protocol=protocol)]
    if not steps:
        errors["protocol"] = "This protocol has no steps."
    return steps


def create_session(
    actor: User,
    community: Community,
    *,
    title: str,
    context: str,
    dilemma: str,
    focusing_question: str,
    protocol: Protocol | None,
    facilitator_id: int | None,
    participant_ids: Sequence[int],
    materials: str = "",
    scheduled_for: datetime | None = None,
    visibility: str = CaseVisibility.PARTICIPANTS,
    followup_after_days: int | None = None,
) -> Session:
    """Bring a case (the actor presents it). Raises Forbidden unless the actor is a member,
    Invalid (nothing written) for an empty field, a facilitator or participant who is not a
    member, a protocol of another community, a date in the past."""
    access.require(
        access.is_member(actor, community),
        f"Only members of {community.name} may bring a case.",
    )
    errors: dict[str, str] = {}
    title = clean_text(errors, "title", title, max_len=TITLE_MAX)
    context = clean_text(errors, "context", context, max_len=CASE_TEXT_MAX)
    dilemma = clean_text(errors, "dilemma", dilemma, max_len=CASE_TEXT_MAX, label="The dilemma")
    focusing_question = clean_text(
        errors,
        "focusing_question",
        focusing_question,
        max_len=FOCUS_MAX,
        label="The focusing question",
    )
    materials = clean_text(errors, "materials", materials, max_len=CASE_TEXT_MAX, required=False)
    visibility = clean_choice(errors, "visibility", visibility, CaseVisibility.values)
    days = _clean_followup_days(errors, followup_after_days)
    if scheduled_for is not None and timezone.is_naive(scheduled_for):
        scheduled_for = timezone.make_aware(scheduled_for, _zone(actor.timezone))  # their time
    if scheduled_for is not None and scheduled_for < timezone.now() - SCHEDULE_GRACE:
        errors["scheduled_for"] = "That time has passed: choose a time from now on."
    steps = _clean_protocol(errors, community, protocol)
    facilitator, people = _clean_people(errors, community, actor, facilitator_id, participant_ids)
    raise_if(errors)
    assert protocol is not None
    assert facilitator is not None
    with transaction.atomic():
        session = Session.objects.create(
            community=community,
            presenter=actor,
            facilitator=facilitator,
            title=title,
            context=context,
            context_html=cook(context),
            dilemma=dilemma,
            dilemma_html=cook(dilemma),
            focusing_question=focusing_question,
            materials=materials,
            materials_html=cook(materials) if materials else "",
            visibility=visibility,
            protocol=protocol,
            protocol_title=protocol.title,
            steps=steps,
            scheduled_for=scheduled_for,
            followup_after_days=days,
        )
        Participant.objects.bulk_create(Participant(session=session, user=u) for u in people)
        url = session_url(session)
        for person in [facilitator, *people]:
            role = "facilitate" if person == facilitator else "take part in"
            notify(
                person,
                kind="consultancy_invited",
                message=f"{actor.display_name} asked you to {role} a consultancy: "
                f"“{_short(title)}”.",
                url=url,
                actor=actor,
            )
        emit(
            "consultancy.session_created",
            session_id=session.pk,
            community_id=community.pk,
            presenter_id=actor.pk,
            facilitator_id=facilitator.pk,
            participant_ids=[u.pk for u in people],
        )
    return session


def set_visibility(actor: User, session: Session, visibility: str) -> Session:
    """Widen the case to the community's members, or narrow it back (the presenter only)."""
    _require_presenter(actor, session, "decide who sees this case")
    errors: dict[str, str] = {}
    visibility = clean_choice(errors, "visibility", visibility, CaseVisibility.values)
    raise_if(errors)
    with transaction.atomic():
        row = _locked(session)
        row.visibility = visibility
        row.updated_at = timezone.now()
        row.save(update_fields=["visibility", "updated_at"])
        emit(
            "consultancy.visibility_changed",
            session_id=row.pk,
            community_id=row.community_id,
            presenter_id=row.presenter_id,
            visibility=visibility,
        )
    _sync(session, row)
    return session


# --- Live mode ----------------------------------------------------------------------------------


def _step_changed(row: Session) -> None:
    emit(
        "consultancy.step_changed",
        session_id=row.pk,
        community_id=row.community_id,
        status=row.status,
        step=row.current_step,
        participant_ids=[row.presenter_id, row.facilitator_id, *_participant_ids(row)],
    )


def _check_from(row: Session, from_step: int | None) -> None:
    """``from_step`` is the step the facilitator saw: a second click (or a second tab) that
    arrives after the first moved the session must not move it again."""
    if from_step is not None and from_step != row.current_step:
        raise Conflict(
            "The session has already moved on; here is where it is now.", code="step_moved"
        )


def start_session(actor: User, session: Session) -> Session:
    """Open step 1 and start its clock (the facilitator only; once)."""
    _require_facilitator(actor, session, "start it")
    with transaction.atomic():
        row = _locked(session)
        if row.status != SessionStatus.PLANNED:
            raise Conflict("This session has already started.", code="already_started")
        now = timezone.now()
        row.status = SessionStatus.LIVE
        row.current_step = 0
        row.step_started_at = row.started_at = row.updated_at = now
        row.save(
            update_fields=["status", "current_step", "step_started_at", "started_at", "updated_at"]
        )
        url = session_url(row)
        people = User.objects.filter(pk__in=[row.presenter_id, *_participant_ids(row)])
        for person in people:
            notify(
                person,
                kind="consultancy_started",
                message=f"The consultancy “{_short(row.title)}” has started: join in.",
                url=url,
                actor=actor,
            )
        _step_changed(row)
    _sync(session, row)
    return session


def _move(actor: User, session: Session, delta: int, from_step: int | None) -> Session:
    with transaction.atomic():
        row = _locked(session)
        if row.status != SessionStatus.LIVE or row.current_step is None:
            raise Conflict("The session is not live.", code="not_live")
        _check_from(row, from_step)
        target = row.current_step + delta
        if target >= len(row.steps):
            raise Conflict("This is the last step: finish the session instead.", code="last_step")
        if target < 0:
            raise Conflict("This is the first step.", code="first_step")
        row.current_step = target
        # Going back restarts that step's clock: the group gets its full time again.
        row.step_started_at = row.updated_at = timezone.now()
        row.save(update_fields=["current_step", "step_started_at", "updated_at"])
        _step_changed(row)
    _sync(session, row)
    return session


def advance_step(actor: User, session: Session, *, from_step: int | None = None) -> Session:
    """Move to the next step and restart the clock (the facilitator only)."""
    _require_facilitator(actor, session, "move to the next step")
    return _move(actor, session, +1, from_step)


def previous_step(actor: User, session: Session, *, from_step: int | None = None) -> Session:
    """Go back one step, with a fresh clock (the facilitator only)."""
    _require_facilitator(actor, session, "go back a step")
    return _move(actor, session, -1, from_step)


def finish_session(actor: User, session: Session) -> Session:
    """End the session (the facilitator only, once it is live) and schedule the follow-up
    request ``followup_after_days`` from now. Emits ``consultancy.session_completed``."""
    _require_facilitator(actor, session, "finish it")
    with transaction.atomic():
        row = _locked(session)
        if row.status != SessionStatus.LIVE:
            raise Conflict(
                "Only a live session can be finished."
                if row.status == SessionStatus.PLANNED
                else "This session is already finished.",
                code="not_live",
            )
        now = timezone.now()
        row.status = SessionStatus.COMPLETED
        row.completed_at = row.updated_at = now
        row.step_started_at = None
        row.followup_due_at = now + timedelta(days=row.followup_after_days)
        row.save(
            update_fields=[
                "status",
                "completed_at",
                "updated_at",
                "step_started_at",
                "followup_due_at",
            ]
        )
        _schedule_followup(row)
        participant_ids = _participant_ids(row)
        notify(
            row.presenter,
            kind="consultancy_reflect",
            message=f"Your consultancy “{_short(row.title)}” is over: write your reflection "
            "while it is fresh.",
            url=session_url(row) + "#reflection",
            actor=actor,
        )
        emit(
            "consultancy.session_completed",
            session_id=row.pk,
            community_id=row.community_id,
            presenter_id=row.presenter_id,
            facilitator_id=row.facilitator_id,
            participant_ids=participant_ids,
        )
        _step_changed(row)
    _sync(session, row)
    return session


# --- Contributions ------------------------------------------------------------------------------


def speaking_rule(session: Session, user_id: int | None) -> tuple[bool, str]:
    """Whether ``user_id`` may write in the current step, and if not, why (for the page and
    the service alike). Assumes the user is one of the session's people."""
    step = session.step
    if step is None:
        return False, (
            "The session has not started yet."
            if session.is_planned
            else "The session is over; contributions are closed."
        )
    if step["contribution"] == ContributionKind.NONE:
        return False, "Nothing is written down in this step: listen, and note your thoughts."
    is_presenter = user_id == session.presenter_id
    if step["speakers"] == Speakers.PARTICIPANTS and is_presenter:
        return False, (
            "In this step the presenter listens silently: the group thinks aloud about your "
            "case without you answering, so that you can hear it fresh. Your turn comes next."
        )
    if step["speakers"] == Speakers.PRESENTER and not is_presenter:
        return False, "This step is the presenter's: listen without responding."
    return True, ""


def add_contribution(
    actor: User, session: Session, *, body: str, step: int | None = None
) -> Contribution:
    """Write a contribution in the current step, attributed to the actor, of the step's kind.

    ``step`` is the step the actor wrote it in; if the facilitator has moved on since, it is a
    Conflict (nothing saved) so the text is not filed under the wrong step. Forbidden when the
    actor is not one of the session's people or the step does not let them write (the presenter
    in a silent step); Conflict when the session is not live or the step records nothing.
    """
    _require_visible(actor, session)
    access.require(
        consultancy_access.is_person_of(actor, session),
        "Only the session's participants may contribute.",
    )
    errors: dict[str, str] = {}
    body = clean_text(errors, "body", body, max_len=CONTRIBUTION_MAX, label="Your contribution")
    raise_if(errors)
    with transaction.atomic():
        row = _locked(session)
        if row.status != SessionStatus.LIVE or row.current_step is None:
            raise Conflict(speaking_rule(row, actor.pk)[1], code="not_live")
        if step is not None and step != row.current_step:
            raise Conflict(
                f"The facilitator has moved on to “{row.steps[row.current_step]['name']}”; "
                "your text was not saved. Keep it for this step if it still fits.",
                code="step_moved",
            )
        allowed, why = speaking_rule(row, actor.pk)
        if not allowed:
            current = row.steps[row.current_step]
            if current["contribution"] == ContributionKind.NONE:
                raise Conflict(why, code="no_contributions")
            code = "presenter_silent" if actor.pk == row.presenter_id else "presenter_only"
            raise Forbidden(why, code=code)
        contribution = Contribution.objects.create(
            session=row,
            step=row.current_step,
            kind=row.steps[row.current_step]["contribution"],
            author=actor,
            body=body,
            html=cook(body),
        )
        emit(
            "consultancy.contribution_added",
            session_id=row.pk,
            community_id=row.community_id,
            contribution_id=contribution.pk,
            step=contribution.step,
            author_id=actor.pk,
            participant_ids=[row.presenter_id, row.facilitator_id, *_participant_ids(row)],
        )
    return contribution


# --- Afterwards ---------------------------------------------------------------------------------


def _require_completed(row: Session, what: str) -> None:
    if row.status != SessionStatus.COMPLETED:
        raise Conflict(f"You can {what} once the session is finished.", code="not_completed")


def write_reflection(
    actor: User, session: Session, *, reflection: str, followup_after_days: int | None = None
) -> Session:
    """The presenter's reflection (Markdown; written again replaces it). A new
    ``followup_after_days`` moves the follow-up request (counted from the session's end)."""
    _require_presenter(actor, session, "write the reflection")
    errors: dict[str, str] = {}
    reflection = clean_text(
        errors, "reflection", reflection, max_len=REFLECTION_MAX, label="Your reflection"
    )
    days = _clean_followup_days(
        errors, session.followup_after_days if followup_after_days is None else followup_after_days
    )
    raise_if(errors)
    with transaction.atomic():
        row = _locked(session)
        _require_completed(row, "write your reflection")
        now = timezone.now()
        row.reflection, row.reflection_html = reflection, cook(reflection)
        row.reflected_at = row.updated_at = now
        fields = ["reflection", "reflection_html", "reflected_at", "updated_at"]
        if days != row.followup_after_days and row.followup_recorded_at is None:
            assert row.completed_at is not None
            row.followup_after_days = days
            row.followup_due_at = row.completed_at + timedelta(days=days)
            fields += ["followup_after_days", "followup_due_at"]
            if row.followup_requested_at is None:
                _schedule_followup(row)
        row.save(update_fields=fields)
        emit(
            "consultancy.reflection_written",
            session_id=row.pk,
            community_id=row.community_id,
            presenter_id=row.presenter_id,
        )
    _sync(session, row)
    return session


def record_followup(actor: User, session: Session, *, tried: str, happened: str) -> Session:
    """What the presenter tried and what happened (both required; Markdown). The first record
    emits ``consultancy.followup_recorded`` and cancels the pending request; later edits only
    correct the text."""
    _require_presenter(actor, session, "record the follow-up")
    errors: dict[str, str] = {}
    tried = clean_text(errors, "tried", tried, max_len=REFLECTION_MAX, label="What you tried")
    happened = clean_text(
        errors, "happened", happened, max_len=REFLECTION_MAX, label="What happened"
    )
    raise_if(errors)
    with transaction.atomic():
        row = _locked(session)
        _require_completed(row, "record a follow-up")
        first = row.followup_recorded_at is None
        now = timezone.now()
        row.followup_tried, row.followup_tried_html = tried, cook(tried)
        row.followup_happened, row.followup_happened_html = happened, cook(happened)
        row.updated_at = now
        if first:
            row.followup_recorded_at = now
        row.save(
            update_fields=[
                "followup_tried",
                "followup_tried_html",
                "followup_happened",
                "followup_happened_html",
                "followup_recorded_at",
                "updated_at",
            ]
        )
        if first:
            cancel(_followup_key(row.pk))
            emit(
                "consultancy.followup_recorded",
                session_id=row.pk,
                community_id=row.community_id,
                presenter_id=row.presenter_id,
            )
    _sync(session, row)
    return session


def _followup_key(session_id: int) -> str:
    return f"{JOB_FOLLOWUP}:{session_id}"


def _schedule_followup(row: Session) -> None:
    assert row.followup_due_at is not None
    schedule(JOB_FOLLOWUP, _followup_key(row.pk), row.followup_due_at, session_id=row.pk)


def request_followup_job(session_id: int) -> bool:
    """Ask the presenter for their follow-up (due-dated; idempotent: a session already asked,
    or whose follow-up is recorded, or that is gone, is left alone). True if a request went out."""
    with transaction.atomic():
        row = (
            Session.objects.select_for_update(of=("self",))
            .select_related("community", "presenter")
            .filter(pk=session_id)
            .first()
        )
        if row is None or row.followup_requested_at or row.followup_recorded_at:
            return False
        notify(
            row.presenter,
            kind="consultancy_followup",
            message=f"It's time for the follow-up on “{_short(row.title)}”: what did you try, "
            "and what happened?",
            url=session_url(row) + "#followup",
        )
        row.followup_requested_at = timezone.now()
        row.save(update_fields=["followup_requested_at"])
    return True


# --- Protocols ----------------------------------------------------------------------------------


def _clean_steps(errors: dict[str, str], steps: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each step: name, purpose, minutes (1-120), speakers, contribution. Errors are keyed
    ``steps.<index>.<field>`` (0-based), or ``steps`` for the list as a whole."""
    if not steps:
        errors["steps"] = "A protocol needs at least one step."
        return []
    if len(steps) > STEPS_MAX:
        errors["steps"] = f"A protocol has at most {STEPS_MAX} steps."
        return []
    cleaned = []
    for i, raw in enumerate(steps):
        sub: dict[str, str] = {}
        name = clean_text(sub, "name", str(raw.get("name", "")), max_len=STEP_NAME_MAX)
        purpose = clean_text(sub, "purpose", str(raw.get("purpose", "")), max_len=STEP_PURPOSE_MAX)
        try:
            minutes = int(raw.get("minutes") or 0)
        except (TypeError, ValueError):
            minutes = 0
        if not 1 <= minutes <= STEP_MINUTES_MAX:
            sub["minutes"] = f"A step lasts 1 to {STEP_MINUTES_MAX} minutes."
        speakers = clean_choice(sub, "speakers", str(raw.get("speakers", "")), Speakers.values)
        kind = clean_choice(
            sub, "contribution", str(raw.get("contribution", "")), ContributionKind.values
        )
        errors.update({f"steps.{i}.{k}": v for k, v in sub.items()})
        cleaned.append(
            {
                "name": name,
                "purpose": purpose,
                "minutes": minutes,
                "speakers": speakers,
                "contribution": kind,
            }
        )
    return cleaned


def adapt_protocol(
    actor: User,
    source: Protocol,
    community: Community,
    *,
    title: str,
    summary: str,
    note: str,
    steps: Sequence[dict[str, Any]] | None = None,
) -> Protocol:
    """Copy ``source`` into ``community`` with a new title, summary and (edited) steps (None:
    the source's); ``adapted_from`` keeps the lineage and ``note`` says what changed and why.
    Raises NotFound if the source belongs to another community, Forbidden unless the actor is
    a member, Invalid (nothing written) for bad fields."""
    if source.community_id is not None and source.community_id != community.pk:
        raise NotFound("No such protocol.")
    access.require(
        access.is_member(actor, community),
        f"Only members of {community.name} may adapt a protocol.",
    )
    if steps is None:
        steps = [s.as_snapshot() for s in ProtocolStep.objects.filter(protocol=source)]
    errors: dict[str, str] = {}
    title = clean_text(errors, "title", title, max_len=TITLE_MAX)
    summary = clean_text(errors, "summary", summary, max_len=SUMMARY_MAX)
    note = clean_text(errors, "note", note, max_len=NOTE_MAX, label="What you changed and why")
    cleaned = _clean_steps(errors, steps)
    raise_if(errors)
    for _attempt in range(3):
        slug = _free_slug(community, title)
        try:
            with transaction.atomic():
                return _create_adaptation(actor, source, community, slug, title, summary, note,
                                          cleaned)  # fmt: skip
        except IntegrityError:
            continue  # someone took the slug just now: the next free one
    raise Conflict("Someone saved a protocol with this title just now; try again.", code="busy")


def _create_adaptation(
    actor: User,
    source: Protocol,
    community: Community,
    slug: str,
    title: str,
    summary: str,
    note: str,
    steps: list[dict[str, Any]],
) -> Protocol:
    protocol = Protocol.objects.create(
        community=community,
        slug=slug,
        title=title,
        summary=summary,
        adapted_from=source,
        adaptation_note=note,
        created_by=actor,
    )
    ProtocolStep.objects.bulk_create(
        ProtocolStep(protocol=protocol, position=i, **step) for i, step in enumerate(steps)
    )
    emit(
        "consultancy.protocol_adapted",
        protocol_id=protocol.pk,
        source_id=source.pk,
        community_id=community.pk,
        actor_id=actor.pk,
    )
    return protocol


def _free_slug(community: Community, title: str) -> str:
    base = suggest_slug(title, 70) or "protocol"
    taken = set(
        Protocol.objects.filter(community=community, slug__startswith=base).values_list(
            "slug", flat=True
        )
    )
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug
