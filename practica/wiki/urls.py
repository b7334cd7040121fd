"""Pages of the wiki (mounted at the site root by practica.urls: paths are full).

The same views serve a community's wiki (``/c/<slug>/wiki/``, names ``wiki:<name>``) and an
organization's (``/orgs/<slug>/wiki/``, names ``wiki:org-<name>``); ``scope`` tells them apart.
Page slugs never take the words used here (``services.WIKI_RESERVED``).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpResponse
from django.urls import URLPattern, URLResolver, path

from practica.wiki import views
from practica.wiki.spaces import COMMUNITY, ORGANIZATION

app_name = "wiki"

PAGES: list[tuple[str, Callable[..., HttpResponse], str]] = [
    ("", views.index, "index"),
    ("new/", views.new, "new"),
    ("changes/", views.changes, "changes"),
    ("trash/", views.trash, "trash"),
    ("<slug:page_slug>/", views.page, "page"),
    ("<slug:page_slug>/edit/", views.edit, "edit"),
    ("<slug:page_slug>/history/", views.history, "history"),
    ("<slug:page_slug>/diff/", views.diff, "diff"),
    ("<slug:page_slug>/revisions/<int:revision_id>/", views.revision, "revision"),
    ("<slug:page_slug>/revert/", views.revert, "revert"),
    ("<slug:page_slug>/delete/", views.delete, "delete"),
    ("<slug:page_slug>/restore/", views.restore, "restore"),
    ("<slug:page_slug>/protect/", views.protect, "protect"),
    ("<slug:page_slug>/watch/", views.watch, "watch"),
]

urlpatterns: list[URLPattern | URLResolver] = [
    path(
        "c/<slug:slug>/wiki/promote/<int:post_id>/",
        views.promote,
        {"scope": COMMUNITY},
        name="promote",
    ),
    *[
        path(f"c/<slug:slug>/wiki/{route}", view, {"scope": COMMUNITY}, name=name)
        for route, view, name in PAGES
    ],
    *[
        path(f"orgs/<slug:slug>/wiki/{route}", view, {"scope": ORGANIZATION}, name=f"org-{name}")
        for route, view, name in PAGES
    ],
]
