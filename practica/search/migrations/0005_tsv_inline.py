"""PostgreSQL: ``tsv`` is stored in the row (``SET STORAGE MAIN``) instead of TOAST, so
rechecking a phrase and ranking no longer read each candidate's tsvector back from TOAST (see
practica/search/ddl.py, ``POSTGRES_TSV_INLINE_FORWARD``). Existing rows are rewritten by
``VACUUM FULL search_entry`` (which also rebuilds the indexes): not atomic, and the table is
locked while it runs (about a minute at 1M entries). Nothing changes on SQLite.
"""

from __future__ import annotations

from django.db import migrations

from practica.search import ddl


class Migration(migrations.Migration):
    atomic = False  # VACUUM cannot run in a transaction

    dependencies = [("search", "0004_bucket")]

    operations = [
        migrations.RunPython(
            ddl.tsv_inline_forward, ddl.tsv_inline_backward, atomic=False, elidable=False
        )
    ]
