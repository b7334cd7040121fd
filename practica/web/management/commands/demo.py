"""``practica demo``: load the demo network once (see practica/demo.py for what it contains)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from practica.demo import load_demo, login_lines
from practica.lib.errors import PracticaError


class Command(BaseCommand):
    help = (
        "Load the demo: a two-district learning network with people and three communities of "
        "practice. Safe to run again: a second run changes nothing."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            created = load_demo()
        except PracticaError as exc:
            raise CommandError(f"Could not load the demo (nothing was kept): {exc.detail}") from exc
        if created:
            self.stdout.write(
                self.style.SUCCESS("Loaded the demo: Sierra Foothills Learning Network.")
            )
        else:
            self.stdout.write("The demo is already loaded; nothing changed.")
        for line in login_lines():
            self.stdout.write(line)
