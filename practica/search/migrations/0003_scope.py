"""``Entry.scope`` (tokens such as ``c123``) and the full-text structures that use it (see
practica/search/ddl.py): SQLite's FTS5 tables get a ``scope`` column (recreated and rebuilt in
one pass; at 1M entries this takes a few minutes), PostgreSQL a title-only ``title_tsv`` with
its own GIN index for prefixes.

The column is added with plain SQL (``ADD COLUMN ... NOT NULL DEFAULT ''``): Django's AddField
would remake the whole table on SQLite. Filled from ``community_id`` by the same SQL.

Note for later migrations: on SQLite, an operation that remakes ``search_entry`` (most
AlterField/RemoveField) drops its triggers; recreate them from ``ddl.SQLITE_TRIGGERS`` after
such a change.
"""

from __future__ import annotations

from django.db import migrations, models

from practica.search import ddl


class Migration(migrations.Migration):
    dependencies = [("search", "0002_fulltext")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(
                    model_name="entry",
                    name="scope",
                    field=models.CharField(blank=True, default="", max_length=100),
                )
            ],
            database_operations=[
                migrations.RunPython(ddl.scope_forward, ddl.scope_backward, elidable=False)
            ],
        )
    ]
