"""Reputation (a ledger and the totals derived from it), levels, badges, goals and kudos.

The ledger (``Entry``) is the source of truth: one row per point earned or lost, with its cause.
``Standing`` (per person per community) and ``Reputation`` (per person, overall) are totals of
the ledger maintained on write; ``practica recompute-reputation`` rebuilds them from it.
See docs/recognition.md.
"""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from practica.accounts.models import Organization
from practica.communities.models import Community

USER = settings.AUTH_USER_MODEL
NOTE_MAX = 280
REASON_MAX = 300
GOAL_TITLE_MAX = 120


class Level(models.IntegerChoices):
    NEWCOMER = 0, "Newcomer"
    MEMBER = 1, "Member"
    CONTRIBUTOR = 2, "Contributor"
    STEWARD = 3, "Steward"
    LEADER = 4, "Leader"


class Category(models.TextChoices):
    """What kind of value a ledger row rewards (the daily cap applies to ``vote`` only; the
    leaderboard ranks by ``ev``, educational value)."""

    VOTE = "vote", "Helpful votes"
    EV = "ev", "Educational value"
    ACCEPT = "accept", "Accepted answers"
    WIKI = "wiki", "Wiki"
    PRACTICE = "practice", "Community practice"


class Entry(models.Model):
    """One earned or lost amount of reputation, and its cause.

    ``cause`` names the thing that is worth points ("vote:a12:u5": person 5's vote on answer
    12). The net of a cause's rows is what it is worth now; undoing the cause writes a reversing
    row that brings the net back to zero.
    """

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    community = models.ForeignKey(
        Community, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    points = models.IntegerField()
    category = models.CharField(max_length=10, choices=Category.choices)
    reason = models.CharField(max_length=40)
    event = models.CharField(max_length=60, help_text="The event that wrote this row.")
    cause = models.CharField(max_length=120)
    object_type = models.CharField(max_length=30)
    object_id = models.BigIntegerField(null=True, blank=True)
    actor = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(max_length=120, blank=True)
    day = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["cause", "user"], name="entry_cause"),
            models.Index(fields=["user", "-created_at"], name="entry_recent"),
            models.Index(fields=["user", "category", "day"], name="entry_daily"),
            models.Index(fields=["actor", "user", "day"], name="entry_pair"),
            models.Index(fields=["object_type", "object_id"], name="entry_object"),
            models.Index(fields=["user", "reason"], name="entry_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.points:+d} to {self.user_id} ({self.reason})"


class Reputation(models.Model):
    """A person's overall total (every community, and credits outside any community)."""

    user = models.OneToOneField(
        USER, primary_key=True, on_delete=models.CASCADE, related_name="reputation"
    )
    total = models.IntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.user_id}: {self.total}"


class Standing(models.Model):
    """A person's standing in one community: reputation, breadth and level (all on write).

    ``level`` only rises automatically (never demoted for inactivity). A moderator may lower it
    with a reason; ``ceiling`` then holds it there until a moderator lifts it.
    """

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="standings")
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="+")
    reputation = models.IntegerField(default=0)
    ev_points = models.IntegerField(default=0)
    people_helped = models.PositiveIntegerField(default=0)
    days_active = models.PositiveIntegerField(default=0)
    level = models.PositiveSmallIntegerField(choices=Level.choices, default=Level.NEWCOMER)
    ceiling = models.PositiveSmallIntegerField(choices=Level.choices, null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "community"], name="standing_once")]
        indexes = [models.Index(fields=["community", "-reputation"], name="standing_rank")]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.community_id}: {self.reputation}"


class Helped(models.Model):
    """``helper`` helped ``person`` in ``community`` (a useful rating, vote, acceptance...):
    the "distinct people helped" breadth requirement counts these rows."""

    helper = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["helper", "person", "community"], name="helped_once")
        ]

    def __str__(self) -> str:
        return f"{self.helper_id} helped {self.person_id}"


class ActiveDay(models.Model):
    """A day on which the person contributed in the community (posting, answering, rating,
    editing, opening a meeting...). Reading does not count."""

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "community", "day"], name="active_day_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} active {self.day}"


class MonthlyScore(models.Model):
    """Educational value earned in a community in a calendar month (the leaderboard's key),
    maintained on write."""

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="+")
    month = models.DateField(help_text="The first day of the month.")
    ev_points = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "community", "month"], name="monthly_score_once"
            )
        ]
        indexes = [models.Index(fields=["community", "month", "-ev_points"], name="monthly_rank")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.month:%Y-%m}: {self.ev_points}"


