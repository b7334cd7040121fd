"""Pages of the resources feature (mounted at the site root by practica.urls: paths are full)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from practica.resources import views

app_name = "resources"
ONE = "c/<slug:slug>/resources/<int:resource_id>/"
urlpatterns: list[URLPattern | URLResolver] = [
    path("c/<slug:slug>/resources/", views.index, name="index"),
    # "new" is in uploads.UPLOAD_VIEWS: its POST body is size-checked while it streams in.
    path("c/<slug:slug>/resources/new/", views.new, name="new"),
    path("c/<slug:slug>/resources/review/", views.review_queue, name="review"),
    path("c/<slug:slug>/resources/settings/", views.resource_settings, name="settings"),
    path(ONE, views.detail, name="detail"),
    path(ONE + "file/", views.file, name="file"),
    path(ONE + "edit/", views.edit, name="edit"),
    path(ONE + "rate/", views.rate, name="rate"),
    path(ONE + "used/", views.used, name="used"),
    path(ONE + "needs-review/", views.needs_review, name="needs-review"),
    path(ONE + "reviewed/", views.reviewed, name="reviewed"),
    path(ONE + "flag/", views.flag, name="flag"),
    path(ONE + "moderate/", views.moderate, name="moderate"),
    path("orgs/<slug:slug>/resource-limits/", views.org_limits, name="limits"),
]
