"""Verbs that change the wiki: save a page (create or edit, merging concurrent edits), revert,
delete to the trash and restore, protect, watch, and promote a Q&A answer to a page.

Every verb takes the actor first, asks :mod:`practica.wiki.spaces` (built on the access gate)
whether they may, validates, writes in one transaction and emits events delivered after commit.

**No edit is ever lost** (docs/decisions/0009-wiki-edits-never-lost.md). An edit carries the
revision it started from (``base_revision``). Saving locks the page row (``select_for_update``;
on SQLite the ``IMMEDIATE`` transaction already serializes writers), then compares: if the page
moved on since the base, the two edits are merged on lines (``merge3``). A clean merge is
saved; overlapping changes raise :class:`EditConflict`, which carries the editor's own text,
the text saved meanwhile and the merged text with conflict markers, and writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from merge3 import Merge3

from practica.accounts.models import User
from practica.lib.errors import Conflict, Forbidden, Invalid, NotFound
from practica.lib.validation import RESERVED_SLUGS, SLUG_RE, clean_text, raise_if
from practica.notifications.services import notify
from practica.realtime.bus import emit
from practica.search import index
from practica.wiki import render, spaces
from practica.wiki.models import (
    BODY_MAX,
    SLUG_MAX,
    SUMMARY_MAX,
    TITLE_MAX,
    Contributor,
    Link,
    Page,
    Redirect,
    Revision,
    RevisionKind,
    Space,
    Watch,
)
from practica.wiki.spaces import SpaceRef

# Path words of the wiki's own pages: no page may take them as its slug.
WIKI_RESERVED = frozenset({"new", "changes", "trash", "promote", "revisions", "diff"})
MAX_DEPTH = 6  # levels of parent pages (the sidebar tree stays readable, ancestry stays cheap)


class EditConflict(Conflict):
    """Both editors changed the same lines. Nothing was saved; the editor resolves it.

    ``yours``: the text they sent; ``theirs``: the page as saved meanwhile (``current``
    revision); ``merged``: both, with ``<<<<<<<``/``=======``/``>>>>>>>`` around each clash."""

    def __init__(self, *, yours: str, theirs: str, merged: str, current: Revision) -> None:
        super().__init__(
            f"{_name(current.author)} saved this page while you were editing, and you both "
            "changed the same lines. Your text is kept below: resolve the marked conflicts "
            "and save again.",
            code="edit_conflict",
        )
        self.yours, self.theirs, self.merged, self.current = yours, theirs, merged, current


@dataclass(frozen=True)
class Saved:
    page: Page
    revision: Revision
    created: bool = False
    merged: bool = False  # the text saved is a merge with an edit saved meanwhile
    changed: bool = True  # False: the text was the same as the page's, no revision added


def _name(user: User | None) -> str:
    return user.display_name if user is not None else "Someone"


# --- Validation ---------------------------------------------------------------------------------


def normalize(body: str) -> str:
    """One line-ending convention, and a final newline, so merges and diffs compare lines."""
    body = (body or "").replace("\r\n", "\n").replace("\r", "\n")
    return body if not body or body.endswith("\n") else body + "\n"


def _clean_slug(errors: dict[str, str], value: str) -> str:
    value = (value or "").strip().lower()
    if not value:
        errors["slug"] = "A short URL name is required (letters, digits, hyphens)."
    elif len(value) > SLUG_MAX:
        errors["slug"] = f"The URL name must be at most {SLUG_MAX} characters."
    elif not SLUG_RE.match(value):
        errors["slug"] = "Use lowercase letters, digits and single hyphens (e.g. first-week)."
    elif value in WIKI_RESERVED or value in RESERVED_SLUGS:
        errors["slug"] = f"'{value}' is reserved for the wiki's own pages; choose another."
    return value


def _clean_page(
    title: str, body: str, summary: str, slug: str | None, *, creating: bool
) -> tuple[str, str, str, str | None]:
    errors: dict[str, str] = {}
    title = clean_text(errors, "title", title, max_len=TITLE_MAX)
    body = normalize(body)
    if "\x00" in body:
        errors["body"] = "The text contains a NUL character; remove it."
    elif len(body) > BODY_MAX:
        errors["body"] = (
            f"A page holds at most {BODY_MAX:,} characters (this text has {len(body):,}): "
            "split it into several pages and link them with [[Page title]]."
        )
    summary = clean_text(
        errors, "summary", summary, max_len=SUMMARY_MAX, required=False, label="Edit summary"
    )
    if slug is not None or creating:
        wanted = slug if slug else render.key_for(title)
        if not wanted and "title" not in errors:
            errors["slug"] = "This title makes no URL name: add letters or digits, or give one."
        elif wanted:
            slug = _clean_slug(errors, wanted)
    raise_if(errors)
    return title, body, summary, slug


def _slug_taken(space: Space, slug: str, page: Page | None) -> None:
    others = Page.objects.filter(space=space, slug=slug)
    if page is not None:
        others = others.exclude(pk=page.pk)
    clash = others.only("title", "deleted_at").first()
    if clash is None:
        return
    where = " (in the trash; it can be restored)" if clash.is_deleted else ""
    raise Conflict(
        f"The URL name '{slug}' is taken by the page “{clash.title}”{where}: choose another.",
        code="slug_taken",
    )


def _clean_parent(space: Space, page: Page | None, parent: Page | None) -> None:
    if parent is None:
        return
    if parent.space_id != space.pk or parent.is_deleted:
        raise Invalid({"parent": "Choose a parent page of this wiki."})
    depth, node = 1, parent
    node_or_none: Page | None = parent
    while node_or_none is not None:
        node = node_or_none
        if page is not None and node.pk == page.pk:
            raise Invalid({"parent": "A page cannot sit under itself or one of its own pages."})
        depth += 1
        node_or_none = node.parent if node.parent_id else None
    if depth > MAX_DEPTH:
        raise Invalid({"parent": f"Pages nest at most {MAX_DEPTH} levels deep."})


# --- Links and rendering ------------------------------------------------------------------------


def _resolver(space: Space) -> render.Resolver:
    """key -> slug of the live page a ``[[link]]`` with that key leads to (None: missing).
    A page's slug wins over another's title, and both over an old slug (a redirect)."""

    def resolve(keys: list[str]) -> dict[str, str | None]:
        found: dict[str, str | None] = dict.fromkeys(keys)
        redirects = Redirect.objects.filter(
            space=space, slug__in=keys, page__deleted_at__isnull=True
        ).values_list("slug", "page__slug")
        found.update(dict(redirects))
        live = Page.objects.filter(space=space, deleted_at__isnull=True)
        rows = live.filter(Q(slug__in=keys) | Q(title_key__in=keys)).values_list(
            "slug", "title_key"
        )
        by_title = {title_key: slug for slug, title_key in rows if title_key in found}
        by_slug = {slug: slug for slug, _ in rows if slug in found}
        found.update(by_title)
        found.update(by_slug)
        return found

    return resolve


def _cook(page: Page, ref: SpaceRef) -> list[str]:
    """Render ``page.body`` into ``html``/``toc`` (not saved); returns its link keys."""
    assert page.space is not None
    rendered = render.render(page.body, _resolver(page.space), ref.base_url)
    page.html, page.toc = rendered.html, rendered.toc
    return rendered.keys


def _write_links(page: Page, keys: list[str]) -> None:
    """Make the link table say exactly what the page's current text links to."""
    Link.objects.filter(source=page).exclude(target_key__in=keys).delete()
    have = set(Link.objects.filter(source=page).values_list("target_key", flat=True))
    Link.objects.bulk_create(
        [Link(source=page, target_key=k) for k in keys if k not in have and k != page.slug]
    )
    _retarget(page.space, keys)


