"""The community home's goals panel and the profile section's data (registered in
``RecognitionConfig.ready``)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from practica.accounts.models import User
from practica.communities.models import Community


def goals_panel(request: HttpRequest, community: Community) -> dict[str, Any] | None:
    """The current goals with their progress bars (hidden when there are none). Two queries."""
    from practica.recognition import selectors

    goals = selectors.current_goals(community)
    if not goals:
        return None
    return {"goals": selectors.goal_views(goals, community), "community": community}


def profile_section(request: HttpRequest, person: User) -> Any:
    """For ``accounts/person.html``: the person's recognition as the viewer may see it."""
    from practica.recognition import selectors

    return selectors.profile(request.user, person)
