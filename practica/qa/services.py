"""Verbs of the Q&A app: ask, answer, comment, vote, rate, accept, edit (with revisions),
delete and restore, close as duplicate, and the community's Q&A settings.

Each verb takes the actor first, asks ``communities.access`` (and, for standing,
``recognition.privileges``) whether they may, validates, writes in one transaction, keeps the
search index in step (``search.index``) and emits its event (docs/events.md), delivered after
commit. Counters and scores (``vote_score``, ``answer_count``, ``ev_*``, ``best_answer_score``)
are maintained here, never computed per view. ``Post.version`` is bumped by every change that
alters the cached question+answers block (views key the cache on it).
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F, Max
from django.urls import reverse
from django.utils import timezone

from practica.accounts.models import User
from practica.communities import access
from practica.communities.models import Community, Role
from practica.lib.errors import Conflict, Invalid, NotFound
from practica.lib.validation import clean_choice, clean_text, raise_if
from practica.notifications.services import notify
from practica.qa import ranking
from practica.qa.models import (
    BODY_MAX,
    COMMENT_MAX,
    NOTE_MAX,
    REASON_MAX,
    TITLE_MAX,
    Answer,
    Comment,
    Post,
    PostKind,
    QASettings,
    Rating,
    Revision,
    TitleWord,
    Vote,
)
from practica.qa.text import Cooked, cook_with_mentions, title_words
from practica.realtime.bus import emit
from practica.recognition.privileges import Privilege, has_privilege
from practica.search import index
from practica.tags.models import Tag
from practica.tags.services import resolve_tags

# Roles that moderate Q&A in their community (delete others' posts, accept for the asker,
# close duplicates). Staff too.
MODERATOR_ROLES = frozenset({Role.MODERATOR, Role.FACILITATOR, Role.COORDINATOR})


# --- Who may ------------------------------------------------------------------------------------


def may_moderate(user: User | None, community: Community) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return bool(user.is_staff) or access.role_in(user, community) in MODERATOR_ROLES


def may_edit_others(user: User | None, community: Community) -> bool:
    return has_privilege(user, community, Privilege.EDIT_OTHERS)


def may_accept(user: User | None, post: Post) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return post.author_id == user.pk or may_moderate(user, post.community)


def _require_member(actor: User, community: Community, what: str) -> None:
    access.require(
        access.is_member(actor, community), f"Only members of {community.name} may {what}."
    )


def _require_live_post(post: Post) -> None:
    if post.deleted_at is not None:
        raise Conflict("This post was deleted; restore it first.", code="deleted")


# --- Settings and scores ------------------------------------------------------------------------


def settings_for(community: Community) -> QASettings:
    """The community's Q&A settings row (created with the defaults on first use)."""
    row, _ = QASettings.objects.get_or_create(community=community)
    return row


def update_settings(actor: User, community: Community, *, accepted_first: bool) -> QASettings:
    access.require(
        access.can_steward(actor, community),
        "Only coordinators (and organization admins) change the Q&A settings.",
    )
    with transaction.atomic():
        row = settings_for(community)
        row.accepted_first = bool(accepted_first)
        row.save(update_fields=["accepted_first"])
    return row


def prior_for(community_id: int) -> float:
    row = QASettings.objects.filter(community_id=community_id).first()
    return ranking.community_prior(row.rating_sum, row.rating_count) if row else ranking.MIDPOINT


def refresh_best_answer_score(post: Post) -> None:
    """``best_answer_score``: the best live *rated* answer's score, 0 when none is rated."""
    best = (
        Answer.objects.filter(post=post, deleted_at__isnull=True, ev_count__gt=0)
        .aggregate(best=Max("ev_score"))
        .get("best")
    )
    post.best_answer_score = best or 0.0
    Post.objects.filter(pk=post.pk).update(best_answer_score=post.best_answer_score)


def refresh_post_scores(post: Post, prior: float | None = None) -> None:
    """Recompute every answer of ``post`` with the community's current prior (one UPDATE),
    then the post's ``best_answer_score``."""
    prior = prior_for(post.community_id) if prior is None else prior
    Answer.objects.filter(post=post).update(ev_score=ranking.score_expression(prior))
    refresh_best_answer_score(post)


