"""The access matrix: every HTML URL × the cast × each community visibility → expected status.

A row is a string of nine statuses in CAST order. 302 for a signed-out visitor means "sent to
log in" (asserted), never a leak: the same redirect answers for communities that don't exist.
Private communities answer 404, not 403, to anyone who may not know they exist.
The API's rows live in tests/test_api_access_matrix.py.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.urls import reverse

from practica.communities.models import JoinRequest, Visibility
from practica.lib.testing import Cast

CAST = (
    "anonymous", "outsider", "org_member", "member", "expert", "facilitator", "coordinator",
    "org_admin", "staff",
)  # fmt: skip
VISIBILITIES = (Visibility.ORGANIZATION, Visibility.PRIVATE, Visibility.PUBLIC)

UrlFor = Callable[[Cast, str], str]


def community_url(name: str) -> UrlFor:
    return lambda cast, vis: reverse(f"communities:{name}", args=[cast.community(vis).slug])


def member_url(name: str) -> UrlFor:
    return lambda cast, vis: reverse(name, args=[cast.community(vis).slug, cast.member.pk])


def request_url(cast: Cast, vis: str) -> str:
    community = cast.community(vis)
    join_request = JoinRequest.objects.create(community=community, user=cast.org_member)
    return reverse("communities:decide-request", args=[community.slug, join_request.pk])


# (name, method, url, data, {visibility: expected statuses in CAST order})
COMMUNITY_ROWS: list[tuple[str, str, UrlFor, dict[str, str], dict[str, str]]] = [
    ("home", "get", community_url("home"), {}, {
        "organization": "302 404 200 200 200 200 200 200 200",
        "private":      "302 404 404 200 200 200 200 404 200",
        "public":       "200 200 200 200 200 200 200 200 200",
    }),
    ("members", "get", community_url("members"), {}, {
        "organization": "302 404 200 200 200 200 200 200 200",
        "private":      "302 404 404 200 200 200 200 404 200",
        "public":       "302 200 200 200 200 200 200 200 200",
    }),
    ("settings", "get", community_url("settings"), {}, {
        "organization": "302 404 403 403 403 403 200 200 200",
        "private":      "302 404 404 403 403 403 200 404 200",
        "public":       "302 403 403 403 403 403 200 200 200",
    }),
    # Joining an open community: members get 302 with an "already a member" message.
    ("join", "post", community_url("join"), {}, {
        "organization": "302 404 302 302 302 302 302 302 302",
        "private":      "302 404 404 302 302 302 302 404 302",
        "public":       "302 302 302 302 302 302 302 302 302",
    }),
    ("leave", "post", community_url("leave"), {}, {
        "organization": "302 404 302 302 302 302 302 302 302",
        "private":      "302 404 404 302 302 302 302 404 302",
        "public":       "302 302 302 302 302 302 302 302 302",
    }),
    ("request", "post", community_url("request"), {"message": "hello"}, {
        "organization": "302 404 302 302 302 302 302 302 302",
        "private":      "302 404 404 302 302 302 302 404 302",
        "public":       "302 302 302 302 302 302 302 302 302",
    }),
    ("invite", "post", community_url("invite"), {"email": "oscar@riverside.test"}, {
        "organization": "302 404 403 403 403 302 302 302 302",
        "private":      "302 404 404 403 403 302 302 404 302",
        "public":       "302 403 403 403 403 302 302 302 302",
    }),
    ("decide-request", "post", request_url, {"decision": "approve"}, {
        "organization": "302 404 403 403 403 302 302 302 302",
        "private":      "302 404 404 403 403 302 302 404 302",
        "public":       "302 403 403 403 403 302 302 302 302",
    }),
    ("member-role", "post", member_url("communities:member-role"), {"role": "expert"}, {
        "organization": "302 404 403 403 403 403 302 302 302",
        "private":      "302 404 404 403 403 403 302 404 302",
        "public":       "302 403 403 403 403 403 302 302 302",
    }),
    ("member-remove", "post", member_url("communities:member-role"), {"action": "remove"}, {
        "organization": "302 404 403 403 403 302 302 302 302",
        "private":      "302 404 404 403 403 302 302 404 302",
        "public":       "302 403 403 403 403 302 302 302 302",
    }),
    ("settings-post", "post", community_url("settings"), {
        "name": "Renamed", "domain": "d", "purpose": "p", "visibility": "public",
        "join_policy": "open"}, {
        "organization": "302 404 403 403 403 403 302 302 302",
        "private":      "302 404 404 403 403 403 302 404 302",
        "public":       "302 403 403 403 403 403 302 302 302",
    }),
]  # fmt: skip

# Organization pages, asked about Riverside District (the communities' owner).
ORG_ROWS: list[tuple[str, str, str, dict[str, str], str]] = [
    ("org-detail", "get", "accounts:org-detail", {}, "302 404 200 200 200 200 200 200 200"),
    ("org-members", "get", "accounts:org-members", {}, "302 404 200 200 200 200 200 200 200"),
    ("org-invite", "get", "accounts:org-invite", {}, "302 404 403 403 403 403 403 200 200"),
    ("org-invite-post", "post", "accounts:org-invite", {"email": "new@riverside.test",
     "role": "member"}, "302 404 403 403 403 403 403 200 200"),
    ("org-new-child", "get", "accounts:org-new-child", {}, "302 404 403 403 403 403 403 200 200"),
    ("org-settings", "get", "accounts:org-settings", {}, "302 404 403 403 403 403 403 200 200"),
    ("org-settings-post", "post", "accounts:org-settings", {"name": "R"},
     "302 404 403 403 403 403 403 302 302"),
    ("org-role", "post", "org-role", {"role": "admin"}, "302 404 403 403 403 403 403 302 302"),
]  # fmt: skip

# Pages that aren't about one community or organization.
SITE_ROWS: list[tuple[str, Callable[[Cast], str], str]] = [
    ("home", lambda c: reverse("web:home"), "200 200 200 200 200 200 200 200 200"),
    ("healthz", lambda c: reverse("web:healthz"), "200 200 200 200 200 200 200 200 200"),
    ("community-list", lambda c: reverse("communities:list"),
     "302 200 200 200 200 200 200 200 200"),
    ("community-create", lambda c: reverse("communities:create"),
     "302 200 200 200 200 200 200 200 200"),
    ("org-list", lambda c: reverse("accounts:org-list"), "302 200 200 200 200 200 200 200 200"),
    ("profile", lambda c: reverse("accounts:profile"), "302 200 200 200 200 200 200 200 200"),
    ("tokens", lambda c: reverse("accounts:tokens"), "302 200 200 200 200 200 200 200 200"),
    ("person", lambda c: reverse("accounts:person", args=[c.member.pk]),
     "302 404 200 200 200 200 200 200 200"),
    ("outsider-person", lambda c: reverse("accounts:person", args=[c.outsider.pk]),
     "302 200 404 404 404 404 404 404 200"),
    ("invitation", lambda c: reverse("accounts:invitation", args=["no-such-token"]),
     "302 200 200 200 200 200 200 200 200"),
    ("notifications", lambda c: reverse("notifications:inbox"),
     "302 200 200 200 200 200 200 200 200"),
    ("activity-library", lambda c: reverse("activities:library"),
     "302 200 200 200 200 200 200 200 200"),
    ("signup", lambda c: reverse("account_signup"), "200 302 302 302 302 302 302 302 302"),
    ("login", lambda c: reverse("account_login"), "200 302 302 302 302 302 302 302 302"),
]  # fmt: skip


def _cells_community() -> list[object]:
    cells = []
    for name, method, url_for, data, by_vis in COMMUNITY_ROWS:
        for vis in VISIBILITIES:
            for who, expected in zip(CAST, by_vis[vis].split(), strict=True):
                cells.append(
                    pytest.param(
                        method, url_for, data, vis, who, int(expected), id=f"{name}-{vis}-{who}"
                    )
                )
    return cells


def _assert_status(response: object, expected: int, who: str) -> None:
    status = response.status_code  # type: ignore[attr-defined]
    assert status == expected, f"{who}: expected {expected}, got {status}"
    if expected == 302 and who == "anonymous":
        assert "/accounts/login/" in response["Location"]  # type: ignore[index]


@pytest.mark.parametrize(
    ("method", "url_for", "data", "visibility", "who", "expected"), _cells_community()
)
def test_community_matrix(
    cast: Cast,
    method: str,
    url_for: UrlFor,
    data: dict[str, str],
    visibility: str,
    who: str,
    expected: int,
) -> None:
    url = url_for(cast, visibility)
    response = getattr(cast.client(who), method)(url, data)
    _assert_status(response, expected, who)


@pytest.mark.parametrize(("method", "url_name", "data", "who", "expected"), [
    pytest.param(method, url_name, data, who, int(expected), id=f"{name}-{who}")
    for name, method, url_name, data, row in ORG_ROWS
    for who, expected in zip(CAST, row.split(), strict=True)
])  # fmt: skip
def test_org_matrix(
    cast: Cast, method: str, url_name: str, data: dict[str, str], who: str, expected: int
) -> None:
    if url_name == "org-role":  # about the district's admin, to keep the row readable
        url = reverse("accounts:org-role", args=[cast.district.slug, cast.org_admin.pk])
    else:
        url = reverse(url_name, args=[cast.district.slug])
    response = getattr(cast.client(who), method)(url, data)
    _assert_status(response, expected, who)


@pytest.mark.parametrize(("url_for", "who", "expected"), [
    pytest.param(url_for, who, int(expected), id=f"{name}-{who}")
    for name, url_for, row in SITE_ROWS
    for who, expected in zip(CAST, row.split(), strict=True)
])  # fmt: skip
def test_site_matrix(cast: Cast, url_for: Callable[[Cast], str], who: str, expected: int) -> None:
    response = cast.client(who).get(url_for(cast))
    _assert_status(response, expected, who)


@pytest.mark.parametrize("who", CAST)
def test_missing_community_looks_like_a_private_one(cast: Cast, who: str) -> None:
    """A slug that doesn't exist answers exactly like a private community one may not see."""
    response = cast.client(who).get(reverse("communities:home", args=["no-such-community"]))
    _assert_status(response, 302 if who == "anonymous" else 404, who)


def test_private_community_name_never_leaks(cast: Cast) -> None:
    name = cast.private_community.name
    for who in ("anonymous", "outsider", "org_member", "org_admin"):
        client = cast.client(who)
        for url in (
            "/",
            reverse("communities:list"),
            reverse("accounts:org-detail", args=[cast.district.slug]),
            reverse("accounts:person", args=[cast.member.pk]),
        ):
            body = client.get(url).content.decode()
            assert name not in body, f"{who} saw the private community's name on {url}"
