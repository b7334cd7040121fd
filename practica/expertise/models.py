"""Earned expertise, routing of questions to experts, and expert channels.

- :class:`EarnedExpertise` is *derived* data: one row per (community, user, tag) with evidence,
  recomputed from the Q&A rows (answers, ratings, acceptances) whenever an event touches them
  (``scores.recompute``), so it cannot drift; ``practica recompute-expertise`` rebuilds it all.
- :class:`Routing` records that a question was put to an expert (automatically, on re-routing,
  or by the asker by name); :class:`RoutingSettings` holds the community's re-routing delay.
- :class:`Channel`, :class:`ChannelPost`, :class:`ChannelFollow`: a community's channels, what
  its experts post there, and who follows them. Counters are maintained on write.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from practica.communities.models import Community
from practica.qa.models import Post
from practica.tags.models import Tag

USER = settings.AUTH_USER_MODEL
CHANNEL_NAME_MAX = 80
CHANNEL_DESCRIPTION_MAX = 500
POST_TITLE_MAX = 200
POST_BODY_MAX = 20_000
VIDEO_URL_MAX = 500
DEFAULT_REROUTE_HOURS = 24


class EarnedExpertise(models.Model):
    """A member's evidence in one tag of one community (formula: docs/experts.md).

    Only rows with ``score > 0`` exist: no row means no evidence. ``answers`` counts the live
    answers that contribute, ``ratings`` the ratings on them, ``accepted`` the acceptances.
    """

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="earned_expertise")
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()
    answers = models.PositiveIntegerField(default=0)
    ratings = models.PositiveIntegerField(default=0)
    accepted = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "tag"], name="earned_expertise_once"),
        ]
        indexes = [
            models.Index(fields=["tag", "-score"], name="earned_by_tag"),
            models.Index(fields=["community", "user"], name="earned_by_member"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} in tag {self.tag_id}: {self.score:.2f}"


class RoutingSettings(models.Model):
    """A community's routing policy (created with the defaults on first use)."""

    community = models.OneToOneField(
        Community, on_delete=models.CASCADE, primary_key=True, related_name="routing_settings"
    )
    reroute_after_hours = models.PositiveIntegerField(
        default=DEFAULT_REROUTE_HOURS,
        help_text="A question still unanswered after this many hours goes to the next experts.",
    )

    def __str__(self) -> str:
        return f"routing settings of community {self.community_id}"


class RoutingReason(models.TextChoices):
    EARNED = "earned", "Earned expertise in the question's tags"
    REROUTED = "rerouted", "Still unanswered: passed on to the next experts"
    ASKED = "asked", "Asked by name"


class Routing(models.Model):
    """A question put to one expert. ``answered_at`` is set when that expert answers it."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="routings")
    expert = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="routings")
    reason = models.CharField(max_length=10, choices=RoutingReason.choices)
    round = models.PositiveSmallIntegerField(default=1)
    score = models.FloatField(default=0.0, help_text="Their earned expertise when routed.")
    asked_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    routed_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["routed_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["post", "expert"], name="routing_once"),
        ]
        indexes = [
            models.Index(
                fields=["expert"], condition=Q(answered_at__isnull=True), name="routing_open"
            ),
        ]

    def __str__(self) -> str:
        return f"post {self.post_id} → {self.expert_id} ({self.reason})"


class ChannelKind(models.TextChoices):
    EXPERT = "expert", "Expert channel: experts post, everyone reads"
    OPEN = "open", "Open channel: any member posts"


class Channel(models.Model):
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="channels")
    name = models.CharField(max_length=CHANNEL_NAME_MAX)
    slug = models.SlugField(max_length=60)
    description = models.CharField(max_length=CHANNEL_DESCRIPTION_MAX, blank=True)
    kind = models.CharField(max_length=10, choices=ChannelKind.choices, default=ChannelKind.EXPERT)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    # Maintained on write by the services.
    post_count = models.PositiveIntegerField(default=0)
    follower_count = models.PositiveIntegerField(default=0)
    last_post_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["community", "slug"], name="channel_slug_once"),
        ]

    def __str__(self) -> str:
        return self.name


class ChannelPostKind(models.TextChoices):
    ARTICLE = "article", "Article"
    TIP = "tip", "Tip"
    VIDEO = "video", "Short video (link)"


class ChannelPost(models.Model):
    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(max_length=10, choices=ChannelPostKind.choices)
    title = models.CharField(max_length=POST_TITLE_MAX)
    body = models.TextField(blank=True)
    body_html = models.TextField(blank=True)
    video_url = models.URLField(max_length=VIDEO_URL_MAX, blank=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["channel", "-created_at"], name="channel_post_newest"),
            models.Index(fields=["-created_at"], name="channel_post_feed"),
        ]

    def __str__(self) -> str:
        return self.title


class ChannelFollow(models.Model):
    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="channel_follows")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["channel", "user"], name="channel_follow_once"),
        ]
        indexes = [models.Index(fields=["user", "channel"], name="channel_follow_by_user")]

    def __str__(self) -> str:
        return f"{self.user_id} follows {self.channel_id}"
