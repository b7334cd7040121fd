"""Vendor-specific SQL of the search index, shared by the migrations, ``practica reindex``
(which drops the SQLite triggers during a bulk rebuild and puts them back) and the benchmark.

Two generations, because migrations are history:

- ``V1_*`` — what ``0002_fulltext`` created (frozen: a fresh database still runs 0002 first);
- the unprefixed names — the current structures, created by ``0003_scope``: the FTS5 tables
  gained a ``scope`` column (``Entry.scope``, tokens such as ``c123``) and PostgreSQL a
  title-only ``title_tsv`` with its own GIN index; ``0004_bucket`` replaced PostgreSQL's
  ``(community_id, tsv)`` GIN index by ``(community_id, id / BUCKET, tsv)``; ``0005_tsv_inline``
  keeps PostgreSQL's ``tsv`` in the row (``STORAGE MAIN``). Use these everywhere else.
"""

from __future__ import annotations

from typing import Any

# --- Current (0003_scope) ------------------------------------------------------------------------

SQLITE_TABLES = [
    # Ranked matching and snippets. Column order matters: bm25 weights and snippet() use it
    # (title 0, tags 1, body 2, scope 3). ``scope`` holds integer-built tokens ("c123") that a
    # community filter adds to the MATCH; its bm25 weight is 0 and user terms never reach it
    # (they are restricted to {title tags body}).
    "CREATE VIRTUAL TABLE search_entry_fts USING fts5(title, tags, body, scope, "
    "content='search_entry', content_rowid='id', "
    "tokenize='porter unicode61 remove_diacritics 2')",
    # Prefix queries on titles and names only (a prefix over bodies costs seconds at 1M rows).
    # No stemming, so "teachi*" finds "teaching". ``scope`` as above, for scoped prefixes.
    "CREATE VIRTUAL TABLE search_title_fts USING fts5(title, scope, "
    "content='search_entry', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2', prefix='2 3')",
]
SQLITE_TRIGGERS = [
    """CREATE TRIGGER search_entry_ai AFTER INSERT ON search_entry BEGIN
      INSERT INTO search_entry_fts(rowid, title, tags, body, scope)
        VALUES (new.id, new.title, new.tags, new.body, new.scope);
      INSERT INTO search_title_fts(rowid, title, scope) VALUES (new.id, new.title, new.scope);
    END""",
    """CREATE TRIGGER search_entry_ad AFTER DELETE ON search_entry BEGIN
      INSERT INTO search_entry_fts(search_entry_fts, rowid, title, tags, body, scope)
        VALUES ('delete', old.id, old.title, old.tags, old.body, old.scope);
      INSERT INTO search_title_fts(search_title_fts, rowid, title, scope)
        VALUES ('delete', old.id, old.title, old.scope);
    END""",
    """CREATE TRIGGER search_entry_au AFTER UPDATE OF title, tags, body, scope ON search_entry
    BEGIN
      INSERT INTO search_entry_fts(search_entry_fts, rowid, title, tags, body, scope)
        VALUES ('delete', old.id, old.title, old.tags, old.body, old.scope);
      INSERT INTO search_title_fts(search_title_fts, rowid, title, scope)
        VALUES ('delete', old.id, old.title, old.scope);
      INSERT INTO search_entry_fts(rowid, title, tags, body, scope)
        VALUES (new.id, new.title, new.tags, new.body, new.scope);
      INSERT INTO search_title_fts(rowid, title, scope) VALUES (new.id, new.title, new.scope);
    END""",
]
SQLITE_TRIGGER_NAMES = ["search_entry_ai", "search_entry_ad", "search_entry_au"]
SQLITE_FTS_TABLES = ["search_entry_fts", "search_title_fts"]
SQLITE_DROP = [
    *(f"DROP TRIGGER IF EXISTS {name}" for name in SQLITE_TRIGGER_NAMES),
    *(f"DROP TABLE IF EXISTS {table}" for table in SQLITE_FTS_TABLES),
]

# PostgreSQL: entries per "id bucket" (``id / BUCKET``). The search probes the newest buckets
# first, one GIN scan each (bucket AND words), until its window is full: a common word's whole
# match bitmap is never built (decision 0008, 2026-11-30). query.py uses the same constant.
BUCKET = 10_000

