"""In-app notifications (one row per person told something), what each person wants by e-mail,
what they watch, and the digests sent to them.

- ``Notification.email_mode`` is decided when the row is created (the person's choice for the
  kind, held back to a digest while they are quiet); ``emailed_at`` is set once it went out
  (alone or in ``digest``). ``hidden`` rows are about something the person muted: kept for the
  caller (``notify`` always returns a row) but never listed, counted, pushed or mailed.
- ``Digest`` is unique per (person, frequency, period): the due-dated job that builds it claims
  the notifications and sends at most one e-mail per period, even if it runs twice.
- ``Watch`` is generic: (person, target type, target id) → watching / normal / muted.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone

USER = settings.AUTH_USER_MODEL


class EmailFrequency(models.TextChoices):
    IMMEDIATELY = "immediately", "Immediately"
    DAILY = "daily", "Daily digest"
    WEEKLY = "weekly", "Weekly digest"
    NEVER = "never", "Never"


class Level(models.TextChoices):
    WATCHING = "watching", "Watching: tell me about all activity"
    NORMAL = "normal", "Normal: only when it involves me"
    MUTED = "muted", "Muted: never tell me"


class Digest(models.Model):
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    frequency = models.CharField(max_length=12, choices=EmailFrequency.choices)
    period = models.CharField(max_length=10, help_text="the period's first day, YYYY-MM-DD")
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    item_count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "frequency", "period"], name="notifications_digest_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.frequency} digest {self.period} → {self.user_id}"


class Notification(models.Model):
    recipient = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="notifications")
    actor = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=60, help_text="e.g. norms.nudge, meetings.opener_turn")
    message = models.CharField(max_length=300)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    hidden = models.BooleanField(default=False)
    email_mode = models.CharField(
        max_length=12, choices=EmailFrequency.choices, default=EmailFrequency.NEVER
    )
    emailed_at = models.DateTimeField(null=True, blank=True)
    digest = models.ForeignKey(
        Digest, null=True, blank=True, on_delete=models.SET_NULL, related_name="notifications"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at", "-created_at"]),
            models.Index(fields=["recipient", "email_mode", "emailed_at"], name="notif_email_due"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_id}"


class NotificationSettings(models.Model):
    """A person's choices: e-mail per kind (only the ones changed from the default) and a
    pause ("quiet until")."""

    user = models.OneToOneField(USER, on_delete=models.CASCADE, related_name="+")
    email = models.JSONField(default=dict, blank=True, help_text="kind → frequency")
    quiet_until = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"settings of {self.user_id}"

    def is_quiet(self, now: datetime | None = None) -> bool:
        return self.quiet_until is not None and self.quiet_until > (now or timezone.now())


class Watch(models.Model):
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    target_type = models.CharField(max_length=60, help_text="app_label.model, e.g. qa.post")
    target_id = models.BigIntegerField()
    level = models.CharField(max_length=10, choices=Level.choices)
    # The target's page: notifications whose link starts with a muted target's url are hidden.
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "target_type", "target_id"], name="notifications_watch_once"
            )
        ]
        indexes = [models.Index(fields=["target_type", "target_id", "level"])]

    def __str__(self) -> str:
        return f"{self.user_id} {self.level} {self.target_type}:{self.target_id}"
