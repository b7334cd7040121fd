"""Small server-rendered SVG line charts for the health page: readable at a glance, accessible
(a title, a description, and every point's value in a <title> tooltip), no JavaScript."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from markupsafe import Markup, escape

WIDTH, HEIGHT = 640, 190
LEFT, RIGHT, TOP, BOTTOM = 56, 14, 18, 34


@dataclass(frozen=True)
class Point:
    day: date
    value: float | None  # None: no data that week (a gap in the line)


def _x(day: date, first: date, last: date) -> float:
    span = max((last - first).days, 1)
    return LEFT + (WIDTH - LEFT - RIGHT) * (day - first).days / span


def _y(value: float, low: float, high: float) -> float:
    return TOP + (HEIGHT - TOP - BOTTOM) * (1 - (value - low) / max(high - low, 1e-9))


def _segments(points: list[Point], first: date, last: date, low: float, high: float) -> list[str]:
    """Polyline point lists, broken where a value is missing."""
    segments: list[list[str]] = [[]]
    for p in points:
        if p.value is None:
            segments.append([])
        else:
            segments[-1].append(f"{_x(p.day, first, last):.1f},{_y(p.value, low, high):.1f}")
    return [" ".join(s) for s in segments if s]


def line_chart(
    title: str,
    points: list[Point],
    *,
    low: float,
    high: float,
    unit: str = "",
    markers: list[tuple[date, str]] | None = None,
    decimals: int = 1,
) -> Markup:
    """An SVG line chart of ``points`` on a fixed ``low``..``high`` scale (so two pages compare),
    with dashed vertical lines at ``markers`` (e.g. norms adopted)."""
    known = [p for p in points if p.value is not None]
    if not known:
        return Markup('<p class="muted">Not enough data yet.</p>')
    first, last = points[0].day, points[-1].day
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{escape(title)}" preserveAspectRatio="xMidYMid meet">',
        f"<title>{escape(title)}</title>",
    ]
    for fraction in (0, 0.5, 1):
        value = low + (high - low) * fraction
        y = _y(value, low, high)
        parts.append(
            f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}"/>'
            f'<text class="axis" x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">'
            f"{value:.{decimals}f}{escape(unit)}</text>"
        )
    for day, label in markers or []:
        if first <= day <= last:
            x = _x(day, first, last)
            parts.append(
                f'<line class="marker" x1="{x:.1f}" x2="{x:.1f}" y1="{TOP}" '
                f'y2="{HEIGHT - BOTTOM}"><title>{escape(label)} ({day:%b %d})</title></line>'
                f'<text class="marker-label" x="{x + 3:.1f}" y="{TOP + 9}">{escape(label)}</text>'
            )
    for segment in _segments(points, first, last, low, high):
        parts.append(f'<polyline class="line" points="{segment}"/>')
    for p in known:
        assert p.value is not None
        parts.append(
            f'<circle class="dot" cx="{_x(p.day, first, last):.1f}" '
            f'cy="{_y(p.value, low, high):.1f}" r="3"><title>{p.day:%b %d}: '
            f"{p.value:.{decimals}f}{escape(unit)}</title></circle>"
        )
    parts.append(
        f'<text class="axis" x="{LEFT}" y="{HEIGHT - 8}">{first:%b %d}</text>'
        f'<text class="axis" x="{WIDTH - RIGHT}" y="{HEIGHT - 8}" text-anchor="end">'
        f"{last:%b %d}</text></svg>"
    )
    return Markup("".join(parts))  # noqa: S704 (every dynamic piece above is escaped or numeric)
