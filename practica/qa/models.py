"""Questions, struggles and successes; answers; comments; helpful votes; educational-value
ratings; revisions.

Counters and scores (``vote_score``, ``answer_count``, ``ev_*``) are maintained on write by the
services, never computed per page view. Markdown is cooked once on save (``*_html``).
Soft deletion keeps rows (``deleted_at``) so it can be undone.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from practica.communities.models import Community
from practica.tags.models import Tag

USER = settings.AUTH_USER_MODEL
TITLE_MAX = 200
BODY_MAX = 30_000
NOTE_MAX = 1_000
COMMENT_MAX = 2_000
REASON_MAX = 300


class PostKind(models.TextChoices):
    QUESTION = "question", "Question"
    STRUGGLE = "struggle", "Struggle"
    SUCCESS = "success", "Success"


class Post(models.Model):
    """A question, a struggle (a challenge shared to get help) or a success (what worked)."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="posts")
    kind = models.CharField(max_length=10, choices=PostKind.choices, default=PostKind.QUESTION)
    title = models.CharField(max_length=TITLE_MAX)
    body = models.TextField(blank=True)
    body_html = models.TextField(blank=True)
    author = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="posts")
    tags = models.ManyToManyField(Tag, blank=True, related_name="posts")
    created_at = models.DateTimeField(default=timezone.now)
    last_activity_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    vote_score = models.IntegerField(default=0)
    answer_count = models.PositiveIntegerField(default=0)
    accepted_answer = models.ForeignKey(
        "Answer", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The best live answer's educational-value score (0 when none): "top" lists and the
    # similar-questions box read it without touching answers.
    best_answer_score = models.FloatField(default=0.0)
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="duplicates"
    )
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Bumped on every change that alters the rendered page (answers, votes, ratings,
    # comments, edits): keys for cached fragments.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        indexes = [
            models.Index(fields=["community", "-created_at"], name="post_newest"),
            models.Index(fields=["community", "-last_activity_at"], name="post_active"),
            models.Index(
                fields=["community", "answer_count", "-created_at"], name="post_unanswered"
            ),
            models.Index(fields=["community", "-best_answer_score"], name="post_top"),
        ]

    def __str__(self) -> str:
        return self.title


class Answer(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="answers")
    author = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="answers")
    body = models.TextField()
    body_html = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    vote_score = models.IntegerField(default=0)
    # Educational value: the sum and count of 1-5 ratings, and the small-sample-robust score
    # (docs/qa.md) the ranking orders by.
    ev_sum = models.PositiveIntegerField(default=0)
    ev_count = models.PositiveIntegerField(default=0)
    ev_score = models.FloatField(default=0.0)
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["post", "-ev_score"], name="answer_rank")]

    def __str__(self) -> str:
        return f"answer {self.pk} to post {self.post_id}"

    @property
    def ev_mean(self) -> float | None:
        return self.ev_sum / self.ev_count if self.ev_count else None


