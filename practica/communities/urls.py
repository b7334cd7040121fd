from __future__ import annotations

from django.urls import path

from practica.communities import views

app_name = "communities"
urlpatterns = [
    path("", views.community_list, name="list"),
    path("new/", views.community_create, name="create"),
    path("<slug:slug>/", views.community_home, name="home"),
    path("<slug:slug>/members/", views.community_members, name="members"),
    path("<slug:slug>/settings/", views.community_settings, name="settings"),
    path("<slug:slug>/join", views.join, name="join"),
    path("<slug:slug>/leave", views.leave, name="leave"),
    path("<slug:slug>/request", views.request_join, name="request"),
    path("<slug:slug>/requests/<int:request_id>", views.decide_request, name="decide-request"),
    path("<slug:slug>/invite", views.invite, name="invite"),
    path(
        "<slug:slug>/invitations/<int:invitation_id>",
        views.respond_invitation,
        name="respond-invitation",
    ),
    path("<slug:slug>/members/<int:user_id>/role", views.member_role, name="member-role"),
]
