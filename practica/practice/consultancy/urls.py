"""Pages of the consultancy feature (mounted at the site root by practica.urls: paths are full)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from practica.practice.consultancy import views

app_name = "consultancy"
ROOT = "c/<slug:slug>/consultancy/"
ONE = ROOT + "<int:session_id>/"
PROTOCOL = ROOT + "protocols/<int:protocol_id>/"

urlpatterns: list[URLPattern | URLResolver] = [
    path(ROOT, views.index, name="index"),
    path(ROOT + "new/", views.new, name="new"),
    path(ONE, views.session, name="session"),
    path(ONE + "live/", views.live, name="live"),
    path(ONE + "start/", views.start, name="start"),
    path(ONE + "advance/", views.advance, name="advance"),
    path(ONE + "back/", views.back, name="back"),
    path(ONE + "finish/", views.finish, name="finish"),
    path(ONE + "contribute/", views.contribute, name="contribute"),
    path(ONE + "reflection/", views.reflection, name="reflection"),
    path(ONE + "followup/", views.followup, name="followup"),
    path(ONE + "visibility/", views.visibility, name="visibility"),
    path(ROOT + "protocols/", views.protocols, name="protocols"),
    path(PROTOCOL, views.protocol, name="protocol"),
    path(PROTOCOL + "adapt/", views.adapt, name="adapt"),
]
