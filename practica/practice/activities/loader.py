"""Loading the shared library (``library.py``) into the database.

The data migration (so a fresh install has the library) and ``practica load_activities`` (after
the library's text changes) both call :func:`load_library`, so they can never disagree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from practica.practice.activities.library import LIBRARY, LibraryActivity
from practica.practice.activities.models import compose_search_text

if TYPE_CHECKING:
    from practica.practice.activities.models import Activity


@dataclass(frozen=True)
class LoadResult:
    created: int
    updated: int
    unchanged: int

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


def load_library(
    model: type[Activity] | None = None, entries: Sequence[LibraryActivity] = LIBRARY
) -> LoadResult:
    """Upsert every entry as a library row (``community`` null), matched by slug.

    Idempotent: rows whose text already matches are not written. Rows no longer in
    ``library.py`` are kept, because meetings and adaptations point at them. ``model`` is the
    migration's historical model when called from one; only fields it has are written, so an
    old migration keeps working after fields are added. One read, at most two writes.
    """
    if model is None:
        from practica.practice.activities.models import Activity

        model = Activity
    names = {f.name for f in model._meta.get_fields()}
    existing = {row.slug: row for row in model.objects.filter(community__isnull=True)}
    now = timezone.now()
    to_create: list[Any] = []
    to_update: list[Any] = []
    written: set[str] = set()
    unchanged = 0
    for entry in entries:
        values = _values(entry, names)
        written.update(values)
        row = existing.get(entry.slug)
        if row is None:
            to_create.append(model(slug=entry.slug, community=None, **values))
        elif any(getattr(row, key) != value for key, value in values.items()):
            for key, value in values.items():
                setattr(row, key, value)
            if "updated_at" in names:
                row.updated_at = now
            to_update.append(row)
        else:
            unchanged += 1
    if "updated_at" in names:
        written.add("updated_at")
    with transaction.atomic():
        model.objects.bulk_create(to_create)
        if to_update:
            model.objects.bulk_update(to_update, sorted(written))
    return LoadResult(created=len(to_create), updated=len(to_update), unchanged=unchanged)


def _values(entry: LibraryActivity, names: set[str]) -> dict[str, Any]:
    values = {key: value for key, value in entry.model_fields().items() if key in names}
    if "search_text" in names:
        # bulk_create/bulk_update skip Activity.save(), which derives this for single rows.
        values["search_text"] = compose_search_text(
            entry.title, entry.summary, entry.materials, entry.steps
        )
    return values
