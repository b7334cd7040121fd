from __future__ import annotations

from django.apps import AppConfig


class ConsultancyConfig(AppConfig):
    name = "practica.practice.consultancy"
    label = "consultancy"
    verbose_name = "Consultancy sessions"

    def ready(self) -> None:
        from practica.communities.tabs import Tab, register
        from practica.practice.consultancy import jobs  # noqa: F401  (registers the handler)

        register(Tab("consultancy", "Consultancy", "consultancy:index", 60))
