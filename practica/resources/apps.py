from __future__ import annotations

from django.apps import AppConfig


class ResourcesConfig(AppConfig):
    name = "practica.resources"
    label = "resources"
    verbose_name = "Learning resources"
