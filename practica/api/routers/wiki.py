"""Wiki: pages, their revisions, diffs and reverts, and recent changes — the same endpoints
under ``/communities/{slug}/wiki`` and ``/organizations/{slug}/wiki`` (see docs/api.md).

Every lookup goes through the gate (``wiki.spaces.get_space_for``: a wiki the caller may not
read is a 404, or a 401 signed out) and every write through ``practica.wiki.services``.

``PUT .../wiki/{page}`` creates the page (201; no ``base_revision``) or saves a new revision of
it (200; ``base_revision`` = the revision the edit started from). When the page moved on since
that revision the edits are merged on lines; if both changed the same lines the answer is 409
``{"detail", "code": "edit_conflict", "merged", "theirs", "yours"}`` and nothing is saved.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from practica.accounts.models import User
from practica.api.auth import AUTH, OPTIONAL_AUTH, OPTIONAL_AUTH_OPENAPI, caller, viewer
from practica.api.pagination import paginate
from practica.api.schemas import ErrorOut, PageOut, PageParams, Text
from practica.lib.errors import NotFound
from practica.wiki import diff as wikidiff
from practica.wiki import selectors, services, spaces
from practica.wiki.models import Page, Revision
from practica.wiki.spaces import SpaceRef

router = Router(tags=["wiki"])

DB_INT_MAX = 2**63 - 1
READ = {200: None, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
WRITE = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


# --- Schemas ------------------------------------------------------------------------------------


class WikiPersonOut(Schema):
    id: int
    name: str


class WikiPageRefOut(Schema):
    slug: str
    title: str


class WikiPageSummaryOut(Schema):
    slug: str
    title: str
    parent: str | None = Field(..., description="The parent page's slug.")
    protected: bool
    revision: int | None = Field(..., description="The current revision's id.")
    updated_at: datetime
    url: str


class WikiPageList(PageOut):
    items: list[WikiPageSummaryOut]


class WikiHeadingOut(Schema):
    level: int
    text: str
    anchor: str = Field(..., description="The heading's id in ``html``.")


class WikiContributorOut(Schema):
    id: int
    name: str
    edits: int


class WikiPageOut(Schema):
    slug: str
    title: str
    revision: int | None = Field(..., description="The current revision's id.")
    revision_number: int
    body: str = Field(..., description="The current Markdown.")
    html: str = Field(..., description="Sanitized HTML, [[links]] resolved, headings with ids.")
    toc: list[WikiHeadingOut]
    parent: str | None
    protected: bool
    backlinks: list[WikiPageRefOut]
    contributors: list[WikiContributorOut]
    updated_at: datetime
    url: str


class WikiSavedOut(WikiPageOut):
    created: bool
    merged: bool = Field(..., description="Merged with an edit saved since base_revision.")
    changed: bool = Field(..., description="False when the text was already the page's.")


class WikiPageIn(Schema):
    title: Text
    body: Text = ""
    summary: Text = Field("", description="What changed, for the history.")
    base_revision: int | None = Field(
        None, ge=1, le=DB_INT_MAX, description="The revision you edited; omit when creating."
    )
    slug: Text | None = Field(None, description="A new URL name (the old one redirects).")
    parent: Text | None = Field(None, description="The parent page's slug; '' for top level.")


class WikiConflictOut(Schema):
    detail: str
    code: str = Field(..., description="edit_conflict")
    merged: str = Field(..., description="Both versions, clashes between conflict markers.")
    theirs: str = Field(..., description="The page as saved since your base revision.")
    yours: str = Field(..., description="The text you sent.")
    current_revision: int = Field(..., description="Send this as base_revision when resolved.")


class WikiRevisionOut(Schema):
    id: int
    number: int
    kind: str
    title: str
    summary: str
    author: WikiPersonOut | None
    created_at: datetime
    size: int
    size_delta: int
    reverted_to: int | None


class WikiRevisionList(PageOut):
    items: list[WikiRevisionOut]


class WikiChangeOut(WikiRevisionOut):
    page: WikiPageRefOut


class WikiChangeList(PageOut):
    items: list[WikiChangeOut]


class WikiDiffLineOut(Schema):
    op: str = Field(..., description="equal, delete, insert, change, fold")
    old_no: int | None
    new_no: int | None
    old_html: str
    new_html: str
    folded: int


class WikiDiffOut(Schema):
    from_revision: int = Field(..., alias="from")
    to_revision: int = Field(..., alias="to")
    added: int
    removed: int
    unified: str = Field(..., description="A unified diff of the Markdown.")
    lines: list[WikiDiffLineOut]


class WikiRevertIn(Schema):
    revision: int = Field(..., ge=1, le=DB_INT_MAX)
    summary: Text = ""


# --- Converters ---------------------------------------------------------------------------------


def _person(user: User | None) -> WikiPersonOut | None:
    return WikiPersonOut(id=user.pk, name=user.display_name) if user is not None else None


def _summary(ref: SpaceRef) -> Callable[[Page], WikiPageSummaryOut]:
    def item(page: Page) -> WikiPageSummaryOut:
        return WikiPageSummaryOut(
            slug=page.slug,
            title=page.title,
            parent=page.parent.slug if page.parent is not None else None,
            protected=page.protected,
            revision=page.current_revision_id,
            updated_at=page.updated_at,
            url=ref.url("page", page.slug),
        )

    return item


def _page_fields(ref: SpaceRef, page: Page) -> dict[str, Any]:
    parent = None
    if page.parent_id is not None:
        parent = Page.objects.filter(pk=page.parent_id).values_list("slug", flat=True).first()
    return {
        "slug": page.slug,
        "title": page.title,
        "revision": page.current_revision_id,
        "revision_number": page.revision_count,
        "body": page.body,
        "html": page.html,
        "toc": page.toc,
        "parent": parent,
        "protected": page.protected,
        "backlinks": [
            WikiPageRefOut(slug=p.slug, title=p.title) for p in selectors.backlinks(page)
        ],
        "contributors": [
            WikiContributorOut(id=c.user.pk, name=c.user.display_name, edits=c.edits)
            for c in selectors.contributors(page)
        ],
        "updated_at": page.updated_at,
        "url": ref.url("page", page.slug),
    }


def _revision_fields(r: Revision) -> dict[str, Any]:
    return {
        "id": r.pk,
        "number": r.number,
        "kind": r.kind,
        "title": r.title,
        "summary": r.summary,
        "author": _person(r.author),
        "created_at": r.created_at,
        "size": r.size,
        "size_delta": r.size_delta,
        "reverted_to": r.reverted_to_id,
    }


# --- Endpoints (registered for both kinds of space below) ---------------------------------------


def _list(kind: str) -> Callable[..., dict[str, object]]:
    def list_pages(request: HttpRequest, slug: str, paging: Query[PageParams]) -> dict[str, object]:
        """The wiki's pages, by title."""
        ref = spaces.get_space_for(viewer(request), kind, slug)
        return paginate(selectors.pages(ref), paging, _summary(ref))

    return list_pages


