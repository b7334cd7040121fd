"""Q&A history for the expertise tests: rows written the way the Q&A services write them, with
the same events (payload keys exactly as the contract in docs/events.md says).

The expertise app only ever *reacts* to Q&A events and reads Q&A rows; these helpers let its
tests produce both without depending on the Q&A app's forms and rules (tested there). Every
helper runs in its own ``transaction.atomic`` and emits inside it, like a service; tests wrap
them in ``capture_events()`` (or ``django_capture_on_commit_callbacks(execute=True)``) so the
events are delivered.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from practica.accounts.models import User
from practica.communities.models import Community
from practica.qa.models import Answer, Post, PostKind, Rating
from practica.realtime.bus import emit
from practica.tags.models import Tag


def tag(community: Community, slug: str, description: str = "") -> Tag:
    found, _ = Tag.objects.get_or_create(
        community=community,
        slug=slug,
        defaults={"name": slug.replace("-", " "), "description": description},
    )
    return found


def ask(
    author: User,
    community: Community,
    title: str,
    tags: list[Tag],
    kind: str = PostKind.QUESTION,
) -> Post:
    with transaction.atomic():
        post = Post.objects.create(
            community=community, author=author, kind=kind, title=title, body="Body."
        )
        post.tags.set(tags)
        emit(
            "qa.post_created",
            community_id=community.pk,
            post_id=post.pk,
            kind=kind,
            author_id=author.pk,
            tag_ids=[t.pk for t in tags],
        )
    return post


def answer(author: User, post: Post, body: str = "An answer.") -> Answer:
    with transaction.atomic():
        row = Answer.objects.create(post=post, author=author, body=body)
        Post.objects.filter(pk=post.pk).update(answer_count=F("answer_count") + 1)
        emit(
            "qa.answer_posted",
            community_id=post.community_id,
            post_id=post.pk,
            answer_id=row.pk,
            author_id=author.pk,
            post_author_id=post.author_id,
        )
    return row


def rate(rater: User, answer_row: Answer, value: int) -> None:
    """Rate 1-5, or 0 to withdraw the rating."""
    with transaction.atomic():
        old = Rating.objects.filter(user=rater, answer=answer_row).first()
        old_value = old.value if old else 0
        if value == 0:
            Rating.objects.filter(user=rater, answer=answer_row).delete()
        else:
            Rating.objects.update_or_create(
                user=rater, answer=answer_row, defaults={"value": value}
            )
        emit(
            "qa.answer_rated",
            community_id=answer_row.post.community_id,
            post_id=answer_row.post_id,
            answer_id=answer_row.pk,
            rater_id=rater.pk,
            author_id=answer_row.author_id,
            old_value=old_value,
            new_value=value,
        )


def accept(actor: User, post: Post, answer_row: Answer | None) -> None:
    """Accept ``answer_row`` (None: withdraw the acceptance)."""
    with transaction.atomic():
        post.refresh_from_db()
        previous = post.accepted_answer
        post.accepted_answer = answer_row
        post.save(update_fields=["accepted_answer"])
        emit(
            "qa.answer_accepted",
            community_id=post.community_id,
            post_id=post.pk,
            answer_id=answer_row.pk if answer_row else None,
            previous_answer_id=previous.pk if previous else None,
            answer_author_id=answer_row.author_id if answer_row else None,
            previous_author_id=previous.author_id if previous else None,
            actor_id=actor.pk,
        )


def delete_answer(actor: User, answer_row: Answer, restore: bool = False) -> None:
    with transaction.atomic():
        answer_row.deleted_at = None if restore else timezone.now()
        answer_row.save(update_fields=["deleted_at"])
        delta = 1 if restore else -1
        Post.objects.filter(pk=answer_row.post_id).update(answer_count=F("answer_count") + delta)
        emit(
            "qa.answer_restored" if restore else "qa.answer_deleted",
            community_id=answer_row.post.community_id,
            post_id=answer_row.post_id,
            answer_id=answer_row.pk,
            author_id=answer_row.author_id,
            actor_id=actor.pk,
        )


def retag(editor: User, post: Post, tags: list[Tag]) -> None:
    with transaction.atomic():
        post.tags.set(tags)
        emit(
            "qa.post_edited",
            community_id=post.community_id,
            post_id=post.pk,
            author_id=post.author_id,
            editor_id=editor.pk,
        )


def delete_post(actor: User, post: Post, restore: bool = False) -> None:
    with transaction.atomic():
        post.deleted_at = None if restore else timezone.now()
        post.save(update_fields=["deleted_at"])
        emit(
            "qa.post_restored" if restore else "qa.post_deleted",
            community_id=post.community_id,
            post_id=post.pk,
            author_id=post.author_id,
            actor_id=actor.pk,
        )