class Comment(models.Model):
    """A comment on a post (``answer`` null) or on one of its answers."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comments")
    answer = models.ForeignKey(
        Answer, null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    body = models.TextField()
    body_html = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["post", "created_at"], name="comment_thread")]

    def __str__(self) -> str:
        return f"comment {self.pk} on post {self.post_id}"


class Vote(models.Model):
    """A helpful vote (+1/-1) on a post (``answer`` null) or an answer; one per person."""

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    post = models.ForeignKey(
        Post, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    answer = models.ForeignKey(
        Answer, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    value = models.SmallIntegerField()
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(value__in=[-1, 1]), name="vote_value_plus_or_minus_one"
            ),
            models.CheckConstraint(
                condition=(Q(post__isnull=False) & Q(answer__isnull=True))
                | (Q(post__isnull=True) & Q(answer__isnull=False)),
                name="vote_on_post_or_answer",
            ),
            models.UniqueConstraint(
                fields=["user", "post"], condition=Q(post__isnull=False), name="vote_once_post"
            ),
            models.UniqueConstraint(
                fields=["user", "answer"],
                condition=Q(answer__isnull=False),
                name="vote_once_answer",
            ),
        ]

    def __str__(self) -> str:
        return f"vote {self.value:+d} by {self.user_id}"


class Rating(models.Model):
    """ "How much did this answer teach you?" 1-5, with an optional "what I learned" note."""

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="ratings")
    value = models.PositiveSmallIntegerField()
    note = models.CharField(max_length=NOTE_MAX, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(value__gte=1, value__lte=5), name="qa_rating_1_to_5"
            ),
            models.UniqueConstraint(fields=["user", "answer"], name="rating_once"),
        ]

    def __str__(self) -> str:
        return f"rating {self.value} of answer {self.answer_id}"


class Revision(models.Model):
    """One saved state of a post (``answer`` null) or an answer: append-only, numbered from 1
    (the original)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    answer = models.ForeignKey(
        Answer, null=True, blank=True, on_delete=models.CASCADE, related_name="revisions"
    )
    number = models.PositiveIntegerField()
    author = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    title = models.CharField(max_length=TITLE_MAX, blank=True)
    body = models.TextField()
    tags = models.CharField(max_length=500, blank=True)  # space-separated slugs, as saved
    reason = models.CharField(max_length=REASON_MAX, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["post", "number"], condition=Q(answer__isnull=True), name="post_rev_number"
            ),
            models.UniqueConstraint(
                fields=["answer", "number"],
                condition=Q(answer__isnull=False),
                name="answer_rev_number",
            ),
        ]

    def __str__(self) -> str:
        return f"revision {self.number} of post {self.post_id}"


class QASettings(models.Model):
    """A community's Q&A policy and the running totals behind its rating prior.

    ``rating_sum``/``rating_count`` cover every live rating given in the community (maintained
    on write by ``services.rate_answer``); their mean, shrunk toward the scale's midpoint, is the
    prior of every answer's educational-value score (``practica.qa.ranking``).
    """

    community = models.OneToOneField(
        Community, on_delete=models.CASCADE, primary_key=True, related_name="qa_settings"
    )
    accepted_first = models.BooleanField(
        default=True, help_text="Show the accepted answer above every other answer."
    )
    rating_sum = models.PositiveBigIntegerField(default=0)
    rating_count = models.PositiveIntegerField(default=0)
    # The prior every stored ev_score was last computed with (the nightly refresh compares).
    prior_at_refresh = models.FloatField(null=True, blank=True)
    refreshed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "Q&A settings"
        verbose_name_plural = "Q&A settings"

    def __str__(self) -> str:
        return f"Q&A settings of community {self.community_id}"


class TitleWord(models.Model):
    """The significant words of a live post's title, one row each: similar questions are
    looked up on ``(community, word)`` (an index both databases serve) and ranked by overlap."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="+")
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="+")
    word = models.CharField(max_length=40)

    class Meta:
        indexes = [models.Index(fields=["community", "word"], name="qa_titleword_lookup")]
        constraints = [
            models.UniqueConstraint(fields=["post", "word"], name="qa_titleword_once"),
        ]

    def __str__(self) -> str:
        return self.word


class ListStamp(models.Model):
    """A counter per community that changes whenever any of its posts changes.

    Database triggers (``practica/qa/stamps.py``, installed by migration 0004) bump it on every
    insert, update or delete of a ``qa_post`` row, in the same transaction — including bulk
    ``update()`` calls that no Python code sees. The community's cached list pages are keyed by
    it, so a cached page can never outlive a change to the posts it shows.

    ``community_id`` is a plain integer: the row is derived data, and a foreign key would make a
    community's cascade delete race its own triggers.
    """

    community_id = models.BigIntegerField(primary_key=True)
    version = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"list stamp {self.version} of community {self.community_id}"
