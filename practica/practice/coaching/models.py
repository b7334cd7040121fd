"""Coaching and mentoring between two people: requests, relationships, goals (one may be the
stretch goal), check-ins, and stretch assignments. Private to the two people (docs/coaching.md).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

USER = settings.AUTH_USER_MODEL
MESSAGE_MAX = 1_000
FOCUS_MAX = 300
GOAL_MAX = 300
NOTES_MAX = 4_000
TITLE_MAX = 200


class Kind(models.TextChoices):
    COACHING = "coaching", "Coaching"
    MENTORING = "mentoring", "Mentoring"
    PEER = "peer", "Peer partnership"


class RequestStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"


class MatchRequest(models.Model):
    """``sender`` asks ``recipient`` to coach or mentor them, or to be peers. For coaching and
    mentoring the recipient would be the coach; for peers, either."""

    sender = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    recipient = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    message = models.TextField(blank=True)
    status = models.CharField(
        max_length=10, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    response_note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["sender", "recipient"],
                condition=Q(status="pending"),
                name="one_pending_match_request",
            )
        ]

    def __str__(self) -> str:
        return f"{self.sender_id} asks {self.recipient_id} ({self.kind})"


class Status(models.TextChoices):
    ACTIVE = "active", "Active"
    PAUSED = "paused", "Paused"
    ENDED = "ended", "Ended"


class Relationship(models.Model):
    """A coaching, mentoring or peer relationship. ``coach`` is the coach or mentor (for
    peers, the one who was asked)."""

    coach = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    coachee = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    focus = models.CharField(max_length=FOCUS_MAX, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["coach", "status"], name="coaching_by_coach"),
            models.Index(fields=["coachee", "status"], name="coaching_by_coachee"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.coach_id} with {self.coachee_id}"

    def involves(self, user_id: int | None) -> bool:
        return user_id in (self.coach_id, self.coachee_id)


class GoalStatus(models.TextChoices):
    OPEN = "open", "Working on it"
    ACHIEVED = "achieved", "Achieved"
    DROPPED = "dropped", "Set aside"


class Goal(models.Model):
    relationship = models.ForeignKey(Relationship, on_delete=models.CASCADE, related_name="goals")
    text = models.CharField(max_length=GOAL_MAX)
    stretch = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=GoalStatus.choices, default=GoalStatus.OPEN)
    progress = models.PositiveSmallIntegerField(default=0)  # percent, set at check-ins
    created_at = models.DateTimeField(default=timezone.now)
    achieved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-stretch", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["relationship"],
                condition=Q(stretch=True) & ~Q(status="dropped"),
                name="one_stretch_goal",
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="goal_progress_percent"),
        ]

    def __str__(self) -> str:
        return self.text


class CheckIn(models.Model):
    """A conversation recorded by either of the two: notes both see, and where goals stand."""

    relationship = models.ForeignKey(
        Relationship, on_delete=models.CASCADE, related_name="checkins"
    )
    author = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    held_on = models.DateField()
    notes = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-held_on", "-created_at"]

    def __str__(self) -> str:
        return f"check-in {self.held_on} of {self.relationship_id}"


class AssignmentStatus(models.TextChoices):
    ASSIGNED = "assigned", "Assigned"
    DONE = "done", "Done"


class StretchAssignment(models.Model):
    """Work beyond what the coachee has done before, agreed with the coach, and what they
    learned doing it."""

    relationship = models.ForeignKey(
        Relationship, on_delete=models.CASCADE, related_name="assignments"
    )
    goal = models.ForeignKey(Goal, null=True, blank=True, on_delete=models.SET_NULL)
    title = models.CharField(max_length=TITLE_MAX)
    description = models.TextField(blank=True)
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=AssignmentStatus.choices, default=AssignmentStatus.ASSIGNED
    )
    reflection = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["status", "due_on", "created_at"]

    def __str__(self) -> str:
        return self.title
