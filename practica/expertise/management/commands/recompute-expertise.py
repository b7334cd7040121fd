"""``practica recompute-expertise``: rebuild every earned-expertise row from the Q&A rows."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from practica.communities.models import Community
from practica.expertise import scores


class Command(BaseCommand):
    help = "Rebuild earned expertise from answers, ratings and acceptances (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--community", help="Only this community (its URL name).")

    def handle(self, *args: Any, **options: Any) -> None:
        communities = Community.objects.order_by("pk")
        if options.get("community"):
            communities = communities.filter(slug=options["community"])
        total = 0
        for community in communities:
            rows = scores.recompute_community(community.pk)
            total += rows
            if options["verbosity"] > 1:
                self.stdout.write(f"{community.slug}: {rows} rows")
        self.stdout.write(f"Earned expertise rebuilt: {total} rows.")
