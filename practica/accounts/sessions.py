"""Database sessions with the per-request read as one plain SQL statement.

Same table, same rows and same semantics as ``django.contrib.sessions.backends.db`` (the
parent does every write); only ``load`` — run on every signed-in request — skips the ORM's
query compilation, which cost ~10x the lookup itself (bench/profile_page.py).
"""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.db import connections, router
from django.utils import timezone


class SessionStore(DatabaseSessionStore):
    def load(self) -> dict[str, Any]:
        data = self._session_data()
        if data is None:
            self._session_key = None  # as the parent does: a fresh key on the next save
            return {}
        return self.decode(data)

    def _session_data(self) -> str | None:
        """The stored data of the current, unexpired session key; None when there is none."""
        if not self.session_key:
            return None
        model = self.model
        using = router.db_for_read(model)
        connection = connections[using]
        table = connection.ops.quote_name(model._meta.db_table)
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT session_data FROM {table} "  # noqa: S608 (a quoted model table name)
                "WHERE session_key = %s AND expire_date > %s",
                [self.session_key, now],
            )
            row = cursor.fetchone()
        return None if row is None else str(row[0])
