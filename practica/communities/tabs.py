"""Tabs in a community's header, contributed by feature apps (Questions, Wiki, Resources...).

Like panels, the communities app doesn't import the features built on it: each registers a tab
in its ``AppConfig.ready``. ``url_name`` is reversed with the community's slug. Tabs with
``order`` below 50 sit after Home; the rest after Activities.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Tab:
    key: str  # the page's ``active`` value
    label: str
    url_name: str
    order: int


_tabs: dict[str, Tab] = {}


def register(tab: Tab) -> None:
    """Add (or replace, by key) a tab."""
    _tabs[tab.key] = tab


def community_tabs(slot: str) -> list[Tab]:
    """The registered tabs of one slot: "early" (after Home) or "late" (after Activities)."""
    ordered = sorted(_tabs.values(), key=lambda t: t.order)
    return [t for t in ordered if (t.order < 50) == (slot == "early")]
