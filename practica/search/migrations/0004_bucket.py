"""PostgreSQL: the ``(community_id, tsv)`` GIN index becomes ``(community_id, id / 10000, tsv)``
(see practica/search/ddl.py, ``BUCKET``), so a search can probe the newest entries first, one
id bucket at a time, without building the whole match bitmap of a common word. The new index is
built before the old one is dropped (a few minutes at 1M entries). Nothing changes on SQLite.
"""

from __future__ import annotations

from django.db import migrations

from practica.search import ddl


class Migration(migrations.Migration):
    dependencies = [("search", "0003_scope")]

    operations = [migrations.RunPython(ddl.bucket_forward, ddl.bucket_backward, elidable=False)]
