from __future__ import annotations

from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "practica.api"
    label = "api"
    verbose_name = "JSON API v1"

    def ready(self) -> None:
        from practica.api import checks  # noqa: F401  (registers the system checks)
