from __future__ import annotations

from django.apps import AppConfig


class QaConfig(AppConfig):
    name = "practica.qa"
    label = "qa"
    verbose_name = "Questions and answers"

    def ready(self) -> None:
        from practica.qa import integration, jobs  # noqa: F401 (registers the nightly refresh)

        integration.register_all()
