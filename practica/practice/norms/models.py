"""Norms a community co-constructs: proposals decided by consent, the adopted norm set and its
versions, and the rounds in which the group revisits its norms.

Single-row behaviour only; the rules (who may, when a proposal is adopted) live in
``services.py`` and the consent arithmetic in ``consent.py``. See docs/norms.md.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from practica.communities.models import Community

STATEMENT_MAX = 300
WHY_MAX = 2000
REASON_MAX = 2000
NOTE_MAX = 1000
COMMENT_MAX = 10_000

USER = settings.AUTH_USER_MODEL


class NormSettings(models.Model):
    """A community's norm calendar and consent threshold (one row, created on first use).

    ``time_zone`` is the zone in which dates (a revisit date, a proposal's close date) are
    read: that of the person who last set them, so "on March 10" means March 10 where they are.
    """

    community = models.OneToOneField(
        Community, on_delete=models.CASCADE, related_name="norm_settings"
    )
    quorum_percent = models.PositiveSmallIntegerField(default=50)
    revisit_interval_days = models.PositiveSmallIntegerField(default=90)
    next_revisit_on = models.DateField(null=True, blank=True)
    time_zone = models.CharField(max_length=64, default="UTC")
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name_plural = "norm settings"

    def __str__(self) -> str:
        return f"norm settings of {self.community_id}"


class Norm(models.Model):
    """One norm of a community's set. Its identity survives changes: a change proposal rewrites
    ``statement``/``why`` and bumps ``version``; retiring sets ``retired_at``. The full history
    is in :class:`NormSetVersion` snapshots."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="norms")
    statement = models.CharField(max_length=STATEMENT_MAX)
    why = models.TextField(max_length=WHY_MAX, blank=True)
    position = models.PositiveIntegerField()
    version = models.PositiveIntegerField(default=1)
    proposed_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    adopted_at = models.DateTimeField(default=timezone.now)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["community", "retired_at", "position"])]

    def __str__(self) -> str:
        return self.statement


class ProposalKind(models.TextChoices):
    NEW = "new", "New norm"
    CHANGE = "change", "Change a norm"
    RETIRE = "retire", "Retire a norm"


class ProposalStatus(models.TextChoices):
    OPEN = "open", "Open"
    ADOPTED = "adopted", "Adopted"
    NOT_ADOPTED = "not_adopted", "Not adopted"


class Proposal(models.Model):
    """A proposal to add, change or retire a norm, open for responses until ``closes_at``.

    ``current_version`` is the number of the latest :class:`ProposalVersion`; a response counts
    toward that version when it agrees or stands aside (on any version) or objects to it.
    """

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="proposals")
    kind = models.CharField(max_length=10, choices=ProposalKind.choices, default=ProposalKind.NEW)
    norm = models.ForeignKey(
        Norm, null=True, blank=True, on_delete=models.PROTECT, related_name="proposals"
    )
    proposed_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    statement = models.CharField(max_length=STATEMENT_MAX)  # the latest version's, for lists
    why = models.TextField(max_length=WHY_MAX, blank=True)
    current_version = models.PositiveIntegerField(default=1)
    status = models.CharField(
        max_length=12, choices=ProposalStatus.choices, default=ProposalStatus.OPEN
    )
    created_at = models.DateTimeField(default=timezone.now)
    closes_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["community", "status", "-created_at"])]
        constraints = [
            # Two open proposals about one norm would overwrite each other when adopted.
            models.UniqueConstraint(
                fields=["norm"],
                condition=Q(status="open", norm__isnull=False),
                name="one_open_proposal_per_norm",
            )
        ]

    def __str__(self) -> str:
        return self.statement

    @property
    def is_open(self) -> bool:
        return self.status == ProposalStatus.OPEN

    @property
    def open_until(self) -> datetime:
        """The round's last minute, for people: ``closes_at`` is the midnight that ends the
        chosen day, which reads as the next day."""
        return self.closes_at - timedelta(minutes=1)


