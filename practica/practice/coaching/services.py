"""Coaching and mentoring: requests, relationships, goals, check-ins, stretch assignments.

Rules (docs/coaching.md): a request goes to someone the sender may see, not oneself, one
pending per pair; the recipient accepts (a relationship starts) or declines. Only the two
people in a relationship see it or write in it; either records check-ins; the coachee's goals
are set by either, with at most one live stretch goal; stretch assignments are agreed work
with a reflection when done. Ending is either's choice; an ended relationship is read-only.
"""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from practica.accounts.models import User
from practica.communities import access
from practica.lib.errors import Conflict, Forbidden, Invalid, NotFound
from practica.lib.validation import clean_text, raise_if
from practica.notifications.services import notify
from practica.practice.coaching.models import (
    FOCUS_MAX,
    GOAL_MAX,
    MESSAGE_MAX,
    NOTES_MAX,
    TITLE_MAX,
    AssignmentStatus,
    CheckIn,
    Goal,
    GoalStatus,
    Kind,
    MatchRequest,
    Relationship,
    RequestStatus,
    Status,
    StretchAssignment,
)
from practica.realtime.bus import emit


def relationship_url(relationship: Relationship) -> str:
    return reverse("coaching:relationship", args=[relationship.pk])


def request_match(sender: User, recipient: User, *, kind: str, message: str = "") -> MatchRequest:
    """Ask ``recipient`` to coach/mentor ``sender`` or to be peers; they are told."""
    errors: dict[str, str] = {}
    if kind not in Kind.values:
        errors["kind"] = "Choose coaching, mentoring or a peer partnership."
    message = clean_text(errors, "message", message, max_len=MESSAGE_MAX, required=False)
    raise_if(errors)
    if recipient.pk == sender.pk:
        raise Invalid({"recipient": "You can't ask yourself."})
    if not recipient.is_active or not access.can_view_person(sender, recipient):
        raise NotFound("No such person.")
    if Relationship.objects.filter(
        coach__in=[sender, recipient], coachee__in=[sender, recipient], status=Status.ACTIVE
    ).exists():
        raise Conflict("You already work together.", code="already_together")
    try:
        with transaction.atomic():
            found = MatchRequest.objects.create(
                sender=sender, recipient=recipient, kind=kind, message=message
            )
            notify(
                recipient,
                kind="coaching_request",
                actor=sender,
                url=reverse("coaching:index"),
                message=f"{sender.display_name} asks you for {Kind(kind).label.lower()}.",
            )
            emit("coaching.requested", request_id=found.pk, recipient_id=recipient.pk)
    except IntegrityError:
        raise Conflict(
            "You have already asked them; wait for their answer.", code="pending"
        ) from None
    return found


def decide(
    recipient: User, request_id: int, *, accept: bool, note: str = "", focus: str = ""
) -> Relationship | None:
    """The recipient accepts (a relationship starts) or declines (with an optional note)."""
    errors: dict[str, str] = {}
    note = clean_text(errors, "note", note, max_len=MESSAGE_MAX, required=False)
    focus = clean_text(errors, "focus", focus, max_len=FOCUS_MAX, required=False)
    raise_if(errors)
    with transaction.atomic():
        found = MatchRequest.objects.select_for_update().filter(pk=request_id).first()
        if found is None or found.recipient_id != recipient.pk:
            raise NotFound("No such request.")
        if found.status != RequestStatus.PENDING:
            raise Conflict("This request was already answered.", code="decided")
        found.status = RequestStatus.ACCEPTED if accept else RequestStatus.DECLINED
        found.response_note, found.decided_at = note, timezone.now()
        found.save(update_fields=["status", "response_note", "decided_at"])
        relationship = None
        if accept:
            relationship = Relationship.objects.create(
                coach=recipient,
                coachee=found.sender,
                kind=found.kind,
                focus=focus or found.message[:FOCUS_MAX],
            )
            emit(
                "coaching.relationship_started",
                relationship_id=relationship.pk,
                coach_id=recipient.pk,
                coachee_id=found.sender_id,
                kind=found.kind,
            )
        verb = "accepted" if accept else "declined"
        notify(
            found.sender,
            kind="coaching_request_decided",
            actor=recipient,
            url=relationship_url(relationship) if relationship else reverse("coaching:index"),
            message=f"{recipient.display_name} {verb} your request.",
        )
    return relationship


def withdraw(sender: User, request_id: int) -> None:
    with transaction.atomic():
        found = MatchRequest.objects.select_for_update().filter(pk=request_id).first()
        if found is None or found.sender_id != sender.pk:
            raise NotFound("No such request.")
        if found.status != RequestStatus.PENDING:
            raise Conflict("This request was already answered.", code="decided")
        found.status, found.decided_at = RequestStatus.WITHDRAWN, timezone.now()
        found.save(update_fields=["status", "decided_at"])


def get_relationship_for(user: User, relationship_id: int) -> Relationship:
    """The relationship if ``user`` is one of the two (everyone else: NotFound, staff too)."""
    found = (
        Relationship.objects.select_related("coach", "coachee").filter(pk=relationship_id).first()
    )
    if found is None or not found.involves(user.pk):
        raise NotFound("No such coaching relationship.")
    return found


