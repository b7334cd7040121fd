from __future__ import annotations

from django.apps import AppConfig


class ExpertiseConfig(AppConfig):
    name = "practica.expertise"
    label = "expertise"
    verbose_name = "Expertise, routing and channels"
