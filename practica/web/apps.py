from __future__ import annotations

from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "practica.web"
    label = "web"
    verbose_name = "Page shell"

    def ready(self) -> None:
        from practica.web.panels import register_panels

        register_panels()
