"""Meetings that open with community building: series, occurrences, agendas, the rota.

A *series* stores its wall-clock time and IANA zone ("Tuesdays 15:30, America/Los_Angeles");
each *occurrence* stores the UTC instant computed from them, so 15:30 stays 15:30 across a
daylight-saving change. Occurrences are materialized ahead by ``services.top_up`` (and the
``meetings.materialize`` due job). Who opens and who facilitates each occurrence is computed by
the pure planner in ``rota.py`` from the rota order, past turns, absences and agreed swaps.
"""

from __future__ import annotations

import zoneinfo
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone as dj_timezone

from practica.communities.models import Community

User = settings.AUTH_USER_MODEL

DEFAULT_OPENER_MINUTES = 20
DEFAULT_AHEAD = 8
RECENT_ACTIVITY_WINDOW = 8  # the picker warns for activities used in the last 8 occurrences


class MeetingSettings(models.Model):
    """Per-community settings; a community without a row uses the defaults."""

    community = models.OneToOneField(
        Community, on_delete=models.CASCADE, related_name="meeting_settings"
    )
    opener_minutes = models.PositiveSmallIntegerField(default=DEFAULT_OPENER_MINUTES)
    occurrences_ahead = models.PositiveSmallIntegerField(
        default=DEFAULT_AHEAD, help_text="How many upcoming meetings of each series to schedule."
    )

    def __str__(self) -> str:
        return f"meeting settings of {self.community_id}"


class Recurrence(models.TextChoices):
    WEEKLY = "weekly", "Every week"
    BIWEEKLY = "biweekly", "Every 2 weeks"
    MONTHLY = "monthly", "Monthly (the same weekday of the month)"


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


class WeekOfMonth(models.IntegerChoices):
    FIRST = 1, "First"
    SECOND = 2, "Second"
    THIRD = 3, "Third"
    FOURTH = 4, "Fourth"
    LAST = -1, "Last"


class Series(models.Model):
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="series")
    title = models.CharField(max_length=120)
    recurrence = models.CharField(
        max_length=10, choices=Recurrence.choices, default=Recurrence.WEEKLY
    )
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    week_of_month = models.SmallIntegerField(
        choices=WeekOfMonth.choices, default=WeekOfMonth.FIRST, help_text="Monthly series only."
    )
    local_time = models.TimeField(help_text="Wall-clock start time in the series' time zone.")
    timezone = models.CharField(max_length=64)
    duration_minutes = models.PositiveSmallIntegerField(default=60)
    place = models.CharField(max_length=200, blank=True)
    video_url = models.URLField(max_length=500, blank=True)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=dj_timezone.now)

    class Meta:
        ordering = ["title", "id"]
        verbose_name_plural = "series"

    def __str__(self) -> str:
        return self.title

    @property
    def is_virtual(self) -> bool:
        return bool(self.video_url) and not self.place


class OccurrenceStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    CANCELLED = "cancelled", "Cancelled"


