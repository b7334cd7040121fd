from __future__ import annotations

from django.apps import AppConfig


class RealtimeConfig(AppConfig):
    name = "practica.realtime"
    label = "realtime"
    verbose_name = "Events and real time"
