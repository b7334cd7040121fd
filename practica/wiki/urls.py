"""Pages of the wiki feature (mounted at the site root by practica.urls: paths are full)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver

app_name = "wiki"
urlpatterns: list[URLPattern | URLResolver] = []
