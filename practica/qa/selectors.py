"""Reads of the Q&A app: lists, one question with its ranked answers, revisions.

Every read starts from a community the caller may see (``access.get_community_for``) or checks
the post's community through the gate (``post_for``). Query counts do not grow with rows:
authors come with ``select_related``, tags/comments/notes with one query each.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.models import Prefetch, QuerySet

from practica.accounts.models import User
from practica.communities import access
from practica.communities.models import Community
from practica.lib.errors import NotFound
from practica.lib.prepared import PreparedGet, first_value
from practica.qa.models import Answer, Comment, Post, PostKind, QASettings, Rating, Revision, Vote
from practica.tags.models import Tag

DB_INT_MAX = 2**63 - 1
SORTS = {
    "newest": ("-created_at", "-pk"),
    "active": ("-last_activity_at", "-pk"),
    "unanswered": ("-created_at", "-pk"),
    "top": ("-best_answer_score", "-vote_score", "-pk"),
}
SORT_LABELS = {
    "newest": "Newest",
    "active": "Recently active",
    "unanswered": "Unanswered",
    "top": "Top by educational value",
}


def post_list(
    community: Community, *, sort: str = "newest", tag: str = "", kind: str = ""
) -> QuerySet[Post]:
    """Live posts of ``community`` in the chosen order, optionally of one tag and kind; each
    with its author and (one extra query per page) its tags."""
    rows = Post.objects.filter(community=community, deleted_at__isnull=True)
    if sort == "unanswered":
        rows = rows.filter(answer_count=0)
    if tag:
        rows = rows.filter(tags__community=community, tags__slug=tag)
    if kind in PostKind.values:
        rows = rows.filter(kind=kind)
    order = SORTS.get(sort, SORTS["newest"])
    return (
        rows.select_related("author", "community")
        .prefetch_related(Prefetch("tags", queryset=Tag.objects.order_by("name")))
        .order_by(*order)
    )


def recent(community: Community, limit: int = 5) -> list[Post]:
    return list(post_list(community, sort="newest")[:limit])


def unanswered(community: Community, limit: int = 5) -> list[Post]:
    return list(post_list(community, sort="unanswered")[:limit])


def community_tags(community: Community) -> QuerySet[Tag]:
    return Tag.objects.filter(community=community).order_by("name")


def get_tag(community: Community, slug: str) -> Tag:
    tag = Tag.objects.filter(community=community, slug=slug).first()
    if tag is None:
        raise NotFound("No such tag in this community.")
    return tag


# --- One post -----------------------------------------------------------------------------------


def post_for(user: User | AnonymousUser | None, post_id: int) -> Post:
    """The post if ``user`` may see its community (NotFound otherwise). A deleted post is
    visible to its author and the community's moderators only."""
    from practica.qa.services import may_moderate

    if not 0 < post_id <= DB_INT_MAX:
        raise NotFound("No such post.")
    post = (
        Post.objects.select_related("community__organization", "author", "duplicate_of")
        .filter(pk=post_id)
        .first()
    )
    if post is None or not access.can_view_community(user, post.community):
        raise NotFound("No such post.")
    if post.deleted_at is not None:
        me = user if isinstance(user, User) else None
        if me is None or (post.author_id != me.pk and not may_moderate(me, post.community)):
            raise NotFound("No such post.")
    return post


_post_by_pk: PreparedGet[Post] = PreparedGet(lambda: Post.objects.all())


def post_in(user: User | AnonymousUser | None, community: Community, post_id: int) -> Post:
    """The post of ``community`` (already through the gate, e.g. by ``get_community_for``)
    with ``post_for``'s rules; reuses ``community`` instead of loading it again."""
    from practica.qa.services import may_moderate

    if not access.can_view_community(user, community) or not 0 < post_id <= DB_INT_MAX:
        raise NotFound("No such post.")
    post = _post_by_pk.get(post_id)  # compiled once: this runs on every question page view
    if post is None or post.community_id != community.pk:
        raise NotFound("No such post.")
    post.community = community
    if post.deleted_at is not None:
        me = user if isinstance(user, User) else None
        if me is None or (post.author_id != me.pk and not may_moderate(me, community)):
            raise NotFound("No such post.")
    return post


def answer_for(user: User | AnonymousUser | None, answer_id: int) -> Answer:
    """The answer if ``user`` may see its post (deleted answers: their author, moderators)."""
    from practica.qa.services import may_moderate

    if not 0 < answer_id <= DB_INT_MAX:
        raise NotFound("No such answer.")
    answer = Answer.objects.select_related("author", "post").filter(pk=answer_id).first()
    if answer is None:
        raise NotFound("No such answer.")
    answer.post = post_for(user, answer.post_id)
    if answer.deleted_at is not None:
        me = user if isinstance(user, User) else None
        if me is None or (
            answer.author_id != me.pk and not may_moderate(me, answer.post.community)
        ):
            raise NotFound("No such answer.")
    return answer


