"""The recognition access matrix: every recognition page and API endpoint × the cast × each
visibility (where the community matters) → the expected status. Same format and cast order as
tests/test_norms_access_matrix.py.

Each cell's world: in the community of that visibility, ``member`` holds a level-2 standing,
two awards earned there (one published, one private), and kudos from ``expert``; the community
has a goal and its leaderboard turned on. Person pages are about ``member``, whose profile
follows ``access.can_view_person`` (colleagues in an organization or community), so they do not
depend on the community's visibility and are checked once.

One test per row × visibility: the world is built once and each cast member's request runs in
a rolled-back savepoint (tests/matrix.py), so every cell still starts from that same world.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from practica.communities.models import Visibility
from practica.lib.testing import Cast
from practica.recognition.badges import sync_badges
from practica.recognition.models import Award, CommunitySettings, Goal, Kudos, Standing
from tests.matrix import api_client, check_row, login_redirect, page_client

VISIBILITIES = (Visibility.ORGANIZATION, Visibility.PRIVATE, Visibility.PUBLIC)
ORG_ONLY = (Visibility.ORGANIZATION,)
API = "/api/v1"


@dataclass
class World:
    slug: str
    community_pk: int
    goal: Goal
    public_award: Award
    private_award: Award
    cast: Cast


def _world(cast: Cast, visibility: str) -> World:
    community = cast.community(visibility)
    badges = sync_badges()
    goal = Goal.objects.create(
        community=community, title="Answer within two days", metric="answered_48h", target=90,
        starts_on=timezone.now().date(), ends_on=timezone.now().date() + timedelta(days=30),
        created_by=cast.coordinator,
    )  # fmt: skip

    def award(slug: str, public: bool) -> Award:
        return Award.objects.create(
            badge=badges[slug], user=cast.member, organization=community.organization,
            community=community, evidence_type="post", evidence_id=1,
            evidence_note="A struggle shared that drew three answers.", public=public,
        )  # fmt: skip

    Standing.objects.create(user=cast.member, community=community, reputation=120, level=2)
    Kudos.objects.create(
        giver=cast.expert, recipient=cast.member, community=community, note="Thanks for the rota!"
    )
    CommunitySettings.objects.create(community=community, leaderboard_enabled=True)
    return World(
        community.slug, community.pk, goal, award("open-door", True), award("noted", False), cast
    )


UrlFor = Callable[[World], str]
DataFor = Callable[[World], dict[str, Any]]


def person(name: str) -> UrlFor:
    return lambda w: reverse(f"recognition:{name}", args=[w.cast.member.pk])


def community(name: str) -> UrlFor:
    return lambda w: reverse(f"recognition:{name}", args=[w.slug])


def award(name: str, which: str = "public") -> UrlFor:
    return lambda w: reverse(f"recognition:{name}", args=[getattr(w, f"{which}_award").uid])


def fixed(data: dict[str, Any]) -> DataFor:
    return lambda w: data


def same(row: str) -> dict[str, str]:
    return dict.fromkeys(VISIBILITIES, row)


def _ok(rows: dict[str, str], code: str) -> dict[str, str]:
    return {vis: row.replace("200", code) for vis, row in rows.items()}


EVERYONE = same("200 200 200 200 200 200 200 200 200")
SIGNED_IN = same("302 200 200 200 200 200 200 200 200")
PERSON = same("302 404 200 200 200 200 200 200 200")
READ = {
    "organization": "302 404 200 200 200 200 200 200 200",
    "private":      "302 404 404 200 200 200 200 404 200",
    "public":       "200 200 200 200 200 200 200 200 200",
}  # fmt: skip
MANAGERS_GET = {
    "organization": "302 404 403 403 403 200 200 200 200",
    "private":      "302 404 404 403 403 200 200 404 200",
    "public":       "302 403 403 403 403 200 200 200 200",
}  # fmt: skip
STEWARDS_GET = {
    "organization": "302 404 403 403 403 403 200 200 200",
    "private":      "302 404 404 403 403 403 200 404 200",
    "public":       "302 403 403 403 403 403 200 200 200",
}  # fmt: skip
# The recipient and staff see a private award; to others it does not exist.
PRIVATE_AWARD_JSON = same("404 404 404 200 404 404 404 404 200")
PRIVATE_AWARD_PAGE = same("302 404 404 200 404 404 404 404 200")
REVOKE = {
    "organization": "302 403 403 403 403 302 302 302 302",
    "private":      "302 403 403 403 403 302 302 403 302",
    "public":       "302 403 403 403 403 302 302 302 302",
}  # fmt: skip


def _goal_post(w: World) -> dict[str, Any]:
    today = timezone.now().date()
    return {"title": "Everyone opens a meeting", "metric": "members_opened", "target": 100,
            "starts_on": today, "ends_on": today + timedelta(days=90)}  # fmt: skip


ROWS: list[tuple[str, str, UrlFor, DataFor, dict[str, str], tuple[str, ...]]] = [
    ("person", "get", person("person"), fixed({}), PERSON, ORG_ONLY),
    ("person-badges", "get", person("person-badges"), fixed({}), PERSON, ORG_ONLY),
    ("kudos", "get", person("kudos"), fixed({}), PERSON, ORG_ONLY),
    # Only people who share the chosen community with her may thank her (not herself).
    ("kudos-post", "post", person("kudos"),
     lambda w: {"community": w.community_pk, "note": "Your seating plan saved my Tuesday."},
     {"organization": "302 404 403 403 302 302 302 403 403",
      "private":      "302 404 403 403 302 302 302 403 403",
      "public":       "302 404 403 403 302 302 302 403 403"}, VISIBILITIES),
    ("preferences", "get", lambda w: reverse("recognition:preferences"), fixed({}), SIGNED_IN,
     ORG_ONLY),
    ("preferences-post", "post", lambda w: reverse("recognition:preferences"),
     fixed({"leaderboard_opt_out": "on"}), _ok(SIGNED_IN, "302"), ORG_ONLY),
    ("badges", "get", lambda w: reverse("recognition:badges"), fixed({}), EVERYONE, ORG_ONLY),
    ("badge", "get", lambda w: reverse("recognition:badge", args=["open-door"]), fixed({}),
     EVERYONE, ORG_ONLY),
    ("badge-image", "get", lambda w: reverse("recognition:badge-image", args=["open-door"]),
     fixed({}), EVERYONE, ORG_ONLY),
    ("ob-issuer", "get",
     lambda w: reverse("recognition:ob-issuer", args=[w.public_award.organization.slug]),
     fixed({}), EVERYONE, ORG_ONLY),
    ("ob-badgeclass", "get",
     lambda w: reverse("recognition:ob-badgeclass",
                       args=[w.public_award.organization.slug, "open-door"]),
     fixed({}), EVERYONE, ORG_ONLY),
    # Published awards are public whatever the community (that is what publishing means).
    ("assertion", "get", award("assertion"), fixed({}), EVERYONE, VISIBILITIES),
    ("assertion-private", "get", award("assertion", "private"), fixed({}), PRIVATE_AWARD_JSON,
     VISIBILITIES),
    ("baked", "get", award("baked"), fixed({}), EVERYONE, VISIBILITIES),
    ("award", "get", award("award"), fixed({}), EVERYONE, VISIBILITIES),
    ("award-private", "get", award("award", "private"), fixed({}), PRIVATE_AWARD_PAGE,
     VISIBILITIES),
    ("award-public", "post", award("award-public", "private"), fixed({"public": "1"}),
     same("302 404 404 302 404 404 404 404 404"), ORG_ONLY),
    ("award-revoke", "post", award("award-revoke"), fixed({"reason": "Awarded in error."}),
     REVOKE, VISIBILITIES),
    ("goals", "get", community("goals"), fixed({}), READ, VISIBILITIES),
    ("goals-post", "post", community("goals"), _goal_post, _ok(MANAGERS_GET, "302"),
     VISIBILITIES),
    ("goal-delete", "post",
     lambda w: reverse("recognition:goal-delete", args=[w.slug, w.goal.pk]), fixed({}),
     _ok(MANAGERS_GET, "302"), VISIBILITIES),
    ("leaderboard", "get", community("leaderboard"), fixed({}), READ, VISIBILITIES),
    ("settings", "get", community("settings"), fixed({}), STEWARDS_GET, VISIBILITIES),
    ("settings-post", "post", community("settings"), fixed({"leaderboard_enabled": ""}),
     _ok(STEWARDS_GET, "302"), VISIBILITIES),
    ("member-level", "get",
     lambda w: reverse("recognition:member-level", args=[w.slug, w.cast.member.pk]), fixed({}),
     MANAGERS_GET, VISIBILITIES),
    ("member-level-post", "post",
     lambda w: reverse("recognition:member-level", args=[w.slug, w.cast.member.pk]),
     fixed({"level": 1, "reason": "Hid posts that were fine."}), _ok(MANAGERS_GET, "302"),
     VISIBILITIES),
    ("org-levels", "get", lambda w: reverse("recognition:org-levels", args=["riverside"]),
     fixed({}), same("302 404 403 403 403 403 403 200 200"), ORG_ONLY),
    ("org-levels-post", "post", lambda w: reverse("recognition:org-levels", args=["riverside"]),
     fixed({f"l{lvl}_{k}": lvl * 10 for lvl in range(1, 5) for k in ("rep", "helped", "days")}),
     same("302 404 403 403 403 403 403 302 302"), ORG_ONLY),
]  # fmt: skip


@pytest.mark.parametrize(("method", "url_for", "data_for", "visibility", "expected"), [
    pytest.param(method, url_for, data_for, vis, by_vis[vis], id=f"{name}-{vis}")
    for name, method, url_for, data_for, by_vis, visibilities in ROWS
    for vis in visibilities
])  # fmt: skip
def test_recognition_matrix(
    cast: Cast,
    method: str,
    url_for: UrlFor,
    data_for: DataFor,
    visibility: str,
    expected: str,
) -> None:
    world = _world(cast, visibility)
    check_row(
        page_client(cast),
        lambda client, who: getattr(client, method)(url_for(world), data_for(world)),
        expected,
        on_redirect=login_redirect,
    )


MISSING = "00000000-0000-4000-8000-000000000000"


@pytest.mark.parametrize(("url_for", "expected"), [
    pytest.param(lambda: reverse("recognition:goals", args=["no-such-community"]),
                 "302 404 404 404 404 404 404 404 404", id="community"),
    pytest.param(lambda: reverse("recognition:person", args=[999_999]),
                 "302 404 404 404 404 404 404 404 404", id="person"),
    pytest.param(lambda: f"/badges/assertions/{MISSING}", "404 404 404 404 404 404 404 404 404",
                 id="assertion"),
])  # fmt: skip
def test_missing_things_are_not_found(
    cast: Cast, url_for: Callable[[], str], expected: str
) -> None:
    check_row(page_client(cast), lambda client, who: client.get(url_for()), expected)


# --- The API ------------------------------------------------------------------------------------

PathFor = Callable[[World], str]


def user_api(suffix: str) -> PathFor:
    return lambda w: f"{API}/users/{w.cast.member.pk}/{suffix}"


API_PERSON = same("401 404 200 200 200 200 200 200 200")
API_READ = {
    "organization": "401 404 200 200 200 200 200 200 200",
    "private":      "401 404 404 200 200 200 200 404 200",
    "public":       "200 200 200 200 200 200 200 200 200",
}  # fmt: skip
API_MANAGERS = {
    "organization": "401 404 403 403 403 201 201 201 201",
    "private":      "401 404 404 403 403 201 201 404 201",
    "public":       "401 403 403 403 403 201 201 201 201",
}  # fmt: skip

API_ROWS: list[tuple[str, str, PathFor, DataFor | None, dict[str, str], tuple[str, ...]]] = [
    ("reputation", "get", user_api("reputation"), None, API_PERSON, ORG_ONLY),
    ("user-badges", "get", user_api("badges"), None, API_PERSON, ORG_ONLY),
    ("user-kudos", "get", user_api("kudos"), None, API_PERSON, ORG_ONLY),
    ("give-kudos", "post", user_api("kudos"),
     lambda w: {"community": w.slug, "note": "Thanks for sharing your plans."},
     {"organization": "401 404 403 422 201 201 201 403 403",
      "private":      "401 404 404 422 201 201 201 404 403",
      "public":       "401 404 403 422 201 201 201 403 403"}, VISIBILITIES),
    ("badges", "get", lambda w: f"{API}/badges", None, same("200 " * 8 + "200"), ORG_ONLY),
    ("goals", "get", lambda w: f"{API}/communities/{w.slug}/goals", None, API_READ,
     VISIBILITIES),
    ("goals-post", "post", lambda w: f"{API}/communities/{w.slug}/goals",
     lambda w: {k: str(v) for k, v in _goal_post(w).items()}, API_MANAGERS, VISIBILITIES),
]  # fmt: skip


@pytest.mark.parametrize(("method", "path_for", "data_for", "visibility", "expected"), [
    pytest.param(method, path_for, data_for, vis, by_vis[vis], id=f"{name}-{vis}")
    for name, method, path_for, data_for, by_vis, visibilities in API_ROWS
    for vis in visibilities
])  # fmt: skip
def test_recognition_api_matrix(
    cast: Cast,
    method: str,
    path_for: PathFor,
    data_for: DataFor | None,
    visibility: str,
    expected: str,
) -> None:
    world = _world(cast, visibility)

    def call(client: Client, who: str) -> Any:
        path = path_for(world)
        if method == "get":
            response = client.get(path)
        else:
            body = json.dumps(data_for(world) if data_for else {})
            response = client.post(path, data=body, content_type="application/json")
        if response.status_code >= 400:  # refusals carry the API's error body
            assert set(response.json()) >= {"detail", "code"}, f"{who}: {response.content[:300]!r}"
        return response

    check_row(api_client(cast), call, expected)
