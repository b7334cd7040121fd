"""The triggers behind ``ListStamp`` (vendor-specific SQL shared by migration 0004 and tests),
and reading a stamp.

Every insert, update or delete of a ``qa_post`` row bumps its community's stamp in the same
transaction, so the stamp changes whenever anything a community's post list shows changes —
counts, scores, titles, acceptance, deletion — whichever code path made the change.
"""

from __future__ import annotations

from typing import Any

from django.db import connection

# The new stamp comes from the clock (or is the old stamp + 1 if that is larger), never just +1:
# a stamp then never comes back after a rolled-back transaction or a restored backup, so a cache
# entry made under it can never be mistaken for a later state. SQLite's clock has millisecond
# resolution, so a random millionth of it separates bumps within one millisecond; PostgreSQL's
# clock_timestamp() is in microseconds and moves during a statement.
_NOW_SQLITE = (
    "(CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER) * 1000000"
    " + abs(random() % 1000000))"
)
_NOW_POSTGRES = "CAST(extract(epoch FROM clock_timestamp()) * 1000000 AS BIGINT)"
_UPSERT = (
    "INSERT INTO qa_liststamp (community_id, version) VALUES ({{row}}.community_id, {now}) "
    "ON CONFLICT (community_id) DO UPDATE SET version = {larger}(qa_liststamp.version + 1, {now})"
)
_UPSERT_SQLITE = _UPSERT.format(now=_NOW_SQLITE, larger="max")
_UPSERT_POSTGRES = _UPSERT.format(now=_NOW_POSTGRES, larger="GREATEST")

SQLITE_FORWARD = [
    f"""CREATE TRIGGER qa_post_stamp_ai AFTER INSERT ON qa_post BEGIN
      {_UPSERT_SQLITE.format(row="new")};
    END""",
    f"""CREATE TRIGGER qa_post_stamp_au AFTER UPDATE ON qa_post BEGIN
      {_UPSERT_SQLITE.format(row="new")};
    END""",
    f"""CREATE TRIGGER qa_post_stamp_au_moved AFTER UPDATE OF community_id ON qa_post
      WHEN old.community_id <> new.community_id BEGIN
      {_UPSERT_SQLITE.format(row="old")};
    END""",
    f"""CREATE TRIGGER qa_post_stamp_ad AFTER DELETE ON qa_post BEGIN
      {_UPSERT_SQLITE.format(row="old")};
    END""",
]
SQLITE_BACKWARD = [
    f"DROP TRIGGER IF EXISTS {name}"
    for name in (
        "qa_post_stamp_ai",
        "qa_post_stamp_au",
        "qa_post_stamp_au_moved",
        "qa_post_stamp_ad",
    )
]

POSTGRES_FORWARD = [
    f"""CREATE OR REPLACE FUNCTION qa_post_stamp() RETURNS trigger AS $$
    BEGIN
      IF TG_OP IN ('INSERT', 'UPDATE') THEN
        {_UPSERT_POSTGRES.format(row="NEW")};
      END IF;
      IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND OLD.community_id <> NEW.community_id) THEN
        {_UPSERT_POSTGRES.format(row="OLD")};
      END IF;
      RETURN NULL;
    END
    $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER qa_post_stamp AFTER INSERT OR UPDATE OR DELETE ON qa_post
      FOR EACH ROW EXECUTE FUNCTION qa_post_stamp()""",
]
POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS qa_post_stamp ON qa_post",
    "DROP FUNCTION IF EXISTS qa_post_stamp()",
]


def forward(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    for sql in {"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}.get(vendor, []):
        schema_editor.execute(sql)


def backward(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    for sql in {"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}.get(vendor, []):
        schema_editor.execute(sql)


def list_stamp(community_id: int) -> int:
    """The community's current stamp (0 before its first post; it only grows): one indexed read."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT version FROM qa_liststamp WHERE community_id = %s", [community_id])
        row = cursor.fetchone()
    return int(row[0]) if row else 0


# --- Post versions bumped by other apps' tables -------------------------------------------------
#
# Other apps' panels on the question page may cache what they show per ``Post.version``
# (``practica.qa.panels.cached_for_post``) when every write to their rows bumps that version.
# These builders give each app the trigger SQL for its own migration, so no write path (a
# service, a bulk update, a cascade) can forget to.

_BUMP = "UPDATE qa_post SET version = version + 1 WHERE id = {ref}"


def post_version_triggers(vendor: str, table: str, column: str) -> tuple[list[str], list[str]]:
    """(forward, backward) SQL: any insert, update or delete of a ``table`` row bumps the
    version of the post its ``column`` points at (both posts when an update moves it)."""
    name = f"{table}_bumps_post"
    if vendor == "sqlite":
        forward = [
            f"""CREATE TRIGGER {name}_ai AFTER INSERT ON {table}
              WHEN new.{column} IS NOT NULL BEGIN {_BUMP.format(ref=f"new.{column}")}; END""",
            f"""CREATE TRIGGER {name}_au AFTER UPDATE ON {table} BEGIN
              UPDATE qa_post SET version = version + 1 WHERE id IN (old.{column}, new.{column});
            END""",  # noqa: S608 (identifiers from our own migrations, never user input)
            f"""CREATE TRIGGER {name}_ad AFTER DELETE ON {table}
              WHEN old.{column} IS NOT NULL BEGIN {_BUMP.format(ref=f"old.{column}")}; END""",
        ]
        backward = [f"DROP TRIGGER IF EXISTS {name}_{when}" for when in ("ai", "au", "ad")]
        return forward, backward
    if vendor == "postgresql":
        forward = [
            f"""CREATE OR REPLACE FUNCTION {name}() RETURNS trigger AS $$
            BEGIN
              IF TG_OP <> 'DELETE' AND NEW.{column} IS NOT NULL THEN
                {_BUMP.format(ref=f"NEW.{column}")};
              END IF;
              IF TG_OP <> 'INSERT' AND OLD.{column} IS NOT NULL
                 AND (TG_OP = 'DELETE' OR OLD.{column} IS DISTINCT FROM NEW.{column}) THEN
                {_BUMP.format(ref=f"OLD.{column}")};
              END IF;
              RETURN NULL;
            END
            $$ LANGUAGE plpgsql""",
            f"""CREATE TRIGGER {name} AFTER INSERT OR UPDATE OR DELETE ON {table}
              FOR EACH ROW EXECUTE FUNCTION {name}()""",
        ]
        backward = [
            f"DROP TRIGGER IF EXISTS {name} ON {table}",
            f"DROP FUNCTION IF EXISTS {name}()",
        ]
        return forward, backward
    return [], []


def run_vendor_sql(schema_editor: Any, build: Any, *, backward: bool = False) -> None:
    """Execute ``build(vendor)``'s forward (or backward) statements in a migration."""
    forward_sql, backward_sql = build(schema_editor.connection.vendor)
    for sql in backward_sql if backward else forward_sql:
        schema_editor.execute(sql)
