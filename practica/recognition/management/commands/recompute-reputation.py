"""``practica recompute-reputation``: rebuild every reputation total from the ledger."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from practica.recognition import ledger


class Command(BaseCommand):
    help = (
        "Rebuild reputation totals (per community and overall), breadth counters and monthly "
        "educational value from the ledger; report what had drifted. Never lowers a level."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--check", action="store_true", help="Only compare; exit 1 if anything drifted."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        before = ledger.live_totals()
        fresh = ledger.totals_from_ledger()
        drift = _drift(before, fresh)
        if options["check"]:
            self.stdout.write(f"{drift} total(s) differ from the ledger.")
            if drift:
                raise SystemExit(1)
            return
        ledger.recompute()
        self.stdout.write(
            f"Reputation rebuilt for {len(fresh.overall)} people; {drift} total(s) had drifted."
        )


def _drift(live: ledger.Totals, fresh: ledger.Totals) -> int:
    """How many totals (overall and per community) differ (zeros are left out of both)."""
    return _differ(live.overall, fresh.overall) + _differ(live.per_community, fresh.per_community)


def _differ(a: dict[Any, Any], b: dict[Any, Any]) -> int:
    return sum(1 for k in set(a) | set(b) if a.get(k) != b.get(k))
