from __future__ import annotations

from django.apps import AppConfig


class ConsultancyConfig(AppConfig):
    name = "practica.practice.consultancy"
    label = "consultancy"
    verbose_name = "Consultancy sessions"
