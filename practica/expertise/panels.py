"""The routing panel beside a question (registered in ``practica.qa.panels``): who the question
was routed to, why and when, and whether they answered; with an "ask an expert" form for the
asker. Shown to the asker and the community's facilitators and coordinators only."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from practica.expertise import selectors, services
from practica.expertise.forms import AskExpertForm
from practica.qa.models import Post


def routing_panel(request: HttpRequest, post: Post) -> dict[str, Any] | None:
    """Two queries: the routings with their experts, and (for the asker) nothing more."""
    if post.kind not in services.ROUTABLE_KINDS or post.deleted_at is not None:
        return None
    if not selectors.may_see_routings(request.user, post):
        return None
    return {
        "post": post,
        "routings": list(selectors.routings_of(post)),
        "is_asker": post.author_id == request.user.pk,
        "ask_form": AskExpertForm(),
        "community": post.community,
    }
