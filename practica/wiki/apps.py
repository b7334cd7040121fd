from __future__ import annotations

from django.apps import AppConfig


class WikiConfig(AppConfig):
    name = "practica.wiki"
    label = "wiki"
    verbose_name = "Wiki"

    def ready(self) -> None:
        """Plug into the apps the wiki builds on: the community header's tabs, search, and the
        question page (answers show "now on the wiki"; the privileged see "promote")."""
        from practica.communities.tabs import Tab, register
        from practica.qa.panels import (
            AnswerExtra,
            PostPanel,
            register_answer_extra,
            register_post_panel,
        )
        from practica.search.registry import SearchType
        from practica.search.registry import register as register_search
        from practica.wiki import promotion
        from practica.wiki.models import Page
        from practica.wiki.search import page_document

        register(Tab("wiki", "Wiki", "wiki:index", 30))
        register_search(
            SearchType(name="wiki_page", model=Page, document=page_document, label="Wiki pages")
        )
        register_answer_extra(
            AnswerExtra("wiki", "wiki/_answer_extra.html", promotion.answer_extras)
        )
        register_post_panel(PostPanel("wiki", 40, "wiki/_post_panel.html", promotion.post_panel))