def _changes(kind: str) -> Callable[..., dict[str, object]]:
    def recent_changes(
        request: HttpRequest,
        slug: str,
        paging: Query[PageParams],
        days: int | None = Query(None, ge=1, le=366, description="Only the last N days."),
    ) -> dict[str, object]:
        """Recent changes in the wiki, newest first (``?days=7``: what changed this week)."""
        ref = spaces.get_space_for(viewer(request), kind, slug)

        def item(r: Revision) -> WikiChangeOut:
            return WikiChangeOut(
                **_revision_fields(r), page=WikiPageRefOut(slug=r.page.slug, title=r.page.title)
            )

        return paginate(selectors.recent_changes(ref, days), paging, item)

    return recent_changes


def _get(kind: str) -> Callable[..., WikiPageOut]:
    def get_page(request: HttpRequest, slug: str, page: str) -> WikiPageOut:
        """A page: its current revision id, Markdown and HTML, table of contents, backlinks
        and contributors. An old slug answers with the page it now names."""
        ref = spaces.get_space_for(viewer(request), kind, slug)
        found = selectors.find_page(ref, page).page
        return WikiPageOut(**_page_fields(ref, found))

    return get_page


def _put(kind: str) -> Callable[..., Any]:
    def save_page(
        request: HttpRequest, slug: str, page: str, payload: WikiPageIn
    ) -> Status[WikiSavedOut] | Status[WikiConflictOut]:
        """Create (201) or edit (200) the page. Editing needs ``base_revision``; if the page
        changed since then the edits are merged, or (same lines changed) 409 edit_conflict
        with ``merged``/``theirs``/``yours`` and nothing saved."""
        user = caller(request)
        ref = spaces.get_space_for(user, kind, slug)
        current = _existing(ref, page)
        parent = _parent(ref, payload.parent)
        try:
            saved = services.save_page(
                user, ref, page=current, title=payload.title, body=payload.body,
                summary=payload.summary, base_revision_id=payload.base_revision,
                slug=payload.slug if current is not None else (payload.slug or page),
                parent=parent, keep_parent=payload.parent is None,
            )  # fmt: skip
        except services.EditConflict as exc:
            return Status(409, WikiConflictOut(
                detail=exc.detail, code=exc.code, merged=exc.merged, theirs=exc.theirs,
                yours=exc.yours, current_revision=exc.current.pk,
            ))  # fmt: skip
        out = WikiSavedOut(
            **_page_fields(ref, saved.page),
            created=saved.created, merged=saved.merged, changed=saved.changed,
        )  # fmt: skip
        return Status(201 if saved.created else 200, out)

    return save_page