def _writable(user: User, relationship: Relationship) -> None:
    if not relationship.involves(user.pk):
        raise NotFound("No such coaching relationship.")
    if relationship.status == Status.ENDED:
        raise Conflict("This relationship has ended.", code="ended")


def _other(user: User, relationship: Relationship) -> User:
    return relationship.coachee if user.pk == relationship.coach_id else relationship.coach


def add_goal(user: User, relationship: Relationship, *, text: str, stretch: bool = False) -> Goal:
    _writable(user, relationship)
    errors: dict[str, str] = {}
    text = clean_text(errors, "text", text, max_len=GOAL_MAX, label="The goal")
    raise_if(errors)
    try:
        with transaction.atomic():
            return Goal.objects.create(relationship=relationship, text=text, stretch=stretch)
    except IntegrityError:
        raise Conflict(
            "There is already a stretch goal; achieve or set it aside first.", code="one_stretch"
        ) from None


def update_goal(user: User, goal: Goal, *, status: str, progress: int) -> Goal:
    _writable(user, goal.relationship)
    if status not in GoalStatus.values or not 0 <= progress <= 100:
        raise Invalid({"progress": "Progress is a percentage from 0 to 100."})
    with transaction.atomic():
        achieved = status == GoalStatus.ACHIEVED and goal.status != GoalStatus.ACHIEVED
        goal.status, goal.progress = status, 100 if status == GoalStatus.ACHIEVED else progress
        goal.achieved_at = timezone.now() if achieved else goal.achieved_at
        goal.save(update_fields=["status", "progress", "achieved_at"])
        if achieved:
            r = goal.relationship
            emit(
                "coaching.goal_achieved",
                relationship_id=r.pk,
                goal_id=goal.pk,
                coach_id=r.coach_id,
                coachee_id=r.coachee_id,
                stretch=goal.stretch,
            )
    return goal


def check_in(user: User, relationship: Relationship, *, held_on: date, notes: str) -> CheckIn:
    """Record a conversation (notes both see); the other person is told."""
    _writable(user, relationship)
    errors: dict[str, str] = {}
    notes = clean_text(errors, "notes", notes, max_len=NOTES_MAX, label="Notes")
    if held_on > timezone.localdate():
        errors["held_on"] = "A check-in can't be in the future."
    raise_if(errors)
    with transaction.atomic():
        found = CheckIn.objects.create(
            relationship=relationship, author=user, held_on=held_on, notes=notes
        )
        notify(
            _other(user, relationship),
            kind="coaching_checkin",
            actor=user,
            url=relationship_url(relationship),
            message=f"{user.display_name} recorded a check-in ({held_on:%b %d}).",
        )
        emit(
            "coaching.checkin_recorded",
            relationship_id=relationship.pk,
            checkin_id=found.pk,
            coach_id=relationship.coach_id,
            coachee_id=relationship.coachee_id,
        )
    return found


def assign_stretch(
    user: User,
    relationship: Relationship,
    *,
    title: str,
    description: str = "",
    due_on: date | None = None,
    goal: Goal | None = None,
) -> StretchAssignment:
    _writable(user, relationship)
    errors: dict[str, str] = {}
    title = clean_text(errors, "title", title, max_len=TITLE_MAX, label="The assignment")
    description = clean_text(errors, "description", description, max_len=NOTES_MAX, required=False)
    if goal is not None and goal.relationship_id != relationship.pk:
        errors["goal"] = "That goal belongs to another relationship."
    raise_if(errors)
    with transaction.atomic():
        return StretchAssignment.objects.create(
            relationship=relationship,
            title=title,
            description=description,
            due_on=due_on,
            goal=goal,
        )


def complete_stretch(
    user: User, assignment: StretchAssignment, *, reflection: str
) -> StretchAssignment:
    """The coachee marks a stretch assignment done, with what they learned."""
    relationship = assignment.relationship
    _writable(user, relationship)
    if user.pk != relationship.coachee_id:
        raise Forbidden("The person doing the assignment marks it done.")
    errors: dict[str, str] = {}
    reflection = clean_text(errors, "reflection", reflection, max_len=NOTES_MAX, label="Reflection")
    raise_if(errors)
    if assignment.status == AssignmentStatus.DONE:
        raise Conflict("Already done.", code="done")
    with transaction.atomic():
        assignment.status, assignment.reflection = AssignmentStatus.DONE, reflection
        assignment.done_at = timezone.now()
        assignment.save(update_fields=["status", "reflection", "done_at"])
        emit(
            "coaching.stretch_completed",
            relationship_id=relationship.pk,
            assignment_id=assignment.pk,
            coach_id=relationship.coach_id,
            coachee_id=relationship.coachee_id,
        )
    return assignment


def set_status(user: User, relationship: Relationship, status: str) -> Relationship:
    """Pause, resume or end (either person)."""
    _writable(user, relationship)
    if status not in Status.values:
        raise Invalid({"status": "Choose active, paused or ended."})
    with transaction.atomic():
        relationship.status = status
        relationship.ended_at = timezone.now() if status == Status.ENDED else None
        relationship.save(update_fields=["status", "ended_at"])
        if status == Status.ENDED:
            emit(
                "coaching.relationship_ended",
                relationship_id=relationship.pk,
                coach_id=relationship.coach_id,
                coachee_id=relationship.coachee_id,
            )
    return relationship
