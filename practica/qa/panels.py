"""Contributions of other apps to the question page (experts, wiki promotion, ...).

The Q&A app doesn't import the apps built on it; each registers in its ``AppConfig.ready``:

* a **post panel** — ``register_post_panel(PostPanel(key, order, template, context))`` — shown
  beside the question; ``context(request, post)`` returns what the template gets as ``panel``,
  or ``None`` to hide the panel. The template sees only ``panel``, ``post``, ``community``,
  ``request``, ``user``, ``csrf_token`` and ``csrf_input`` (and the environment's globals);
* an **answer extra** — ``register_answer_extra(AnswerExtra(key, template, context))`` — a small
  template rendered under each answer. ``context(request, post, answers)`` is called ONCE per
  page with every answer shown and returns ``{answer_id: dict}`` (answers missing from the dict
  get no extra). Compute it with a constant number of queries, never one per answer. The
  result is remembered with the viewer's controls (``qa.views._viewer_slots``): it may depend
  only on the post (its version) and the viewer's role, standing level and staff flag.

Both are rendered outside the cached question+answers fragment, so they may depend on the
viewer. Registering again under the same key replaces the earlier registration.

What a panel shows that depends only on the post and the panel's own rows (not on the viewer)
may be cached per ``Post.version`` with :func:`cached_for_post` — **only** if the app's
migration installs ``practica.qa.stamps.post_version_triggers`` on those rows, so that every
write to them, by whatever path, bumps the post's version (and so the key).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.cache import cache
from django.http import HttpRequest

if TYPE_CHECKING:
    from practica.qa.models import Answer, Post

PanelContext = Callable[[HttpRequest, "Post"], dict[str, Any] | None]
ExtraContext = Callable[[HttpRequest, "Post", "list[Answer]"], dict[int, dict[str, Any]]]


@dataclass(frozen=True)
class PostPanel:
    key: str
    order: int
    template: str
    context: PanelContext


@dataclass(frozen=True)
class AnswerExtra:
    key: str
    template: str
    context: ExtraContext


POST_CACHE_SECONDS = 60 * 60 * 24

_post_panels: dict[str, PostPanel] = {}
_answer_extras: dict[str, AnswerExtra] = {}


def register_post_panel(panel: PostPanel) -> None:
    """Add (or replace, by key) a panel beside the question."""
    _post_panels[panel.key] = panel


def register_answer_extra(extra: AnswerExtra) -> None:
    """Add (or replace, by key) an extra rendered under each answer."""
    _answer_extras[extra.key] = extra


def post_panels_for(request: HttpRequest, post: Post) -> list[tuple[str, dict[str, Any]]]:
    """(template, context) of every panel with something to say, in ``order``."""
    shown = []
    for panel in sorted(_post_panels.values(), key=lambda p: (p.order, p.key)):
        context = panel.context(request, post)
        if context is not None:
            shown.append((panel.template, context))
    return shown


def answer_extras_for(
    request: HttpRequest, post: Post, answers: list[Answer]
) -> dict[int, list[tuple[str, dict[str, Any]]]]:
    """``{answer_id: [(template, context), ...]}``: each extra's context computed once for all
    ``answers``, in registration-key order."""
    by_answer: dict[int, list[tuple[str, dict[str, Any]]]] = {}
    if not answers:
        return by_answer
    for extra in sorted(_answer_extras.values(), key=lambda e: e.key):
        contexts = extra.context(request, post, answers)
        for answer in answers:
            context = contexts.get(answer.pk)
            if context is not None:
                by_answer.setdefault(answer.pk, []).append((extra.template, context))
    return by_answer


def cached_for_post(post: Post, name: str, compute: Callable[[], Any]) -> Any:
    """``compute()``, remembered until ``post``'s version changes (see the module docstring for
    the trigger this requires). The value must pickle (model instances do)."""
    # created_at too: ids are reused by rolled-back tests and restored backups.
    key = f"qa:post:{post.pk}:{post.created_at.timestamp()}:{post.version}:{name}"
    value = cache.get(key, _MISSING)
    if value is _MISSING:
        value = compute()
        cache.set(key, value, POST_CACHE_SECONDS)
    return value


_MISSING = object()
