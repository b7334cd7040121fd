from __future__ import annotations

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class SearchConfig(AppConfig):
    name = "practica.search"
    label = "search"

    def ready(self) -> None:
        from practica.search import maintenance
        from practica.search.people import register_people

        register_people()
        # SQLite: planner statistics after migrating, and nightly (search.maintenance).
        post_migrate.connect(maintenance.after_migrate, sender=self)
