"""``practica reindex [TYPE ...]``: rebuild the search index (all types, or the ones named)."""

from __future__ import annotations

import sys
import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from practica.search import index
from practica.search.registry import types


class Command(BaseCommand):
    help = (
        "Rebuild the search index from the data: every registered type, or only those named. "
        "A full rebuild on SQLite bulk-loads and rebuilds the FTS5 tables in one pass."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("types", nargs="*", help=f"Types to rebuild: {', '.join(types())}.")
        parser.add_argument(
            "--bulk",
            action="store_true",
            help="SQLite: rebuild the FTS5 tables in one pass even for some types (the default "
            "for a full rebuild; faster when the named types are most of the index).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        names = options["types"] or None
        verbosity = int(options["verbosity"])
        self.started = time.monotonic()
        self.show = verbosity > 0
        try:
            bulk = True if options["bulk"] else None
            written = index.rebuild(names, progress=self._progress, bulk=bulk)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if self.show:
            elapsed = time.monotonic() - self.started
            self.stdout.write(f"Indexed {written:,} entries in {elapsed:.1f} s.")

    def _progress(self, name: str, done: int, total: int) -> None:
        """A one-line progress bar per type (redrawn in place on a terminal)."""
        if not self.show:
            return
        width = 30
        filled = int(width * done / total) if total else width
        bar = "#" * filled + "-" * (width - filled)
        line = f"{name:>12} [{bar}] {done:,}/{total:,}"
        tty = sys.stdout.isatty()
        end = "\n" if (done >= total or not tty) else "\r"
        if tty or done >= total or done == 0:
            self.stdout.write(line, ending=end)
            self.stdout.flush()
