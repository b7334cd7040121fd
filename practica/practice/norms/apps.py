from __future__ import annotations

from django.apps import AppConfig


class NormsConfig(AppConfig):
    name = "practica.practice.norms"
    label = "norms"
