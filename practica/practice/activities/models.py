"""The activity library: community-building openers that groups take and adapt."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
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


def compose_search_text(title: str, summary: str, materials: str, steps: Iterable[str]) -> str:
    """What the search box looks in, case-folded in Python so every database compares the same
    way (SQLite's LIKE folds ASCII only, and JSON text would hide accents as escapes)."""
    return "\n".join([title, summary, materials, *steps]).casefold()


class Activity(models.Model):
    """An activity in the shared library (``community`` is null) or adapted by one community.

    ``steps`` is a JSON list of strings, each one step a facilitator can run from the text
    alone. ``adapted_from`` is the lineage: an adaptation points at what it was adapted from.
    ``search_text`` is derived on every save (and by the library loader, which bulk-writes).
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
    updated_at = models.DateTimeField(default=timezone.now)
    search_text = models.TextField(blank=True, editable=False)

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
        verbose_name_plural = "activities"

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_text = compose_search_text(
            self.title, self.summary, self.materials, self.steps or []
        )
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        """Needs ``community`` loaded for adaptations (select_related it in lists)."""
        if self.community_id is None:
            return reverse("activities:detail", args=[self.slug])
        assert self.community is not None
        return reverse("community_activities:detail", args=[self.community.slug, self.slug])

    @property
    def is_library(self) -> bool:
        return self.community_id is None

    @property
    def setting_label(self) -> str:
        """Where it can run, for people: "In person or virtual", "In person only"..."""
        if self.in_person and self.virtual:
            return "In person or virtual"
        return "In person only" if self.in_person else "Virtual only"

    @property
    def group_label(self) -> str:
        return f"{self.min_group}–{self.max_group} people"