def refresh_community_scores(community: Community) -> bool:
    """The nightly refresh: when the community's prior moved since the last refresh, recompute
    every answer's score and every post's best score in a few statements, and bump versions so
    cached pages show the new scores. Idempotent; returns True when it changed anything."""
    with transaction.atomic():
        row = QASettings.objects.select_for_update().filter(community=community).first()
        if row is None:
            return False
        prior = ranking.community_prior(row.rating_sum, row.rating_count)
        if row.prior_at_refresh is not None and abs(row.prior_at_refresh - prior) < 1e-9:
            return False
        Answer.objects.filter(post__community=community).update(
            ev_score=ranking.score_expression(prior)
        )
        from django.db.models import OuterRef, Subquery, Value
        from django.db.models.functions import Coalesce

        best = (
            Answer.objects.filter(post=OuterRef("pk"), deleted_at__isnull=True, ev_count__gt=0)
            .order_by("-ev_score")
            .values("ev_score")[:1]
        )
        Post.objects.filter(community=community).update(
            best_answer_score=Coalesce(Subquery(best), Value(0.0)), version=F("version") + 1
        )
        row.prior_at_refresh = prior
        row.refreshed_at = timezone.now()
        row.save(update_fields=["prior_at_refresh", "refreshed_at"])
    return True


# --- Small helpers ------------------------------------------------------------------------------


def post_url(post: Post) -> str:
    return reverse("qa:question", args=[post.community.slug, post.pk])


def answer_url(answer: Answer) -> str:
    return f"{post_url(answer.post)}#answer-{answer.pk}"


def _bump(post: Post, *, activity: bool = False) -> None:
    """Bump the post's cache version (and its last activity) in the database and in memory."""
    fields: dict[str, object] = {"version": F("version") + 1}
    now = timezone.now()
    if activity:
        fields["last_activity_at"] = now
        post.last_activity_at = now
    Post.objects.filter(pk=post.pk).update(**fields)
    post.version += 1


def _clean_body(errors: dict[str, str], body: str, *, required: bool, label: str = "Body") -> str:
    body = clean_text(errors, "body", body, max_len=BODY_MAX, required=required, label=label)
    if "body" in errors and len(body) > BODY_MAX:
        errors["body"] = (
            f"{label} is too long: at most {BODY_MAX:,} characters (about "
            f"{BODY_MAX // 6:,} words); it has {len(body):,}. Shorten it, or link to a document."
        )
    return body


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _notify_mentions(
    actor: User, community: Community, cooked: Cooked, url: str, where: str, already: set[int]
) -> None:
    """Tell each newly mentioned person who may see the community (not the actor)."""
    for person in cooked.mentioned:
        if person.pk == actor.pk or person.pk in already:
            continue
        if not access.can_view_community(person, community):
            continue
        notify(
            person,
            kind="mention",
            message=f"{actor.display_name} mentioned you in {where}",
            url=url,
            actor=actor,
        )


def _mentioned_ids(markdown: str) -> set[int]:
    return {u.pk for u in cook_with_mentions(markdown).mentioned} if "@" in markdown else set()


def _set_title_words(post: Post) -> None:
    TitleWord.objects.filter(post=post).delete()
    if post.deleted_at is None:
        TitleWord.objects.bulk_create(
            [
                TitleWord(post=post, community_id=post.community_id, word=w)
                for w in title_words(post.title)
            ]
        )


def _tag_slugs(tags: list[Tag]) -> str:
    return " ".join(t.slug for t in tags)


def _lock_post(post: Post) -> Post:
    return Post.objects.select_for_update(of=("self",)).select_related("community").get(pk=post.pk)


# --- Posts --------------------------------------------------------------------------------------


def _clean_post(kind: str, title: str, body: str) -> tuple[str, str, str]:
    errors: dict[str, str] = {}
    kind = clean_choice(errors, "type", kind or PostKind.QUESTION, list(PostKind.values))
    title = clean_text(errors, "title", title, max_len=TITLE_MAX)
    body = _clean_body(errors, body, required=False)
    raise_if(errors)
    return kind, title, body


