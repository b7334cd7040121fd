"""Learning resources members contribute (uploaded media and documents, or links), the signals
that set their credibility (ratings, "I used this" marks), and the community's self-regulation
(flags, "needs review" marks, moderation decisions).

Single-row behaviour only. The rules live in ``services.py``, the credibility formula in
``credibility.py``, file checks in ``uploads.py``. See docs/resources.md.

Counters and the credibility score on :class:`Resource` are maintained on write by the services
(never aggregated per page view); ``view_count`` is popularity, shown apart and never part of
the score.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from practica.accounts.models import Organization
from practica.communities.models import Community
from practica.tags.models import Tag

USER = settings.AUTH_USER_MODEL
TITLE_MAX = 200
DESCRIPTION_MAX = 20_000
URL_MAX = 1_000
NOTE_MAX = 2_000
REASON_MAX = 1_000
FILE_NAME_MAX = 255
PREVIEW_MAX = 800
EXTRACT_MAX = 50_000

DEFAULT_MEDIA_MAX_MB = 500
DEFAULT_OTHER_MAX_MB = 50
DEFAULT_FLAG_THRESHOLD = 3
DEFAULT_WEIGHT_MEMBER = 1
DEFAULT_WEIGHT_EXPERT = 2
DEFAULT_WEIGHT_LEADER = 3


class Kind(models.TextChoices):
    VIDEO = "video", "Video"
    AUDIO = "audio", "Audio"
    IMAGE = "image", "Image"
    DOCUMENT = "document", "Document"
    LINK = "link", "Link"


class GradeBand(models.TextChoices):
    ANY = "", "Any grade"
    EARLY = "k-2", "K–2"
    ELEMENTARY = "3-5", "Grades 3–5"
    MIDDLE = "6-8", "Grades 6–8"
    HIGH = "9-12", "Grades 9–12"
    ADULT = "adult", "Adult learners"


class AudienceRole(models.TextChoices):
    ANY = "", "Anyone"
    TEACHER = "teacher", "Teachers"
    NEW_TEACHER = "new-teacher", "New teachers"
    COACH = "coach", "Coaches"
    LEADER = "leader", "School leaders"


class Status(models.TextChoices):
    VISIBLE = "visible", "Visible"
    HIDDEN = "hidden", "Hidden pending review"
    REMOVED = "removed", "Removed"


class UploadLimits(models.Model):
    """An organization's upload size limits (one row, created when an admin changes them;
    absent means the defaults). Read for the community's owning organization."""

    organization = models.OneToOneField(
        Organization, on_delete=models.CASCADE, related_name="resource_upload_limits"
    )
    media_max_mb = models.PositiveIntegerField(default=DEFAULT_MEDIA_MAX_MB)
    other_max_mb = models.PositiveIntegerField(default=DEFAULT_OTHER_MAX_MB)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name_plural = "upload limits"

    def __str__(self) -> str:
        return f"upload limits of {self.organization_id}"


class ResourceSettings(models.Model):
    """A community's self-regulation settings (one row, created on first change): how much
    flag weight hides a resource, and how much a flag weighs by the flagger's standing."""

    community = models.OneToOneField(
        Community, on_delete=models.CASCADE, related_name="resource_settings"
    )
    flag_threshold = models.PositiveSmallIntegerField(default=DEFAULT_FLAG_THRESHOLD)
    weight_member = models.PositiveSmallIntegerField(default=DEFAULT_WEIGHT_MEMBER)
    weight_expert = models.PositiveSmallIntegerField(default=DEFAULT_WEIGHT_EXPERT)
    weight_leader = models.PositiveSmallIntegerField(default=DEFAULT_WEIGHT_LEADER)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name_plural = "resource settings"

    def __str__(self) -> str:
        return f"resource settings of {self.community_id}"


def upload_path(instance: Resource, filename: str) -> str:
    """``resources/<community>/<random>/<name>``: the random part makes stored names
    unguessable and unique; ``filename`` is already sanitized by ``uploads.safe_name``."""
    return f"resources/{instance.community_id}/{instance.storage_token}/{filename}"


