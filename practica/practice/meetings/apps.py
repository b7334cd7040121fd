from __future__ import annotations

from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "practica.practice.meetings"
    label = "meetings"