def create_post(
    actor: User,
    community: Community,
    *,
    title: str,
    body: str = "",
    tags: list[str] | None = None,
    kind: str = PostKind.QUESTION,
) -> Post:
    """A new question, struggle or success by a member. Tags must exist unless the actor may
    create tags (Invalid otherwise, and nothing is written)."""
    _require_member(actor, community, "post here")
    kind, title, body = _clean_post(kind, title, body)
    with transaction.atomic():
        tag_objs = resolve_tags(actor, community, tags or [])
        cooked = cook_with_mentions(body)
        post = Post.objects.create(
            community=community,
            kind=kind,
            title=title,
            body=body,
            body_html=cooked.html,
            author=actor,
        )
        post.tags.set(tag_objs)
        Revision.objects.create(
            post=post, number=1, author=actor, title=title, body=body, tags=_tag_slugs(tag_objs)
        )
        _set_title_words(post)
        index.update(post)
        emit(
            "qa.post_created",
            community_id=community.pk,
            post_id=post.pk,
            kind=kind,
            author_id=actor.pk,
            tag_ids=[t.pk for t in tag_objs],
        )
        _notify_mentions(actor, community, cooked, post_url(post), f"“{_short(title)}”", set())
    return post


def edit_post(
    actor: User,
    post: Post,
    *,
    title: str,
    body: str,
    tags: list[str] | None = None,
    reason: str = "",
) -> Post:
    """Save a new revision of a post. Authors edit their own; others need EDIT_OTHERS and a
    reason. Invalid when nothing changed."""
    community = post.community
    own = post.author_id == actor.pk
    access.require(
        own or may_edit_others(actor, community),
        "Editing someone else's post takes more standing in this community.",
    )
    _, title, body = _clean_post(post.kind, title, body)
    errors: dict[str, str] = {}
    reason = clean_text(errors, "reason", reason, max_len=REASON_MAX, required=not own)
    if not own and "reason" in errors and not reason:
        errors["reason"] = "Say why you are editing someone else's post (it is shown in history)."
    raise_if(errors)
    with transaction.atomic():
        post = _lock_post(post)
        _require_live_post(post)
        tag_objs = resolve_tags(actor, community, tags if tags is not None else [])
        old_tags = list(post.tags.all())
        if (title, body, [t.pk for t in tag_objs]) == (
            post.title,
            post.body,
            [t.pk for t in old_tags],
        ):
            raise Invalid({"body": "Nothing changed: edit the title, the text or the tags."})
        number = (post.revisions.filter(answer__isnull=True).aggregate(n=Max("number"))["n"]) or 0
        before = _mentioned_ids(post.body)
        cooked = cook_with_mentions(body)
        post.title, post.body, post.body_html = title, body, cooked.html
        post.edited_at = timezone.now()
        post.save(update_fields=["title", "body", "body_html", "edited_at"])
        post.tags.set(tag_objs)
        Revision.objects.create(
            post=post,
            number=number + 1,
            author=actor,
            title=title,
            body=body,
            tags=_tag_slugs(tag_objs),
            reason=reason,
        )
        _bump(post, activity=True)
        _set_title_words(post)
        index.update(post)
        emit(
            "qa.post_edited",
            community_id=community.pk,
            post_id=post.pk,
            author_id=post.author_id,
            editor_id=actor.pk,
        )
        _notify_mentions(actor, community, cooked, post_url(post), f"“{_short(title)}”", before)
    return post


def delete_post(actor: User, post: Post) -> Post:
    """Soft-delete (hide) a post: its author or a moderator. Undo with ``restore_post``."""
    access.require(
        post.author_id == actor.pk or may_moderate(actor, post.community),
        "Only the author or a moderator may delete this post.",
    )
    with transaction.atomic():
        post = _lock_post(post)
        if post.deleted_at is not None:
            raise Conflict("This post is already deleted.", code="deleted")
        post.deleted_at, post.deleted_by = timezone.now(), actor
        post.save(update_fields=["deleted_at", "deleted_by"])
        _bump(post)
        _set_title_words(post)
        _reindex_post_and_answers(post)
        emit(
            "qa.post_deleted",
            community_id=post.community_id,
            post_id=post.pk,
            author_id=post.author_id,
            actor_id=actor.pk,
        )
    return post


