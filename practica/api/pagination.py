"""Every API list answers ``{"items", "count", "page", "page_size"}``; this builds that body.

Bounds are checked by :class:`~practica.api.schemas.PageParams` (bad values are a 422, unlike
the HTML pages, which fall back to the nearest page). A page past the end is empty, not an error.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from collections.abc import Callable

    from django.db.models import QuerySet

    from practica.api.schemas import PageParams

M = TypeVar("M")


def paginate(
    queryset: QuerySet[Any], params: PageParams, to_item: Callable[[Any], M]
) -> dict[str, Any]:
    """One COUNT and one page query, whatever the page size; ``to_item`` must not query."""
    count = queryset.count()
    offset = (params.page - 1) * params.page_size
    # Past the end: skip the query (a huge OFFSET is slow, and may overflow the database's int).
    rows = list(queryset[offset : offset + params.page_size]) if offset < count else []
    return {
        "items": [to_item(row) for row in rows],
        "count": count,
        "page": params.page,
        "page_size": params.page_size,
    }
