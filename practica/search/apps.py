from __future__ import annotations

from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "practica.search"
    label = "search"

    def ready(self) -> None:
        from practica.search.people import register_people

        register_people()
