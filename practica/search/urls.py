"""Pages of the search feature (mounted at the site root by practica.urls: paths are full)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from practica.search import views

app_name = "search"
urlpatterns: list[URLPattern | URLResolver] = [
    path("search/", views.search, name="search"),
]
