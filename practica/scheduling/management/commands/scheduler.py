"""``practica scheduler``: run due-dated work every few seconds (started by ``practica serve``)."""

from __future__ import annotations

import signal
import time
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from practica.scheduling.services import run_due


class Command(BaseCommand):
    help = "Run due-dated work (reminders, revisits, rotations) in a loop; --once for one pass."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--interval", type=float, default=15.0)
        parser.add_argument("--once", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        stopping: list[int] = []

        def stop(signum: int, frame: FrameType | None) -> None:
            stopping.append(signum)

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        while not stopping:
            done = run_due()
            if done:
                self.stdout.write(f"ran {done} due job(s)")
            close_old_connections()
            if options["once"]:
                return
            deadline = time.monotonic() + options["interval"]
            while not stopping and time.monotonic() < deadline:
                time.sleep(0.2)
