"""Pages of the recognition feature (mounted at the site root by practica.urls: paths are full)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from practica.recognition import views

app_name = "recognition"
urlpatterns: list[URLPattern | URLResolver] = [
    path("people/<int:user_id>/recognition/", views.person, name="person"),
    path("people/<int:user_id>/badges/", views.person_badges, name="person-badges"),
    path("people/<int:user_id>/kudos/", views.kudos, name="kudos"),
    path("profile/recognition/", views.preferences, name="preferences"),
    path("badges/", views.catalogue, name="badges"),
    path("badges/assertions/<uuid:uid>", views.assertion, name="assertion"),
    path("badges/assertions/<uuid:uid>/baked.svg", views.baked, name="baked"),
    path("badges/awards/<uuid:uid>/", views.award_page, name="award"),
    path("badges/awards/<uuid:uid>/public", views.award_public, name="award-public"),
    path("badges/awards/<uuid:uid>/revoke", views.award_revoke, name="award-revoke"),
    path("badges/issuers/<slug:org_slug>", views.ob_issuer, name="ob-issuer"),
    path(
        "badges/issuers/<slug:org_slug>/badges/<slug:slug>",
        views.ob_badgeclass,
        name="ob-badgeclass",
    ),
    path("badges/<slug:slug>/", views.badge_detail, name="badge"),
    path("badges/<slug:slug>/image.svg", views.badge_image, name="badge-image"),
    path("c/<slug:slug>/goals/", views.goals, name="goals"),
    path("c/<slug:slug>/goals/<int:goal_id>/delete", views.goal_delete, name="goal-delete"),
    path("c/<slug:slug>/leaderboard/", views.leaderboard, name="leaderboard"),
    path("c/<slug:slug>/recognition/settings/", views.community_settings, name="settings"),
    path("c/<slug:slug>/members/<int:user_id>/level/", views.member_level, name="member-level"),
    path("orgs/<slug:slug>/levels/", views.org_levels, name="org-levels"),
]
