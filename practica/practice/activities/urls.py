from __future__ import annotations

from django.urls import URLPattern, path

from practica.practice.activities import views

app_name = "activities"
urlpatterns: list[URLPattern] = [
    path("", views.library, name="library"),
]
