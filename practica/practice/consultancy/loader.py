"""Loading the shared protocol library (``library.py``) into the database.

The data migration (so a fresh install has the library) and ``manage.py load_protocols`` (after
the library's text changes) both call :func:`load_library`, so they can never disagree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from practica.practice.consultancy.library import LIBRARY, LibraryProtocol


@dataclass(frozen=True)
class LoadResult:
    created: int
    updated: int
    unchanged: int


def load_library(
    protocol_model: Any = None,
    step_model: Any = None,
    entries: Sequence[LibraryProtocol] = LIBRARY,
) -> LoadResult:
    """Upsert every entry as a library protocol (``community`` null), matched by slug; a
    protocol whose text or steps changed gets its steps rewritten.

    Idempotent: an unchanged protocol is not written. Protocols no longer in ``library.py``
    are kept, because sessions and adaptations point at them. The models are the migration's
    historical ones when called from a migration.
    """
    if protocol_model is None or step_model is None:
        from practica.practice.consultancy.models import Protocol, ProtocolStep

        protocol_model, step_model = Protocol, ProtocolStep
    existing = {p.slug: p for p in protocol_model.objects.filter(community__isnull=True)}
    steps_of: dict[int, list[tuple[Any, ...]]] = {}
    for row in step_model.objects.filter(protocol__community__isnull=True).order_by("position"):
        steps_of.setdefault(row.protocol_id, []).append(_step_key(row))
    created = updated = unchanged = 0
    with transaction.atomic():
        for entry in entries:
            row = existing.get(entry.slug)
            wanted = [
                (i, s.name, s.purpose, s.minutes, s.speakers, s.contribution)
                for i, s in enumerate(entry.steps)
            ]
            if row is None:
                row = protocol_model.objects.create(
                    slug=entry.slug, title=entry.title, summary=entry.summary, community=None
                )
                created += 1
            elif (row.title, row.summary) == (entry.title, entry.summary) and steps_of.get(
                row.pk, []
            ) == wanted:
                unchanged += 1
                continue
            else:
                row.title, row.summary, row.updated_at = entry.title, entry.summary, timezone.now()
                row.save(update_fields=["title", "summary", "updated_at"])
                step_model.objects.filter(protocol=row).delete()
                updated += 1
            step_model.objects.bulk_create(
                step_model(
                    protocol=row,
                    position=i,
                    name=name,
                    purpose=purpose,
                    minutes=minutes,
                    speakers=speakers,
                    contribution=contribution,
                )
                for i, name, purpose, minutes, speakers, contribution in wanted
            )
    return LoadResult(created=created, updated=updated, unchanged=unchanged)


def _step_key(row: Any) -> tuple[Any, ...]:
    return (row.position, row.name, row.purpose, row.minutes, row.speakers, row.contribution)
