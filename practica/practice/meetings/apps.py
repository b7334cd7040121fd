from __future__ import annotations

from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "practica.practice.meetings"
    label = "meetings"

    def ready(self) -> None:
        # Registers the event subscribers and the due-job handlers.
        from practica.practice.meetings import jobs, subscribers  # noqa: F401