def _retarget(space: Space, keys: list[str] | set[str]) -> None:
    """Point the links with these keys at the pages they now resolve to."""
    if not keys:
        return
    resolved = _resolver(space)(list(keys))
    slugs = {slug for slug in resolved.values() if slug}
    ids = dict(Page.objects.filter(space=space, slug__in=slugs).values_list("slug", "pk"))
    by_target: dict[int | None, list[str]] = {}
    for key, slug in resolved.items():
        by_target.setdefault(ids.get(slug) if slug else None, []).append(key)
    for target_id, target_keys in by_target.items():  # one update per target page
        Link.objects.filter(source__space=space, target_key__in=target_keys).update(
            target_id=target_id
        )


def _recook_linking(page: Page, ref: SpaceRef, keys: set[str]) -> None:
    """After ``page`` appeared, moved or went to the trash: the pages whose ``[[links]]`` may
    now lead elsewhere are rendered again (their text, and so their revisions, unchanged)."""
    keys = {k for k in keys if k}
    space = page.space
    _retarget(space, keys)
    sources = (
        Page.objects.filter(space=space, links_out__target_key__in=keys)
        .exclude(pk=page.pk)
        .select_related("space")
        .distinct()
    )
    for source in sources:
        _cook(source, ref)
        Page.objects.filter(pk=source.pk).update(html=source.html, toc=source.toc)


def _names(page: Page) -> set[str]:
    return {page.slug, page.title_key}


