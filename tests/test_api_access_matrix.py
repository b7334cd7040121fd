"""The API's access matrix: every /api/v1 endpoint × the cast × each visibility → status.

Same cast and order as tests/test_access_matrix.py. Signed-out clients get 401 for anything that
is not public (whether or not it exists); invisible communities are 404, like missing ones.
Each cell authenticates with a real bearer token.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from django.test import Client

from practica.accounts.services import create_api_token
from practica.communities.models import Visibility
from practica.lib.testing import Cast

API = "/api/v1"
CAST = (
    "anonymous", "outsider", "org_member", "member", "expert", "facilitator", "coordinator",
    "org_admin", "staff",
)  # fmt: skip
VISIBILITIES = (Visibility.ORGANIZATION, Visibility.PRIVATE, Visibility.PUBLIC)

PathFor = Callable[[Cast, str], str]


def community_path(suffix: str = "") -> PathFor:
    return lambda cast, vis: f"{API}/communities/{cast.community(vis).slug}{suffix}"


# (name, method, path, body, {visibility: statuses in CAST order})
COMMUNITY_ROWS: list[tuple[str, str, PathFor, dict[str, str] | None, dict[str, str]]] = [
    ("detail", "get", community_path(), None, {
        "organization": "401 404 200 200 200 200 200 200 200",
        "private":      "401 404 404 200 200 200 200 404 200",
        "public":       "200 200 200 200 200 200 200 200 200",
    }),
    ("members", "get", community_path("/members"), None, {
        "organization": "401 404 200 200 200 200 200 200 200",
        "private":      "401 404 404 200 200 200 200 404 200",
        "public":       "401 200 200 200 200 200 200 200 200",
    }),
    # Open communities: non-members join (201); members are told they already are (409).
    ("join", "post", community_path("/join"), None, {
        "organization": "401 404 201 409 409 409 409 201 201",
        "private":      "401 404 404 409 409 409 409 404 201",
        "public":       "401 201 201 409 409 409 409 201 201",
    }),
    # Members leave (204), except the last coordinator (409); non-members: 409.
    ("leave", "post", community_path("/leave"), None, {
        "organization": "401 404 409 204 204 204 409 409 409",
        "private":      "401 404 404 204 204 204 409 404 409",
        "public":       "401 409 409 204 204 204 409 409 409",
    }),
    # Open communities take no requests (409), and members need none (409).
    ("requests", "post", community_path("/requests"), {"message": "hi"}, {
        "organization": "401 404 409 409 409 409 409 409 409",
        "private":      "401 404 404 409 409 409 409 404 409",
        "public":       "401 409 409 409 409 409 409 409 409",
    }),
]  # fmt: skip

NEW_COMMUNITY = {
    "name": "Reading Buddies", "slug": "reading-buddies", "domain": "Peer reading",
    "purpose": "Older students read with younger ones.", "visibility": "organization",
    "join_policy": "open", "organization": "riverside-high",
}  # fmt: skip

# Endpoints not about one community.
SITE_ROWS: list[tuple[str, str, Callable[[Cast], str], dict[str, str] | None, str]] = [
    ("me", "get", lambda c: f"{API}/me", None, "401 200 200 200 200 200 200 200 200"),
    ("organizations", "get", lambda c: f"{API}/organizations", None,
     "401 200 200 200 200 200 200 200 200"),
    ("communities", "get", lambda c: f"{API}/communities", None,
     "200 200 200 200 200 200 200 200 200"),
    # Riverside High lets its members start communities; the outsider can't even see it.
    ("create-community", "post", lambda c: f"{API}/communities", NEW_COMMUNITY,
     "401 404 201 201 201 201 201 201 201"),
    ("tokens", "get", lambda c: f"{API}/tokens", None, "401 200 200 200 200 200 200 200 200"),
    ("openapi", "get", lambda c: f"{API}/openapi.json", None,
     "200 200 200 200 200 200 200 200 200"),
    ("unknown", "get", lambda c: f"{API}/no-such-thing", None,
     "404 404 404 404 404 404 404 404 404"),
]  # fmt: skip


def _client(cast: Cast, who: str) -> Client:
    if who == "anonymous":
        return Client()
    _, raw = create_api_token(getattr(cast, who), "matrix")
    return Client(headers={"Authorization": f"Bearer {raw}"})


def _call(client: Client, method: str, path: str, body: dict[str, str] | None) -> object:
    if method == "get":
        return client.get(path)
    return client.post(path, data=json.dumps(body or {}), content_type="application/json")


def _check(response: object, expected: int, who: str) -> None:
    status = response.status_code  # type: ignore[attr-defined]
    assert status == expected, f"{who}: expected {expected}, got {status}"
    if status >= 400:
        body = response.json()  # type: ignore[attr-defined]
        assert set(body) >= {"detail", "code"}, body


@pytest.mark.parametrize(("method", "path_for", "body", "visibility", "who", "expected"), [
    pytest.param(method, path_for, body, vis, who, int(expected), id=f"{name}-{vis}-{who}")
    for name, method, path_for, body, by_vis in COMMUNITY_ROWS
    for vis in VISIBILITIES
    for who, expected in zip(CAST, by_vis[vis].split(), strict=True)
])  # fmt: skip
def test_api_community_matrix(
    cast: Cast,
    method: str,
    path_for: PathFor,
    body: dict[str, str] | None,
    visibility: str,
    who: str,
    expected: int,
) -> None:
    response = _call(_client(cast, who), method, path_for(cast, visibility), body)
    _check(response, expected, who)


@pytest.mark.parametrize(("method", "path_for", "body", "who", "expected"), [
    pytest.param(method, path_for, body, who, int(expected), id=f"{name}-{who}")
    for name, method, path_for, body, row in SITE_ROWS
    for who, expected in zip(CAST, row.split(), strict=True)
])  # fmt: skip
def test_api_site_matrix(
    cast: Cast,
    method: str,
    path_for: Callable[[Cast], str],
    body: dict[str, str] | None,
    who: str,
    expected: int,
) -> None:
    response = _call(_client(cast, who), method, path_for(cast), body)
    _check(response, expected, who)


@pytest.mark.parametrize("who", CAST)
def test_api_revoking_someone_elses_token_is_not_found(cast: Cast, who: str) -> None:
    token, _ = create_api_token(cast.member, "mine")
    response = _client(cast, who).delete(f"{API}/tokens/{token.pk}")
    expected = {"anonymous": 401, "member": 204}.get(who, 404)
    _check(response, expected, who)


@pytest.mark.parametrize("who", CAST)
def test_api_private_community_list_never_names_it(cast: Cast, who: str) -> None:
    items = _client(cast, who).get(f"{API}/communities?page_size=100").json()["items"]
    slugs = {item["slug"] for item in items}
    may_see = who in ("member", "expert", "facilitator", "coordinator", "staff")
    assert (cast.private_community.slug in slugs) is may_see
