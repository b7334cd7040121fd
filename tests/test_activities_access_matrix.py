"""The activity pages and API endpoints × the cast × each community visibility → status.

Same cast order and conventions as tests/test_access_matrix.py and
tests/test_api_access_matrix.py: 302 for a signed-out visitor means "sent to log in"; a
community one may not see is 404 (or, in the API, 401 when signed out).

Each row's community starts with one activity, adapted from the library by ``member`` (built
once per row; every cast member's request is then made in a rolled-back savepoint, so each cell
starts from it); ``staff``
and ``org_admin`` are members of no community, so they may read and manage but not adapt.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from practica.communities.models import Visibility
from practica.lib.testing import Cast
from practica.practice.activities.models import Activity
from tests.matrix import CAST, api_client, check_row, login_redirect, page_client

VISIBILITIES = (Visibility.ORGANIZATION, Visibility.PRIVATE, Visibility.PUBLIC)
API = "/api/v1"
SOURCE = "draw-what-i-say"

Url = Callable[[Cast, str], str]


def seeded(cast: Cast, vis: str) -> Activity:
    """The community's one activity. Created when the row's URL is asked for, before any cell
    runs (outside the cells' rolled-back savepoints); rolled back after the test."""
    source = Activity.objects.get(community__isnull=True, slug=SOURCE)
    return Activity.objects.create(
        community=cast.community(vis),
        slug="our-sketches",
        title="Our Sketches",
        purpose=source.purpose,
        summary=source.summary,
        duration_minutes=10,
        steps=["Pair up.", "Sketch."],
        adapted_from=source,
        adaptation_note="Shorter.",
        created_by=cast.member,
    )


def community_url(name: str) -> Url:
    return lambda cast, vis: reverse(
        f"community_activities:{name}", args=[cast.community(vis).slug]
    )


def activity_url(name: str) -> Url:
    def url(cast: Cast, vis: str) -> str:
        activity = seeded(cast, vis)
        return reverse(
            f"community_activities:{name}", args=[cast.community(vis).slug, activity.slug]
        )

    return url


def library_adapt_url(cast: Cast, vis: str) -> str:
    return reverse("activities:adapt", args=[SOURCE])


def form(community: str = "") -> dict[str, str]:
    return {
        "community": community, "title": "Sketch Again", "purpose": "trust", "summary": "s",
        "duration_minutes": "10", "min_group": "2", "max_group": "20", "setting": "both",
        "materials": "", "steps": "Pair up.\nSketch.", "note": "Why not.",
    }  # fmt: skip


# POST data naming the cell's community as the target ("{community}" is filled in per cell).
TARGET = {"community": "{community}"}

# (name, method, url, data, {visibility: statuses in CAST order})
# Adapting: members are redirected to the new activity; people who may see the page but are not
# members of the target get the form back (200: the community is not among their choices).
ROWS: list[tuple[str, str, Url, dict[str, str] | None, dict[str, str]]] = [
    ("index", "get", community_url("index"), None, {
        "organization": "302 404 200 200 200 200 200 200 200",
        "private":      "302 404 404 200 200 200 200 404 200",
        "public":       "200 200 200 200 200 200 200 200 200",
    }),
    ("detail", "get", activity_url("detail"), None, {
        "organization": "302 404 200 200 200 200 200 200 200",
        "private":      "302 404 404 200 200 200 200 404 200",
        "public":       "200 200 200 200 200 200 200 200 200",
    }),
    ("edit", "get", activity_url("edit"), None, {
        "organization": "302 404 403 200 403 200 200 200 200",
        "private":      "302 404 404 200 403 200 200 404 200",
        "public":       "302 403 403 200 403 200 200 200 200",
    }),
    ("edit-post", "post", activity_url("edit"), form(), {
        "organization": "302 404 403 302 403 302 302 302 302",
        "private":      "302 404 404 302 403 302 302 404 302",
        "public":       "302 403 403 302 403 302 302 302 302",
    }),
    ("adapt-community", "get", activity_url("adapt"), None, {
        "organization": "302 404 200 200 200 200 200 200 200",
        "private":      "302 404 404 200 200 200 200 404 200",
        "public":       "302 200 200 200 200 200 200 200 200",
    }),
    ("adapt-community-post", "post", activity_url("adapt"), TARGET, {
        "organization": "302 404 200 302 302 302 302 200 200",
        "private":      "302 404 404 302 302 302 302 404 200",
        "public":       "302 200 200 302 302 302 302 200 200",
    }),
    ("adapt-library-post", "post", library_adapt_url, TARGET, {
        "organization": "302 200 200 302 302 302 302 200 200",
        "private":      "302 200 200 302 302 302 302 200 200",
        "public":       "302 200 200 302 302 302 302 200 200",
    }),
]  # fmt: skip

SITE_ROWS: list[tuple[str, Callable[[Cast], str], str]] = [
    ("library", lambda c: reverse("activities:library"), "302 200 200 200 200 200 200 200 200"),
    ("library-filtered", lambda c: reverse("activities:library") + "?purpose=trust&q=listen",
     "302 200 200 200 200 200 200 200 200"),
    ("library-detail", lambda c: reverse("activities:detail", args=[SOURCE]),
     "302 200 200 200 200 200 200 200 200"),
    ("library-missing", lambda c: reverse("activities:detail", args=["no-such-activity"]),
     "302 404 404 404 404 404 404 404 404"),
    ("library-adapt", lambda c: reverse("activities:adapt", args=[SOURCE]),
     "302 200 200 200 200 200 200 200 200"),
    ("missing-community", lambda c: reverse("community_activities:index", args=["no-such"]),
     "302 404 404 404 404 404 404 404 404"),
]  # fmt: skip


def _data(data: dict[str, str] | None, cast: Cast, vis: str) -> dict[str, str] | None:
    if data is TARGET:
        return form(cast.community(vis).slug)
    return data


@pytest.mark.parametrize(("method", "url_for", "data", "visibility", "expected"), [
    pytest.param(method, url_for, data, vis, by_vis[vis], id=f"{name}-{vis}")
    for name, method, url_for, data, by_vis in ROWS
    for vis in VISIBILITIES
])  # fmt: skip
def test_activity_pages_matrix(
    cast: Cast,
    method: str,
    url_for: Url,
    data: dict[str, str] | None,
    visibility: str,
    expected: str,
) -> None:
    url = url_for(cast, visibility)  # seeds the row's activity before the cells
    wanted = dict(zip(CAST, expected.split(), strict=True))

    def call(client: Client, who: str) -> Any:
        before = Activity.objects.count()
        response = getattr(client, method)(url, _data(data, cast, visibility))
        if data is TARGET:  # a new activity exactly when the member was sent to it
            created = Activity.objects.count() - before
            assert created == (wanted[who] == "302" and who != "anonymous"), (who, created)
        return response

    check_row(page_client(cast), call, expected, on_redirect=login_redirect)


@pytest.mark.parametrize(("url_for", "expected"), [
    pytest.param(url_for, row, id=name) for name, url_for, row in SITE_ROWS
])  # fmt: skip
def test_activity_site_matrix(cast: Cast, url_for: Callable[[Cast], str], expected: str) -> None:
    url = url_for(cast)
    check_row(
        page_client(cast),
        lambda client, who: client.get(url),
        expected,
        on_redirect=login_redirect,
    )


# --- API ---------------------------------------------------------------------------------------

PathFor = Callable[[Cast, str], str]


def api_path(suffix: str = "", *, seed: bool = False) -> PathFor:
    def path(cast: Cast, vis: str) -> str:
        if seed:
            seeded(cast, vis)
        return f"{API}/communities/{cast.community(vis).slug}/activities{suffix}"

    return path


WHOLE = {
    "title": "Sketch It", "purpose": "trust", "summary": "s", "duration_minutes": 10,
    "min_group": 2, "max_group": 20, "in_person": True, "virtual": True, "materials": "",
    "steps": ["Pair up.", "Sketch."], "note": "Why not.",
}  # fmt: skip

API_ROWS: list[tuple[str, str, PathFor, dict[str, object] | None, dict[str, str]]] = [
    ("list", "get", api_path(seed=True), None, {
        "organization": "401 404 200 200 200 200 200 200 200",
        "private":      "401 404 404 200 200 200 200 404 200",
        "public":       "200 200 200 200 200 200 200 200 200",
    }),
    ("detail", "get", api_path("/our-sketches", seed=True), None, {
        "organization": "401 404 200 200 200 200 200 200 200",
        "private":      "401 404 404 200 200 200 200 404 200",
        "public":       "200 200 200 200 200 200 200 200 200",
    }),
    ("adapt", "post", api_path(), {"source": SOURCE, "note": "Ours."}, {
        "organization": "401 404 403 201 201 201 201 403 403",
        "private":      "401 404 404 201 201 201 201 404 403",
        "public":       "401 403 403 201 201 201 201 403 403",
    }),
    # An unknown source: members are told which field is wrong; the rest learn nothing new.
    ("adapt-unknown-source", "post", api_path(), {"source": "no-such", "note": "Ours."}, {
        "organization": "401 404 403 422 422 422 422 403 403",
        "private":      "401 404 404 422 422 422 422 404 403",
        "public":       "401 403 403 422 422 422 422 403 403",
    }),
    ("update", "put", api_path("/our-sketches", seed=True), WHOLE, {
        "organization": "401 404 403 200 403 200 200 200 200",
        "private":      "401 404 404 200 403 200 200 404 200",
        "public":       "401 403 403 200 403 200 200 200 200",
    }),
]  # fmt: skip

API_SITE_ROWS: list[tuple[str, str, str]] = [
    ("library", f"{API}/activities", "401 200 200 200 200 200 200 200 200"),
    ("library-filtered", f"{API}/activities?purpose=trust&setting=virtual&max_duration=15&q=x",
     "401 200 200 200 200 200 200 200 200"),
    ("library-detail", f"{API}/activities/{SOURCE}", "401 200 200 200 200 200 200 200 200"),
    ("library-missing", f"{API}/activities/no-such", "401 404 404 404 404 404 404 404 404"),
    ("missing-community", f"{API}/communities/no-such/activities",
     "401 404 404 404 404 404 404 404 404"),
]  # fmt: skip


def _api_error(response: Any) -> Any:
    """Errors are the API's error shape."""
    if response.status_code >= 400:
        assert set(response.json()) >= {"detail", "code"}, response.content[:300]
    return response


@pytest.mark.parametrize(("method", "path_for", "body", "visibility", "expected"), [
    pytest.param(method, path_for, body, vis, by_vis[vis], id=f"{name}-{vis}")
    for name, method, path_for, body, by_vis in API_ROWS
    for vis in VISIBILITIES
])  # fmt: skip
def test_activity_api_matrix(
    cast: Cast,
    method: str,
    path_for: PathFor,
    body: dict[str, object] | None,
    visibility: str,
    expected: str,
) -> None:
    path = path_for(cast, visibility)  # seeds the row's activity (if any) before the cells

    def call(client: Client, who: str) -> Any:
        if method == "get":
            response = client.get(path)
        else:
            response = getattr(client, method)(
                path, json.dumps(body), content_type="application/json"
            )
        return _api_error(response)

    check_row(api_client(cast), call, expected)


@pytest.mark.parametrize(("path", "expected"), [
    pytest.param(path, row, id=name) for name, path, row in API_SITE_ROWS
])  # fmt: skip
def test_activity_api_site_matrix(cast: Cast, path: str, expected: str) -> None:
    check_row(api_client(cast), lambda client, who: _api_error(client.get(path)), expected)