class Occurrence(models.Model):
    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="occurrences")
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="+")
    # The recurrence's own date for this meeting (local to the series): the materialization key,
    # unchanged when the meeting is rescheduled.
    slot_date = models.DateField()
    starts_at = models.DateTimeField()
    duration_minutes = models.PositiveSmallIntegerField()
    rescheduled = models.BooleanField(default=False)
    status = models.CharField(
        max_length=10, choices=OccurrenceStatus.choices, default=OccurrenceStatus.SCHEDULED
    )
    cancel_reason = models.CharField(max_length=300, blank=True)
    opener = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    facilitator = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Which of the holder's turns this is (0 = their first): equal numbers form a round.
    opener_round = models.IntegerField(null=True, blank=True)
    facilitator_round = models.IntegerField(null=True, blank=True)
    activity = models.ForeignKey(
        "activities.Activity",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meeting_uses",
    )
    activity_picked_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    activity_picked_at = models.DateTimeField(null=True, blank=True)
    notes = models.TextField(blank=True)
    notes_html = models.TextField(blank=True)
    notes_version = models.PositiveIntegerField(default=0)
    notes_updated_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    notes_updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["series", "slot_date"], name="one_occurrence_per_slot")
        ]
        indexes = [
            models.Index(fields=["community", "status", "starts_at"]),
            models.Index(fields=["series", "starts_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.series_id} @ {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.duration_minutes)

    @property
    def is_cancelled(self) -> bool:
        return self.status == OccurrenceStatus.CANCELLED

    def has_started(self, now: datetime | None = None) -> bool:
        return self.starts_at <= (now or dj_timezone.now())

    @property
    def local_start(self) -> datetime:
        """The start on the series' wall clock (needs ``series`` loaded)."""
        return self.starts_at.astimezone(zoneinfo.ZoneInfo(self.series.timezone))

    @property
    def local_end(self) -> datetime:
        return self.ends_at.astimezone(zoneinfo.ZoneInfo(self.series.timezone))

    @property
    def when(self) -> str:
        """ "Tue Mar 10, 15:30 PDT" (needs ``series`` loaded)."""
        start = self.local_start
        return f"{start:%a %b} {start.day}, {start:%H:%M %Z}"


class AgendaKind(models.TextChoices):
    OPENER = "opener", "Community-building opener"
    NORMS = "norms", "Our norms"
    REVISIT_NORMS = "revisit_norms", "Revisit our norms"
    CARRIED_ACTION = "carried_action", "Carried action item"
    ITEM = "item", "Item"


class AgendaItem(models.Model):
    occurrence = models.ForeignKey(Occurrence, on_delete=models.CASCADE, related_name="agenda")
    position = models.PositiveIntegerField(default=0)
    kind = models.CharField(max_length=20, choices=AgendaKind.choices, default=AgendaKind.ITEM)
    title = models.CharField(max_length=200)
    details = models.TextField(max_length=2000, blank=True)
    minutes = models.PositiveSmallIntegerField(default=0)
    action_item = models.ForeignKey(
        "ActionItem", null=True, blank=True, on_delete=models.CASCADE, related_name="carried"
    )
    # What put it there, for idempotent additions ("norms.revisit:7"); blank for people's items.
    source = models.CharField(max_length=80, blank=True)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=dj_timezone.now)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["occurrence", "action_item"],
                condition=Q(action_item__isnull=False),
                name="carry_action_once_per_occurrence",
            ),
            models.UniqueConstraint(
                fields=["occurrence", "source"],
                condition=~Q(source=""),
                name="agenda_source_once_per_occurrence",
            ),
            models.UniqueConstraint(
                fields=["occurrence"],
                condition=Q(kind="opener"),
                name="one_opener_block_per_occurrence",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class RotaMember(models.Model):
    """A person who takes turns opening and facilitating a series' meetings.

    ``*_offset`` makes a newcomer's turn count equal to the current lowest one when they join,
    so they take their first turn at the end of the current round instead of a run of turns.
    """

    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="rota")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveIntegerField(default=0)
    opener_offset = models.IntegerField(default=0)
    facilitator_offset = models.IntegerField(default=0)
    joined_at = models.DateTimeField(default=dj_timezone.now)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["series", "user"], name="one_rota_place_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} in rota of {self.series_id}"


class Absence(models.Model):
    """ "I won't be there": marked ahead; the rota skips the person without losing their place."""

    occurrence = models.ForeignKey(Occurrence, on_delete=models.CASCADE, related_name="absences")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=dj_timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["occurrence", "user"], name="one_absence_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} away from {self.occurrence_id}"


class TurnRole(models.TextChoices):
    OPENER = "opener", "Opener"
    FACILITATOR = "facilitator", "Facilitator"


class SwapStatus(models.TextChoices):
    PENDING = "pending", "Waiting for an answer"
    AGREED = "agreed", "Agreed"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"
    VOID = "void", "No longer possible"


class SwapRequest(models.Model):
    """``requester`` gives their turn on ``requester_occurrence`` to ``other`` and takes
    ``other``'s turn on ``other_occurrence``. Asking is the requester's agreement; the swap
    happens when the other person agrees too."""

    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="swaps")
    role = models.CharField(max_length=12, choices=TurnRole.choices, default=TurnRole.OPENER)
    requester = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    requester_occurrence = models.ForeignKey(Occurrence, on_delete=models.CASCADE, related_name="+")
    other = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    other_occurrence = models.ForeignKey(Occurrence, on_delete=models.CASCADE, related_name="+")
    # The round both turns belong to when the swap was asked for (see rota.Pin.number).
    round = models.IntegerField(default=0)
    status = models.CharField(max_length=10, choices=SwapStatus.choices, default=SwapStatus.PENDING)
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=dj_timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["series", "status"])]

    def __str__(self) -> str:
        return f"swap {self.requester_id}<->{self.other_id} ({self.status})"


class Attendance(models.Model):
    occurrence = models.ForeignKey(Occurrence, on_delete=models.CASCADE, related_name="attendance")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    recorded_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=dj_timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["occurrence", "user"], name="attended_once")]

    def __str__(self) -> str:
        return f"{self.user_id} at {self.occurrence_id}"


class NoteRevision(models.Model):
    """Every saved version of an occurrence's notes: nothing is lost."""

    occurrence = models.ForeignKey(
        Occurrence, on_delete=models.CASCADE, related_name="note_revisions"
    )
    version = models.PositiveIntegerField()
    markdown = models.TextField(blank=True)
    author = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=dj_timezone.now)

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["occurrence", "version"], name="one_note_version")
        ]

    def __str__(self) -> str:
        return f"notes of {self.occurrence_id} v{self.version}"


class ActionItem(models.Model):
    occurrence = models.ForeignKey(
        Occurrence, on_delete=models.CASCADE, related_name="action_items"
    )
    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="+")
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="+")
    owner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    text = models.CharField(max_length=300)
    due_date = models.DateField(null=True, blank=True)
    done = models.BooleanField(default=False)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=dj_timezone.now)

    class Meta:
        ordering = ["done", "due_date", "id"]
        indexes = [models.Index(fields=["series", "done"])]

    def __str__(self) -> str:
        return self.text


class OpenerFeedback(models.Model):
    """How the opener activity landed, from the opener or someone who attended."""

    occurrence = models.ForeignKey(Occurrence, on_delete=models.CASCADE, related_name="feedback")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    activity = models.ForeignKey(
        "activities.Activity", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    rating = models.PositiveSmallIntegerField()
    note = models.CharField(max_length=1000, blank=True)
    created_at = models.DateTimeField(default=dj_timezone.now)
    updated_at = models.DateTimeField(default=dj_timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["occurrence", "user"], name="feedback_once"),
            models.CheckConstraint(
                condition=Q(rating__gte=1) & Q(rating__lte=5), name="rating_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rating}/5 from {self.user_id} on {self.occurrence_id}"


class CalendarToken(models.Model):
    """A secret calendar-feed URL: a person's own feed (``community`` null) or one community's.
    Only the SHA-256 of the secret is stored; the URL is shown once, when it is made."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="calendar_tokens")
    community = models.ForeignKey(
        Community, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    digest = models.CharField(max_length=64, unique=True)
    hint = models.CharField(max_length=12)
    created_at = models.DateTimeField(default=dj_timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"calendar {self.hint}…"
