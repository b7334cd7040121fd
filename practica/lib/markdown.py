"""Markdown, cooked once when saved: CommonMark (markdown-it-py) then sanitized (nh3).

Store both the Markdown (for editing) and ``cook(markdown)`` (for showing); never cook per view.
"""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt

_md = MarkdownIt("commonmark", {"linkify": False, "typographer": False}).enable(
    ["table", "strikethrough"]
)

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3", "h4", "h5",
    "h6", "hr", "i", "img", "li", "ol", "p", "pre", "s", "strong", "sub", "sup", "table",
    "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "th": {"align"},
    "td": {"align"},
    "code": {"class"},
}
MAX_MARKDOWN = 100_000  # characters; services say so clearly when a body is longer


def cook(markdown: str) -> str:
    """Sanitized HTML for ``markdown``: no scripts, no event handlers, links get
    ``rel="noopener noreferrer nofollow"``, only http(s)/mailto URLs."""
    html = _md.render(markdown or "")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