def accepted_first(community: Community) -> bool:
    found = first_value(QASettings, "accepted_first", {"community_id": community.pk}, True)
    return bool(found)


def rank(post: Post, answers: list[Answer], accepted_first: bool) -> list[Answer]:
    """Ranked order: the accepted answer first (when the community wants it), then by
    educational-value score, helpful votes, age."""
    ordered = sorted(answers, key=lambda a: (-a.ev_score, -a.vote_score, a.created_at, a.pk))
    if accepted_first and post.accepted_answer_id:
        ordered.sort(key=lambda a: a.pk != post.accepted_answer_id)
    return ordered


def answers_of(post: Post) -> list[Answer]:
    """Every answer of ``post`` (deleted ones too: the caller splits them), with authors."""
    return list(Answer.objects.filter(post=post).select_related("author"))


@dataclass
class Thread:
    """What the cached block of a question page shows (built only on a cache miss)."""

    tags: list[Tag]
    post_comments: list[Comment]
    comments: dict[int, list[Comment]] = field(default_factory=dict)
    notes: dict[int, list[Rating]] = field(default_factory=dict)
    duplicates: list[Post] = field(default_factory=list)


def thread(post: Post, answers: list[Answer]) -> Thread:
    """Tags, comments, "what I learned" notes and duplicates for ``post``: four queries."""
    comments = list(
        Comment.objects.filter(post=post, deleted_at__isnull=True)
        .select_related("author")
        .order_by("created_at", "pk")
    )
    by_answer: dict[int, list[Comment]] = defaultdict(list)
    for c in comments:
        if c.answer_id:
            by_answer[c.answer_id].append(c)
    notes: dict[int, list[Rating]] = defaultdict(list)
    for r in (
        Rating.objects.filter(answer__in=[a.pk for a in answers])
        .exclude(note="")
        .select_related("user")
        .order_by("-value", "-updated_at")
    ):
        notes[r.answer_id].append(r)
    return Thread(
        tags=list(post.tags.order_by("name")),
        post_comments=[c for c in comments if c.answer_id is None],
        comments=dict(by_answer),
        notes=dict(notes),
        duplicates=list(
            Post.objects.filter(duplicate_of=post, deleted_at__isnull=True).order_by("-pk")[:20]
        ),
    )


@dataclass(frozen=True)
class MyRating:
    """The viewer's own rating of one answer, as the rating form shows it."""

    value: int
    note: str


@dataclass(frozen=True)
class Mine:
    """The viewer's own votes and ratings on one page (one statement)."""

    votes: dict[str, int]  # "post" or "answer:<id>" -> -1/1
    ratings: dict[int, MyRating]


def mine(user: User | None, post: Post, answers: list[Answer]) -> Mine:
    """Plain SQL in one round trip: this runs on every signed-in view of a question page."""
    if user is None:
        return Mine({}, {})
    ids = [int(a.pk) for a in answers]
    marks = ", ".join(["%s"] * len(ids))
    votes_table = connection.ops.quote_name(Vote._meta.db_table)
    ratings_table = connection.ops.quote_name(Rating._meta.db_table)
    on_answers = f" OR answer_id IN ({marks})" if ids else ""
    # Quoted model table names and placeholders only; every value is a parameter.
    sql = (
        f"SELECT 'v', answer_id, value, '' FROM {votes_table} "  # noqa: S608
        f"WHERE user_id = %s AND (post_id = %s{on_answers})"
    )
    params: list[Any] = [user.pk, post.pk, *ids]
    if ids:
        sql += (
            f" UNION ALL SELECT 'r', answer_id, value, note FROM {ratings_table} "  # noqa: S608
            f"WHERE user_id = %s AND answer_id IN ({marks})"
        )
        params += [user.pk, *ids]
    votes: dict[str, int] = {}
    ratings: dict[int, MyRating] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for kind, answer_id, value, note in cursor.fetchall():
            if kind == "r":
                ratings[int(answer_id)] = MyRating(int(value), str(note))
            else:
                votes["post" if answer_id is None else f"answer:{answer_id}"] = int(value)
    return Mine(votes, ratings)


def revisions(post: Post, answer: Answer | None = None) -> list[Revision]:
    """Every revision of the post (or of one answer), newest first, with authors."""
    rows = Revision.objects.filter(post=post).select_related("author")
    rows = rows.filter(answer=answer) if answer else rows.filter(answer__isnull=True)
    return list(rows.order_by("-number"))


def comment_authors(post: Post) -> list[tuple[int, int | None]]:
    """(comment id, author id) of the post's live comments: who may delete which (one query)."""
    return list(
        Comment.objects.filter(post=post, deleted_at__isnull=True).values_list("id", "author_id")
    )