class ProposalVersion(models.Model):
    """The text of one version of a proposal. Revising adds a version; none is ever edited."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    statement = models.CharField(max_length=STATEMENT_MAX)
    why = models.TextField(max_length=WHY_MAX, blank=True)
    note = models.TextField(max_length=NOTE_MAX, blank=True, help_text="What changed, and why.")
    created_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "number"], name="proposal_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.proposal_id} v{self.number}"


class Stance(models.TextChoices):
    AGREE = "agree", "Agree"
    STAND_ASIDE = "stand_aside", "Stand aside"
    OBJECT = "object", "Object"


class Response(models.Model):
    """One member's response to a proposal (one row per member, changed in place while open).

    ``version`` is the proposal version it was given on. ``signed`` is the responder's choice
    to be named beside their reason; unsigned responses are never shown with a name.
    """

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="responses")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    version = models.PositiveIntegerField()
    stance = models.CharField(max_length=12, choices=Stance.choices)
    reason = models.TextField(max_length=REASON_MAX, blank=True)
    signed = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["proposal", "user"], name="one_response_per_member")
        ]

    def __str__(self) -> str:
        return f"response to {self.proposal_id}"  # never the person: responses may be anonymous


class Comment(models.Model):
    """A message in a proposal's discussion (Markdown, cooked once on save). Always signed."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    body = models.TextField(max_length=COMMENT_MAX)
    html = models.TextField()
    version = models.PositiveIntegerField(help_text="The proposal version it was written about.")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"comment on {self.proposal_id}"


class NudgeKind(models.TextChoices):
    NUDGE = "nudge", "Nudge by a facilitator"
    REMINDER = "reminder", "Reminder before the close"


class Nudge(models.Model):
    """A record that ``member`` was asked for their voice on ``proposal`` on ``sent_on`` (UTC).
    The unique constraint is the rule: one nudge (and one reminder) per person per day."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="nudges")
    member = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=NudgeKind.choices, default=NudgeKind.NUDGE)
    sent_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_on = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "member", "kind", "sent_on"], name="one_nudge_a_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.member_id} on {self.proposal_id}"


class NormChange(models.TextChoices):
    ADOPT = "adopt", "Adopted"
    CHANGE = "change", "Changed"
    RETIRE = "retire", "Retired"


class NormSetVersion(models.Model):
    """One version of a community's norm set: what changed, who proposed it, when it was adopted,
    and a snapshot of the whole set (``[{"id", "statement", "why"}]``, in order) after it."""

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="norm_set_versions"
    )
    number = models.PositiveIntegerField()
    change = models.CharField(max_length=10, choices=NormChange.choices)
    norm = models.ForeignKey(Norm, on_delete=models.PROTECT, related_name="set_versions")
    statement = models.CharField(max_length=STATEMENT_MAX)
    proposal = models.ForeignKey(
        Proposal, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    proposed_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    adopted_at = models.DateTimeField(default=timezone.now)
    snapshot = models.JSONField(default=list)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["community", "number"], name="norm_set_version_once")
        ]

    def __str__(self) -> str:
        return f"norm set v{self.number} of {self.community_id}"


class RevisitStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class RevisitRound(models.Model):
    """A time to revisit the norm set: each member reaffirms each norm or proposes a change.

    ``scheduled_for`` is the revisit date that opened it; unique per community, so the job that
    opens rounds is idempotent (a rerun finds the round instead of making a second one).
    """

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="revisit_rounds"
    )
    scheduled_for = models.DateField()
    status = models.CharField(
        max_length=8, choices=RevisitStatus.choices, default=RevisitStatus.OPEN
    )
    norm_set_version = models.PositiveIntegerField(help_text="The norm set version revisited.")
    opened_at = models.DateTimeField(default=timezone.now)
    closes_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    # Set in the same transaction as the reminders, so a rerun of the reminder job sends none.
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "scheduled_for"], name="one_revisit_per_date"
            ),
            models.UniqueConstraint(
                fields=["community"], condition=Q(status="open"), name="one_open_revisit"
            ),
        ]

    def __str__(self) -> str:
        return f"revisit of {self.community_id} on {self.scheduled_for}"

    @property
    def is_open(self) -> bool:
        return self.status == RevisitStatus.OPEN


class RevisitChoice(models.TextChoices):
    REAFFIRM = "reaffirm", "Reaffirmed"
    CHANGE = "change", "Proposed a change"


class RevisitResponse(models.Model):
    """One member's word on one norm in a revisit round: reaffirm it, or a change proposal."""

    round = models.ForeignKey(RevisitRound, on_delete=models.CASCADE, related_name="responses")
    norm = models.ForeignKey(Norm, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    choice = models.CharField(max_length=10, choices=RevisitChoice.choices)
    note = models.TextField(max_length=NOTE_MAX, blank=True)
    proposal = models.ForeignKey(
        Proposal, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["round", "norm", "user"], name="one_revisit_response_per_norm"
            )
        ]

    def __str__(self) -> str:
        return f"{self.choice} {self.norm_id} in {self.round_id}"
