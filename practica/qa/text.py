"""Text helpers of the Q&A app: Markdown with @mentions, title words, word-level diffs.

No queries here except :func:`resolve_mentions` (one).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from django.db.models import Q
from django.urls import reverse
from markupsafe import Markup, escape

from practica.accounts.models import User
from practica.lib.markdown import cook

# "@hannah.liu": the local part of the person's e-mail address. Not preceded by a word
# character, so e-mail addresses in the text are left alone.
MENTION_RE = re.compile(r"(?<![\w@/.])@([a-z0-9](?:[a-z0-9._+-]{0,62}[a-z0-9])?)", re.IGNORECASE)
MAX_MENTIONS = 20

STOPWORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "herself",
        "him",
        "himself",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "me",
        "more",
        "most",
        "my",
        "myself",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "ours",
        "ourselves",
        "out",
        "over",
        "own",
        "same",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "themselves",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "yours",
        "yourself",
        "yourselves",
        "get",
        "got",
        "anyone",
        "someone",
        "something",
        "way",
        "ways",
        "use",
        "using",
        "help",
        "need",
        "know",
        "tips",
        "best",
        "does",
        "doesn",
        "don",
        "isn",
        "aren",
        "what's",
        "how's",
        "i'm",
        "i've",
    ]
)
WORD_RE = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
WORD_MAX = 40


def normalize_word(word: str) -> str:
    """Lowercase, and a crude singular ("fractions" -> "fraction") so plurals still match."""
    word = word.lower()[:WORD_MAX]
    if len(word) > 4 and word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    return word


def title_words(title: str, limit: int = 12) -> list[str]:
    """The significant words of ``title``: no stopwords, at least 3 letters, deduplicated."""
    words: list[str] = []
    for raw in WORD_RE.findall(title.lower()):
        if raw in STOPWORDS or len(raw) < 3 or "'" in raw:
            continue
        word = normalize_word(raw)
        if word not in words:
            words.append(word)
    return words[:limit]


# --- Mentions -----------------------------------------------------------------------------------


def mention_handles(markdown: str) -> list[str]:
    seen: list[str] = []
    for handle in MENTION_RE.findall(markdown or ""):
        handle = handle.lower()
        if handle not in seen:
            seen.append(handle)
    return seen[:MAX_MENTIONS]


def resolve_mentions(markdown: str) -> dict[str, User]:
    """``{handle: user}`` for the handles in ``markdown`` that name exactly one active person
    (one query)."""
    handles = mention_handles(markdown)
    if not handles:
        return {}
    query = Q()
    for handle in handles:
        query |= Q(email__istartswith=f"{handle}@")
    found: dict[str, list[User]] = {}
    for user in User.objects.filter(query, is_active=True):
        found.setdefault(user.email.split("@", 1)[0].lower(), []).append(user)
    return {h: users[0] for h, users in found.items() if len(users) == 1 and h in handles}


@dataclass(frozen=True)
class Cooked:
    html: str
    mentioned: list[User]


def cook_with_mentions(markdown: str) -> Cooked:
    """Cook ``markdown`` (sanitized HTML) with each resolvable ``@handle`` linked to the
    person's profile; also returns the people mentioned."""
    people = resolve_mentions(markdown)

    def link(match: re.Match[str]) -> str:
        user = people.get(match.group(1).lower())
        if user is None:
            return match.group(0)
        name = user.display_name.replace("[", "").replace("]", "")
        return f"[@{name}]({reverse('accounts:person', args=[user.pk])})"

    linked = MENTION_RE.sub(link, markdown) if people else markdown
    return Cooked(html=cook(linked), mentioned=list(people.values()))


# --- Diffs --------------------------------------------------------------------------------------

TOKEN_RE = re.compile(r"\s+|[^\s]+")


def word_diff(old: str, new: str) -> Markup:
    """``new`` against ``old`` as escaped HTML: removed words in ``<del>``, added in ``<ins>``,
    line breaks kept (the history page shows it in a wrapping ``<pre>``-like block)."""
    a, b = TOKEN_RE.findall(old or ""), TOKEN_RE.findall(new or "")
    parts: list[Markup] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(escape("".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            parts.append(Markup("<del>{}</del>").format("".join(a[i1:i2])))
        if op in ("insert", "replace"):
            parts.append(Markup("<ins>{}</ins>").format("".join(b[j1:j2])))
    return Markup("").join(parts)
