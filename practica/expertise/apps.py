from __future__ import annotations

from django.apps import AppConfig


class ExpertiseConfig(AppConfig):
    name = "practica.expertise"
    label = "expertise"
    verbose_name = "Expertise, routing and channels"

    def ready(self) -> None:
        from practica.communities.tabs import Tab
        from practica.communities.tabs import register as register_tab
        from practica.expertise import jobs, subscribers  # noqa: F401 (registration)
        from practica.expertise.search import register_search
        from practica.qa.panels import PostPanel, register_post_panel

        register_tab(Tab("experts", "Experts", "expertise:experts", 20))
        register_tab(Tab("channels", "Channels", "expertise:channels", 21))
        from practica.expertise.panels import routing_panel

        register_post_panel(
            PostPanel("expertise.routing", 20, "expertise/_routing_panel.html", routing_panel)
        )
        register_search()
