"""Pages of the expertise feature (mounted at the site root by practica.urls: paths are full)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from practica.expertise import views

app_name = "expertise"
urlpatterns: list[URLPattern | URLResolver] = [
    path("c/<slug:slug>/experts/", views.experts, name="experts"),
    path("c/<slug:slug>/experts/settings/", views.routing_settings, name="settings"),
    path("c/<slug:slug>/experts/ask/<int:post_id>/", views.ask, name="ask"),
    path("c/<slug:slug>/channels/", views.channels, name="channels"),
    path("c/<slug:slug>/channels/new/", views.create_channel, name="channel-new"),
    path("c/<slug:slug>/channels/<slug:channel_slug>/", views.channel, name="channel"),
    path("c/<slug:slug>/channels/<slug:channel_slug>/post/", views.channel_post, name="post"),
    path("c/<slug:slug>/channels/<slug:channel_slug>/follow/", views.follow, name="follow"),
    path("channels/feed/", views.feed, name="feed"),
]