# --- Saving -------------------------------------------------------------------------------------


def _require_edit(actor: User, ref: SpaceRef, page: Page | None) -> None:
    if not spaces.can_edit(actor, ref):
        raise Forbidden(f"Only {spaces.who_edits(ref)} may edit this wiki.")
    if page is not None and page.protected and not spaces.can_curate(actor, ref):
        raise Forbidden(f"This page is protected: only {spaces.who_curates(ref)} may edit it.")


def ensure_space(ref: SpaceRef) -> Space:
    if ref.space is None:
        ref.space, _ = Space.objects.get_or_create(
            community=ref.community, organization=ref.organization
        )
    return ref.space


def save_page(
    actor: User,
    ref: SpaceRef,
    *,
    page: Page | None,
    title: str,
    body: str,
    summary: str = "",
    base_revision_id: int | None = None,
    slug: str | None = None,
    parent: Page | None = None,
    keep_parent: bool = True,
) -> Saved:
    """Create a page (``page`` None) or save a new revision of ``page``.

    ``base_revision_id``: the revision the editor started from (required to edit, refused when
    creating). ``slug`` None keeps the page's URL name (when creating: made from the title);
    a new slug leaves a redirect from the old one. ``parent`` is applied unless
    ``keep_parent``. Raises Invalid (bad input), Conflict ``slug_taken``, EditConflict,
    Forbidden; on any of them nothing is written."""
    _require_edit(actor, ref, page)
    title, body, summary, slug = _clean_page(title, body, summary, slug, creating=page is None)
    if page is None:
        if base_revision_id is not None:
            raise Invalid(
                {
                    "base_revision": "This page does not exist yet: create it without a "
                    "base revision."
                }
            )
        assert slug is not None
        return _create(actor, ref, title, body, summary, slug, parent)
    if base_revision_id is None:
        raise Invalid(
            {
                "base_revision": "Say which revision you edited (base_revision): "
                "without it a concurrent edit could be overwritten."
            }
        )
    base = Revision.objects.filter(pk=base_revision_id, page=page).first()
    if base is None:
        raise Invalid(
            {
                "base_revision": f"Revision {base_revision_id} is not a revision of "
                f"“{page.title}”: reload the page and edit its current text."
            }
        )
    return _edit(actor, ref, page, base, title, body, summary, slug, parent, keep_parent)


def _create(
    actor: User, ref: SpaceRef, title: str, body: str, summary: str, slug: str,
    parent: Page | None,
) -> Saved:  # fmt: skip
    try:
        with transaction.atomic():
            space = ensure_space(ref)
            Space.objects.select_for_update().get(pk=space.pk)  # creating pages: one at a time
            _slug_taken(space, slug, None)
            _clean_parent(space, None, parent)
            Redirect.objects.filter(space=space, slug=slug).delete()  # the new page takes it
            page = Page.objects.create(
                space=space, title=title, slug=slug, title_key=render.key_for(title),
                parent=parent, body=body, created_by=actor,
            )  # fmt: skip
            revision = _append(actor, ref, page, RevisionKind.CREATE, summary, base=None)
            _recook_linking(page, ref, _names(page))
            Watch.objects.get_or_create(page=page, user=actor)
    except IntegrityError as exc:  # the same slug created concurrently elsewhere
        raise Conflict(f"The URL name '{slug}' was just taken: choose another.",
                       code="slug_taken") from exc  # fmt: skip
    return Saved(page, revision, created=True)


def three_way(base: str, theirs: str, yours: str, theirs_label: str) -> tuple[str, bool]:
    """Merge ``yours`` and ``theirs`` (both edited from ``base``) on lines. Returns the merged
    text and whether it has conflicts (then marked ``<<<<<<< your version`` ... ``=======``
    ... ``>>>>>>> theirs_label``)."""
    merger = Merge3(
        base.splitlines(keepends=True),
        yours.splitlines(keepends=True),
        theirs.splitlines(keepends=True),
    )
    conflicted = any(group[0] == "conflict" for group in merger.merge_groups())
    merged = "".join(merger.merge_lines(name_a="your version", name_b=theirs_label))
    return merged, conflicted


