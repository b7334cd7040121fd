"""Coaching and mentoring pages (full paths; personal, not under a community)."""

from __future__ import annotations

from django.urls import path

from practica.practice.coaching import views

app_name = "coaching"
urlpatterns = [
    path("coaching/", views.index, name="index"),
    path("coaching/find/", views.find, name="find"),
    path("coaching/ask/<int:user_id>/", views.ask, name="ask"),
    path("coaching/requests/<int:request_id>/decide/", views.decide, name="decide"),
    path("coaching/requests/<int:request_id>/withdraw/", views.withdraw, name="withdraw"),
    path("coaching/<int:relationship_id>/", views.relationship, name="relationship"),
    path("coaching/<int:relationship_id>/goals/", views.add_goal, name="goal-add"),
    path(
        "coaching/<int:relationship_id>/goals/<int:goal_id>/",
        views.update_goal,
        name="goal-update",
    ),
    path("coaching/<int:relationship_id>/checkins/", views.check_in, name="checkin"),
    path("coaching/<int:relationship_id>/assignments/", views.add_stretch, name="stretch-add"),
    path(
        "coaching/<int:relationship_id>/assignments/<int:assignment_id>/done/",
        views.complete_stretch,
        name="stretch-done",
    ),
    path("coaching/<int:relationship_id>/status/", views.set_status, name="status"),
]
