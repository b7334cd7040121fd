"""The question page's watch control (a Q&A post panel)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import HttpRequest

from practica.notifications import watching

if TYPE_CHECKING:
    from practica.qa.models import Post


def watch_panel(request: HttpRequest, post: Post) -> dict[str, Any] | None:
    if not request.user.is_authenticated or post.deleted_at:
        return None
    return watching.control_context(f"qa.post:{post.pk}", watching.level_for(request.user, post))


def register() -> None:
    from practica.qa.panels import PostPanel, register_post_panel

    register_post_panel(PostPanel("watch", 6, "notifications/_watch_panel.html", watch_panel))
