"""The community home's panels for norms and meetings (registered in WebConfig.ready)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from practica.communities.models import Community
from practica.communities.panels import Panel, register


def _norms(request: HttpRequest, community: Community) -> dict[str, Any]:
    from practica.practice.norms import selectors

    return {
        "norms": selectors.current_norms(community),
        "version": selectors.norm_set_version(community),
        "open_proposals": selectors.open_proposal_count(community),
    }


def _meetings(request: HttpRequest, community: Community) -> dict[str, Any]:
    from practica.practice.meetings import selectors

    return {"upcoming": selectors.upcoming(community, limit=3)}


def register_panels() -> None:
    register(Panel("meetings", 10, "web/panels/meetings.html", _meetings))
    register(Panel("norms", 20, "web/panels/norms.html", _norms))
