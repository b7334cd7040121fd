"""Q&A events → earned expertise and routing (registered in ``ExpertiseConfig.ready``).

Every handler recomputes from the source rows (``scores.recompute``) or checks the current
state before acting, so a duplicated or replayed event changes nothing.
"""

from __future__ import annotations

from practica.expertise import scores, services
from practica.qa.models import Answer, Post
from practica.realtime.bus import Event, subscribe


def _post_tags(post_id: int) -> list[int]:
    return list(Post.tags.through.objects.filter(post_id=post_id).values_list("tag_id", flat=True))


def _answer_authors(post_id: int) -> list[int]:
    return list(
        Answer.objects.filter(post_id=post_id, author__isnull=False)
        .values_list("author_id", flat=True)
        .distinct()
    )


@subscribe("qa.answer_rated")
@subscribe("qa.answer_deleted")
@subscribe("qa.answer_restored")
def answer_evidence_changed(event: Event) -> None:
    """A rating, or an answer's deletion/restoration: its author's rows in the post's tags."""
    p = event.payload
    scores.recompute(p["community_id"], [p["author_id"]], _post_tags(p["post_id"]))


@subscribe("qa.answer_accepted")
def acceptance_changed(event: Event) -> None:
    """Accepting (or changing or withdrawing) moves evidence between two authors."""
    p = event.payload
    authors = [p.get("answer_author_id"), p.get("previous_author_id")]
    scores.recompute(p["community_id"], [a for a in authors if a], _post_tags(p["post_id"]))


@subscribe("qa.post_edited")
@subscribe("qa.post_deleted")
@subscribe("qa.post_restored")
def post_changed(event: Event) -> None:
    """Tags may have changed (the old ones are not in the event), or the whole post stopped or
    started counting: recompute every tag of everyone who answered it."""
    p = event.payload
    scores.recompute(p["community_id"], _answer_authors(p["post_id"]), None)


@subscribe("qa.post_created")
def post_created(event: Event) -> None:
    if event.payload.get("kind") in services.ROUTABLE_KINDS:
        services.route_new_post(event.payload["post_id"])


@subscribe("qa.answer_posted")
def answer_posted(event: Event) -> None:
    services.mark_answered(event.payload["post_id"], event.payload.get("author_id"))
