"""Pages of honest feedback, the trust pulse and the health page (full paths)."""

from __future__ import annotations

from django.urls import path

from practica.practice.feedback import views

app_name = "feedback"
urlpatterns = [
    path("c/<slug:slug>/feedback/", views.index, name="index"),
    path("c/<slug:slug>/feedback/new/", views.new, name="new"),
    path("c/<slug:slug>/feedback/<int:request_id>/", views.detail, name="detail"),
    path("c/<slug:slug>/feedback/<int:request_id>/answer/", views.respond, name="respond"),
    path("c/<slug:slug>/feedback/<int:request_id>/remind/", views.remind, name="remind"),
    path("c/<slug:slug>/feedback/<int:request_id>/reflect/", views.reflect, name="reflect"),
    path("c/<slug:slug>/trust/", views.trust_page, name="trust"),
    path("c/<slug:slug>/trust/answer/", views.trust_respond, name="trust-respond"),
    path("c/<slug:slug>/trust/open/", views.trust_open, name="trust-open"),
    path("c/<slug:slug>/trust/close/", views.trust_close, name="trust-close"),
    path("c/<slug:slug>/trust/settings/", views.trust_settings, name="trust-settings"),
    path("c/<slug:slug>/health/", views.health_page, name="health"),
]
