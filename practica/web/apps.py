from __future__ import annotations

from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "practica.web"
    label = "web"
    verbose_name = "Page shell"
