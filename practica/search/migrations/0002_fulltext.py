"""The vendor-specific full-text structures over search_entry (see practica/search/ddl.py):
SQLite FTS5 external-content tables with sync triggers; PostgreSQL tsvector + GIN.

Note for later migrations: on SQLite, an operation that remakes ``search_entry`` (most
AlterField/RemoveField) drops its triggers; see 0003_scope.
"""

from __future__ import annotations

from django.db import migrations

from practica.search import ddl


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(ddl.forward, ddl.backward, elidable=False)]