# The GIN indexes, by name: the benchmark drops them before a bulk load and builds them after.
POSTGRES_INDEXES = {
    # A multicolumn GIN index serves conditions on any subset of its columns: one index for
    # community-scoped and unscoped queries, by id bucket or not. The bucket must be compared
    # as bigint (btree_gin has no cross-type operators).
    "search_entry_community_bucket_tsv": (
        "CREATE INDEX search_entry_community_bucket_tsv ON search_entry "
        f"USING gin (community_id, (id / {BUCKET}), tsv)"
    ),
    # Title prefixes: a GIN scan of title lexemes only (the ``:*A`` weight restriction on
    # ``tsv`` was applied after a scan over every body lexeme with that prefix: 1-2.5 s).
    "search_entry_community_title_tsv": (
        "CREATE INDEX search_entry_community_title_tsv ON search_entry "
        "USING gin (community_id, title_tsv)"
    ),
}

# The scope tokens of the existing rows (same rule as ``index.scope_tokens``).
FILL_SCOPE = "UPDATE search_entry SET scope = 'c' || community_id WHERE community_id IS NOT NULL"

# --- 0002_fulltext (frozen) ---------------------------------------------------------------------

V1_SQLITE_TABLES = [
    "CREATE VIRTUAL TABLE search_entry_fts USING fts5(title, tags, body, "
    "content='search_entry', content_rowid='id', "
    "tokenize='porter unicode61 remove_diacritics 2')",
    "CREATE VIRTUAL TABLE search_title_fts USING fts5(title, "
    "content='search_entry', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2', prefix='2 3')",
]
V1_SQLITE_TRIGGERS = [
    """CREATE TRIGGER search_entry_ai AFTER INSERT ON search_entry BEGIN
      INSERT INTO search_entry_fts(rowid, title, tags, body)
        VALUES (new.id, new.title, new.tags, new.body);
      INSERT INTO search_title_fts(rowid, title) VALUES (new.id, new.title);
    END""",
    """CREATE TRIGGER search_entry_ad AFTER DELETE ON search_entry BEGIN
      INSERT INTO search_entry_fts(search_entry_fts, rowid, title, tags, body)
        VALUES ('delete', old.id, old.title, old.tags, old.body);
      INSERT INTO search_title_fts(search_title_fts, rowid, title)
        VALUES ('delete', old.id, old.title);
    END""",
    """CREATE TRIGGER search_entry_au AFTER UPDATE OF title, tags, body ON search_entry BEGIN
      INSERT INTO search_entry_fts(search_entry_fts, rowid, title, tags, body)
        VALUES ('delete', old.id, old.title, old.tags, old.body);
      INSERT INTO search_title_fts(search_title_fts, rowid, title)
        VALUES ('delete', old.id, old.title);
      INSERT INTO search_entry_fts(rowid, title, tags, body)
        VALUES (new.id, new.title, new.tags, new.body);
      INSERT INTO search_title_fts(rowid, title) VALUES (new.id, new.title);
    END""",
]
V1_POSTGRES_FORWARD = [
    # Trusted extension (PostgreSQL 13+): lets one GIN index hold (community_id, tsv).
    "CREATE EXTENSION IF NOT EXISTS btree_gin",
    """ALTER TABLE search_entry ADD COLUMN tsv tsvector GENERATED ALWAYS AS (
         setweight(to_tsvector('english', coalesce(title, '')), 'A')
         || setweight(to_tsvector('english', coalesce(tags, '')), 'B')
         || setweight(to_tsvector('english', coalesce(body, '')), 'C')) STORED""",
    "CREATE INDEX search_entry_community_tsv ON search_entry USING gin (community_id, tsv)",
]
V1_POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS search_entry_community_tsv",
    "ALTER TABLE search_entry DROP COLUMN IF EXISTS tsv",
]

# --- 0003_scope ---------------------------------------------------------------------------------

SCOPE_COLUMN = "ALTER TABLE search_entry ADD COLUMN scope varchar(100) NOT NULL DEFAULT ''"
POSTGRES_SCOPE_FORWARD = [
    SCOPE_COLUMN,
    FILL_SCOPE,
    """ALTER TABLE search_entry ADD COLUMN title_tsv tsvector GENERATED ALWAYS AS (
         to_tsvector('simple', coalesce(title, ''))) STORED""",
    POSTGRES_INDEXES["search_entry_community_title_tsv"],
]
POSTGRES_SCOPE_BACKWARD = [
    "DROP INDEX IF EXISTS search_entry_community_title_tsv",
    "ALTER TABLE search_entry DROP COLUMN IF EXISTS title_tsv",
    "ALTER TABLE search_entry DROP COLUMN IF EXISTS scope",
]

# --- 0004_bucket --------------------------------------------------------------------------------

POSTGRES_BUCKET_FORWARD = [
    "SET LOCAL maintenance_work_mem = '256MB'",
    POSTGRES_INDEXES["search_entry_community_bucket_tsv"],
    "DROP INDEX IF EXISTS search_entry_community_tsv",
    "ANALYZE search_entry",  # statistics of the new expression (id / BUCKET)
]
POSTGRES_BUCKET_BACKWARD = [
    "SET LOCAL maintenance_work_mem = '256MB'",
    "CREATE INDEX search_entry_community_tsv ON search_entry USING gin (community_id, tsv)",
    "DROP INDEX IF EXISTS search_entry_community_bucket_tsv",
]