class Resource(models.Model):
    """One contributed resource: an uploaded file (``file``) or a link (``url``), never both.

    ``credibility`` (0–100) and the counters are maintained on write (``credibility.py``).
    ``related_post`` is an optional Q&A post; ``wiki_page_id`` an optional wiki page id kept
    as a plain integer until the wiki has a page model to point a foreign key at.
    """

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="resources")
    author = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    title = models.CharField(max_length=TITLE_MAX)
    description = models.TextField(blank=True)
    description_html = models.TextField(blank=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="resources")
    grade_band = models.CharField(max_length=10, choices=GradeBand.choices, blank=True)
    audience_role = models.CharField(max_length=12, choices=AudienceRole.choices, blank=True)
    related_post = models.ForeignKey(
        "qa.Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="resources"
    )
    wiki_page_id = models.PositiveBigIntegerField(null=True, blank=True)

    url = models.URLField(max_length=URL_MAX, blank=True)
    file = models.FileField(upload_to=upload_path, max_length=400, blank=True)
    storage_token = models.CharField(max_length=32, blank=True)
    file_name = models.CharField(max_length=FILE_NAME_MAX, blank=True)
    content_type = models.CharField(max_length=120, blank=True)
    file_size = models.PositiveBigIntegerField(default=0)
    preview_text = models.TextField(blank=True)
    extracted_text = models.TextField(blank=True)

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.VISIBLE)
    hidden_at = models.DateTimeField(null=True, blank=True)
    needs_review_count = models.PositiveIntegerField(default=0)

    credibility = models.FloatField(default=0.0)
    rating_count = models.PositiveIntegerField(default=0)
    rating_mean = models.FloatField(default=0.0)
    used_count = models.PositiveIntegerField(default=0)
    view_count = models.PositiveBigIntegerField(default=0)
    flag_weight = models.PositiveIntegerField(default=0, help_text="Open flags' total weight.")

    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    scored_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["community", "status", "-created_at"], name="resource_newest"),
            models.Index(fields=["community", "status", "-credibility"], name="resource_top"),
            models.Index(fields=["community", "status", "-used_count"], name="resource_used"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="link") & ~Q(url="")) | (~Q(kind="link") & Q(url="")),
                name="resource_link_xor_file",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_file(self) -> bool:
        return self.kind != Kind.LINK

    @property
    def is_visible(self) -> bool:
        return self.status == Status.VISIBLE


class ResourceRating(models.Model):
    """One person's "how useful for my practice" rating (1–5); changing it replaces it."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="ratings")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    value = models.PositiveSmallIntegerField()
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["resource", "user"], name="one_rating_per_person"),
            models.CheckConstraint(
                condition=Q(value__gte=1) & Q(value__lte=5), name="resource_rating_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.value} on {self.resource_id}"


class UsedMark(models.Model):
    """ "I used this" with an optional note of how it went (one per person, note editable)."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="used_marks")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    note = models.TextField(blank=True)
    note_html = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["resource", "user"], name="one_used_mark_per_person")
        ]

    def __str__(self) -> str:
        return f"used {self.resource_id}"


class NeedsReviewMark(models.Model):
    """A member's word that a resource may be outdated (one per person; cleared when the
    author or a reviewer marks it reviewed)."""

    resource = models.ForeignKey(
        Resource, on_delete=models.CASCADE, related_name="needs_review_marks"
    )
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    note = models.CharField(max_length=REASON_MAX, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["resource", "user"], name="one_review_mark_per_person")
        ]

    def __str__(self) -> str:
        return f"needs review {self.resource_id}"


class FlagReason(models.TextChoices):
    INACCURATE = "inaccurate", "Inaccurate"
    INAPPROPRIATE = "inappropriate", "Inappropriate"
    PRIVATE_INFO = "private_info", "Private information about students or colleagues"
    SPAM = "spam", "Spam"
    COPYRIGHT = "copyright", "Copyright"


class Flag(models.Model):
    """A member's flag. ``weight`` is fixed when flagged (by the flagger's standing then);
    ``resolved_at`` is set when a reviewer decides, so a restored resource starts clean."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="flags")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=16, choices=FlagReason.choices)
    note = models.CharField(max_length=REASON_MAX, blank=True)
    weight = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # One open flag per person: flagging again after a review is a new round.
            models.UniqueConstraint(
                fields=["resource", "user"],
                condition=Q(resolved_at__isnull=True),
                name="one_open_flag_per_person",
            )
        ]

    def __str__(self) -> str:
        return f"{self.reason} on {self.resource_id}"


class Decision(models.TextChoices):
    HIDE = "hide", "Hidden by flags"
    RESTORE = "restore", "Restored"
    EDIT = "edit", "Edited and restored"
    REMOVE = "remove", "Removed"
    REVIEWED = "reviewed", "Marked reviewed (up to date)"


class ModerationEntry(models.Model):
    """The review log: every hide (by flags, ``actor`` None) and every reviewer's decision,
    with its reason. Append-only."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="log")
    actor = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=10, choices=Decision.choices)
    reason = models.TextField(max_length=REASON_MAX)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "moderation entries"

    def __str__(self) -> str:
        return f"{self.action} {self.resource_id}"
