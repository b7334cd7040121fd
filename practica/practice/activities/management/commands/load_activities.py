"""``practica load_activities``: bring the database's library up to date with library.py."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from practica.practice.activities.loader import load_library


class Command(BaseCommand):
    help = (
        "Load the shared activity library (practica/practice/activities/library.py), matching "
        "rows by slug: new activities are added, changed ones updated, the rest left alone. "
        "Safe to run again. Community adaptations are never touched."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = load_library()
        self.stdout.write(
            self.style.SUCCESS(
                f"Activity library: {result.total} activities ({result.created} added, "
                f"{result.updated} updated, {result.unchanged} unchanged)."
            )
        )
