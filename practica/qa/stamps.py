"""The triggers behind ``ListStamp`` (vendor-specific SQL shared by migration 0004 and tests),
and reading a stamp.

Every insert, update or delete of a ``qa_post`` row bumps its community's stamp in the same
transaction, so the stamp changes whenever anything a community's post list shows changes —
counts, scores, titles, acceptance, deletion — whichever code path made the change.
"""

from __future__ import annotations

from typing import Any

from django.db import connection

_UPSERT = (
    "INSERT INTO qa_liststamp (community_id, version) VALUES ({row}.community_id, 1) "
    "ON CONFLICT (community_id) DO UPDATE SET version = qa_liststamp.version + 1"
)

SQLITE_FORWARD = [
    f"""CREATE TRIGGER qa_post_stamp_ai AFTER INSERT ON qa_post BEGIN
      {_UPSERT.format(row="new")};
    END""",
    f"""CREATE TRIGGER qa_post_stamp_au AFTER UPDATE ON qa_post BEGIN
      {_UPSERT.format(row="new")};
    END""",
    f"""CREATE TRIGGER qa_post_stamp_au_moved AFTER UPDATE OF community_id ON qa_post
      WHEN old.community_id <> new.community_id BEGIN
      {_UPSERT.format(row="old")};
    END""",
    f"""CREATE TRIGGER qa_post_stamp_ad AFTER DELETE ON qa_post BEGIN
      {_UPSERT.format(row="old")};
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
        {_UPSERT.format(row="NEW")};
      END IF;
      IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND OLD.community_id <> NEW.community_id) THEN
        {_UPSERT.format(row="OLD")};
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
    """The community's current stamp (0 before its first post): one indexed read."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT version FROM qa_liststamp WHERE community_id = %s", [community_id])
        row = cursor.fetchone()
    return int(row[0]) if row else 0
