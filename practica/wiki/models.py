"""The wiki: spaces (one per community or organization), pages, append-only revisions, the
link table behind ``[[links]]`` and backlinks, old slugs that redirect, watchers,
contributors (counters kept on write) and answers promoted from Q&A.

Nothing here is ever overwritten: every save appends a :class:`Revision` (the page row is only
the current state, a cache of its newest revision plus the cooked HTML), and deleting a page
sets ``deleted_at`` (the trash). See docs/wiki.md.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from practica.accounts.models import Organization
from practica.communities.models import Community

USER = settings.AUTH_USER_MODEL
TITLE_MAX = 200
SLUG_MAX = 80
SUMMARY_MAX = 300
# Characters of Markdown. Long enough for a handbook chapter, short enough that a diff of two
# revisions renders in well under a second.
BODY_MAX = 200_000


class Space(models.Model):
    """The wiki of exactly one community or one organization (created with its first page).

    The row is also the space's lock: creating a page locks it, so two people creating the
    same slug at once get a clear "taken" instead of a database error.
    """

    community = models.OneToOneField(
        Community, null=True, blank=True, on_delete=models.CASCADE, related_name="wiki_space"
    )
    organization = models.OneToOneField(
        Organization, null=True, blank=True, on_delete=models.CASCADE, related_name="wiki_space"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(Q(community__isnull=False) & Q(organization__isnull=True))
                | (Q(community__isnull=True) & Q(organization__isnull=False)),
                name="wiki_space_one_owner",
            )
        ]

    def __str__(self) -> str:
        return f"wiki of {self.community or self.organization}"


class Page(models.Model):
    """A page's current state. ``body``/``html``/``toc`` always equal the newest revision's
    body cooked; ``revision_count`` and ``size`` are maintained on write."""

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="pages")
    title = models.CharField(max_length=TITLE_MAX)
    slug = models.SlugField(max_length=SLUG_MAX)
    # slugify(title): ``[[Title]]`` finds a page by its title even when its slug differs.
    title_key = models.SlugField(max_length=SLUG_MAX, db_index=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    body = models.TextField(blank=True)
    html = models.TextField(blank=True)
    toc = models.JSONField(default=list, blank=True)
    current_revision = models.ForeignKey(
        "Revision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revision_count = models.PositiveIntegerField(default=0)
    size = models.PositiveIntegerField(default=0)
    protected = models.BooleanField(default=False)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["space", "slug"], name="wiki_page_slug_once"),
        ]
        indexes = [models.Index(fields=["space", "-updated_at"], name="wiki_page_recent")]
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


class RevisionKind(models.TextChoices):
    CREATE = "create", "Created"
    EDIT = "edit", "Edited"
    MERGE = "merge", "Edited (merged with a concurrent edit)"
    REVERT = "revert", "Reverted"
    PROMOTE = "promote", "Promoted from Q&A"


class Revision(models.Model):
    """One saved state of a page: append-only (``save`` refuses to update an existing row),
    numbered from 1 per page."""

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    kind = models.CharField(max_length=10, choices=RevisionKind.choices, default=RevisionKind.EDIT)
    title = models.CharField(max_length=TITLE_MAX)
    body = models.TextField(blank=True)
    summary = models.CharField(max_length=SUMMARY_MAX, blank=True)
    author = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    size = models.PositiveIntegerField(default=0)
    size_delta = models.IntegerField(default=0)
    # The revision the editor started from (null when creating) and, for a revert, its target.
    base = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reverted_to = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["page", "number"], name="wiki_revision_number_once")
        ]
        indexes = [models.Index(fields=["-created_at"], name="wiki_revision_recent")]
        ordering = ["-number"]

    def __str__(self) -> str:
        return f"revision {self.number} of page {self.page_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise ValueError("Revisions are append-only: save a new revision instead.")
        super().save(*args, **kwargs)


class Redirect(models.Model):
    """An old slug of a page: its old URL (and old ``[[links]]``) lead to the page."""

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="redirects")
    slug = models.SlugField(max_length=SLUG_MAX)
    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="redirects")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["space", "slug"], name="wiki_redirect_slug_once")
        ]

    def __str__(self) -> str:
        return f"{self.slug} → {self.page_id}"


class Link(models.Model):
    """``[[target]]`` in ``source``'s current text. ``target`` is the page it resolves to
    (null while no such page exists: a "create" link). Rewritten on every save of the source;
    re-resolved when a page is created, renamed, deleted or restored."""

    source = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="links_out")
    target_key = models.SlugField(max_length=SLUG_MAX)
    target = models.ForeignKey(
        Page, null=True, blank=True, on_delete=models.SET_NULL, related_name="links_in"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "target_key"], name="wiki_link_once")
        ]
        indexes = [models.Index(fields=["target_key"], name="wiki_link_key")]

    def __str__(self) -> str:
        return f"{self.source_id} → {self.target_key}"


class Watch(models.Model):
    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="watches")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="wiki_watches")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["page", "user"], name="wiki_watch_once")]

    def __str__(self) -> str:
        return f"{self.user_id} watches {self.page_id}"


class Contributor(models.Model):
    """Attribution: one row per person per page, counted on write (never aggregated per view)."""

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="contributors")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    edits = models.PositiveIntegerField(default=0)
    chars_added = models.PositiveIntegerField(default=0)
    first_at = models.DateTimeField(default=timezone.now)
    last_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["page", "user"], name="wiki_contributor_once")
        ]
        ordering = ["-edits", "first_at"]

    def __str__(self) -> str:
        return f"{self.user_id} on {self.page_id}: {self.edits} edits"


class Promotion(models.Model):
    """A Q&A answer (or a question, ``answer`` null) that became (part of) a wiki page.
    The question page reads these to say "now on the wiki"."""

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="promotions")
    post = models.ForeignKey("qa.Post", on_delete=models.CASCADE, related_name="+")
    answer = models.ForeignKey(
        "qa.Answer", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    promoted_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["answer"], name="wiki_promotion_answer"),
            models.Index(fields=["post"], name="wiki_promotion_post"),
        ]

    def __str__(self) -> str:
        return f"post {self.post_id} (answer {self.answer_id}) → page {self.page_id}"
