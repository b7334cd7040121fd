"""Turning a page's Markdown into its stored HTML: cooked and sanitized by
``practica.lib.markdown.cook``, then ``[[links]]`` resolved and headings given anchor ids.

Both steps work on the *sanitized* HTML and only ever add markup we build ourselves (escaped
labels, URLs we reverse, ids made of ``[a-z0-9-]``), so nothing here can reintroduce what the
sanitizer removed. Text inside ``<code>`` and ``<pre>`` is left alone: ``[[x]]`` in a code
sample is not a link.
"""

from __future__ import annotations

import html as htmllib
import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

from django.utils.text import slugify
from markupsafe import Markup

from practica.lib.markdown import cook

# [[Page title]] or [[Page title|label]]; titles cannot hold brackets, pipes or newlines.
WIKILINK = re.compile(r"\[\[([^\[\]|\n]{1,200}?)(?:\|([^\[\]\n]{1,200}?))?\]\]")
_CODE = re.compile(r"(<pre[\s>].*?</pre>|<code[\s>].*?</code>)", re.S)
_HEADING = re.compile(r"<h([1-6])>(.*?)</h\1>", re.S)
_TAG = re.compile(r"<[^>]+>")
KEY_MAX = 80
Resolver = Callable[[list[str]], dict[str, str | None]]
# Ids the page around the body already uses: a heading never takes one of them.
_RESERVED_IDS = frozenset({"main", "content", "toc", "backlinks", "page-body", "history"})


def key_for(title: str) -> str:
    """The name a link or a title is matched by: ``[[PLC Meetings!]]`` -> ``plc-meetings``."""
    return slugify(title)[:KEY_MAX].strip("-")


def _text(fragment: str) -> str:
    """Plain text of a piece of sanitized HTML."""
    return htmllib.unescape(_TAG.sub("", fragment)).strip()


def _outside_code(html: str) -> list[tuple[bool, str]]:
    """``html`` cut into (is_code, piece) so link handling can skip code."""
    return [(i % 2 == 1, piece) for i, piece in enumerate(_CODE.split(html))]


def link_keys(html: str) -> list[str]:
    """The keys of every ``[[link]]`` in cooked ``html`` (outside code), first seen first."""
    keys: dict[str, None] = {}
    for is_code, piece in _outside_code(html):
        if is_code:
            continue
        for match in WIKILINK.finditer(piece):
            key = key_for(_text(match.group(1)))
            if key:
                keys.setdefault(key)
    return list(keys)


@dataclass(frozen=True)
class Rendered:
    html: str
    toc: list[dict[str, object]]
    keys: list[str]


def _link(match: re.Match[str], resolved: dict[str, str | None], base_url: str) -> str:
    title = _text(match.group(1))
    key = key_for(title)
    if not key:
        return match.group(0)
    # The label is a piece of sanitized HTML already (it may hold <em>): reused as is.
    label = Markup(match.group(2) or match.group(1))  # noqa: S704
    slug = resolved.get(key)
    if slug is not None:
        return str(
            Markup('<a class="wiki-link" href="{}">{}</a>').format(f"{base_url}{slug}/", label)
        )
    href = f"{base_url}new/?title={quote(title)}"
    return str(
        Markup('<a class="wiki-link wiki-missing" href="{}" title="{}">{}</a>').format(
            href, f"“{title}” has no page yet: create it", label
        )
    )


def _anchor(text: str, used: set[str]) -> str:
    base = slugify(text)[:60].strip("-") or "section"
    anchor, n = base, 1
    while anchor in used or anchor in _RESERVED_IDS:
        n += 1
        anchor = f"{base}-{n}"
    used.add(anchor)
    return anchor


def _headings(html: str) -> tuple[str, list[dict[str, object]]]:
    toc: list[dict[str, object]] = []
    used: set[str] = set()

    def add_id(match: re.Match[str]) -> str:
        level, inner = int(match.group(1)), match.group(2)
        text = _text(inner)
        anchor = _anchor(text, used)
        toc.append({"level": level, "text": text, "anchor": anchor})
        return f'<h{level} id="{anchor}">{inner}</h{level}>'

    return _HEADING.sub(add_id, html), toc


def finish(
    html: str, resolved: dict[str, str | None], base_url: str
) -> tuple[str, list[dict[str, object]]]:
    """Replace ``[[links]]`` in cooked ``html`` (``resolved``: key -> target slug, or None for a
    page that does not exist yet) and give headings ids; returns the HTML and the table of
    contents (``[{level, text, anchor}]``)."""
    pieces = []
    for is_code, piece in _outside_code(html):
        if not is_code:
            piece = WIKILINK.sub(lambda m: _link(m, resolved, base_url), piece)
        pieces.append(piece)
    return _headings("".join(pieces))


def render(body: str, resolve: Resolver, base_url: str) -> Rendered:
    """Cook ``body``; ``resolve(keys) -> {key: slug or None}`` finds the link targets (one
    lookup for all links); ``base_url`` is the space's wiki root (``/c/slug/wiki/``)."""
    cooked = cook(body)
    keys = link_keys(cooked)
    resolved = resolve(keys) if keys else {}
    html, toc = finish(cooked, resolved, base_url)
    return Rendered(html=html, toc=toc, keys=keys)
