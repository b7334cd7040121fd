from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from practica.api.urls import api

urlpatterns = [
    path("", include("practica.web.urls")),
    # The busiest pages first: Django tries patterns in order on every request. Only
    # "c/<slug>/questions/..." and "c/<slug>/tags/..." live there, which nothing else claims.
    path("", include("practica.qa.urls")),
    # Then the communities' own pages (the list, a home, members): their patterns are all
    # specific, so no feature app's "c/<slug>/..." path is shadowed (tests/test_platform.py
    # checks every route resolves to its own view). Last, /c/ walked ~20 resolvers.
    path("c/", include("practica.communities.urls")),
    path("accounts/", include("allauth.urls")),
    path("", include("practica.accounts.urls")),
    path("c/<slug:slug>/norms/", include("practica.practice.norms.urls")),
    path("c/<slug:slug>/meetings/", include("practica.practice.meetings.urls")),
    path("activities/", include("practica.practice.activities.urls")),
    path("notifications/", include("practica.notifications.urls")),
    path("calendar/", include("practica.practice.meetings.feed_urls")),
    path("c/<slug:slug>/activities/", include("practica.practice.activities.community_urls")),
    # Feature apps: each urls module holds full paths (e.g. "c/<slug>/questions/").
    path("", include("practica.expertise.urls")),
    path("", include("practica.search.urls")),
    path("", include("practica.wiki.urls")),
    path("", include("practica.recognition.urls")),
    path("", include("practica.resources.urls")),
    path("", include("practica.practice.consultancy.urls")),
    path("", include("practica.practice.feedback.urls")),
    path("", include("practica.practice.coaching.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]

handler404 = "practica.web.views.not_found"
handler403 = "practica.web.views.forbidden"
handler500 = "practica.web.views.server_error"