def _edit(
    actor: User, ref: SpaceRef, page: Page, base: Revision, title: str, body: str,
    summary: str, slug: str | None, parent: Page | None, keep_parent: bool,
) -> Saved:  # fmt: skip
    try:
        with transaction.atomic():
            locked = Page.objects.select_for_update().select_related("space").get(pk=page.pk)
            if locked.is_deleted:
                raise Conflict("This page was moved to the trash while you were editing.",
                               code="page_deleted")  # fmt: skip
            _require_edit(actor, ref, locked)  # protection may have changed meanwhile
            merged = False
            if locked.current_revision_id != base.pk:
                current = Revision.objects.select_related("author").get(
                    page=locked, number=locked.revision_count
                )
                label = f"revision {current.number} by {_name(current.author)}"
                text, conflicted = three_way(base.body, locked.body, body, label)
                if conflicted:
                    raise EditConflict(yours=body, theirs=locked.body, merged=text,
                                       current=current)  # fmt: skip
                body, merged = text, True
                if title == base.title:  # they kept the title: keep the one saved meanwhile
                    title = locked.title
            return _apply_edit(
                actor, ref, locked, title, body, summary, slug, parent, keep_parent, base,
                merged,
            )  # fmt: skip
    except IntegrityError as exc:
        raise Conflict("That URL name was just taken: choose another.",
                       code="slug_taken") from exc  # fmt: skip


def _apply_edit(
    actor: User, ref: SpaceRef, page: Page, title: str, body: str, summary: str,
    slug: str | None, parent: Page | None, keep_parent: bool, base: Revision, merged: bool,
) -> Saved:  # fmt: skip
    new_slug = slug or page.slug
    new_parent_id = page.parent_id if keep_parent else (parent.pk if parent else None)
    if (title, body, new_slug, new_parent_id) == (page.title, page.body, page.slug, page.parent_id):
        current = Revision.objects.get(page=page, number=page.revision_count)
        return Saved(page, current, changed=False)
    if not keep_parent:
        _clean_parent(page.space, page, parent)
        page.parent_id = new_parent_id
    old_names = _names(page)
    if new_slug != page.slug:
        _rename(page, new_slug)
    page.title, page.title_key, page.body = title, render.key_for(title), body
    kind = RevisionKind.MERGE if merged else RevisionKind.EDIT
    revision = _append(actor, ref, page, kind, summary, base=base)
    if old_names != _names(page):
        _recook_linking(page, ref, old_names | _names(page))
    return Saved(page, revision, merged=merged)


def _rename(page: Page, new_slug: str) -> None:
    """Move ``page`` to ``new_slug``; its old slug (and any older ones) keep leading to it."""
    _slug_taken(page.space, new_slug, page)
    Redirect.objects.filter(space=page.space, slug=new_slug).delete()
    Redirect.objects.update_or_create(
        space=page.space, slug=page.slug, defaults={"page": page, "created_at": timezone.now()}
    )
    page.slug = new_slug


def _append(
    actor: User, ref: SpaceRef, page: Page, kind: str, summary: str, *,
    base: Revision | None, reverted_to: Revision | None = None,
) -> Revision:  # fmt: skip
    """Write the next revision from ``page``'s (unsaved) title and body, and bring the page row,
    links, contributors, watchers, search and events in step with it."""
    now = timezone.now()
    size = len(page.body)
    revision = Revision.objects.create(
        page=page, number=page.revision_count + 1, kind=kind, title=page.title, body=page.body,
        summary=summary, author=actor, created_at=now, size=size, size_delta=size - page.size,
        base=base, reverted_to=reverted_to,
    )  # fmt: skip
    keys = _cook(page, ref)
    page.current_revision, page.revision_count, page.size = revision, revision.number, size
    page.updated_at = now
    page.save()
    _write_links(page, keys)
    _credit(page, actor, max(revision.size_delta, 0), now)
    _tell_watchers(actor, ref, page, revision)
    index.update(page)
    emit(
        "wiki.revision_saved",
        page_id=page.pk,
        revision_id=revision.pk,
        author_id=actor.pk,
        community_id=ref.community_id,
        organization_id=ref.organization_id,
        reverted_to=reverted_to.pk if reverted_to else None,
    )
    return revision


def _credit(page: Page, user: User, added: int, now: datetime) -> None:
    updated = Contributor.objects.filter(page=page, user=user).update(
        edits=F("edits") + 1, chars_added=F("chars_added") + added, last_at=now
    )
    if not updated:
        Contributor.objects.create(
            page=page, user=user, edits=1, chars_added=added, first_at=now, last_at=now
        )


def _tell_watchers(actor: User, ref: SpaceRef, page: Page, revision: Revision) -> None:
    watchers = User.objects.filter(wiki_watches__page=page).exclude(pk=actor.pk)
    if revision.number == 1 or not watchers:
        return
    what = f": {revision.summary}" if revision.summary else ""
    url = ref.url("diff", page.slug) + f"?to={revision.pk}"
    for watcher in watchers:
        if spaces.can_read(watcher, ref):  # someone who left the community is told nothing
            notify(
                watcher,
                kind="wiki_edited",
                message=f"{actor.display_name} edited “{page.title}”{what}",
                url=url,
                actor=actor,
            )


