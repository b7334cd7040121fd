from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class RealtimeConfig(AppConfig):
    name = "practica.realtime"
    label = "realtime"
    verbose_name = "Events and real time"

    def ready(self) -> None:
        from practica.realtime import outbox, panels, topics  # noqa: F401 (handlers, topics)

        panels.register()

        post_migrate.connect(_schedule_prune, sender=self)


def _schedule_prune(**kwargs: Any) -> None:
    from practica.realtime.outbox import ensure_scheduled

    ensure_scheduled()
