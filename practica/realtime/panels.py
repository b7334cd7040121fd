"""The question page's "N people are viewing" (a Q&A post panel)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import HttpRequest

from practica.realtime import presence

if TYPE_CHECKING:
    from practica.qa.models import Post


def presence_panel(request: HttpRequest, post: Post) -> dict[str, Any] | None:
    """Signed-in readers only (the stream needs a person); one count query."""
    if not request.user.is_authenticated or post.deleted_at:
        return None
    topic = f"qa.post:{post.pk}"
    # The reader is looking at the page being rendered: they count, stream connected or not.
    return {"topic": topic, "count": presence.count(topic, including=request.user.pk)}


def register() -> None:
    from practica.qa.panels import PostPanel, register_post_panel

    register_post_panel(PostPanel("presence", 5, "realtime/_presence_panel.html", presence_panel))
