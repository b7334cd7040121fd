"""The outbox: every event bound for people, written in the same transaction as the write.

Ids are monotonic in commit order (``bus.emit`` serializes outbox writers on PostgreSQL with a
transaction-level advisory lock; SQLite's IMMEDIATE transactions already serialize writers),
so a reader that has seen id N has seen every committed event up to N: the SSE stream resumes
with ``Last-Event-ID`` by reading ``id > N``. Rows older than the retention window are pruned
(``practica.realtime.outbox.prune``); a client asking to resume from before the window is told
to reload. Presence rows say who has a live page open on a topic (``stream.py``).
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class Scope(models.TextChoices):
    READERS = "readers", "Those who may read the community"
    MEMBERS = "members", "Members of the community"
    MANAGERS = "managers", "Facilitators and coordinators (and org admins, staff)"
    USERS = "users", "Only the people listed"
    ORG = "org", "Those who may see the organization"


class OutboxEvent(models.Model):
    """One committed event and its audience (resolved through the access gate at send time)."""

    id = models.BigAutoField(primary_key=True)
    name = models.CharField(max_length=80)
    payload = models.JSONField(default=dict)
    scope = models.CharField(max_length=10, choices=Scope.choices)
    community_id = models.BigIntegerField(null=True, blank=True)
    organization_id = models.BigIntegerField(null=True, blank=True)
    # Always told (if they may still see the community): the person the event is about.
    user_ids = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"#{self.pk} {self.name}"


class Presence(models.Model):
    """A live page open on ``topic`` (e.g. ``qa.post:12``); one row per stream connection,
    refreshed with every keep-alive and deleted when the stream closes. Rows whose
    ``seen_at`` is older than two keep-alives are stale (a process died) and not counted."""

    topic = models.CharField(max_length=80)
    user_id = models.BigIntegerField()
    connection = models.CharField(max_length=40, unique=True)
    community_id = models.BigIntegerField(null=True, blank=True)
    seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["topic", "seen_at"])]

    def __str__(self) -> str:
        return f"{self.user_id} on {self.topic}"