# --- 0005_tsv_inline -----------------------------------------------------------------------------

# PostgreSQL: ``tsv`` stays in the row (compressed if need be) and ``body`` goes out of line
# instead. With the default (EXTENDED) a typical row (1.4 KB body, 1.2 KB tsvector) passed the
# 2 KB TOAST threshold and ``tsv`` (incompressible) was moved to TOAST: every phrase recheck and
# every ``ts_rank_cd`` read it back through the TOAST index (~10 µs a row, ~3,000 rows a
# search). Bodies are read for the page's 20 rows only. SET STORAGE changes new rows only;
# VACUUM FULL rewrites the existing ones (and rebuilds the indexes): it cannot run in a
# transaction, so the migration is not atomic. The lock is exclusive while it runs.
POSTGRES_TSV_INLINE_FORWARD = [
    "ALTER TABLE search_entry ALTER COLUMN tsv SET STORAGE MAIN",
    "SET maintenance_work_mem = '256MB'",
    "VACUUM FULL search_entry",
    "RESET maintenance_work_mem",
    "ANALYZE search_entry",
]
POSTGRES_TSV_INLINE_BACKWARD = [
    "ALTER TABLE search_entry ALTER COLUMN tsv SET STORAGE EXTENDED",
]


def _run(schema_editor: Any, statements: list[str]) -> None:
    for sql in statements:
        schema_editor.execute(sql)


def sqlite_rebuild(execute: Any) -> None:
    """Fill the FTS5 tables from ``search_entry`` in one pass, then merge their segments."""
    for table in SQLITE_FTS_TABLES:
        execute(f"INSERT INTO {table}({table}) VALUES ('rebuild')")  # noqa: S608
        execute(f"INSERT INTO {table}({table}) VALUES ('optimize')")  # noqa: S608


def forward(apps: Any, schema_editor: Any) -> None:
    """0002_fulltext."""
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _run(schema_editor, V1_SQLITE_TABLES + V1_SQLITE_TRIGGERS)
    elif vendor == "postgresql":
        _run(schema_editor, V1_POSTGRES_FORWARD)


def backward(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _run(schema_editor, SQLITE_DROP)
    elif vendor == "postgresql":
        _run(schema_editor, V1_POSTGRES_BACKWARD)


def scope_forward(apps: Any, schema_editor: Any) -> None:
    """0003_scope. SQLite: drop the triggers and FTS5 tables first (so filling ``scope`` does
    not go through a trigger per row), add and fill the column, create the new tables and
    triggers, rebuild the FTS5 tables in one pass. PostgreSQL: add and fill ``scope``, add the
    generated ``title_tsv`` and its GIN index."""
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _run(schema_editor, [*SQLITE_DROP, SCOPE_COLUMN, FILL_SCOPE])
        _run(schema_editor, SQLITE_TABLES + SQLITE_TRIGGERS)
        sqlite_rebuild(schema_editor.execute)
    elif vendor == "postgresql":
        _run(schema_editor, POSTGRES_SCOPE_FORWARD)


def scope_backward(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _run(schema_editor, [*SQLITE_DROP, "ALTER TABLE search_entry DROP COLUMN scope"])
        _run(schema_editor, V1_SQLITE_TABLES + V1_SQLITE_TRIGGERS)
        sqlite_rebuild(schema_editor.execute)
    elif vendor == "postgresql":
        _run(schema_editor, POSTGRES_SCOPE_BACKWARD)


def bucket_forward(apps: Any, schema_editor: Any) -> None:
    """0004_bucket (PostgreSQL only): the tsv GIN index gains the id bucket."""
    if schema_editor.connection.vendor == "postgresql":
        _run(schema_editor, POSTGRES_BUCKET_FORWARD)


def bucket_backward(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        _run(schema_editor, POSTGRES_BUCKET_BACKWARD)


def tsv_inline_forward(apps: Any, schema_editor: Any) -> None:
    """0005_tsv_inline (PostgreSQL only): ``tsv`` kept in the row; existing rows rewritten."""
    if schema_editor.connection.vendor == "postgresql":
        _run(schema_editor, POSTGRES_TSV_INLINE_FORWARD)


def tsv_inline_backward(apps: Any, schema_editor: Any) -> None:
    """Back to EXTENDED for new rows (existing rows are left as they are: no rewrite)."""
    if schema_editor.connection.vendor == "postgresql":
        _run(schema_editor, POSTGRES_TSV_INLINE_BACKWARD)
