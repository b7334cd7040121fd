"""Consultancy sessions on hard cases: protocols (timed steps, as data, adapted with lineage),
sessions (a presenter's case run through a protocol, live), contributions captured per step,
and the presenter's reflection and follow-up.

Single-row behaviour only; who may do what lives in ``access.py`` and ``services.py``. See
docs/consultancy.md.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from practica.communities.models import Community

USER = settings.AUTH_USER_MODEL

TITLE_MAX = 160
SUMMARY_MAX = 500
STEP_NAME_MAX = 80
STEP_PURPOSE_MAX = 1000
NOTE_MAX = 2000
CASE_TEXT_MAX = 10_000
FOCUS_MAX = 500
CONTRIBUTION_MAX = 2000
REFLECTION_MAX = 10_000
STEP_MINUTES_MAX = 120
STEPS_MAX = 12


class Speakers(models.TextChoices):
    """Who may speak (and write) during a step."""

    EVERYONE = "everyone", "Everyone"
    PARTICIPANTS = "participants", "Participants only (the presenter listens silently)"
    PRESENTER = "presenter", "The presenter only"


class ContributionKind(models.TextChoices):
    """What a step captures in writing."""

    CLARIFYING = "clarifying", "Clarifying question"
    PROBING = "probing", "Probing question"
    DISCUSSION = "discussion", "Discussion note"
    WARM = "warm", "Warm feedback"
    COOL = "cool", "Cool feedback"
    REFLECTION = "reflection", "Reflection"
    NONE = "none", "Nothing written"


class Protocol(models.Model):
    """A protocol in the shared library (``community`` null) or adapted by one community.

    ``adapted_from`` is the lineage (an adaptation points at what it was adapted from), as for
    activities. Its steps are :class:`ProtocolStep` rows in ``position`` order.
    """

    community = models.ForeignKey(
        Community, null=True, blank=True, on_delete=models.CASCADE, related_name="protocols"
    )
    slug = models.SlugField(max_length=80)
    title = models.CharField(max_length=TITLE_MAX)
    summary = models.TextField(max_length=SUMMARY_MAX)
    adapted_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="adaptations"
    )
    adaptation_note = models.TextField(max_length=NOTE_MAX, blank=True)
    created_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["title", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["slug"],
                condition=Q(community__isnull=True),
                name="library_protocol_slug_once",
            ),
            models.UniqueConstraint(
                fields=["community", "slug"], name="community_protocol_slug_once"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_library(self) -> bool:
        return self.community_id is None


class ProtocolStep(models.Model):
    """One timed step of a protocol. ``purpose`` is what the step is for, read aloud by the
    facilitator and shown to everyone while it runs."""

    protocol = models.ForeignKey(Protocol, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=STEP_NAME_MAX)
    purpose = models.TextField(max_length=STEP_PURPOSE_MAX)
    minutes = models.PositiveSmallIntegerField()
    speakers = models.CharField(max_length=12, choices=Speakers.choices)
    contribution = models.CharField(max_length=12, choices=ContributionKind.choices)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["protocol", "position"], name="protocol_step_once")
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.name}"

    def as_snapshot(self) -> dict[str, Any]:
        """The step as a session keeps it (see :attr:`Session.steps`)."""
        return {
            "name": self.name,
            "purpose": self.purpose,
            "minutes": self.minutes,
            "speakers": self.speakers,
            "contribution": self.contribution,
        }


class CaseVisibility(models.TextChoices):
    PARTICIPANTS = "participants", "The session's participants only"
    COMMUNITY = "community", "All members of the community"


class SessionStatus(models.TextChoices):
    PLANNED = "planned", "Upcoming"
    LIVE = "live", "Live"
    COMPLETED = "completed", "Completed"


class Session(models.Model):
    """A presenter's case, run through a protocol with a facilitator and participants.

    ``steps`` is a snapshot of the protocol's steps taken when the session was created
    (``[{"name", "purpose", "minutes", "speakers", "contribution"}]``), so adapting the
    protocol later never changes a session under way. Live state: ``current_step`` (an index
    into ``steps``) and ``step_started_at`` (server time); every page computes the countdown
    from them. Markdown fields are cooked once on save (``*_html``).
    """

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="consultancy_sessions"
    )
    presenter = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    facilitator = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    # The case.
    title = models.CharField(max_length=TITLE_MAX)
    context = models.TextField(max_length=CASE_TEXT_MAX)
    context_html = models.TextField()
    dilemma = models.TextField(max_length=CASE_TEXT_MAX)
    dilemma_html = models.TextField()
    focusing_question = models.CharField(max_length=FOCUS_MAX)
    materials = models.TextField(max_length=CASE_TEXT_MAX, blank=True)
    materials_html = models.TextField(blank=True)
    visibility = models.CharField(
        max_length=12, choices=CaseVisibility.choices, default=CaseVisibility.PARTICIPANTS
    )
    # The protocol (a snapshot of its steps; the link is only for lineage and display).
    protocol = models.ForeignKey(
        Protocol, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    protocol_title = models.CharField(max_length=TITLE_MAX)
    steps = models.JSONField(default=list)
    scheduled_for = models.DateTimeField(null=True, blank=True)
    # Live state.
    status = models.CharField(
        max_length=10, choices=SessionStatus.choices, default=SessionStatus.PLANNED
    )
    current_step = models.PositiveSmallIntegerField(null=True, blank=True)
    step_started_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    # Afterwards.
    reflection = models.TextField(max_length=REFLECTION_MAX, blank=True)
    reflection_html = models.TextField(blank=True)
    reflected_at = models.DateTimeField(null=True, blank=True)
    followup_after_days = models.PositiveSmallIntegerField(default=14)
    followup_due_at = models.DateTimeField(null=True, blank=True)
    followup_requested_at = models.DateTimeField(null=True, blank=True)
    followup_tried = models.TextField(max_length=REFLECTION_MAX, blank=True)
    followup_tried_html = models.TextField(blank=True)
    followup_happened = models.TextField(max_length=REFLECTION_MAX, blank=True)
    followup_happened_html = models.TextField(blank=True)
    followup_recorded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["community", "status", "scheduled_for"]),
            models.Index(fields=["presenter", "status"]),
        ]

    def __str__(self) -> str:
        return self.title

    # --- Live state, for pages and the API (no queries) -------------------------------------

    @property
    def is_planned(self) -> bool:
        return self.status == SessionStatus.PLANNED

    @property
    def is_live(self) -> bool:
        return self.status == SessionStatus.LIVE

    @property
    def is_completed(self) -> bool:
        return self.status == SessionStatus.COMPLETED

    @property
    def step(self) -> dict[str, Any] | None:
        """The current step's snapshot while live, else None."""
        if not self.is_live or self.current_step is None:
            return None
        return self.steps[self.current_step]

    @property
    def is_last_step(self) -> bool:
        return self.current_step is not None and self.current_step >= len(self.steps) - 1

    @property
    def step_ends_at(self) -> datetime | None:
        """When the current step's time is up (server time); None unless live."""
        step = self.step
        if step is None or self.step_started_at is None:
            return None
        return self.step_started_at + timedelta(minutes=int(step["minutes"]))

    @property
    def total_minutes(self) -> int:
        return sum(int(s["minutes"]) for s in self.steps)

    def participant_role(self, user_id: int | None) -> str | None:
        """ "presenter", "facilitator" or None (plain participants are known from the rows)."""
        if user_id is None:
            return None
        if user_id == self.presenter_id:
            return "presenter"
        if user_id == self.facilitator_id:
            return "facilitator"
        return None


class Participant(models.Model):
    """A member invited to the session besides the presenter and the facilitator."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "user"], name="participant_once")]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.session_id}"


class Contribution(models.Model):
    """Something written during one step (a question, a note, feedback), attributed.

    ``step`` is the index into the session's ``steps``; ``kind`` is that step's contribution
    kind at the time (so it reads right even if the list is re-ordered for display)."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="contributions")
    step = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=12, choices=ContributionKind.choices)
    author = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    body = models.TextField(max_length=CONTRIBUTION_MAX)
    html = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["step", "created_at", "id"]
        indexes = [models.Index(fields=["session", "step", "created_at"])]

    def __str__(self) -> str:
        return f"{self.kind} in {self.session_id}"
