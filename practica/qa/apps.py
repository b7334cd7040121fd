from __future__ import annotations

from django.apps import AppConfig


class QaConfig(AppConfig):
    name = "practica.qa"
    label = "qa"
    verbose_name = "Questions and answers"
