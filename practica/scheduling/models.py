"""Due-dated work as rows: a reminder, a revisit round, a rotation step.

A row is identified by its ``key`` (one row per thing to do: "norms.revisit:community:7"), so
scheduling the same thing twice moves it instead of doing it twice. A runner claims due rows
with a conditional update, so two runners never run the same row, and a crash leaves the row
claimed but not done — retried after ``CLAIM_TIMEOUT``.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class DueJob(models.Model):
    kind = models.CharField(max_length=60)
    key = models.CharField(max_length=200, unique=True)
    due_at = models.DateTimeField()
    payload = models.JSONField(default=dict)
    claimed_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["done_at", "due_at"])]

    def __str__(self) -> str:
        return f"{self.key} due {self.due_at:%Y-%m-%d %H:%M}"