def restore_post(actor: User, post: Post) -> Post:
    """Undo a deletion: a moderator, or the author when they deleted it themselves."""
    access.require(
        may_moderate(actor, post.community)
        or (post.author_id == actor.pk and post.deleted_by_id in (None, actor.pk)),
        "Only a moderator may restore a post a moderator deleted.",
    )
    with transaction.atomic():
        post = _lock_post(post)
        if post.deleted_at is None:
            raise Conflict("This post is not deleted.", code="not_deleted")
        post.deleted_at, post.deleted_by = None, None
        post.save(update_fields=["deleted_at", "deleted_by"])
        _bump(post)
        _set_title_words(post)
        _reindex_post_and_answers(post)
        emit(
            "qa.post_restored",
            community_id=post.community_id,
            post_id=post.pk,
            author_id=post.author_id,
            actor_id=actor.pk,
        )
    return post


def _reindex_post_and_answers(post: Post) -> None:
    # An answer is findable only while its post is: both follow the post's visibility.
    index.update(post)
    for answer in Answer.objects.filter(post=post).select_related("post__community"):
        index.update(answer)


def close_as_duplicate(actor: User, post: Post, original: Post) -> Post:
    """Mark ``post`` a duplicate of ``original`` (same community; linked both ways on their
    pages). The asker, a moderator, or someone who may edit others' posts."""
    community = post.community
    access.require(
        post.author_id == actor.pk
        or may_moderate(actor, community)
        or may_edit_others(actor, community),
        "Closing someone else's post as a duplicate takes more standing in this community.",
    )
    if original.community_id != post.community_id or original.deleted_at is not None:
        raise Invalid({"duplicate_of": "Choose a live post of this community."})
    if original.duplicate_of_id is not None:
        original = original.duplicate_of  # type: ignore[assignment]
    if original.pk == post.pk:
        raise Invalid({"duplicate_of": "A post cannot be a duplicate of itself."})
    with transaction.atomic():
        post = _lock_post(post)
        _require_live_post(post)
        post.duplicate_of = original
        post.save(update_fields=["duplicate_of"])
        # Anything that pointed at this post now points at the original.
        Post.objects.filter(duplicate_of=post).update(duplicate_of=original)
        _bump(post)
        _bump(original)
        emit(
            "qa.post_edited",
            community_id=community.pk,
            post_id=post.pk,
            author_id=post.author_id,
            editor_id=actor.pk,
        )
    return post


def reopen(actor: User, post: Post) -> Post:
    """Undo "closed as duplicate" (same people who may close it)."""
    community = post.community
    access.require(
        post.author_id == actor.pk
        or may_moderate(actor, community)
        or may_edit_others(actor, community),
        "Reopening someone else's post takes more standing in this community.",
    )
    with transaction.atomic():
        post = _lock_post(post)
        original = post.duplicate_of
        if original is None:
            raise Conflict("This post is not closed as a duplicate.", code="not_duplicate")
        post.duplicate_of = None
        post.save(update_fields=["duplicate_of"])
        _bump(post)
        _bump(original)
        emit(
            "qa.post_edited",
            community_id=community.pk,
            post_id=post.pk,
            author_id=post.author_id,
            editor_id=actor.pk,
        )
    return post


# --- Answers ------------------------------------------------------------------------------------


def post_answer(actor: User, post: Post, *, body: str) -> Answer:
    """A member's answer; it starts at the community's prior score, unrated."""
    community = post.community
    _require_member(actor, community, "answer")
    errors: dict[str, str] = {}
    body = _clean_body(errors, body, required=True, label="Your answer")
    raise_if(errors)
    with transaction.atomic():
        post = _lock_post(post)
        _require_live_post(post)
        if post.duplicate_of_id is not None:
            raise Conflict(
                "This post was closed as a duplicate: answer the original instead.",
                code="duplicate",
            )
        cooked = cook_with_mentions(body)
        answer = Answer.objects.create(
            post=post,
            author=actor,
            body=body,
            body_html=cooked.html,
            ev_score=prior_for(community.pk),
        )
        Revision.objects.create(post=post, answer=answer, number=1, author=actor, body=body)
        Post.objects.filter(pk=post.pk).update(answer_count=F("answer_count") + 1)
        post.answer_count += 1
        _bump(post, activity=True)
        index.update(answer)
        emit(
            "qa.answer_posted",
            community_id=community.pk,
            post_id=post.pk,
            answer_id=answer.pk,
            author_id=actor.pk,
            post_author_id=post.author_id,
        )
        url = answer_url(answer)
        if post.author is not None and post.author_id != actor.pk:
            notify(
                post.author,
                kind="answer",
                message=f"{actor.display_name} answered “{_short(post.title)}”",
                url=url,
                actor=actor,
            )
        _notify_mentions(actor, community, cooked, url, "an answer", set())
    return answer


