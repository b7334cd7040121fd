"""A community's activities, mounted at /c/<slug>/activities/ (every view gets ``slug``)."""

from __future__ import annotations

from django.urls import URLPattern, path

from practica.practice.activities import views

app_name = "community_activities"
urlpatterns: list[URLPattern] = [
    path("", views.community_index, name="index"),
    path("<slug:activity_slug>/", views.community_detail, name="detail"),
    path("<slug:activity_slug>/edit/", views.community_edit, name="edit"),
    path("<slug:activity_slug>/adapt/", views.adapt_community, name="adapt"),
]
