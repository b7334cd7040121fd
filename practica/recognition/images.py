"""Original badge images: a simple SVG medallion per badge (tier colours, a glyph, initials),
and Open Badges "baking" of an SVG (an ``openbadges:assertion`` element naming the hosted
assertion, as the Open Badges 2.0 baking specification describes for SVG)."""

from __future__ import annotations

import json
from typing import Any
from xml.sax.saxutils import escape, quoteattr

TIER_COLOURS = {
    "bronze": ("#a0612b", "#e8b98a"),
    "silver": ("#6b7785", "#d7dee6"),
    "gold": ("#9a7400", "#f5d76e"),
}
CATEGORY_GLYPHS = {
    # Simple shapes drawn in a 40x40 box centred at (60, 58).
    "learning": "M40 70 L60 40 L80 70 Z",  # a rising step
    "helping": "M60 78 C30 58 38 38 60 50 C82 38 90 58 60 78 Z",  # a heart
    "sharing": "M38 52 h44 v22 h-44 Z M46 44 h28 v8 h-28 Z",  # an open box
    "wiki": "M40 42 h18 v36 h-18 Z M62 42 h18 v36 h-18 Z",  # an open book
    "practice": "M60 40 a18 18 0 1 0 0.1 0 Z M60 48 a10 10 0 1 1 -0.1 0 Z",  # a circle of people
}


def badge_svg(name: str, tier: str, category: str) -> str:
    """A 120x120 SVG medallion for a badge (deterministic, so a re-sync changes nothing)."""
    dark, light = TIER_COLOURS.get(tier, TIER_COLOURS["bronze"])
    glyph = CATEGORY_GLYPHS.get(category, CATEGORY_GLYPHS["learning"])
    initials = "".join(w[0] for w in name.split()[:2]).upper()
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="120" viewBox="0 0 120 120" '
        f'role="img" aria-label={quoteattr(name + " badge")}>'
        f"<title>{escape(name)}</title>"
        f'<circle cx="60" cy="60" r="56" fill="{light}" stroke="{dark}" stroke-width="6"/>'
        f'<circle cx="60" cy="60" r="44" fill="none" stroke="{dark}" stroke-width="2" '
        'stroke-dasharray="4 4"/>'
        f'<path d="{glyph}" fill="{dark}" fill-rule="evenodd" opacity="0.85"/>'
        f'<text x="60" y="100" text-anchor="middle" font-family="sans-serif" font-size="14" '
        f'font-weight="700" fill="{dark}">{escape(initials)}</text>'
        "</svg>"
    )


def bake_svg(svg: str, assertion_url: str, assertion: dict[str, Any] | None = None) -> str:
    """``svg`` with the hosted assertion baked in: ``xmlns:openbadges`` on the root and an
    ``<openbadges:assertion verify="URL">`` element, with the JSON in CDATA when given."""
    marker = 'xmlns="http://www.w3.org/2000/svg"'
    baked = svg.replace(marker, f'{marker} xmlns:openbadges="http://openbadges.org"', 1)
    body = ""
    if assertion is not None:
        body = "<![CDATA[" + json.dumps(assertion).replace("]]>", "]]]]><![CDATA[>") + "]]>"
    element = (
        f"<openbadges:assertion verify={quoteattr(assertion_url)}>{body}</openbadges:assertion>"
    )
    head_end = baked.index(">") + 1
    return baked[:head_end] + element + baked[head_end:]
