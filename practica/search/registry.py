"""What can be searched: each content type registers once (contract for every feature app).

A feature app makes its content searchable with one registration, usually in its
``AppConfig.ready``::

    registry.register(SearchType(name="question", model=Post, document=post_document))

``document(obj)`` returns the :class:`Document` to index, or None when the object must not be
findable (deleted, hidden). Services call ``practica.search.index.update(obj)`` /
``remove(obj)`` inside the same transaction as the write, so the index never disagrees with the
data. Access is decided at query time from ``community_id`` / ``organization_id`` (the gate), so a
document never carries a permission list:

- ``community_id`` set: found by whoever may view that community (``visible_communities``);
- else ``organization_id`` set: found by whoever may view that organization (``visible_orgs``);
- neither: site-wide content, found by everyone (signed out too);
- a type with ``visible`` (people, for instance) is decided by that hook alone.

``tags`` are the tag slugs; ``?tag=`` matches one of them exactly (case-insensitive). ``title``
and ``body`` are plain text (not HTML): the index escapes them when it highlights a snippet.
See docs/search.md.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Model, QuerySet


@dataclass(frozen=True)
class Document:
    title: str
    body: str
    url: str
    created_at: datetime
    community_id: int | None = None  # readable by whoever may view this community
    organization_id: int | None = None  # else by whoever may view this organization
    tags: list[str] = field(default_factory=list)
    author_id: int | None = None


@dataclass(frozen=True)
class SearchType:
    name: str  # stable, used in ?type= and stored with each entry
    model: type[Model]
    document: Callable[[Any], Document | None]
    label: str = ""
    # Optional: ``visible(user)`` -> a queryset of the primary keys this user may find (e.g.
    # ``User.objects.filter(access.visible_people_filter(user)).values("pk")``); it replaces
    # the community/organization rule for this type and runs as a subquery, never per row.
    # Its SQL may depend only on the gate's ``Viewer`` of the user (``access.viewer_for``):
    # search remembers the compiled condition per viewer (query._access); the rows it reads
    # are read when the search runs, so they are always current.
    visible: Callable[[Any], QuerySet[Any]] | None = None
    # Optional: the objects `practica reindex` indexes (with the select_related/prefetch the
    # ``document`` function needs, so a rebuild does not query per row). Default: all rows.
    queryset: Callable[[], QuerySet[Any]] | None = None

    def all_objects(self) -> QuerySet[Any]:
        if self.queryset is not None:
            return self.queryset()
        return self.model._default_manager.all()


_types: dict[str, SearchType] = {}


def register(search_type: SearchType) -> None:
    """Add (or replace, by name) a searchable type."""
    _types[search_type.name] = search_type


def types() -> dict[str, SearchType]:
    return dict(_types)


def type_for_model(model: type[Model]) -> SearchType | None:
    for t in _types.values():
        if t.model is model or (isinstance(model, type) and issubclass(model, t.model)):
            return t
    return None
