"""Pages of the recognition feature (mounted at the site root by practica.urls: paths are full)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver

app_name = "recognition"
urlpatterns: list[URLPattern | URLResolver] = []
