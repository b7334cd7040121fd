"""Mounted at /c/<slug>/norms/ (``practica.urls``); every view receives ``slug``."""

from __future__ import annotations

from django.urls import URLPattern, path

from practica.practice.norms import views

app_name = "norms"
urlpatterns: list[URLPattern] = [
    path("", views.index, name="index"),
    path("history/", views.history, name="history"),
    path("proposals/", views.proposals, name="proposals"),
    path("propose/", views.propose, name="propose"),
    path("settings/", views.norm_settings, name="settings"),
    path("p/<int:proposal_id>/", views.proposal, name="proposal"),
    path("p/<int:proposal_id>/respond/", views.respond, name="respond"),
    path(
        "p/<int:proposal_id>/withdraw-objection/",
        views.withdraw_objection,
        name="withdraw-objection",
    ),
    path("p/<int:proposal_id>/revise/", views.revise, name="revise"),
    path("p/<int:proposal_id>/comment/", views.comment, name="comment"),
    path("p/<int:proposal_id>/nudge/<int:user_id>/", views.nudge, name="nudge"),
    path("revisit/<int:round_id>/", views.revisit, name="revisit"),
    path("revisit/<int:round_id>/reaffirm/", views.reaffirm, name="reaffirm"),
]
