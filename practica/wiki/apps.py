from __future__ import annotations

from django.apps import AppConfig


class WikiConfig(AppConfig):
    name = "practica.wiki"
    label = "wiki"
    verbose_name = "Wiki"
