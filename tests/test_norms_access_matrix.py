"""The norms access matrix: every norms URL and API endpoint × the cast × each visibility →
the expected status. Same format and cast order as tests/test_access_matrix.py and
tests/test_api_access_matrix.py.

Each row builds, once, an open proposal by ``member`` (so only they may revise it), an adopted
norm and an open revisit round in the community; every cast member's request is then made in a
rolled-back savepoint, so each cell starts from that state. Readers are those who may see the
community; proposing, responding, discussing and revisiting are for members; nudging for
facilitators and coordinators (and org admins, staff); settings for coordinators (and org
admins, staff).
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
from practica.practice.norms import services
from practica.practice.norms.models import Norm, Proposal, RevisitRound
from tests.matrix import api_client, check_row, login_redirect, page_client

VISIBILITIES = (Visibility.ORGANIZATION, Visibility.PRIVATE, Visibility.PUBLIC)
API = "/api/v1"


@dataclass
class World:
    """What one row needs: the community's slug, an open proposal, a norm, a revisit round."""

    slug: str
    proposal: Proposal
    norm: Norm
    round: RevisitRound
    cast: Cast


def _world(cast: Cast, visibility: str) -> World:
    community = cast.community(visibility)
    norm = Norm.objects.create(community=community, statement="We listen first.", position=1)
    revisit = RevisitRound.objects.create(
        community=community,
        scheduled_for=timezone.now().date(),
        norm_set_version=1,
        closes_at=timezone.now() + timedelta(days=14),
    )
    proposal = services.propose(
        cast.member, community, statement="We start on time.", why="Respect for everyone."
    )
    return World(community.slug, proposal, norm, revisit, cast)


def _in_days(days: int) -> str:
    return (timezone.now().date() + timedelta(days=days)).isoformat()


UrlFor = Callable[[World], str]
DataFor = Callable[[World], dict[str, Any]]


def page(name: str) -> UrlFor:
    return lambda w: reverse(f"norms:{name}", args=[w.slug])


def on_proposal(name: str) -> UrlFor:
    return lambda w: reverse(f"norms:{name}", args=[w.slug, w.proposal.pk])


def on_round(name: str) -> UrlFor:
    return lambda w: reverse(f"norms:{name}", args=[w.slug, w.round.pk])


def nudge_expert(w: World) -> str:
    return reverse("norms:nudge", args=[w.slug, w.proposal.pk, w.cast.expert.pk])


def fixed(data: dict[str, Any]) -> DataFor:
    return lambda w: data


NEW = {"kind": "new", "statement": "We share the airtime.", "why": "Every voice.", "closes_on": ""}
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
MEMBERS_POST = {vis: row.replace("200", "302") for vis, row in MEMBERS_GET.items()}
PROPOSER_GET = {
    "organization": "302 404 403 200 403 403 403 403 403",
    "private":      "302 404 404 200 403 403 403 404 403",
    "public":       "302 403 403 200 403 403 403 403 403",
}  # fmt: skip
MANAGERS_POST = {
    "organization": "302 404 403 403 403 302 302 302 302",
    "private":      "302 404 404 403 403 302 302 404 302",
    "public":       "302 403 403 403 403 302 302 302 302",
}  # fmt: skip
STEWARDS_GET = {
    "organization": "302 404 403 403 403 403 200 200 200",
    "private":      "302 404 404 403 403 403 200 404 200",
    "public":       "302 403 403 403 403 403 200 200 200",
}  # fmt: skip

