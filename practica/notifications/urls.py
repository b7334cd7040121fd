from __future__ import annotations

from django.urls import path

from practica.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("read", views.read, name="read"),
    path("bell", views.bell, name="bell"),
    path("settings", views.settings_page, name="settings"),
    path("watch", views.watch, name="watch"),
    path("unsubscribe/<str:token>", views.unsubscribe, name="unsubscribe"),
]
