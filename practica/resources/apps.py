from __future__ import annotations

from django.apps import AppConfig


class ResourcesConfig(AppConfig):
    name = "practica.resources"
    label = "resources"
    verbose_name = "Learning resources"

    def ready(self) -> None:
        from practica.communities.tabs import Tab
        from practica.communities.tabs import register as register_tab
        from practica.resources import jobs  # noqa: F401  (registers the nightly refresh)
        from practica.resources.models import Resource
        from practica.resources.search import document
        from practica.search.registry import SearchType
        from practica.search.registry import register as register_search

        register_tab(Tab("resources", "Resources", "resources:index", 40))
        register_search(
            SearchType(name="resource", model=Resource, document=document, label="Resources")
        )
        try:
            from practica.qa import panels
        except ImportError:  # the Q&A app has no panels yet
            return
        from practica.resources.views import related_resources_panel

        panels.register_post_panel(
            panels.PostPanel("resources", 60, "resources/_post_panel.html", related_resources_panel)
        )
