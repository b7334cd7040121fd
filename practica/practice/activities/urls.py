from __future__ import annotations

from django.urls import URLPattern, path

from practica.practice.activities import views

app_name = "activities"
urlpatterns: list[URLPattern] = [
    path("", views.library, name="library"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/adapt/", views.adapt_library, name="adapt"),
]
