from __future__ import annotations

from django.apps import AppConfig


class NormsConfig(AppConfig):
    name = "practica.practice.norms"
    label = "norms"

    def ready(self) -> None:
        # Register the due-dated work handlers (closing rounds, reminders, revisits).
        from practica.practice.norms import jobs  # noqa: F401
