from __future__ import annotations

from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    name = "practica.scheduling"
    label = "scheduling"
    verbose_name = "Due-dated work"
