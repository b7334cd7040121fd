from __future__ import annotations

from django.urls import path

from practica.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("read", views.read, name="read"),
]
