"""Keep the search index in step with the data (called by services inside their transaction).

Contract: ``update(obj)`` (re)indexes one object of a registered type, or removes it when its
``document`` is None; ``remove(obj)`` removes it. Both are cheap no-ops for unregistered models.
The storage (SQLite FTS5 / PostgreSQL tsvector) is the search app's business: callers write the
plain ``Entry`` row and the database keeps the full-text structures in the same transaction
(SQLite triggers, a PostgreSQL generated column).

``rebuild(...)`` is the bulk path used by ``practica reindex`` and the benchmark.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.db import connection, transaction
from django.db.models import Model
from django.utils.text import slugify

from practica.search import ddl
from practica.search.models import Entry
from practica.search.registry import Document, SearchType, type_for_model, types

TITLE_MAX = 300
URL_MAX = 500
TAGS_MAX = 1000
# Private-use characters mark highlights inside the database's snippets; they are stripped from
# indexed text so no content can forge a highlight (and NUL never reaches an FTS engine).
MARK_OPEN = "\ue000"
MARK_CLOSE = "\ue001"
_UNSAFE = re.compile(f"[\x00{MARK_OPEN}{MARK_CLOSE}]")
BATCH = 2000


def update(obj: Model) -> None:
    """(Re)index ``obj``: one upsert, or a delete when its document is None."""
    search_type = type_for_model(type(obj))
    if search_type is None or obj.pk is None:
        return
    document = search_type.document(obj)
    if document is None:
        _delete(search_type.name, obj.pk)
        return
    fields = _fields(document)
    updated = Entry.objects.filter(type=search_type.name, object_id=obj.pk).update(**fields)
    if not updated:
        Entry.objects.create(type=search_type.name, object_id=obj.pk, **fields)


def remove(obj: Model) -> None:
    """Drop ``obj`` from the index."""
    search_type = type_for_model(type(obj))
    if search_type is None or obj.pk is None:
        return
    _delete(search_type.name, obj.pk)


def _delete(type_name: str, object_id: Any) -> None:
    Entry.objects.filter(type=type_name, object_id=object_id).delete()


def clean(text: str) -> str:
    return _UNSAFE.sub("", text or "")


def tag_slug(tag: str) -> str:
    """Tags are compared as slugs, so a type that indexes tag names ("Exit tickets") and one
    that indexes slugs ("exit-tickets") filter alike."""
    return slugify(clean(tag), allow_unicode=True)


def tags_field(tags: Iterable[str]) -> str:
    """``["Exit tickets", "b"]`` -> ``"|exit-tickets|b|"`` (see Entry.tags); "" when none."""
    slugs = [tag_slug(t) for t in tags]
    slugs = [s for s in slugs if s]
    if not slugs:
        return ""
    value = "|" + "|".join(slugs) + "|"
    if len(value) > TAGS_MAX:  # keep whole tags only
        value = value[:TAGS_MAX]
        value = value[: value.rindex("|") + 1]
    return value


def scope_tokens(community_id: int | None) -> str:
    """``Entry.scope`` for an entry of ``community_id``: ``"c123"``, or "" without a community
    (same rule as ``ddl.FILL_SCOPE``). Built from an integer only, never from text."""
    return "" if community_id is None else f"c{int(community_id)}"


def _fields(document: Document) -> dict[str, Any]:
    return {
        "community_id": document.community_id,
        "scope": scope_tokens(document.community_id),
        "organization_id": document.organization_id,
        "title": clean(document.title)[:TITLE_MAX],
        "body": clean(document.body),
        "tags": tags_field(document.tags),
        "url": document.url[:URL_MAX],
        "author_id": document.author_id,
        "created_at": document.created_at,
    }


# --- Bulk rebuild -------------------------------------------------------------------------------

Progress = Callable[[str, int, int], None]  # (type name, done, total)


def rebuild(
    type_names: list[str] | None = None,
    progress: Progress | None = None,
    *,
    bulk: bool | None = None,
) -> int:
    """Rebuild the index for ``type_names`` (all registered types when None); returns the
    number of entries written.

    A full rebuild on SQLite drops the sync triggers, bulk-inserts the rows and rebuilds the
    FTS5 tables in one pass ("rebuild" reads the content table: far faster than a trigger per
    row), then restores the triggers, all in one transaction. Rebuilding some types goes through
    the triggers (bulk inserts in batches), which is right for the small ones; ``bulk=True``
    forces the one-pass path for them too (it re-reads the whole table, so it is correct for any
    subset, just slower for a small one in a big index).
    """
    registered = types()
    names = list(registered) if type_names is None else type_names
    unknown = [n for n in names if n not in registered]
    if unknown:
        raise ValueError(f"Unknown search type(s): {', '.join(unknown)}.")
    if bulk is None:
        bulk = type_names is None or set(names) == set(registered)
    sqlite_bulk = bulk and connection.vendor == "sqlite"
    written = 0
    with transaction.atomic():
        if sqlite_bulk:
            _sqlite_triggers(drop=True)
        if type_names is None:
            Entry.objects.all().delete()  # also drops entries of types no longer registered
        else:
            Entry.objects.filter(type__in=names).delete()
        for name in names:
            written += _insert_type(registered[name], progress)
        if sqlite_bulk:
            _sqlite_rebuild_fts()
            _sqlite_triggers(drop=False)
    return written


def _insert_type(search_type: SearchType, progress: Progress | None) -> int:
    queryset = search_type.all_objects()
    total = queryset.count()
    done = written = 0
    if progress:
        progress(search_type.name, 0, total)
    for chunk in _chunks(queryset.iterator(chunk_size=BATCH), BATCH):
        rows = []
        for obj in chunk:
            document = search_type.document(obj)
            if document is not None:
                rows.append(Entry(type=search_type.name, object_id=obj.pk, **_fields(document)))
        Entry.objects.bulk_create(rows, batch_size=BATCH)
        written += len(rows)
        done += len(chunk)
        if progress:
            progress(search_type.name, done, total)
    return written


def _chunks(items: Iterator[Any], size: int) -> Iterator[list[Any]]:
    chunk: list[Any] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _sqlite_triggers(*, drop: bool) -> None:
    with connection.cursor() as cursor:
        for name in ddl.SQLITE_TRIGGER_NAMES:
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        if not drop:
            for sql in ddl.SQLITE_TRIGGERS:
                cursor.execute(sql)


def _sqlite_rebuild_fts() -> None:
    with connection.cursor() as cursor:
        ddl.sqlite_rebuild(cursor.execute)
