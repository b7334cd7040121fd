"""Meeting pages, mounted at /c/<slug>/meetings/ (every view receives ``slug``)."""

from __future__ import annotations

from django.urls import URLPattern, path

from practica.practice.meetings import views

app_name = "meetings"
urlpatterns: list[URLPattern] = [
    path("", views.index, name="index"),
    path("new/", views.series_new, name="series-new"),
    path("settings/", views.meeting_settings, name="settings"),
    path("activities/", views.activities, name="activities"),
    path("calendar/", views.community_calendar, name="calendar"),
    path("series/<int:series_id>/", views.series_detail, name="series"),
    path("series/<int:series_id>/edit/", views.series_edit, name="series-edit"),
    path("series/<int:series_id>/rota/join", views.rota_join, name="rota-join"),
    path("series/<int:series_id>/rota/leave", views.rota_leave, name="rota-leave"),
    path("series/<int:series_id>/rota/order", views.rota_order, name="rota-order"),
    path("series/<int:series_id>/swaps", views.swap_new, name="swap-new"),
    path("series/<int:series_id>/swaps/<int:swap_id>", views.swap_answer, name="swap-answer"),
    path("<int:occurrence_id>/", views.occurrence, name="occurrence"),
    path("<int:occurrence_id>/agenda", views.agenda_add, name="agenda-add"),
    path("<int:occurrence_id>/agenda/<int:item_id>", views.agenda_item, name="agenda-item"),
    path("<int:occurrence_id>/absence", views.absence, name="absence"),
    path("<int:occurrence_id>/attendance", views.attendance, name="attendance"),
    path("<int:occurrence_id>/notes", views.notes, name="notes"),
    path("<int:occurrence_id>/actions", views.action_add, name="action-add"),
    path("<int:occurrence_id>/activity/", views.pick, name="pick"),
    path("<int:occurrence_id>/feedback", views.feedback, name="feedback"),
    path("<int:occurrence_id>/cancel", views.cancel, name="cancel"),
    path("<int:occurrence_id>/restore", views.restore, name="restore"),
    path("<int:occurrence_id>/reschedule/", views.reschedule, name="reschedule"),
    path("actions/<int:item_id>", views.action_item, name="action"),
]