# (name, method, url, data, {visibility: expected statuses in CAST order})
ROWS: list[tuple[str, str, UrlFor, DataFor, dict[str, str]]] = [
    ("index", "get", page("index"), fixed({}), READ),
    ("history", "get", page("history"), fixed({}), READ),
    ("proposals", "get", page("proposals"), fixed({}), READ),
    ("proposal", "get", on_proposal("proposal"), fixed({}), READ),
    ("revisit", "get", on_round("revisit"), fixed({}), READ),
    ("propose", "get", page("propose"), fixed({}), MEMBERS_GET),
    ("propose-post", "post", page("propose"), lambda w: {**NEW, "closes_on": _in_days(5)},
     MEMBERS_POST),
    ("respond", "post", on_proposal("respond"), fixed({"stance": "agree"}), MEMBERS_POST),
    # Nobody here has an objection: members are told so (a message, 302).
    ("withdraw-objection", "post", on_proposal("withdraw-objection"), fixed({}), MEMBERS_POST),
    ("comment", "post", on_proposal("comment"), fixed({"body": "Yes, and…"}), MEMBERS_POST),
    ("reaffirm", "post", on_round("reaffirm"), lambda w: {"norm": str(w.norm.pk)}, MEMBERS_POST),
    ("revise", "get", on_proposal("revise"), fixed({}), PROPOSER_GET),
    ("revise-post", "post", on_proposal("revise"),
     fixed({"statement": "We start on time, always.", "why": "Respect.", "note": ""}),
     {vis: row.replace("200", "302") for vis, row in PROPOSER_GET.items()}),
    ("nudge", "post", nudge_expert, fixed({}), MANAGERS_POST),
    ("settings", "get", page("settings"), fixed({}), STEWARDS_GET),
    ("settings-post", "post", page("settings"),
     lambda w: {"quorum_percent": "60", "revisit_interval_days": "30",
                "next_revisit_on": _in_days(3)},
     {vis: row.replace("200", "302") for vis, row in STEWARDS_GET.items()}),
]  # fmt: skip


@pytest.mark.parametrize(("method", "url_for", "data_for", "visibility", "expected"), [
    pytest.param(method, url_for, data_for, vis, by_vis[vis], id=f"{name}-{vis}")
    for name, method, url_for, data_for, by_vis in ROWS
    for vis in VISIBILITIES
])  # fmt: skip
def test_norms_matrix(
    cast: Cast,
    method: str,
    url_for: UrlFor,
    data_for: DataFor,
    visibility: str,
    expected: str,
) -> None:
    world = _world(cast, visibility)  # built once, before the cells
    url = url_for(world)

    def call(client: Client, who: str) -> Any:
        return getattr(client, method)(url, data_for(world))

    check_row(page_client(cast), call, expected, on_redirect=login_redirect)


def test_a_missing_community_looks_like_a_private_one(cast: Cast) -> None:
    url = reverse("norms:index", args=["no-such-community"])
    check_row(
        page_client(cast),
        lambda client, who: client.get(url),
        "302 404 404 404 404 404 404 404 404",
    )


def test_another_communitys_proposal_is_not_found_here(cast: Cast) -> None:
    world = _world(cast, Visibility.PUBLIC)
    url = reverse("norms:proposal", args=[cast.org_community.slug, world.proposal.pk])
    check_row(
        page_client(cast),
        lambda client, who: client.get(url),
        "404 404",
        cast_order=("member", "staff"),
    )


# --- The API ------------------------------------------------------------------------------------

PathFor = Callable[[World], str]


def api(suffix: str = "") -> PathFor:
    return lambda w: f"{API}/communities/{w.slug}/norms{suffix}"


def api_proposal(suffix: str = "") -> PathFor:
    return lambda w: f"{API}/communities/{w.slug}/norms/proposals/{w.proposal.pk}{suffix}"


def api_round(suffix: str = "") -> PathFor:
    return lambda w: f"{API}/communities/{w.slug}/norms/revisits/{w.round.pk}{suffix}"


API_READ = {
    "organization": "401 404 200 200 200 200 200 200 200",
    "private":      "401 404 404 200 200 200 200 404 200",
    "public":       "200 200 200 200 200 200 200 200 200",
}  # fmt: skip


def _members(ok: str) -> dict[str, str]:
    """Members get ``ok``; non-members who may see the community 403."""
    row = f"{ok} {ok} {ok} {ok}"
    return {
        "organization": f"401 404 403 {row} 403 403",
        "private":      f"401 404 404 {row} 404 403",
        "public":       f"401 403 403 {row} 403 403",
    }  # fmt: skip


