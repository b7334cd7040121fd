from __future__ import annotations

from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "practica.notifications"
    label = "notifications"

    def ready(self) -> None:
        # The digest handler, the watchers' subscribers and the watchable targets.
        from practica.notifications import delivery, panels, subscribers, watching  # noqa: F401

        panels.register()
