"""The question page's watch control (a Q&A post panel)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import HttpRequest

from practica.notifications import watching
from practica.notifications.models import Level

if TYPE_CHECKING:
    from practica.qa.models import Post


def watch_panel(request: HttpRequest, post: Post) -> dict[str, Any] | None:
    if not request.user.is_authenticated or post.deleted_at:
        return None
    level = watching.level_for(request.user, post)
    return {"target": f"qa.post:{post.pk}", "level": level, "levels": Level}


def register() -> None:
    from practica.qa.panels import PostPanel, register_post_panel

    register_post_panel(PostPanel("watch", 6, "notifications/_watch_panel.html", watch_panel))