def _managers(ok: str) -> dict[str, str]:
    return {
        "organization": f"401 404 403 403 403 {ok} {ok} {ok} {ok}",
        "private":      f"401 404 404 403 403 {ok} {ok} 404 {ok}",
        "public":       f"401 403 403 403 403 {ok} {ok} {ok} {ok}",
    }  # fmt: skip


def _stewards(ok: str) -> dict[str, str]:
    return {
        "organization": f"401 404 403 403 403 403 {ok} {ok} {ok}",
        "private":      f"401 404 404 403 403 403 {ok} 404 {ok}",
        "public":       f"401 403 403 403 403 403 {ok} {ok} {ok}",
    }  # fmt: skip


API_ROWS: list[tuple[str, str, PathFor, DataFor | None, dict[str, str]]] = [
    ("norms", "get", api(), None, API_READ),
    ("versions", "get", api("/versions"), None, API_READ),
    ("settings", "get", api("/settings"), None, API_READ),
    ("proposals", "get", api("/proposals"), None, API_READ),
    ("proposal", "get", api_proposal(), None, API_READ),
    ("comments", "get", api_proposal("/comments"), None, API_READ),
    ("revisits", "get", api("/revisits"), None, API_READ),
    ("revisit", "get", api_round(), None, API_READ),
    ("settings-put", "put", api("/settings"),
     lambda w: {"quorum_percent": 60, "revisit_interval_days": 30,
                "next_revisit_on": _in_days(3)}, _stewards("200")),
    ("propose", "post", api("/proposals"),
     fixed({"statement": "We share the airtime.", "why": "Every voice."}), _members("201")),
    ("respond", "put", api_proposal("/response"), fixed({"stance": "agree"}), _members("200")),
    # Nobody here has an objection to withdraw.
    ("withdraw-objection", "post", api_proposal("/withdraw-objection"), None, _members("409")),
    ("comment", "post", api_proposal("/comments"), fixed({"body": "Yes, and…"}),
     _members("201")),
    # Only the proposer (member) revises.
    ("revise", "post", api_proposal("/versions"),
     fixed({"statement": "We start on time, always.", "why": "Respect."}), {
        "organization": "401 404 403 201 403 403 403 403 403",
        "private":      "401 404 404 201 403 403 403 404 403",
        "public":       "401 403 403 201 403 403 403 403 403",
    }),
    ("waiting", "get", api_proposal("/waiting"), None, _managers("200")),
    ("nudge", "post", api_proposal("/nudges"), lambda w: {"user_id": w.cast.expert.pk},
     _managers("201")),
    ("reaffirm", "put", lambda w: f"{api_round('/norms')(w)}/{w.norm.pk}", fixed({"note": ""}),
     _members("200")),
]  # fmt: skip


def _api_error(response: Any) -> Any:
    """Errors are the API's error shape."""
    if response.status_code >= 400:
        assert set(response.json()) >= {"detail", "code"}, response.content[:300]
    return response


@pytest.mark.parametrize(("method", "path_for", "data_for", "visibility", "expected"), [
    pytest.param(method, path_for, data_for, vis, by_vis[vis], id=f"{name}-{vis}")
    for name, method, path_for, data_for, by_vis in API_ROWS
    for vis in VISIBILITIES
])  # fmt: skip
def test_norms_api_matrix(
    cast: Cast,
    method: str,
    path_for: PathFor,
    data_for: DataFor | None,
    visibility: str,
    expected: str,
) -> None:
    world = _world(cast, visibility)  # built once, before the cells
    path = path_for(world)

    def call(client: Client, who: str) -> Any:
        if method == "get":
            response = client.get(path)
        else:
            body = json.dumps(data_for(world) if data_for else {})
            response = getattr(client, method)(path, data=body, content_type="application/json")
        return _api_error(response)

    check_row(api_client(cast), call, expected)


def test_api_missing_community_looks_like_a_private_one(cast: Cast) -> None:
    path = f"{API}/communities/no-such-community/norms/proposals"

    def call(client: Client, who: str) -> Any:
        response = client.get(path)
        assert set(response.json()) >= {"detail", "code"}
        return response

    check_row(api_client(cast), call, "401 404 404 404 404 404 404 404 404")
