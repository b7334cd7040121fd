from __future__ import annotations

from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "practica.practice.feedback"
    label = "feedback"
    verbose_name = "Honest feedback and trust pulses"

    def ready(self) -> None:
        from practica.communities import tabs
        from practica.practice.feedback import jobs, subscribers  # noqa: F401  (registrations)

        tabs.register(tabs.Tab("feedback", "Feedback", "feedback:index", 70))
        tabs.register(tabs.Tab("health", "Health", "feedback:health", 80))
