"""Panels on a community's home page, contributed by other apps.

The communities app doesn't import the apps built on it; instead the page shell
(``practica.web``) registers a panel per feature: a template and a function that builds its
context (a few queries, never per row). Panels are shown in ``order``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

from practica.communities.models import Community

ContextBuilder = Callable[[HttpRequest, Community], dict[str, Any] | None]


@dataclass(frozen=True)
class Panel:
    key: str
    order: int
    template: str
    context: ContextBuilder


_panels: dict[str, Panel] = {}


def register(panel: Panel) -> None:
    """Add (or replace, by key) a panel."""
    _panels[panel.key] = panel


def panels_for(request: HttpRequest, community: Community) -> list[tuple[str, dict[str, Any]]]:
    """(template, context) for every panel that has something to say (a builder returning
    None hides its panel)."""
    shown = []
    for panel in sorted(_panels.values(), key=lambda p: p.order):
        context = panel.context(request, community)
        if context is not None:
            shown.append((panel.template, context))
    return shown
