"""Pages of the consultancy feature (mounted at the site root by practica.urls: paths are full)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver

app_name = "consultancy"
urlpatterns: list[URLPattern | URLResolver] = []
