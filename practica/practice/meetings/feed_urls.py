"""Calendar URLs outside /c/ (a person's feed spans communities), mounted at /calendar/:
your calendar link page and the secret .ics feeds."""

from __future__ import annotations

from django.urls import URLPattern, path

from practica.practice.meetings import views

app_name = "calendar"
urlpatterns: list[URLPattern] = [
    path("", views.my_calendar, name="mine"),
    path("<str:token>.ics", views.feed, name="feed"),
]
