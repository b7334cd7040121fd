"""The activity library: community-building openers that groups take and adapt."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from practica.communities.models import Community


class Purpose(models.TextChoices):
    TRUST = "trust", "Building trust"
    CAMARADERIE = "camaraderie", "Camaraderie"
    REFLECTION = "reflection", "Reflection"
    ENERGIZER = "energizer", "Energizer"
    APPRECIATION = "appreciation", "Appreciation"
    GETTING_TO_KNOW = "getting_to_know", "Getting to know each other"
    VULNERABILITY = "vulnerability", "Sharing struggles"
    PURPOSE = "purpose", "Shared purpose"


class Activity(models.Model):
    """An activity in the shared library (``community`` is null) or adapted by one community.

    ``steps`` is a JSON list of strings, each one step a facilitator can run from the text
    alone. ``adapted_from`` is the lineage: an adaptation points at what it was adapted from.
    """

    community = models.ForeignKey(
        Community, null=True, blank=True, on_delete=models.CASCADE, related_name="activities"
    )
    title = models.CharField(max_length=120)
    slug = models.SlugField(max_length=80)
    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    summary = models.CharField(max_length=300)
    duration_minutes = models.PositiveSmallIntegerField()
    min_group = models.PositiveSmallIntegerField(default=2)
    max_group = models.PositiveSmallIntegerField(default=40)
    in_person = models.BooleanField(default=True)
    virtual = models.BooleanField(default=True)
    materials = models.TextField(max_length=1000, blank=True)
    steps = models.JSONField(default=list)
    adapted_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="adaptations"
    )
    adaptation_note = models.TextField(max_length=2000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(
                fields=["slug"],
                condition=models.Q(community__isnull=True),
                name="library_activity_slug_once",
            ),
            models.UniqueConstraint(
                fields=["community", "slug"], name="community_activity_slug_once"
            ),
        ]

    def __str__(self) -> str:
        return self.title