def edit_answer(actor: User, answer: Answer, *, body: str, reason: str = "") -> Answer:
    """A new revision of an answer (same rules as editing a post)."""
    post = answer.post
    community = post.community
    own = answer.author_id == actor.pk
    access.require(
        own or may_edit_others(actor, community),
        "Editing someone else's answer takes more standing in this community.",
    )
    errors: dict[str, str] = {}
    body = _clean_body(errors, body, required=True, label="The answer")
    reason = clean_text(errors, "reason", reason, max_len=REASON_MAX, required=not own)
    if not own and not reason:
        errors["reason"] = "Say why you are editing someone else's answer (it is shown in history)."
    raise_if(errors)
    with transaction.atomic():
        answer = Answer.objects.select_for_update(of=("self",)).get(pk=answer.pk)
        if answer.deleted_at is not None:
            raise Conflict("This answer was deleted; restore it first.", code="deleted")
        if body == answer.body:
            raise Invalid({"body": "Nothing changed."})
        before = _mentioned_ids(answer.body)
        number = answer.revisions.aggregate(n=Max("number"))["n"] or 0
        cooked = cook_with_mentions(body)
        answer.body, answer.body_html, answer.edited_at = body, cooked.html, timezone.now()
        answer.save(update_fields=["body", "body_html", "edited_at"])
        answer.post = post
        Revision.objects.create(
            post=post, answer=answer, number=number + 1, author=actor, body=body, reason=reason
        )
        _bump(post, activity=True)
        index.update(answer)
        emit(
            "qa.answer_edited",
            community_id=community.pk,
            post_id=post.pk,
            answer_id=answer.pk,
            author_id=answer.author_id,
            editor_id=actor.pk,
        )
        _notify_mentions(actor, community, cooked, answer_url(answer), "an answer", before)
    return answer


def delete_answer(actor: User, answer: Answer) -> Answer:
    """Soft-delete an answer (its author or a moderator); an accepted answer is unaccepted."""
    post = answer.post
    access.require(
        answer.author_id == actor.pk or may_moderate(actor, post.community),
        "Only the author or a moderator may delete this answer.",
    )
    with transaction.atomic():
        post = _lock_post(post)
        answer = Answer.objects.select_for_update(of=("self",)).get(pk=answer.pk)
        if answer.deleted_at is not None:
            raise Conflict("This answer is already deleted.", code="deleted")
        answer.deleted_at, answer.deleted_by = timezone.now(), actor
        answer.save(update_fields=["deleted_at", "deleted_by"])
        answer.post = post
        fields: dict[str, object] = {"answer_count": F("answer_count") - 1}
        if post.accepted_answer_id == answer.pk:
            fields["accepted_answer"] = None
        Post.objects.filter(pk=post.pk).update(**fields)
        _bump(post)
        refresh_best_answer_score(post)
        index.update(answer)
        emit(
            "qa.answer_deleted",
            community_id=post.community_id,
            post_id=post.pk,
            answer_id=answer.pk,
            author_id=answer.author_id,
            actor_id=actor.pk,
        )
    return answer