class LevelRequirement(models.Model):
    """An organization's thresholds for one level (defaults in ``levels.DEFAULTS``). The
    nearest organization up the tree that sets a level wins."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="level_requirements"
    )
    level = models.PositiveSmallIntegerField(choices=Level.choices)
    min_reputation = models.PositiveIntegerField()
    min_people_helped = models.PositiveIntegerField()
    min_days_active = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "level"], name="level_req_once")
        ]

    def __str__(self) -> str:
        return f"level {self.level} in org {self.organization_id}"


class LevelChange(models.Model):
    """The log of level changes: automatic promotions (no actor) and moderators' decisions."""

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="+")
    from_level = models.PositiveSmallIntegerField(choices=Level.choices)
    to_level = models.PositiveSmallIntegerField(choices=Level.choices)
    actor = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(max_length=REASON_MAX, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["user", "community", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.from_level} -> {self.to_level}"


class Tier(models.TextChoices):
    BRONZE = "bronze", "Bronze"
    SILVER = "silver", "Silver"
    GOLD = "gold", "Gold"


class BadgeCategory(models.TextChoices):
    LEARNING = "learning", "Learning"
    HELPING = "helping", "Helping"
    SHARING = "sharing", "Sharing"
    WIKI = "wiki", "Wiki"
    PRACTICE = "practice", "Community practice"


class Badge(models.Model):
    """A badge's definition as data (synced from the registered rules in ``badges.py``)."""

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=80)
    description = models.CharField(max_length=300)
    criteria = models.TextField(help_text="How it is earned, in words (the OB criteria).")
    tier = models.CharField(max_length=10, choices=Tier.choices)
    category = models.CharField(max_length=10, choices=BadgeCategory.choices)
    image_svg = models.TextField()
    position = models.PositiveSmallIntegerField(default=0)
    award_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "slug"]

    def __str__(self) -> str:
        return self.name


def _salt() -> str:
    return secrets.token_hex(8)


class Award(models.Model):
    """A badge earned by a person, with its evidence; published as an Open Badges 2.0
    Assertion at ``/badges/assertions/<uid>`` once the person makes it public."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    badge = models.ForeignKey(Badge, on_delete=models.CASCADE, related_name="awards")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="awards")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    community = models.ForeignKey(
        Community, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    evidence_type = models.CharField(max_length=30)
    evidence_id = models.BigIntegerField(null=True, blank=True)
    evidence_note = models.CharField(max_length=300)
    salt = models.CharField(max_length=32, default=_salt)
    awarded_at = models.DateTimeField(default=timezone.now)
    public = models.BooleanField(default=False)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.CharField(max_length=REASON_MAX, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["badge", "user"], name="award_once")]
        indexes = [models.Index(fields=["user", "-awarded_at"], name="award_recent")]

    def __str__(self) -> str:
        return f"{self.badge_id} to {self.user_id}"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


class GoalMetric(models.TextChoices):
    ANSWERED_48H = "answered_48h", "% of questions answered within 48 hours"
    MEMBERS_OPENED = "members_opened", "% of members who opened a meeting"
    EV_POINTS = "ev_points", "Educational-value points earned together"
    STRUGGLES_ANSWERED = "struggles_answered", "Struggles shared that got an answer"
    KUDOS = "kudos", "Kudos given"


PERCENT_METRICS = frozenset({GoalMetric.ANSWERED_48H, GoalMetric.MEMBERS_OPENED})


class Goal(models.Model):
    """A community goal for a period. ``current`` (and ``base`` for percentages of questions)
    are maintained on write by event subscribers; ``reached_at`` is set once, when reached."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=GOAL_TITLE_MAX)
    metric = models.CharField(max_length=20, choices=GoalMetric.choices)
    target = models.PositiveIntegerField(help_text="A percentage, or a count.")
    starts_on = models.DateField()
    ends_on = models.DateField()
    current = models.IntegerField(default=0)
    base = models.PositiveIntegerField(default=0)
    reached_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-ends_on", "pk"]
        indexes = [models.Index(fields=["community", "metric", "ends_on"], name="goal_open")]

    def __str__(self) -> str:
        return self.title


class GoalMark(models.Model):
    """One counted thing of a goal (a question answered in time, a member who opened): counting
    it again is a no-op, which keeps goal counters idempotent."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=60)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["goal", "key"], name="goal_mark_once")]

    def __str__(self) -> str:
        return f"{self.goal_id}:{self.key}"


class Kudos(models.Model):
    """Public thanks from one member to another in a community they share."""

    giver = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    recipient = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="+")
    note = models.CharField(max_length=NOTE_MAX)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "kudos"
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="kudos_received"),
            models.Index(fields=["giver", "recipient", "created_at"], name="kudos_pair"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(giver=models.F("recipient")), name="kudos_not_self")
        ]

    def __str__(self) -> str:
        return f"kudos {self.giver_id} → {self.recipient_id}"


class CommunitySettings(models.Model):
    """A community's recognition policy. Leaderboards are off unless a coordinator turns
    them on."""

    community = models.OneToOneField(
        Community, primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    leaderboard_enabled = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"recognition settings of {self.community_id}"


class Preferences(models.Model):
    """A person's recognition preferences."""

    user = models.OneToOneField(USER, primary_key=True, on_delete=models.CASCADE, related_name="+")
    leaderboard_opt_out = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"recognition preferences of {self.user_id}"
