"""The JSON API v1, through HTTP: auth and tokens, each endpoint, errors, pagination, OpenAPI.

Who may see what is the access gate's business (tests/test_access_matrix.py); here we check
that the API asks the gate, answers in its documented shapes, and never writes on bad input.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import hypothesis
import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils.crypto import get_random_string
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from practica.accounts import services as account_services
from practica.accounts.models import ApiToken, DeclaredExpertise, Organization, User
from practica.api.urls import api
from practica.communities.models import (
    Community,
    JoinPolicy,
    JoinRequest,
    Membership,
    Role,
    Visibility,
)
from practica.lib.testing import PASSWORD, Cast

API = "/api/v1"
COMMUNITY_KEYS = {
    "slug", "name", "domain", "purpose", "visibility", "join_policy", "organization",
    "member_count", "my_role", "url",
}  # fmt: skip
PAGE_KEYS = {"items", "count", "page", "page_size"}
# Queries any list may make besides its rows: authentication, the access gate's viewer facts
# (a few small queries), COUNT and the page. The real invariant is that the number does not
# change with the number of rows (asserted separately); this bound catches gross regressions.
FIXED_QUERIES = 8


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    """Rate-limit counters live in the (per-process) cache; each test starts from zero."""
    cache.clear()


# --- helpers ------------------------------------------------------------------------------------


def post_json(client: Client, path: str, data: Any = None, **extra: Any) -> Any:
    body = "" if data is None else json.dumps(data)
    return client.post(API + path, body, content_type="application/json", **extra)


def body(response: Any, status: int) -> Any:
    """The JSON body, after checking the status and that it *is* JSON."""
    assert response.status_code == status, (response.status_code, response.content[:500])
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    return response.json()


def error(response: Any, status: int, code: str) -> dict[str, Any]:
    """Assert the standard error body and return it."""
    data = body(response, status)
    assert data["code"] == code, data
    assert isinstance(data["detail"], str)
    assert data["detail"]
    return data


def bearer(raw: str) -> Client:
    return Client(headers={"Authorization": f"Bearer {raw}"})


def token_for(user: User, name: str = "test") -> tuple[ApiToken, str]:
    return account_services.create_api_token(user, name)


def community_payload(**overrides: Any) -> dict[str, Any]:
    data = {
        "name": "Early Literacy",
        "slug": "early-literacy",
        "domain": "Reading in the early grades",
        "purpose": "Share what helps children start reading.",
        "visibility": "organization",
        "join_policy": "open",
        "organization": "riverside-high",
    }
    data.update(overrides)
    return data


def slugs(response: Any) -> set[str]:
    return {item["slug"] for item in body(response, 200)["items"]}


# --- getting a token ----------------------------------------------------------------------------


def test_token_for_right_password_works_as_bearer(cast: Cast) -> None:
    response = post_json(
        Client(), "/auth/token", {"email": "MIA@riverside.test ", "password": PASSWORD}
    )
    data = body(response, 201)
    assert data["token"].startswith(ApiToken.PREFIX)
    stored = ApiToken.objects.get(pk=data["id"])
    assert stored.user == cast.member
    assert stored.digest != data["token"]  # only the hash is kept
    assert data["hint"] == data["token"][:10]
    assert body(bearer(data["token"]).get(f"{API}/me"), 200)["id"] == cast.member.pk


def test_token_name_is_kept(cast: Cast) -> None:
    payload = {"email": cast.member.email, "password": PASSWORD, "name": "laptop script"}
    data = body(post_json(Client(), "/auth/token", payload), 201)
    assert data["name"] == "laptop script"


@pytest.mark.parametrize(
    ("email", "password"),
    [("mia@riverside.test", "wrong password"), ("nobody@riverside.test", PASSWORD)],
)
def test_token_bad_credentials_is_401_and_says_nothing_more(
    cast: Cast, email: str, password: str
) -> None:
    response = post_json(Client(), "/auth/token", {"email": email, "password": password})
    data = error(response, 401, "invalid_credentials")
    assert data["detail"] == "The e-mail address or the password is wrong."
    assert not ApiToken.objects.exists()


def test_token_for_inactive_user_is_refused(cast: Cast) -> None:
    User.objects.filter(pk=cast.member.pk).update(is_active=False)
    response = post_json(
        Client(), "/auth/token", {"email": cast.member.email, "password": PASSWORD}
    )
    error(response, 401, "invalid_credentials")


def test_token_needs_a_verified_address(db: None) -> None:
    account_services.create_user("new@riverside.test", PASSWORD, verified=False)
    response = post_json(
        Client(), "/auth/token", {"email": "new@riverside.test", "password": PASSWORD}
    )
    error(response, 403, "email_not_verified")
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize(
    "payload", [{}, {"email": "mia@riverside.test"}, {"email": 5, "password": PASSWORD}]
)
def test_token_malformed_request_is_422(cast: Cast, payload: dict[str, Any]) -> None:
    data = error(post_json(Client(), "/auth/token", payload), 422, "invalid")
    assert data["errors"]


def test_token_rate_limit_per_email(cast: Cast, settings: Any) -> None:
    settings.API_TOKEN_RATE = (
        "3/h"  # a window an hour long, which a test run practically never straddles
    )
    payload = {"email": cast.member.email, "password": "wrong"}
    for n in range(3):  # a different address each time: only the e-mail counter can trip
        response = post_json(Client(), "/auth/token", payload, REMOTE_ADDR=f"10.0.0.{n + 1}")
        error(response, 401, "invalid_credentials")
    response = post_json(Client(), "/auth/token", payload, REMOTE_ADDR="10.0.0.9")
    error(response, 429, "rate_limited")
    assert int(response["Retry-After"]) >= 1
    # Even the right password is refused now: the limit is checked before the password.
    right = {"email": cast.member.email, "password": PASSWORD}
    error(post_json(Client(), "/auth/token", right, REMOTE_ADDR="10.0.0.10"), 429, "rate_limited")
    # Another person is not affected.
    other = {"email": cast.expert.email, "password": PASSWORD}
    body(post_json(Client(), "/auth/token", other, REMOTE_ADDR="10.0.0.11"), 201)


def test_token_rate_limit_per_ip(cast: Cast, settings: Any) -> None:
    settings.API_TOKEN_RATE = (
        "3/h"  # a window an hour long, which a test run practically never straddles
    )
    for n in range(3):  # a different e-mail each time: only the IP counter can trip
        payload = {"email": f"guess{n}@riverside.test", "password": "x"}
        error(post_json(Client(), "/auth/token", payload), 401, "invalid_credentials")
    right = {"email": cast.member.email, "password": PASSWORD}
    error(post_json(Client(), "/auth/token", right), 429, "rate_limited")
    body(post_json(Client(), "/auth/token", right, REMOTE_ADDR="192.0.2.7"), 201)


def test_token_rate_limit_uses_the_configured_client_address_header(
    cast: Cast, settings: Any
) -> None:
    settings.API_TOKEN_RATE = "2/h"
    settings.RATELIMIT_IP_META_KEY = "HTTP_X_REAL_IP"
    for n in range(2):  # all via the same proxy (REMOTE_ADDR), from one client behind it
        payload = {"email": f"guess{n}@riverside.test", "password": "x"}
        response = post_json(Client(), "/auth/token", payload, HTTP_X_REAL_IP="198.51.100.1")
        error(response, 401, "invalid_credentials")
    right = {"email": cast.member.email, "password": PASSWORD}
    limited = post_json(Client(), "/auth/token", right, HTTP_X_REAL_IP="198.51.100.1")
    error(limited, 429, "rate_limited")
    body(post_json(Client(), "/auth/token", right, HTTP_X_REAL_IP="198.51.100.2"), 201)


def test_token_rate_limit_groups_ipv6_by_64(cast: Cast, settings: Any) -> None:
    settings.API_TOKEN_RATE = "1/h"
    payload = {"email": "guess@riverside.test", "password": "x"}
    error(
        post_json(Client(), "/auth/token", payload, REMOTE_ADDR="2001:db8::1"),
        401,
        "invalid_credentials",
    )
    right = {"email": cast.member.email, "password": PASSWORD}
    error(post_json(Client(), "/auth/token", right, REMOTE_ADDR="2001:db8::2"), 429, "rate_limited")


@pytest.mark.parametrize("address", ["", "not-an-address"])
def test_token_without_a_client_address_still_answers(cast: Cast, address: str) -> None:
    right = {"email": cast.member.email, "password": PASSWORD}
    body(post_json(Client(), "/auth/token", right, REMOTE_ADDR=address), 201)


@pytest.mark.parametrize(
    ("rate", "ok"), [("10/m", True), ("5/30s", True), ("10/x", False), ("", False)]
)
def test_token_rate_setting_is_checked_at_start_up(settings: Any, rate: str, ok: bool) -> None:
    from practica.api.checks import check_token_rate

    settings.API_TOKEN_RATE = rate
    assert (check_token_rate() == []) is ok


# --- bearer and session authentication ----------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/me", "/organizations", "/tokens", "/communities/public-math/members"]
)
def test_signed_out_is_401(cast: Cast, path: str) -> None:
    data = error(Client().get(API + path), 401, "not_authenticated")
    assert "Bearer" in data["detail"]


def test_signed_out_post_is_401_not_a_csrf_error(cast: Cast) -> None:
    client = Client(enforce_csrf_checks=True)
    error(post_json(client, "/communities", community_payload()), 401, "not_authenticated")
    error(post_json(client, "/communities/public-math/join"), 401, "not_authenticated")


@pytest.mark.parametrize(
    "header", ["Bearer prt_not-a-real-token", "Bearer ", "Bearer nonsense", "bearer prt_x"]
)
def test_bad_bearer_token_is_401(cast: Cast, header: str) -> None:
    client = Client(headers={"Authorization": header})
    error(client.get(f"{API}/me"), 401, "not_authenticated")
    # Not even the public list falls back to "anonymous" when a token was meant.
    error(client.get(f"{API}/communities"), 401, "not_authenticated")


def test_bearer_token_records_last_use(cast: Cast) -> None:
    token, raw = token_for(cast.member)
    assert token.last_used_at is None
    body(bearer(raw).get(f"{API}/me"), 200)
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_bearer_post_needs_no_csrf(cast: Cast) -> None:
    _, raw = token_for(cast.org_member)
    client = Client(enforce_csrf_checks=True, headers={"Authorization": f"Bearer {raw}"})
    body(post_json(client, "/communities/organization-math/join"), 201)


def test_revoked_token_stops_working(cast: Cast) -> None:
    token, raw = token_for(cast.member)
    client = bearer(raw)
    body(client.get(f"{API}/me"), 200)
    response = client.delete(f"{API}/tokens/{token.pk}")
    assert response.status_code == 204
    assert not ApiToken.objects.filter(pk=token.pk).exists()
    error(client.get(f"{API}/me"), 401, "not_authenticated")


def test_session_auth_works_for_reads(cast: Cast) -> None:
    assert body(cast.client("member").get(f"{API}/me"), 200)["email"] == cast.member.email


def test_session_unsafe_methods_need_csrf(cast: Cast) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.org_member)
    error(post_json(client, "/communities/organization-math/join"), 403, "csrf_failed")
    assert not Membership.objects.filter(user=cast.org_member).exists()
    secret = get_random_string(32)
    client.cookies["csrftoken"] = secret
    body(post_json(client, "/communities/organization-math/join", HTTP_X_CSRFTOKEN=secret), 201)


# --- me, organizations, tokens ------------------------------------------------------------------


def test_me(cast: Cast) -> None:
    account_services.update_profile(
        cast.org_member, name="Oscar O.", title="Teacher", expertise="Algebra, ELL"
    )
    data = body(cast.client("org_member").get(f"{API}/me"), 200)
    assert data == {
        "id": cast.org_member.pk,
        "email": "oscar@riverside.test",
        "name": "Oscar O.",
        "title": "Teacher",
        "timezone": "UTC",
        "expertise": [{"slug": "algebra", "label": "Algebra"}, {"slug": "ell", "label": "ELL"}],
        "organizations": [
            {"slug": "riverside-high", "name": "Riverside High", "kind": "school", "role": "member"}
        ],
    }


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("outsider", {"elsewhere": (None, "member")}),
        (
            "org_member",
            {
                "north-valley": (None, None),
                "riverside": ("north-valley", None),
                "riverside-high": ("riverside", "member"),
            },
        ),
        (
            "org_admin",
            {
                "north-valley": (None, None),
                "riverside": ("north-valley", "admin"),
                "riverside-high": ("riverside", None),
            },
        ),
        (
            "staff",
            {
                "north-valley": (None, None),
                "riverside": ("north-valley", None),
                "riverside-high": ("riverside", None),
                "elsewhere": (None, None),
            },
        ),
    ],
)
def test_organizations_are_the_visible_ones(
    cast: Cast, who: str, expected: dict[str, tuple[str | None, str | None]]
) -> None:
    data = body(cast.client(who).get(f"{API}/organizations"), 200)
    got = {o["slug"]: (o["parent"], o["my_role"]) for o in data["items"]}
    assert got == expected
    assert data["count"] == len(expected)
    assert {"slug", "name", "kind", "parent", "my_role"} == set(data["items"][0])


def test_tokens_list_never_shows_the_raw_token(cast: Cast) -> None:
    token, raw = token_for(cast.member, "ci")
    token_for(cast.expert, "someone else's")
    response = bearer(raw).get(f"{API}/tokens")
    data = body(response, 200)
    assert [t["id"] for t in data["items"]] == [token.pk]
    assert set(data["items"][0]) == {"id", "name", "hint", "created_at", "last_used_at"}
    assert raw not in response.content.decode()


def test_cannot_revoke_someone_elses_token(cast: Cast) -> None:
    theirs, _ = token_for(cast.expert)
    error(cast.client("member").delete(f"{API}/tokens/{theirs.pk}"), 404, "not_found")
    assert ApiToken.objects.filter(pk=theirs.pk).exists()


@pytest.mark.parametrize(("token_id", "status"), [("0", 422), (str(2**64), 422), ("abc", 422)])
def test_bad_token_ids_are_json_errors(cast: Cast, token_id: str, status: int) -> None:
    response = cast.client("member").delete(f"{API}/tokens/{token_id}")
    assert "token_id" in error(response, status, "invalid")["errors"]


# --- communities: list and detail ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", {"public-math"}),
        ("outsider", {"public-math"}),
        ("org_member", {"organization-math", "public-math"}),
        ("member", {"organization-math", "private-math", "public-math"}),
        ("org_admin", {"organization-math", "public-math"}),
        ("staff", {"organization-math", "private-math", "public-math"}),
    ],
)
def test_community_list_is_what_the_gate_shows(cast: Cast, who: str, expected: set[str]) -> None:
    assert slugs(cast.client(who).get(f"{API}/communities")) == expected


def test_community_shape(cast: Cast) -> None:
    data = body(cast.client("expert").get(f"{API}/communities/private-math"), 200)
    assert set(data) == COMMUNITY_KEYS
    assert data["organization"] == "riverside"
    assert data["visibility"] == "private"
    assert data["my_role"] == "expert"
    assert data["member_count"] == 4
    assert data["url"] == "http://testserver/c/private-math/"
    other = body(cast.client("org_member").get(f"{API}/communities/organization-math"), 200)
    assert other["my_role"] is None


@pytest.mark.parametrize("who", ["outsider", "org_member", "org_admin"])
def test_private_community_is_404_like_a_missing_one(cast: Cast, who: str) -> None:
    client = cast.client(who)
    hidden = error(client.get(f"{API}/communities/private-math"), 404, "not_found")
    missing = error(client.get(f"{API}/communities/no-such-community"), 404, "not_found")
    assert hidden == missing
    assert "Private Math" not in json.dumps(hidden)


def test_signed_out_detail(cast: Cast) -> None:
    client = Client()
    assert body(client.get(f"{API}/communities/public-math"), 200)["my_role"] is None
    answers = [
        error(client.get(f"{API}/communities/{slug}"), 401, "not_authenticated")
        for slug in ("organization-math", "private-math", "no-such-community")
    ]
    assert answers[0] == answers[1] == answers[2]  # existence is not revealed


def test_outsider_does_not_see_organization_community(cast: Cast) -> None:
    error(cast.client("outsider").get(f"{API}/communities/organization-math"), 404, "not_found")


# --- communities: create ------------------------------------------------------------------------


def test_create_community(cast: Cast) -> None:
    response = post_json(cast.client("org_member"), "/communities", community_payload())
    data = body(response, 201)
    assert data["slug"] == "early-literacy"
    assert data["organization"] == "riverside-high"
    assert data["my_role"] == "coordinator"
    assert data["member_count"] == 1
    community = Community.objects.get(slug="early-literacy")
    assert community.created_by == cast.org_member
    assert Membership.objects.get(community=community).role == Role.COORDINATOR


def test_create_duplicate_slug_is_409(cast: Cast) -> None:
    response = post_json(
        cast.client("org_member"), "/communities", community_payload(slug="public-math")
    )
    error(response, 409, "slug_taken")
    assert Community.objects.count() == 3


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"visibility": "secret"}, "visibility"),
        ({"join_policy": "whenever"}, "join_policy"),
        ({"name": ""}, "name"),
        ({"name": "   "}, "name"),
        ({"name": "x" * 121}, "name"),
        ({"name": None}, "name"),
        ({"domain": ""}, "domain"),
        ({"purpose": "p" * 3001}, "purpose"),
        ({"slug": "Not A Slug"}, "slug"),
        ({"slug": "new"}, "slug"),
        ({"name": "nul\x00byte"}, "name"),
    ],
)
def test_create_invalid_is_422_and_writes_nothing(
    cast: Cast, overrides: dict[str, Any], field: str
) -> None:
    response = post_json(cast.client("org_member"), "/communities", community_payload(**overrides))
    data = error(response, 422, "invalid")
    assert field in data["errors"], data
    assert field in data["detail"]
    assert Community.objects.count() == 3
    assert not Membership.objects.filter(user=cast.org_member).exists()


def test_create_missing_field_is_422(cast: Cast) -> None:
    payload = community_payload()
    del payload["domain"]
    data = error(post_json(cast.client("org_member"), "/communities", payload), 422, "invalid")
    assert "domain" in data["errors"]


@pytest.mark.parametrize(("who", "org"), [("org_member", "no-such-org"), ("outsider", "riverside")])
def test_create_in_unknown_or_invisible_org_is_404(cast: Cast, who: str, org: str) -> None:
    response = post_json(cast.client(who), "/communities", community_payload(organization=org))
    error(response, 404, "not_found")
    assert Community.objects.count() == 3


def test_create_where_not_allowed_is_403(cast: Cast) -> None:
    Organization.objects.filter(pk=cast.school.pk).update(members_can_create_communities=False)
    response = post_json(cast.client("org_member"), "/communities", community_payload())
    error(response, 403, "forbidden")
    assert Community.objects.count() == 3
    # Its admins still may.
    body(post_json(cast.client("org_admin"), "/communities", community_payload()), 201)


@pytest.mark.parametrize("raw", ['{"name": ', "not json", "[1, 2"])
def test_malformed_json_is_a_json_400(cast: Cast, raw: str) -> None:
    response = cast.client("org_member").post(
        f"{API}/communities", raw, content_type="application/json"
    )
    error(response, 400, "bad_request")
    assert Community.objects.count() == 3


@pytest.mark.parametrize(("payload", "field"), [([1, 2], "name"), (None, "body")])
def test_body_that_is_not_an_object_is_422(cast: Cast, payload: Any, field: str) -> None:
    response = post_json(cast.client("org_member"), "/communities", payload)
    assert field in error(response, 422, "invalid")["errors"]
    assert Community.objects.count() == 3


# --- joining, leaving, requests -----------------------------------------------------------------


def test_join_open_community(cast: Cast) -> None:
    client = cast.client("org_member")
    data = body(post_json(client, "/communities/organization-math/join"), 201)
    assert data["community"] == "organization-math"
    assert data["role"] == "member"
    cast.org_community.refresh_from_db()
    assert cast.org_community.member_count == 5
    error(post_json(client, "/communities/organization-math/join"), 409, "already_member")
    assert body(client.get(f"{API}/communities/organization-math"), 200)["my_role"] == "member"


def test_join_request_policy_community_needs_a_request(cast: Cast) -> None:
    Community.objects.filter(pk=cast.org_community.pk).update(join_policy=JoinPolicy.REQUEST)
    client = cast.client("org_member")
    error(post_json(client, "/communities/organization-math/join"), 403, "request_required")
    assert not Membership.objects.filter(user=cast.org_member).exists()
    response = post_json(client, "/communities/organization-math/requests", {"message": "Hi!"})
    data = body(response, 201)
    assert data["status"] == "pending"
    assert data["message"] == "Hi!"
    assert data["community"] == "organization-math"
    assert JoinRequest.objects.get(pk=data["id"]).user == cast.org_member
    again = post_json(client, "/communities/organization-math/requests", {"message": "Hi?"})
    error(again, 409, "already_requested")


def test_request_without_a_body(cast: Cast) -> None:
    Community.objects.filter(pk=cast.public_community.pk).update(join_policy=JoinPolicy.REQUEST)
    data = body(post_json(cast.client("outsider"), "/communities/public-math/requests"), 201)
    assert data["message"] == ""


def test_request_to_open_community_is_409(cast: Cast) -> None:
    response = post_json(cast.client("org_member"), "/communities/organization-math/requests", {})
    error(response, 409, "no_requests")
    assert not JoinRequest.objects.exists()


def test_join_invite_only_is_403(cast: Cast) -> None:
    Community.objects.filter(pk=cast.org_community.pk).update(join_policy=JoinPolicy.INVITE)
    error(
        post_json(cast.client("org_member"), "/communities/organization-math/join"),
        403,
        "invite_only",
    )


@pytest.mark.parametrize("action", ["join", "leave", "requests"])
def test_actions_on_invisible_private_community_are_404(cast: Cast, action: str) -> None:
    response = post_json(cast.client("outsider"), f"/communities/private-math/{action}", {})
    error(response, 404, "not_found")


def test_leave(cast: Cast) -> None:
    client = cast.client("member")
    response = post_json(client, "/communities/private-math/leave")
    assert response.status_code == 204
    assert not Membership.objects.filter(
        user=cast.member, community=cast.private_community
    ).exists()
    cast.private_community.refresh_from_db()
    assert cast.private_community.member_count == 3
    # Once out of a private community it is invisible, so leaving again is a 404.
    error(post_json(client, "/communities/private-math/leave"), 404, "not_found")
    # Leaving a visible community one is not in.
    error(post_json(cast.client("org_member"), "/communities/public-math/leave"), 409, "not_member")


def test_last_coordinator_cannot_leave(cast: Cast) -> None:
    error(
        post_json(cast.client("coordinator"), "/communities/public-math/leave"),
        409,
        "last_coordinator",
    )
    assert Membership.objects.filter(
        user=cast.coordinator, community=cast.public_community
    ).exists()


# --- members ------------------------------------------------------------------------------------


def test_members(cast: Cast) -> None:
    account_services.update_profile(cast.expert, name="Ethan Expert", expertise="Geometry")
    data = body(cast.client("member").get(f"{API}/communities/private-math/members"), 200)
    assert data["count"] == 4
    by_name = {m["name"]: m for m in data["items"]}
    assert by_name["Ethan Expert"]["role"] == "expert"
    assert by_name["Ethan Expert"]["expertise"] == [{"slug": "geometry", "label": "Geometry"}]
    assert by_name["Ethan Expert"]["id"] == cast.expert.pk
    assert by_name["Cora Coordinator"]["role"] == "coordinator"
    assert set(data["items"][0]) == {"id", "name", "role", "expertise", "joined_at"}
    assert "@" not in json.dumps(data)  # no e-mail addresses


def test_members_of_invisible_community_is_404(cast: Cast) -> None:
    error(cast.client("outsider").get(f"{API}/communities/private-math/members"), 404, "not_found")
    assert (
        body(cast.client("outsider").get(f"{API}/communities/public-math/members"), 200)["count"]
        == 4
    )


# --- pagination ---------------------------------------------------------------------------------


def _many_public_communities(cast: Cast, n: int) -> None:
    Community.objects.bulk_create(
        Community(
            organization=cast.elsewhere,
            name=f"Circle {i:03d}",
            slug=f"circle-{i:03d}",
            domain="d",
            purpose="p",
            visibility=Visibility.PUBLIC,
        )
        for i in range(n)
    )


def test_pagination_shape_and_pages(cast: Cast) -> None:
    _many_public_communities(cast, 30)
    client = cast.client("outsider")  # sees the 30 + public-math
    first = body(client.get(f"{API}/communities"), 200)
    assert set(first) == PAGE_KEYS
    assert (first["count"], first["page"], first["page_size"], len(first["items"])) == (
        31,
        1,
        25,
        25,
    )
    second = body(client.get(f"{API}/communities?page=2"), 200)
    assert len(second["items"]) == 6
    assert not {c["slug"] for c in first["items"]} & {c["slug"] for c in second["items"]}
    past = body(client.get(f"{API}/communities?page=99"), 200)
    assert (past["items"], past["count"], past["page"]) == ([], 31, 99)
    small = body(client.get(f"{API}/communities?page=3&page_size=10"), 200)
    assert [c["slug"] for c in small["items"]] == [
        "circle-020",
        "circle-021",
        "circle-022",
        "circle-023",
        "circle-024",
        "circle-025",
        "circle-026",
        "circle-027",
        "circle-028",
        "circle-029",
    ]
    assert len(body(client.get(f"{API}/communities?page_size=100"), 200)["items"]) == 31


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("page=0", "page"),
        ("page=-1", "page"),
        ("page=abc", "page"),
        ("page_size=0", "page_size"),
        ("page_size=101", "page_size"),
        ("page_size=ten", "page_size"),
    ],
)
@pytest.mark.parametrize(
    "path", ["/communities", "/organizations", "/tokens", "/communities/public-math/members"]
)
def test_bad_page_parameters_are_422(cast: Cast, path: str, query: str, field: str) -> None:
    data = error(cast.client("member").get(f"{API}{path}?{query}"), 422, "invalid")
    assert field in data["errors"]


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        body(client.get(url), 200)
    return len(ctx.captured_queries)


def test_community_list_queries_do_not_grow_with_rows(
    cast: Cast, django_assert_max_num_queries: Any
) -> None:
    client = cast.client("member")
    url = f"{API}/communities?page_size=100"
    few = _queries(client, url)
    _many_public_communities(cast, 40)
    assert _queries(client, url) == few
    # Session, user, the gate's viewer (a few), count, page: a fixed cost, never one per row.
    with django_assert_max_num_queries(FIXED_QUERIES):
        assert body(client.get(url), 200)["count"] == 43


def test_member_list_queries_do_not_grow_with_rows(
    cast: Cast, django_assert_max_num_queries: Any
) -> None:
    _, raw = token_for(cast.member)
    client = bearer(raw)
    url = f"{API}/communities/public-math/members?page_size=100"
    body(client.get(url), 200)  # records the token's first use (one UPDATE), then measure
    few = _queries(client, url)
    people = User.objects.bulk_create(
        User(email=f"p{i}@riverside.test", name=f"Person {i}") for i in range(30)
    )
    Membership.objects.bulk_create(
        Membership(community=cast.public_community, user=p, role=Role.MEMBER) for p in people
    )
    DeclaredExpertise.objects.bulk_create(
        DeclaredExpertise(user=p, slug=f"topic-{i}", label=f"Topic {i}")
        for i, p in enumerate(people)
    )
    assert _queries(client, url) == few
    # Token, viewer, community, count, page, and one prefetch of everyone's expertise.
    with django_assert_max_num_queries(FIXED_QUERIES + 1):
        assert body(client.get(url), 200)["count"] == 34


def test_organization_and_token_lists_queries_do_not_grow(
    cast: Cast, django_assert_max_num_queries: Any
) -> None:
    client = cast.client("staff")
    token_for(cast.staff)  # an empty list skips the page query; compare non-empty lists
    orgs_url, tokens_url = f"{API}/organizations", f"{API}/tokens"
    few_orgs, few_tokens = _queries(client, orgs_url), _queries(client, tokens_url)
    for i in range(10):
        account_services.create_organization(None, name=f"Org {i}", slug=f"org-{i}", kind="team")
        token_for(cast.staff, f"t{i}")
    assert _queries(client, orgs_url) == few_orgs
    assert _queries(client, tokens_url) == few_tokens
    # Session, user, viewer, the caller's org roles, count, page.
    with django_assert_max_num_queries(FIXED_QUERIES + 1):
        assert body(client.get(orgs_url), 200)["count"] == 14


# --- errors are JSON everywhere -----------------------------------------------------------------


def test_unknown_paths_and_methods_are_json(cast: Cast) -> None:
    client = cast.client("member")
    error(client.get(f"{API}/no-such-thing"), 404, "not_found")
    error(client.get(f"{API}/"), 404, "not_found")
    error(client.get(f"{API}/communities/not%20a%20slug"), 404, "not_found")
    error(client.get(f"{API}/communities/a%0Ab/members"), 404, "not_found")
    response = client.put(f"{API}/me")
    error(response, 405, "method_not_allowed")
    assert response["Allow"] == "GET"


def test_oversized_body_is_a_json_413(cast: Cast, settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    payload = community_payload(purpose="p" * 2000)
    error(post_json(cast.client("org_member"), "/communities", payload), 413, "too_large")
    assert Community.objects.count() == 3


def test_unexpected_error_is_a_json_500(cast: Cast, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("practica.communities.services.join_community", broken)
    client = Client(raise_request_exception=False)
    client.force_login(cast.org_member)
    data = error(post_json(client, "/communities/organization-math/join"), 500, "server_error")
    assert "boom" not in data["detail"]


# --- OpenAPI ------------------------------------------------------------------------------------


def test_openapi_document_lists_the_endpoints(db: None) -> None:
    schema = body(Client().get(f"{API}/openapi.json"), 200)
    operations = {
        (method.upper(), path.removeprefix(API))
        for path, item in schema["paths"].items()
        for method in item
    }
    # The foundation's operations; each feature's tests check its own the same way.
    assert operations >= {
        ("POST", "/auth/token"),
        ("GET", "/tokens"),
        ("DELETE", "/tokens/{token_id}"),
        ("GET", "/me"),
        ("GET", "/organizations"),
        ("GET", "/communities"),
        ("POST", "/communities"),
        ("GET", "/communities/{slug}"),
        ("POST", "/communities/{slug}/join"),
        ("POST", "/communities/{slug}/leave"),
        ("POST", "/communities/{slug}/requests"),
        ("GET", "/communities/{slug}/members"),
    }
    operation_ids = [op["operationId"] for item in schema["paths"].values() for op in item.values()]
    assert len(operation_ids) == len(set(operation_ids)), "operationIds must be unique"
    assert set(schema["components"]["securitySchemes"]) == {"BearerAuth", "SessionAuth"}
    assert schema["components"]["schemas"]["Visibility"]["enum"] == list(Visibility.values)
    assert schema["paths"][f"{API}/communities"]["get"]["operationId"] == "list_communities"


def test_docs_page_loads(db: None) -> None:
    response = Client().get(f"{API}/docs")
    assert response.status_code == 200
    assert b"swagger" in response.content.lower()
    assert b"openapi.json" in response.content
    # Nothing is fetched at run time: the Swagger UI comes from our own static files.
    assert b"cdn." not in response.content
    assert b"/static/ninja/swagger-ui-bundle.js" in response.content


# --- property test: whatever the schema allows, the answer is documented JSON, never a 5xx ------

SCHEMA = schemathesis.openapi.from_dict(api.get_openapi_schema())
SCHEMA.app = get_wsgi_application()


@pytest.fixture
def wsgi_in_test_transaction() -> Iterator[None]:
    """Schemathesis calls the WSGI app directly; like Django's test client, keep the request
    signals from closing the connection that holds the test's transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@SCHEMA.parametrize()
@hypothesis.settings(
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=list(hypothesis.HealthCheck),
)
def test_api_answers_what_it_documents(
    case: Any, cast: Cast, wsgi_in_test_transaction: None
) -> None:
    _, raw = token_for(cast.member, "property test")
    case.call_and_validate(
        headers={"Authorization": f"Bearer {raw}"},
        checks=[
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_schema_conformance,
        ],
    )