def restore_answer(actor: User, answer: Answer) -> Answer:
    post = answer.post
    access.require(
        may_moderate(actor, post.community)
        or (answer.author_id == actor.pk and answer.deleted_by_id in (None, actor.pk)),
        "Only a moderator may restore an answer a moderator deleted.",
    )
    with transaction.atomic():
        post = _lock_post(post)
        answer = Answer.objects.select_for_update(of=("self",)).get(pk=answer.pk)
        if answer.deleted_at is None:
            raise Conflict("This answer is not deleted.", code="not_deleted")
        answer.deleted_at, answer.deleted_by = None, None
        answer.save(update_fields=["deleted_at", "deleted_by"])
        answer.post = post
        Post.objects.filter(pk=post.pk).update(answer_count=F("answer_count") + 1)
        _bump(post)
        refresh_best_answer_score(post)
        index.update(answer)
        emit(
            "qa.answer_restored",
            community_id=post.community_id,
            post_id=post.pk,
            answer_id=answer.pk,
            author_id=answer.author_id,
            actor_id=actor.pk,
        )
    return answer


# --- Accepting ----------------------------------------------------------------------------------


def accept_answer(actor: User, answer: Answer) -> Post:
    """Accept ``answer`` (replacing any earlier choice): the asker or a moderator."""
    return _set_accepted(actor, answer.post, answer)


def unaccept(actor: User, post: Post) -> Post:
    return _set_accepted(actor, post, None)


def _set_accepted(actor: User, post: Post, answer: Answer | None) -> Post:
    access.require(
        may_accept(actor, post),
        "Only the person who asked (or a facilitator, coordinator or moderator) may accept "
        "an answer.",
    )
    with transaction.atomic():
        post = _lock_post(post)
        _require_live_post(post)
        if answer is not None and (answer.deleted_at is not None or answer.post_id != post.pk):
            raise NotFound("No such answer to this post.")
        previous = post.accepted_answer
        if (previous.pk if previous else None) == (answer.pk if answer else None):
            raise Conflict(
                "That answer is already accepted." if answer else "No answer is accepted.",
                code="unchanged",
            )
        post.accepted_answer = answer
        post.save(update_fields=["accepted_answer"])
        _bump(post, activity=True)
        emit(
            "qa.answer_accepted",
            community_id=post.community_id,
            post_id=post.pk,
            answer_id=answer.pk if answer else None,
            previous_answer_id=previous.pk if previous else None,
            answer_author_id=answer.author_id if answer else None,
            previous_author_id=previous.author_id if previous else None,
            actor_id=actor.pk,
        )
        if answer is not None and answer.author is not None and answer.author_id != actor.pk:
            notify(
                answer.author,
                kind="accepted",
                message=f"Your answer to “{_short(post.title)}” was accepted",
                url=answer_url(answer),
                actor=actor,
            )
    return post


# --- Comments -----------------------------------------------------------------------------------


def add_comment(actor: User, post: Post, *, body: str, answer: Answer | None = None) -> Comment:
    """A member's comment on a post or on one of its answers."""
    community = post.community
    _require_member(actor, community, "comment")
    errors: dict[str, str] = {}
    body = clean_text(errors, "body", body, max_len=COMMENT_MAX, label="Your comment")
    raise_if(errors)
    with transaction.atomic():
        post = _lock_post(post)
        _require_live_post(post)
        if answer is not None and (answer.post_id != post.pk or answer.deleted_at is not None):
            raise NotFound("No such answer to this post.")
        cooked = cook_with_mentions(body)
        comment = Comment.objects.create(
            post=post, answer=answer, author=actor, body=body, body_html=cooked.html
        )
        _bump(post, activity=True)
        emit(
            "qa.comment_posted",
            community_id=community.pk,
            post_id=post.pk,
            answer_id=answer.pk if answer else None,
            comment_id=comment.pk,
            author_id=actor.pk,
        )
        _notify_mentions(actor, community, cooked, post_url(post), "a comment", set())
    return comment


def delete_comment(actor: User, comment: Comment) -> None:
    """Hide a comment: its author or a moderator."""
    post = comment.post
    access.require(
        comment.author_id == actor.pk or may_moderate(actor, post.community),
        "Only the author or a moderator may delete this comment.",
    )
    with transaction.atomic():
        updated = Comment.objects.filter(pk=comment.pk, deleted_at__isnull=True).update(
            deleted_at=timezone.now()
        )
        if not updated:
            raise Conflict("This comment is already deleted.", code="deleted")
        _bump(post)


# --- Votes and ratings --------------------------------------------------------------------------


