"""A community's vocabulary of tags, shared by questions, channel posts and resources.

Tags are community-scoped: "fractions" in the math community is not "fractions" in the
literacy one. Who may create a tag is a privilege (``practica.recognition.privileges``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from practica.communities.models import Community

NAME_MAX = 40
DESCRIPTION_MAX = 200


class Tag(models.Model):
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="tags")
    name = models.CharField(max_length=NAME_MAX)
    slug = models.SlugField(max_length=NAME_MAX)
    description = models.CharField(max_length=DESCRIPTION_MAX, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["community", "slug"], name="tag_unique_slug"),
        ]

    def __str__(self) -> str:
        return self.name
