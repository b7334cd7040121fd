from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class RecognitionConfig(AppConfig):
    name = "practica.recognition"
    label = "recognition"
    verbose_name = "Reputation, levels and badges"

    def ready(self) -> None:
        # Register the reputation sources, goal counters, badges and due-job handlers (their
        # imports subscribe them to the event bus), the community panel and header tab.
        from django.template import engines

        from practica.communities.panels import Panel
        from practica.communities.panels import register as register_panel
        from practica.communities.tabs import Tab
        from practica.communities.tabs import register as register_tab
        from practica.recognition import badge_rules, goals, jobs, sources  # noqa: F401
        from practica.recognition.panels import goals_panel, profile_section

        register_panel(Panel("goals", 5, "recognition/_goals_panel.html", goals_panel))
        register_tab(Tab("goals", "Goals", "recognition:goals", 70))
        # The profile page (accounts/person.html) includes our section, which reads this.
        engines["jinja2"].env.globals["recognition_profile"] = profile_section  # type: ignore[attr-defined]
        post_migrate.connect(_schedule_backfill, sender=self)


def _schedule_backfill(**kwargs: Any) -> None:
    """After migrating, make sure the daily badge safety net is scheduled."""
    from practica.recognition.jobs import ensure_daily_backfill

    ensure_daily_backfill()
