"""``practica backfill-badges``: run badge rules for everyone (idempotent)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from practica.recognition import badges
from practica.recognition.jobs import ensure_daily_backfill


class Command(BaseCommand):
    help = "Award every badge already earned and not yet awarded; schedule the daily safety net."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slugs", nargs="*", help="Only these badges (default: all).")

    def handle(self, *args: Any, **options: Any) -> None:
        created = badges.backfill(options["slugs"] or None)
        ensure_daily_backfill()
        self.stdout.write(f"{created} new award(s).")
