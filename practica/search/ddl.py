"""Vendor-specific SQL of the search index, shared by the migrations and ``practica reindex``
(which drops the SQLite triggers during a bulk rebuild and puts them back)."""

from __future__ import annotations

from typing import Any

SQLITE_TABLES = [
    # Ranked matching and snippets. Column order matters: bm25 weights and snippet() use it.
    "CREATE VIRTUAL TABLE search_entry_fts USING fts5(title, tags, body, "
    "content='search_entry', content_rowid='id', "
    "tokenize='porter unicode61 remove_diacritics 2')",
    # Prefix queries on titles and names only (a prefix over bodies costs seconds at 1M rows).
    # No stemming, so "teachi*" finds "teaching".
    "CREATE VIRTUAL TABLE search_title_fts USING fts5(title, "
    "content='search_entry', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2', prefix='2 3')",
]
SQLITE_TRIGGERS = [
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
SQLITE_TRIGGER_NAMES = ["search_entry_ai", "search_entry_ad", "search_entry_au"]
SQLITE_DROP = [
    *(f"DROP TRIGGER IF EXISTS {name}" for name in SQLITE_TRIGGER_NAMES),
    "DROP TABLE IF EXISTS search_title_fts",
    "DROP TABLE IF EXISTS search_entry_fts",
]

POSTGRES_FORWARD = [
    # Trusted extension (PostgreSQL 13+): lets one GIN index hold (community_id, tsv).
    "CREATE EXTENSION IF NOT EXISTS btree_gin",
    """ALTER TABLE search_entry ADD COLUMN tsv tsvector GENERATED ALWAYS AS (
         setweight(to_tsvector('english', coalesce(title, '')), 'A')
         || setweight(to_tsvector('english', coalesce(tags, '')), 'B')
         || setweight(to_tsvector('english', coalesce(body, '')), 'C')) STORED""",
    # A multicolumn GIN index serves conditions on any subset of its columns: one index for
    # community-scoped and for unscoped queries.
    "CREATE INDEX search_entry_community_tsv ON search_entry USING gin (community_id, tsv)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS search_entry_community_tsv",
    "ALTER TABLE search_entry DROP COLUMN IF EXISTS tsv",
]


def forward(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    statements = {
        "sqlite": SQLITE_TABLES + SQLITE_TRIGGERS,
        "postgresql": POSTGRES_FORWARD,
    }.get(vendor, [])
    for sql in statements:
        schema_editor.execute(sql)


def backward(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    for sql in {"sqlite": SQLITE_DROP, "postgresql": POSTGRES_BACKWARD}.get(vendor, []):
        schema_editor.execute(sql)