def vote(actor: User, *, post: Post | None = None, answer: Answer | None = None, value: int) -> int:
    """Set the actor's helpful vote (-1, 0 to clear, 1) on a post or an answer; returns the
    item's new score. Members only; never on one's own."""
    if value not in (-1, 0, 1):
        raise Invalid({"value": "A vote is -1, 0 (no vote) or 1."})
    target: Post | Answer = answer if answer is not None else post  # type: ignore[assignment]
    the_post = answer.post if answer is not None else post
    assert the_post is not None
    assert target is not None
    community = the_post.community
    _require_member(actor, community, "vote")
    access.require(target.author_id != actor.pk, "You cannot vote on your own post or answer.")
    if target.deleted_at is not None or the_post.deleted_at is not None:
        raise Conflict("This was deleted.", code="deleted")
    model = type(target)
    with transaction.atomic():
        key: dict[str, Post | Answer | None] = (
            {"answer": answer} if answer is not None else {"post": post}
        )
        existing = Vote.objects.select_for_update().filter(user=actor, **key).first()
        old = existing.value if existing else 0
        if value == old:
            return model.objects.get(pk=target.pk).vote_score
        if existing is not None and value == 0:
            existing.delete()
        elif existing is not None:
            existing.value, existing.updated_at = value, timezone.now()
            existing.save(update_fields=["value", "updated_at"])
        else:
            Vote.objects.create(user=actor, value=value, **key)
        model.objects.filter(pk=target.pk).update(vote_score=F("vote_score") + (value - old))
        # The question page caches the answers (their scores, their order) per version.
        _bump(the_post)
        emit(
            "qa.vote_changed",
            community_id=community.pk,
            post_id=the_post.pk,
            answer_id=answer.pk if answer is not None else None,
            voter_id=actor.pk,
            author_id=target.author_id,
            old_value=old,
            new_value=value,
        )
        score: int = model.objects.values_list("vote_score", flat=True).get(pk=target.pk)
    return score


def rate_answer(actor: User, answer: Answer, *, value: int, note: str = "") -> Rating:
    """Rate how much ``answer`` taught the actor (1-5) with an optional "what I learned" note;
    changeable. Updates the answer's sum/count, the community's prior, the scores of the
    post's answers and the post's best score, in one transaction."""
    post = answer.post
    community = post.community
    _require_member(actor, community, "rate answers")
    access.require(answer.author_id != actor.pk, "You cannot rate your own answer.")
    errors: dict[str, str] = {}
    if not isinstance(value, int) or not ranking.LOWEST <= value <= ranking.HIGHEST:
        errors["educational_value"] = "Rate from 1 (taught me little) to 5 (taught me a lot)."
    note = clean_text(errors, "note", note, max_len=NOTE_MAX, required=False, label="Your note")
    raise_if(errors)
    if answer.deleted_at is not None or post.deleted_at is not None:
        raise Conflict("This answer was deleted.", code="deleted")
    with transaction.atomic():
        answer = Answer.objects.select_for_update(of=("self",)).get(pk=answer.pk)
        settings_for(community)
        rating = Rating.objects.filter(user=actor, answer=answer).first()
        old = rating.value if rating else 0
        if rating is None:
            rating = Rating.objects.create(user=actor, answer=answer, value=value, note=note)
            delta_count = 1
        else:
            rating.value, rating.note, rating.updated_at = value, note, timezone.now()
            rating.save(update_fields=["value", "note", "updated_at"])
            delta_count = 0
        Answer.objects.filter(pk=answer.pk).update(
            ev_sum=F("ev_sum") + (value - old), ev_count=F("ev_count") + delta_count
        )
        QASettings.objects.filter(community=community).update(
            rating_sum=F("rating_sum") + (value - old),
            rating_count=F("rating_count") + delta_count,
        )
        refresh_post_scores(post)
        _bump(post)
        from practica.qa.jobs import schedule_refresh

        # Other posts' scores follow the moved prior tonight (docs/qa.md).
        schedule_refresh(community.pk)
        emit(
            "qa.answer_rated",
            community_id=community.pk,
            post_id=post.pk,
            answer_id=answer.pk,
            rater_id=actor.pk,
            author_id=answer.author_id,
            old_value=old,
            new_value=value,
        )
    return rating