# --- Revert -------------------------------------------------------------------------------------


def revert(actor: User, ref: SpaceRef, page: Page, revision_id: int, *, summary: str = "") -> Saved:
    """Make ``page`` read like one of its earlier revisions again: a new revision (the history
    keeps everything). Refuses a revision of another page, and a revert that changes nothing."""
    _require_edit(actor, ref, page)
    errors: dict[str, str] = {}
    summary = clean_text(
        errors, "summary", summary, max_len=SUMMARY_MAX, required=False, label="Edit summary"
    )
    raise_if(errors)
    target = Revision.objects.filter(pk=revision_id, page=page).first()
    if target is None:
        raise Invalid({"revision": f"Revision {revision_id} is not a revision of “{page.title}”."})
    with transaction.atomic():
        locked = Page.objects.select_for_update().select_related("space").get(pk=page.pk)
        if locked.is_deleted:
            raise Conflict("This page is in the trash: restore it first.", code="page_deleted")
        if (locked.title, locked.body) == (target.title, target.body):
            raise Conflict(
                f"The page already reads exactly like revision {target.number}.",
                code="no_change",
            )
        old_names = _names(locked)
        locked.title, locked.title_key = target.title, render.key_for(target.title)
        locked.body = target.body
        current = locked.current_revision
        summary = summary or f"Reverted to revision {target.number}"
        revision = _append(
            actor, ref, locked, RevisionKind.REVERT, summary, base=current, reverted_to=target
        )
        if old_names != _names(locked):
            _recook_linking(locked, ref, old_names | _names(locked))
    return Saved(locked, revision)


# --- Trash, protection, watching ----------------------------------------------------------------


def _require_curate(actor: User, ref: SpaceRef, what: str) -> None:
    if not spaces.can_curate(actor, ref):
        raise Forbidden(f"Only {spaces.who_curates(ref)} may {what}.")


def delete_page(actor: User, ref: SpaceRef, page: Page) -> Page:
    """Move ``page`` to the trash (its revisions stay; links to it become "create" links)."""
    _require_curate(actor, ref, "move pages to the trash")
    with transaction.atomic():
        locked = Page.objects.select_for_update().select_related("space").get(pk=page.pk)
        if locked.is_deleted:
            raise Conflict("This page is already in the trash.", code="page_deleted")
        locked.deleted_at, locked.deleted_by = timezone.now(), actor
        locked.save(update_fields=["deleted_at", "deleted_by"])
        Page.objects.filter(parent=locked).update(parent=None)  # children move up, not away
        _recook_linking(locked, ref, _names(locked) | _redirect_slugs(locked))
        index.remove(locked)
        emit("wiki.page_deleted", page_id=locked.pk, actor_id=actor.pk,
             community_id=ref.community_id, organization_id=ref.organization_id)  # fmt: skip
    return locked


def restore_page(actor: User, ref: SpaceRef, page: Page) -> Page:
    """Bring ``page`` back from the trash, as it was."""
    _require_curate(actor, ref, "restore pages from the trash")
    with transaction.atomic():
        locked = Page.objects.select_for_update().select_related("space").get(pk=page.pk)
        if not locked.is_deleted:
            raise Conflict("This page is not in the trash.", code="not_deleted")
        locked.deleted_at, locked.deleted_by = None, None
        locked.save(update_fields=["deleted_at", "deleted_by"])
        _recook_linking(locked, ref, _names(locked) | _redirect_slugs(locked))
        index.update(locked)
        emit("wiki.page_restored", page_id=locked.pk, actor_id=actor.pk,
             community_id=ref.community_id, organization_id=ref.organization_id)  # fmt: skip
    return locked


def _redirect_slugs(page: Page) -> set[str]:
    return set(Redirect.objects.filter(page=page).values_list("slug", flat=True))


def set_protected(actor: User, ref: SpaceRef, page: Page, protected: bool) -> Page:
    """Protect a page (only curators may edit it then) or lift the protection."""
    _require_curate(actor, ref, "protect pages")
    Page.objects.filter(pk=page.pk).update(protected=protected)
    page.protected = protected
    return page


def watch(actor: User, ref: SpaceRef, page: Page, on: bool) -> bool:
    """Start (``on``) or stop watching ``page``; watchers are notified of every edit."""
    if not spaces.can_read(actor, ref) or not actor.is_authenticated:
        raise NotFound("No such page.")
    if on:
        Watch.objects.get_or_create(page=page, user=actor)
    else:
        Watch.objects.filter(page=page, user=actor).delete()
    return on
