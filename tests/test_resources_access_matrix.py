"""The resources access matrix: every resources URL and API endpoint × the cast × each
visibility → the expected status. Same format and cast order as tests/test_norms_access_matrix.py.

Each cell starts from an uploaded image shared by ``member`` (so they are its author: they may
edit it but not rate, mark or flag it). Readers are those who may see the community; members
contribute and give signals; reviewers (moderators, facilitators, coordinators, org admins where
they may steward, staff) review; coordinators (org admins, staff) change the flag settings; the
organization's admins change its upload limits.

One test per row × visibility: the world is built once and each cast member's request runs in
a rolled-back savepoint (tests/matrix.py), so every cell still starts from that same world. No
cell writes or deletes a file (new resources are links), so the one file uploaded into the
test's MEDIA_ROOT is the same for every cell.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from practica.communities.models import Visibility
from practica.lib.testing import Cast
from practica.resources import services
from practica.resources.models import Resource
from tests.matrix import api_client, check_row, login_redirect, page_client
from tests.test_resources import (  # noqa: F401  (media is a fixture)
    files_under,
    media,
    png_bytes,
    upload,
)

VISIBILITIES = (Visibility.ORGANIZATION, Visibility.PRIVATE, Visibility.PUBLIC)
API = "/api/v1"


@dataclass
class World:
    slug: str
    resource: Resource
    cast: Cast


def _world(cast: Cast, visibility: str) -> World:
    community = cast.community(visibility)
    resource = services.create_resource(
        cast.member, community, title="Anchor chart", upload=upload("chart.png", png_bytes(300))
    )
    return World(community.slug, resource, cast)


UrlFor = Callable[[World], str]
DataFor = Callable[[World], dict[str, Any]]


def page(name: str) -> UrlFor:
    return lambda w: reverse(f"resources:{name}", args=[w.slug])


def one(name: str) -> UrlFor:
    return lambda w: reverse(f"resources:{name}", args=[w.slug, w.resource.pk])


def fixed(data: dict[str, Any]) -> DataFor:
    return lambda w: data


def posted(rows: dict[str, str]) -> dict[str, str]:
    return {vis: row.replace("200", "302") for vis, row in rows.items()}


READ = {
    "organization": "302 404 200 200 200 200 200 200 200",
    "private":      "302 404 404 200 200 200 200 404 200",
    "public":       "200 200 200 200 200 200 200 200 200",
}  # fmt: skip
MEMBERS_GET = {
    "organization": "302 404 403 200 200 200 200 403 403",
    "private":      "302 404 404 200 200 200 200 404 403",
    "public":       "302 403 403 200 200 200 200 403 403",
}  # fmt: skip
# Members but not the author (member): rating, "used it".
SIGNALS_POST = {
    "organization": "302 404 403 403 302 302 302 403 403",
    "private":      "302 404 404 403 302 302 302 404 403",
    "public":       "302 403 403 403 302 302 302 403 403",
}  # fmt: skip
# The author (member) and reviewers.
EDITORS_GET = {
    "organization": "302 404 403 200 403 200 200 200 200",
    "private":      "302 404 404 200 403 200 200 404 200",
    "public":       "302 403 403 200 403 200 200 200 200",
}  # fmt: skip
# Members and reviewers may open the flag form; the author may not flag (403 on POST).
FLAG_GET = {
    "organization": "302 404 403 200 200 200 200 200 200",
    "private":      "302 404 404 200 200 200 200 404 200",
    "public":       "302 403 403 200 200 200 200 200 200",
}  # fmt: skip
FLAG_POST = {
    "organization": "302 404 403 403 302 302 302 302 302",
    "private":      "302 404 404 403 302 302 302 404 302",
    "public":       "302 403 403 403 302 302 302 302 302",
}  # fmt: skip
REVIEWERS_GET = {
    "organization": "302 404 403 403 403 200 200 200 200",
    "private":      "302 404 404 403 403 200 200 404 200",
    "public":       "302 403 403 403 403 200 200 200 200",
}  # fmt: skip
STEWARDS_GET = {
    "organization": "302 404 403 403 403 403 200 200 200",
    "private":      "302 404 404 403 403 403 200 404 200",
    "public":       "302 403 403 403 403 403 200 200 200",
}  # fmt: skip
RESOURCE = {"title": "A routine", "url": "https://example.org/routine"}
EDIT = {"title": "Anchor chart (v2)", "description": "", "tags": ""}
SETTINGS = {"flag_threshold": "4", "weight_member": "1", "weight_expert": "2", "weight_leader": "3"}

ROWS: list[tuple[str, str, UrlFor, DataFor, dict[str, str]]] = [
    ("index", "get", page("index"), fixed({}), READ),
    ("detail", "get", one("detail"), fixed({}), READ),
    ("file", "get", one("file"), fixed({}), READ),
    ("new", "get", page("new"), fixed({}), MEMBERS_GET),
    ("new-post", "post", page("new"), fixed(RESOURCE), posted(MEMBERS_GET)),
    ("edit", "get", one("edit"), fixed({}), EDITORS_GET),
    ("edit-post", "post", one("edit"), fixed(EDIT), posted(EDITORS_GET)),
    ("rate", "post", one("rate"), fixed({"value": "4"}), SIGNALS_POST),
    ("used", "post", one("used"), fixed({"note": "Went well."}), SIGNALS_POST),
    ("needs-review", "post", one("needs-review"), fixed({"note": ""}), posted(MEMBERS_GET)),
    ("reviewed", "post", one("reviewed"), fixed({"reason": "Still right."}),
     posted(EDITORS_GET)),
    ("flag", "get", one("flag"), fixed({}), FLAG_GET),
    ("flag-post", "post", one("flag"), fixed({"reason": "inaccurate"}), FLAG_POST),
    ("review", "get", page("review"), fixed({}), REVIEWERS_GET),
    ("moderate", "get", one("moderate"), fixed({}), REVIEWERS_GET),
    ("moderate-post", "post", one("moderate"),
     fixed({"action": "restore", "reason": "Looks fine."}), posted(REVIEWERS_GET)),
    ("settings", "get", page("settings"), fixed({}), STEWARDS_GET),
    ("settings-post", "post", page("settings"), fixed(SETTINGS), posted(STEWARDS_GET)),
]  # fmt: skip


@pytest.mark.parametrize(("method", "url_for", "data_for", "visibility", "expected"), [
    pytest.param(method, url_for, data_for, vis, by_vis[vis], id=f"{name}-{vis}")
    for name, method, url_for, data_for, by_vis in ROWS
    for vis in VISIBILITIES
])  # fmt: skip
def test_resources_matrix(
    cast: Cast,
    media: Path,  # noqa: F811
    method: str,
    url_for: UrlFor,
    data_for: DataFor,
    visibility: str,
    expected: str,
) -> None:
    world = _world(cast, visibility)
    files = sorted(files_under(media))
    check_row(
        page_client(cast),
        lambda client, who: getattr(client, method)(url_for(world), data_for(world)),
        expected,
        on_redirect=login_redirect,
    )
    assert sorted(files_under(media)) == files, "a cell wrote a file: build its world per cell"


LIMITS_GET = "302 404 403 403 403 403 403 200 200"


def test_org_upload_limits_page(cast: Cast) -> None:
    url = reverse("resources:limits", args=[cast.district.slug])
    check_row(page_client(cast), lambda client, who: client.get(url), LIMITS_GET)
    check_row(
        page_client(cast),
        lambda client, who: client.post(url, {"media_max_mb": "300", "other_max_mb": "20"}),
        LIMITS_GET.replace("200", "302"),
    )


def test_another_communitys_resource_is_not_found_here(
    cast: Cast,
    media: Path,  # noqa: F811
) -> None:
    world = _world(cast, Visibility.PUBLIC)
    url = reverse("resources:detail", args=[cast.org_community.slug, world.resource.pk])
    check_row(
        page_client(cast), lambda client, who: client.get(url), "404 404",
        cast_order=("member", "staff"),
    )  # fmt: skip


# --- The API ------------------------------------------------------------------------------------

PathFor = Callable[[World], str]


def api_collection(suffix: str = "") -> PathFor:
    return lambda w: f"{API}/communities/{w.slug}/resources{suffix}"


def api_one(suffix: str = "") -> PathFor:
    return lambda w: f"{API}/resources/{w.resource.pk}{suffix}"


API_READ = {
    "organization": "401 404 200 200 200 200 200 200 200",
    "private":      "401 404 404 200 200 200 200 404 200",
    "public":       "200 200 200 200 200 200 200 200 200",
}  # fmt: skip


def _rows(rows: dict[str, str], ok: str) -> dict[str, str]:
    """A page row as API statuses: 302 login → 401, 200 → ``ok``."""
    out = {}
    for vis, row in rows.items():
        cells = row.split()
        cells[0] = "401"
        out[vis] = " ".join(ok if c in ("200", "302") else c for c in cells)
    return out


API_ROWS: list[tuple[str, str, PathFor, DataFor | None, dict[str, str]]] = [
    ("list", "get", api_collection(), None, API_READ),
    ("settings", "get", api_collection("/settings"), None, API_READ),
    ("one", "get", api_one(), None, API_READ),
    ("file", "get", api_one("/file"), None, API_READ),
    ("used-list", "get", api_one("/used"), None, API_READ),
    ("create", "multipart", api_collection(), fixed(RESOURCE), _rows(MEMBERS_GET, "201")),
    ("edit", "put", api_one(), fixed({"title": "Anchor chart (v2)"}), _rows(EDITORS_GET, "200")),
    ("rate", "put", api_one("/rating"), fixed({"value": 4}), _rows(SIGNALS_POST, "200")),
    ("unrate", "delete", api_one("/rating"), None, _rows(SIGNALS_POST, "204")),
    ("used", "post", api_one("/used"), fixed({"note": "Good."}), _rows(SIGNALS_POST, "201")),
    ("unused", "delete", api_one("/used"), None, _rows(SIGNALS_POST, "204")),
    ("needs-review", "post", api_one("/needs-review"), fixed({}), _rows(MEMBERS_GET, "201")),
    ("reviewed", "post", api_one("/reviewed"), fixed({"reason": "Still right."}),
     _rows(EDITORS_GET, "200")),
    ("flag", "post", api_one("/flags"), fixed({"reason": "spam"}), _rows(FLAG_POST, "201")),
    ("review-queue", "get", api_collection("/review"), None, _rows(REVIEWERS_GET, "200")),
    ("moderate", "post", api_one("/moderation"),
     fixed({"action": "restore", "reason": "Fine."}), _rows(REVIEWERS_GET, "200")),
    ("log", "get", api_one("/moderation"), None, _rows(EDITORS_GET, "200")),
    ("settings-put", "put", api_collection("/settings"),
     fixed({"flag_threshold": 4, "weight_member": 1, "weight_expert": 2, "weight_leader": 3}),
     _rows(STEWARDS_GET, "200")),
]  # fmt: skip


def _call(client: Client, method: str, path: str, data: dict[str, Any] | None) -> Any:
    if method == "get":
        return client.get(path)
    if method == "multipart":
        return client.post(path, data or {})
    body = json.dumps(data or {})
    return getattr(client, method)(path, data=body, content_type="application/json")


def _with_error_body(who: str, response: Any) -> Any:
    """API refusals carry the error body ``{"detail", "code"}``."""
    if response.status_code >= 400:
        assert set(response.json()) >= {"detail", "code"}, f"{who}: {response.content[:300]!r}"
    return response


@pytest.mark.parametrize(("method", "path_for", "data_for", "visibility", "expected"), [
    pytest.param(method, path_for, data_for, vis, by_vis[vis], id=f"{name}-{vis}")
    for name, method, path_for, data_for, by_vis in API_ROWS
    for vis in VISIBILITIES
])  # fmt: skip
def test_resources_api_matrix(
    cast: Cast,
    media: Path,  # noqa: F811
    method: str,
    path_for: PathFor,
    data_for: DataFor | None,
    visibility: str,
    expected: str,
) -> None:
    world = _world(cast, visibility)

    def call(client: Client, who: str) -> Any:
        data = data_for(world) if data_for else None
        return _with_error_body(who, _call(client, method, path_for(world), data))

    files = sorted(files_under(media))
    check_row(api_client(cast), call, expected)
    assert sorted(files_under(media)) == files, "a cell wrote a file: build its world per cell"


# Members of the organization see its limits; its admins (and staff) change them.
LIMITS_API_GET = "401 404 200 200 200 200 200 200 200"
LIMITS_API_PUT = "401 404 403 403 403 403 403 200 200"


def test_org_upload_limits_api(cast: Cast) -> None:
    path = f"{API}/organizations/{cast.district.slug}/resource-limits"
    body = json.dumps({"media_max_mb": 300, "other_max_mb": 20})
    check_row(api_client(cast), lambda client, who: client.get(path), LIMITS_API_GET)
    check_row(
        api_client(cast),
        lambda client, who: client.put(path, body, "application/json"),
        LIMITS_API_PUT,
    )
