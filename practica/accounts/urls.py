from __future__ import annotations

from django.urls import path

from practica.accounts import views

app_name = "accounts"
urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("profile/tokens/", views.tokens, name="tokens"),
    path("profile/tokens/<int:token_id>/revoke", views.revoke_token, name="token-revoke"),
    path("people/<int:user_id>/", views.person, name="person"),
    path("orgs/", views.org_list, name="org-list"),
    path("orgs/<slug:slug>/", views.org_detail, name="org-detail"),
    path("orgs/<slug:slug>/members/", views.org_members, name="org-members"),
    path("orgs/<slug:slug>/new/", views.org_new_child, name="org-new-child"),
    path("orgs/<slug:slug>/settings/", views.org_settings, name="org-settings"),
    path("orgs/<slug:slug>/invite/", views.org_invite, name="org-invite"),
    path("orgs/<slug:slug>/members/<int:user_id>/role", views.org_set_role, name="org-role"),
    path("invitations/<str:token>/", views.accept_invitation, name="invitation"),
]
