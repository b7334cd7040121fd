"""How the Q&A app plugs into the rest (called from ``QaConfig.ready``): the "Questions" tab,
the community home's panel, and the searchable types "question" and "answer"."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from practica.communities import panels as home_panels
from practica.communities import tabs
from practica.communities.models import Community
from practica.qa.models import Answer, Post
from practica.search import registry
from practica.search.registry import Document, SearchType

PANEL_ROWS = 5


def _home_panel(request: HttpRequest, community: Community) -> dict[str, Any] | None:
    """Recent and unanswered posts (two small queries)."""
    from practica.communities import access
    from practica.qa import selectors

    return {
        "community": community,
        "recent": selectors.recent(community, PANEL_ROWS),
        "unanswered": selectors.unanswered(community, PANEL_ROWS),
        "is_member": access.is_member(request.user, community),
    }


def post_document(post: Post) -> Document | None:
    """A live post as a search document (None once deleted: it must not be found)."""
    if post.deleted_at is not None:
        return None
    from practica.qa.services import post_url

    return Document(
        title=post.title,
        body=post.body,
        url=post_url(post),
        created_at=post.created_at,
        community_id=post.community_id,
        tags=[t.name for t in post.tags.all()],
        author_id=post.author_id,
    )


def answer_document(answer: Answer) -> Document | None:
    """A live answer of a live post, titled by its post."""
    post = answer.post
    if answer.deleted_at is not None or post.deleted_at is not None:
        return None
    from practica.qa.services import answer_url

    return Document(
        title=post.title,
        body=answer.body,
        url=answer_url(answer),
        created_at=answer.created_at,
        community_id=post.community_id,
        author_id=answer.author_id,
    )


def register_all() -> None:
    tabs.register(tabs.Tab("questions", "Questions", "qa:questions", 10))
    home_panels.register(home_panels.Panel("questions", 5, "qa/_home_panel.html", _home_panel))
    registry.register(SearchType("question", Post, post_document, label="Questions"))
    registry.register(SearchType("answer", Answer, answer_document, label="Answers"))
