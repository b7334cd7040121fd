"""``manage.py load_protocols``: bring the database's protocol library up to date."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from practica.practice.consultancy.loader import load_library


class Command(BaseCommand):
    help = (
        "Load the shared consultancy protocols (practica/practice/consultancy/library.py), "
        "matching rows by slug. Safe to run again. Community adaptations are never touched."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = load_library()
        self.stdout.write(
            self.style.SUCCESS(
                f"Protocol library: {result.created} added, {result.updated} updated, "
                f"{result.unchanged} unchanged."
            )
        )