def _existing(ref: SpaceRef, page_slug: str) -> Page | None:
    try:
        return selectors.find_page(ref, page_slug).page
    except NotFound:
        return None


def _parent(ref: SpaceRef, raw: str | None) -> Page | None:
    if not raw:
        return None
    return selectors.find_page(ref, raw).page


def _revisions(kind: str) -> Callable[..., dict[str, object]]:
    def list_revisions(
        request: HttpRequest, slug: str, page: str, paging: Query[PageParams]
    ) -> dict[str, object]:
        """Every revision of the page, newest first."""
        ref = spaces.get_space_for(viewer(request), kind, slug)
        found = selectors.find_page(ref, page).page
        return paginate(
            selectors.history(found), paging, lambda r: WikiRevisionOut(**_revision_fields(r))
        )

    return list_revisions


def _diff(kind: str) -> Callable[..., WikiDiffOut]:
    def diff_revisions(
        request: HttpRequest,
        slug: str,
        page: str,
        from_: int = Query(..., alias="from", ge=1, le=DB_INT_MAX, description="Revision id."),
        to: int = Query(..., ge=1, le=DB_INT_MAX, description="Revision id."),
    ) -> WikiDiffOut:
        """The differences between two revisions of the page (line by line, changed words
        marked with <del>/<ins> in the HTML), and a unified diff of the Markdown."""
        ref = spaces.get_space_for(viewer(request), kind, slug)
        found = selectors.find_page(ref, page).page
        old, new = selectors.get_revision(found, from_), selectors.get_revision(found, to)
        result = wikidiff.diff(old.body, new.body)
        return WikiDiffOut(
            **{"from": old.pk, "to": new.pk},
            added=result.added,
            removed=result.removed,
            unified=wikidiff.unified(old.body, new.body, f"#{old.number}", f"#{new.number}"),
            lines=[
                WikiDiffLineOut(
                    op=line.op,
                    old_no=line.old_no,
                    new_no=line.new_no,
                    old_html=str(line.old_html),
                    new_html=str(line.new_html),
                    folded=line.folded,
                )
                for line in result.lines
            ],
        )

    return diff_revisions


def _revert(kind: str) -> Callable[..., WikiPageOut]:
    def revert_page(
        request: HttpRequest, slug: str, page: str, payload: WikiRevertIn
    ) -> WikiPageOut:
        """Make the page read like one of its revisions again (a new revision). A revision
        of another page is 422; one the page already reads like is 409 no_change."""
        user = caller(request)
        ref = spaces.get_space_for(user, kind, slug)
        found = selectors.find_page(ref, page).page
        saved = services.revert(user, ref, found, payload.revision, summary=payload.summary)
        return WikiPageOut(**_page_fields(ref, saved.page))

    return revert_page


def _register(kind: str, prefix: str, name: str) -> None:
    """Add the endpoints of one kind of space (operation ids name the kind)."""
    read: dict[str, Any] = {"auth": OPTIONAL_AUTH, "openapi_extra": OPTIONAL_AUTH_OPENAPI}
    write: dict[str, Any] = {"auth": AUTH}
    one = prefix + "/{page}"
    # 405: a reserved word in place of {page} ("changes") is one of the wiki's own read-only
    # endpoints, not a page (page slugs never take those words: wiki.services.WIKI_RESERVED).
    saved = {**WRITE, 200: WikiSavedOut, 201: WikiSavedOut, 405: ErrorOut, 409: WikiConflictOut}
    routes: list[tuple[Any, str, dict[int, Any], str, Callable[..., Any]]] = [
        (router.get, prefix, {**READ, 200: WikiPageList}, "list_{}_wiki_pages", _list),
        (router.get, prefix + "/changes", {**READ, 200: WikiChangeList}, "list_{}_wiki_changes",
         _changes),
        (router.get, one, {**READ, 200: WikiPageOut}, "get_{}_wiki_page", _get),
        (router.put, one, saved, "save_{}_wiki_page", _put),
        (router.get, one + "/revisions", {**READ, 200: WikiRevisionList},
         "list_{}_wiki_revisions", _revisions),
        (router.get, one + "/diff", {**READ, 200: WikiDiffOut}, "diff_{}_wiki_revisions", _diff),
        (router.post, one + "/revert", {**WRITE, 200: WikiPageOut}, "revert_{}_wiki_page",
         _revert),
    ]  # fmt: skip
    for method, path, response, operation, make in routes:
        auth = read if method == router.get else write
        method(path, response=response, operation_id=operation.format(name), **auth)(make(kind))


_register(spaces.COMMUNITY, "/communities/{slug}/wiki", "community")
_register(spaces.ORGANIZATION, "/organizations/{slug}/wiki", "organization")
