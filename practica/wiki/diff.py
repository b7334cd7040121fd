"""Differences between two revisions: line by line, with the changed words highlighted.

:func:`diff` pairs the lines of a replaced block and compares each pair word by word, so a
one-word fix shows as one highlighted word, not a whole paragraph removed and re-added. The
result feeds both views of the diff page (inline, side by side) and the API. Long runs of
unchanged lines are folded to a few lines of context around each change.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from markupsafe import Markup, escape

CONTEXT = 3  # unchanged lines shown around a change
_TOKEN = re.compile(r"\s+|\w+|[^\w\s]", re.UNICODE)


@dataclass(frozen=True)
class Line:
    """One row. ``op``: equal, delete, insert, change (a pair), or fold (hidden lines)."""

    op: str
    old_no: int | None = None
    new_no: int | None = None
    old_html: Markup = field(default_factory=Markup)
    new_html: Markup = field(default_factory=Markup)
    folded: int = 0  # for ``fold``: how many unchanged lines are hidden


@dataclass(frozen=True)
class Diff:
    lines: list[Line]
    added: int  # lines added (a changed pair counts once each way)
    removed: int

    @property
    def unchanged(self) -> bool:
        return self.added == 0 and self.removed == 0


Opcode = tuple[str, int, int, int, int]


def _coalesce(opcodes: Sequence[Opcode], a: list[str]) -> list[Opcode]:
    """Join changes separated only by a space, so "room 114" -> "the library" reads as one
    change rather than two words each struck and replaced around a kept space."""
    out: list[Opcode] = []
    for op in opcodes:
        tag, _, i2, _, j2 = op
        if (
            len(out) >= 2
            and tag != "equal"
            and out[-1][0] == "equal"
            and out[-2][0] != "equal"
            and "".join(a[out[-1][1] : out[-1][2]]).isspace()
        ):
            out.pop()
            first = out.pop()
            out.append(("replace", first[1], i2, first[3], j2))
        else:
            out.append(op)
    return out


def _words(old: str, new: str) -> tuple[Markup, Markup]:
    """The two lines with the differing words wrapped in <del> and <ins>."""
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    left: list[Markup] = []
    right: list[Markup] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in _coalesce(matcher.get_opcodes(), a):
        old_part, new_part = escape("".join(a[i1:i2])), escape("".join(b[j1:j2]))
        if tag == "equal":
            left.append(old_part)
            right.append(new_part)
            continue
        if i2 > i1:
            left.append(Markup("<del>{}</del>").format(old_part))
        if j2 > j1:
            right.append(Markup("<ins>{}</ins>").format(new_part))
    return Markup("").join(left), Markup("").join(right)


def _rows(old: list[str], new: list[str]) -> list[Line]:
    rows: list[Line] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for k in range(i2 - i1):
                text = escape(old[i1 + k])
                rows.append(Line("equal", i1 + k + 1, j1 + k + 1, text, text))
            continue
        pairs = min(i2 - i1, j2 - j1) if tag == "replace" else 0
        for k in range(pairs):
            left, right = _words(old[i1 + k], new[j1 + k])
            rows.append(Line("change", i1 + k + 1, j1 + k + 1, left, right))
        for k in range(i1 + pairs, i2):
            rows.append(Line("delete", k + 1, None, Markup("<del>{}</del>").format(old[k])))
        for k in range(j1 + pairs, j2):
            rows.append(
                Line("insert", None, k + 1, new_html=Markup("<ins>{}</ins>").format(new[k]))
            )
    return rows


def _fold(rows: list[Line], context: int) -> list[Line]:
    """Keep ``context`` unchanged lines around each change; replace the rest by a fold row."""
    near: set[int] = set()
    for i, row in enumerate(rows):
        if row.op != "equal":
            near.update(range(i - context, i + context + 1))
    shown: list[Line] = []
    hidden = 0
    for i, row in enumerate(rows):
        if i in near:
            if hidden:
                shown.append(Line("fold", folded=hidden))
                hidden = 0
            shown.append(row)
        else:
            hidden += 1
    if hidden:
        shown.append(Line("fold", folded=hidden))
    return shown


def diff(old_text: str, new_text: str, *, context: int = CONTEXT) -> Diff:
    """Compare two texts line by line (words within changed lines)."""
    rows = _rows(old_text.splitlines(), new_text.splitlines())
    added = sum(1 for r in rows if r.op in ("insert", "change"))
    removed = sum(1 for r in rows if r.op in ("delete", "change"))
    return Diff(lines=_fold(rows, context), added=added, removed=removed)


def unified(old_text: str, new_text: str, old_label: str, new_label: str) -> str:
    """The classic unified diff (for the API and for people who like patches)."""
    return "".join(
        difflib.unified_diff(
            old_text.splitlines(keepends=True),
            new_text.splitlines(keepends=True),
            fromfile=old_label,
            tofile=new_label,
            n=CONTEXT,
        )
    )
