from __future__ import annotations

from django.apps import AppConfig


class RecognitionConfig(AppConfig):
    name = "practica.recognition"
    label = "recognition"
    verbose_name = "Reputation, levels and badges"
