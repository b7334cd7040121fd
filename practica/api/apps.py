from __future__ import annotations

from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "practica.api"
    label = "api"
    verbose_name = "JSON API v1"
