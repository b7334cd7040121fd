"""Honest feedback requests and trust pulses, stored so that no one can tie an answer to a
person — not the requester, not an admin, not a database reader (docs/feedback.md).

How anonymity is kept:
- Who has answered is a :class:`Receipt` holding an HMAC of (purpose, id, user): enough to
  refuse a second answer, nothing about the answer. Receipts have no timestamps.
- Anonymous feedback answers are not rows: they live in ``FeedbackRequest.pool``, a JSON list
  per question into which each new answer is inserted at a random position. There is no row
  id, insertion order or timestamp to line up with a receipt.
- Trust pulse answers are never stored at all: each response only increments a per-statement
  histogram of the 7-point scale (``Pulse.histogram``); means and spread come from it.
- Nothing is shown until the round has closed with at least ``k`` answers: there is no
  before/after to compare, and no count beyond "fewer than k" while it is open.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from practica.communities.models import Community

USER = settings.AUTH_USER_MODEL
ASPECT_MAX = 200
CONTEXT_MAX = 4_000
QUESTION_MAX = 300
ANSWER_MAX = 4_000
REFLECTION_MAX = 4_000
STATEMENT_MAX = 200
MAX_QUESTIONS = 5
SCALE_POINTS = 7  # trust pulse agreement scale: 1 strongly disagree .. 7 strongly agree


class FeedbackStatus(models.TextChoices):
    OPEN = "open", "Open"
    RELEASED = "released", "Released"
    WITHHELD = "withheld", "Closed with too few responses"


class FeedbackRequest(models.Model):
    """A member asks chosen colleagues for feedback on one aspect of their work."""

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="feedback_requests"
    )
    requester = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    aspect = models.CharField(max_length=ASPECT_MAX)
    context = models.TextField(blank=True)
    anonymous = models.BooleanField(default=True)
    k = models.PositiveSmallIntegerField(default=3)
    closes_at = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(
        max_length=10, choices=FeedbackStatus.choices, default=FeedbackStatus.OPEN
    )
    released_at = models.DateTimeField(null=True, blank=True)
    # Anonymous answers: {"<question id>": [{"text": str, "scale": int|None}, ...]} in random
    # order (see the module docstring). Signed answers are SignedAnswer rows instead.
    pool: Any = models.JSONField(default=dict, blank=True)
    response_count = models.PositiveIntegerField(default=0)
    reflection = models.TextField(blank=True)
    will_change = models.TextField(blank=True)
    shared = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["community", "-created_at"], name="feedback_newest")]

    def __str__(self) -> str:
        return self.aspect

    @property
    def is_open(self) -> bool:
        return self.status == FeedbackStatus.OPEN


class FeedbackQuestion(models.Model):
    request = models.ForeignKey(FeedbackRequest, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=QUESTION_MAX)
    with_scale = models.BooleanField(default=False)  # an optional 1-5 rating beside the text

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return self.text


class Invitee(models.Model):
    """Someone asked to give feedback (the requester chose them; that is not a secret)."""

    request = models.ForeignKey(FeedbackRequest, on_delete=models.CASCADE, related_name="invitees")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["request", "user"], name="feedback_invitee_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} asked on {self.request_id}"


class SignedAnswer(models.Model):
    """An answer given under one's name (requests that are not anonymous)."""

    question = models.ForeignKey(FeedbackQuestion, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(blank=True)
    scale = models.PositiveSmallIntegerField(null=True, blank=True)

    def __str__(self) -> str:
        return f"signed answer to {self.question_id}"


class Receipt(models.Model):
    """ "This person has answered that round": an HMAC, no timestamp, no link to the answer."""

    purpose = models.CharField(max_length=20)  # "feedback" or "pulse"
    digest = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["purpose", "digest"], name="receipt_once"),
        ]

    def __str__(self) -> str:
        return f"{self.purpose} receipt"


class TrustSettings(models.Model):
    """A community's trust pulse: its statements (editable), cadence and threshold."""

    community = models.OneToOneField(
        Community, on_delete=models.CASCADE, related_name="trust_settings"
    )
    statements: Any = models.JSONField(default=list)  # [{"text": str, "reverse": bool}]
    cadence_days = models.PositiveSmallIntegerField(default=42)
    k = models.PositiveSmallIntegerField(default=5)
    open_days = models.PositiveSmallIntegerField(default=7)

    class Meta:
        verbose_name_plural = "trust settings"

    def __str__(self) -> str:
        return f"trust settings of {self.community_id}"


class Pulse(models.Model):
    """One run of the trust pulse. ``histogram[i][v-1]`` counts answers v to statement i."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="pulses")
    statements: Any = models.JSONField(default=list)  # snapshot when opened
    opened_at = models.DateTimeField(default=timezone.now)
    closes_at = models.DateTimeField()
    closed = models.BooleanField(default=False)
    k = models.PositiveSmallIntegerField(default=5)
    respondents = models.PositiveIntegerField(default=0)
    histogram: Any = models.JSONField(default=list)

    class Meta:
        indexes = [models.Index(fields=["community", "-opened_at"], name="pulse_newest")]
        constraints = [
            models.UniqueConstraint(
                fields=["community"], condition=Q(closed=False), name="one_open_pulse"
            )
        ]

    def __str__(self) -> str:
        return f"pulse {self.pk} of {self.community_id}"

    @property
    def released(self) -> bool:
        return self.closed and self.respondents >= self.k


class HealthWeek(models.Model):
    """Participation health of a community for one week (Monday start, UTC), computed by a
    scheduled job from the Q&A rows — the health page reads these, never the raw rows."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="+")
    week = models.DateField()
    posts = models.PositiveIntegerField(default=0)
    answered = models.PositiveIntegerField(default=0)  # of those posts, answered by now
    median_first_answer_hours = models.FloatField(null=True, blank=True)
    active_members = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["community", "week"], name="health_week_once")
        ]
        ordering = ["week"]

    def __str__(self) -> str:
        return f"health of {self.community_id} week of {self.week}"
