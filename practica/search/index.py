"""Keep the search index in step with the data (called by services inside their transaction).

Contract: ``update(obj)`` (re)indexes one object of a registered type, or removes it when its
``document`` is None; ``remove(obj)`` removes it. Both are cheap no-ops for unregistered models.
The storage (SQLite FTS5 / PostgreSQL tsvector) is the search app's business.
"""

from __future__ import annotations

from django.db.models import Model


def update(obj: Model) -> None:
    """(Re)index ``obj``."""
    # Filled in by the search implementation (issue 3); callers may rely on the signature.


def remove(obj: Model) -> None:
    """Drop ``obj`` from the index."""
