"""Reads of the wiki. Every function takes a :class:`~practica.wiki.spaces.SpaceRef` the caller
got through the gate (``spaces.get_space_for``), and loads what a page shows in a fixed number
of queries, whatever the number of pages, revisions or links."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from practica.lib.errors import NotFound
from practica.wiki import spaces
from practica.wiki.models import Contributor, Page, Promotion, Redirect, Revision, Watch
from practica.wiki.spaces import SpaceRef

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from practica.accounts.models import User

DB_INT_MAX = 2**63 - 1
TREE_MAX = 200  # pages in the sidebar tree
BACKLINKS_MAX = 50


@dataclass(frozen=True)
class Found:
    """A page looked up by slug; ``redirected`` when the slug was one of its old ones."""

    page: Page
    redirected: bool = False


def find_page(
    ref: SpaceRef, slug: str, user: User | AnonymousUser | None = None, *, trashed: bool = False
) -> Found:
    """The page at ``slug`` (or at an old slug of it). Pages in the trash are found only when
    ``trashed`` and the user may curate the space; to everyone else they are NotFound."""
    if ref.space is None:
        raise NotFound("No such page in this wiki.")
    page = Page.objects.filter(space=ref.space, slug=slug).first()
    redirected = False
    if page is None:
        moved = Redirect.objects.filter(space=ref.space, slug=slug).select_related("page").first()
        page, redirected = (moved.page, True) if moved is not None else (None, False)
    if page is None:
        raise NotFound("No such page in this wiki.")
    if page.is_deleted and not (trashed and spaces.can_curate(user, ref)):
        raise NotFound("No such page in this wiki (it may have been moved to the trash).")
    page.space = ref.space
    return Found(page, redirected)


def get_revision(page: Page, raw: Any) -> Revision:
    """A revision of ``page`` by id (NotFound for junk, or a revision of another page)."""
    try:
        revision_id = int(raw)
    except (TypeError, ValueError) as exc:
        raise NotFound("No such revision of this page.") from exc
    if not 0 < revision_id <= DB_INT_MAX:
        raise NotFound("No such revision of this page.")
    revision = Revision.objects.filter(pk=revision_id, page=page).select_related("author").first()
    if revision is None:
        raise NotFound("No such revision of this page.")
    return revision


def pages(ref: SpaceRef) -> QuerySet[Page]:
    """Live pages of the space, by title."""
    if ref.space is None:
        return Page.objects.none()
    return (
        Page.objects.filter(space=ref.space, deleted_at__isnull=True)
        .select_related("parent")
        .order_by("title", "pk")
    )


def trash(ref: SpaceRef) -> QuerySet[Page]:
    if ref.space is None:
        return Page.objects.none()
    return (
        Page.objects.filter(space=ref.space, deleted_at__isnull=False)
        .select_related("deleted_by")
        .order_by("-deleted_at")
    )


def history(page: Page) -> QuerySet[Revision]:
    return Revision.objects.filter(page=page).select_related("author").order_by("-number")


def recent_changes(ref: SpaceRef, days: int | None = None) -> QuerySet[Revision]:
    """Revisions of live pages, newest first; ``days`` limits them to the last days."""
    if ref.space is None:
        return Revision.objects.none()
    rows = Revision.objects.filter(page__space=ref.space, page__deleted_at__isnull=True)
    if days:
        rows = rows.filter(created_at__gte=timezone.now() - timedelta(days=days))
    return rows.select_related("page", "author").order_by("-created_at", "-pk")


def backlinks(page: Page) -> list[Page]:
    return list(
        Page.objects.filter(links_out__target=page, deleted_at__isnull=True)
        .exclude(pk=page.pk)
        .order_by("title")
        .distinct()[:BACKLINKS_MAX]
    )


def contributors(page: Page) -> list[Contributor]:
    return list(
        Contributor.objects.filter(page=page).select_related("user").order_by("-edits", "first_at")
    )


def is_watching(user: User | AnonymousUser | None, page: Page) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return Watch.objects.filter(page=page, user_id=user.pk).exists()


def promotions(page: Page) -> list[Promotion]:
    return list(
        Promotion.objects.filter(page=page)
        .select_related("post__community", "post__author", "answer__author")
        .order_by("pk")
    )


@dataclass
class Node:
    page: Page
    children: list[Node] = field(default_factory=list)
    current: bool = False
    open: bool = False


def ancestors(page: Page) -> list[Page]:
    """From the top-level page down to ``page``'s parent (one query per level; levels are
    capped by ``services.MAX_DEPTH``)."""
    chain: list[Page] = []
    node = page
    while node.parent_id is not None and len(chain) < 10:
        parent = Page.objects.filter(pk=node.parent_id, deleted_at__isnull=True).first()
        if parent is None:
            break
        chain.append(parent)
        node = parent
    return list(reversed(chain))


def tree(ref: SpaceRef, page: Page | None = None, trail: list[Page] | None = None) -> list[Node]:
    """The sidebar: top-level pages, with the branch leading to ``page`` (and its children)
    opened. One query."""
    if ref.space is None:
        return []
    open_ids = [p.pk for p in trail or []] + ([page.pk] if page is not None else [])
    shown = Q(parent__isnull=True) | Q(parent_id__in=open_ids)
    rows = list(
        Page.objects.filter(shown, space=ref.space, deleted_at__isnull=True)
        .only("title", "slug", "parent_id")
        .order_by("title")[:TREE_MAX]
    )
    nodes = {p.pk: Node(p, current=page is not None and p.pk == page.pk) for p in rows}
    roots: list[Node] = []
    for node in nodes.values():
        parent = nodes.get(node.page.parent_id) if node.page.parent_id else None
        if parent is not None:
            parent.children.append(node)
        elif node.page.parent_id is None:
            roots.append(node)
    for pk in open_ids:
        if pk in nodes:
            nodes[pk].open = True
    return roots
