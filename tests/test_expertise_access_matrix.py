"""The expertise access matrix: every expertise page and API endpoint × the cast × each
visibility → the expected status. Same format and cast order as tests/test_norms_access_matrix.py.

Each cell starts from a question asked by ``member`` (so only they may ask an expert by name)
and an expert channel opened by ``facilitator``. Lists of people (experts) need a signed-in
reader; channels are read by whoever may see the community; channels are created by
facilitators, coordinators, moderators (and org admins, staff); expert channels take posts from
experts and those same stewards; following is for members; routing is shown to the asker and
the community's facilitators and coordinators (and org admins, staff).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from practica.accounts.services import create_api_token
from practica.communities.models import Visibility
from practica.expertise import services
from practica.expertise import testing as qa
from practica.expertise.models import Channel
from practica.lib.testing import Cast
from practica.qa.models import Post

CAST = (
    "anonymous", "outsider", "org_member", "member", "expert", "facilitator", "coordinator",
    "org_admin", "staff",
)  # fmt: skip
VISIBILITIES = (Visibility.ORGANIZATION, Visibility.PRIVATE, Visibility.PUBLIC)
API = "/api/v1"


@dataclass
class World:
    slug: str
    post: Post
    channel: Channel
    cast: Cast


def _world(cast: Cast, visibility: str) -> World:
    community = cast.community(visibility)
    post = qa.ask(cast.member, community, "How do I teach slope?", [qa.tag(community, "slope")])
    channel = services.create_channel(cast.facilitator, community, name="Tips")
    return World(community.slug, post, channel, cast)


UrlFor = Callable[[World], str]
DataFor = Callable[[World], dict[str, Any]]


def page(name: str) -> UrlFor:
    return lambda w: reverse(f"expertise:{name}", args=[w.slug])


def on_channel(name: str) -> UrlFor:
    return lambda w: reverse(f"expertise:{name}", args=[w.slug, w.channel.slug])


def fixed(data: dict[str, Any]) -> DataFor:
    return lambda w: data


def _hidden_from(who: str, vis: str) -> bool:
    """Those who may not see the community at all (they get 404)."""
    if who == "outsider":
        return vis != "public"
    return who in ("org_member", "org_admin") and vis == "private"


def _rows(ok: str, *allowed: str, anonymous: str = "302") -> dict[str, str]:
    """Statuses for those who may see the community: ``ok`` for ``allowed``, 403 otherwise;
    404 for those who may not see it (outsiders; org members and org admins when private)."""

    def row(vis: str) -> str:
        out = []
        for who in CAST:
            if who == "anonymous":
                out.append(anonymous)
            elif (who == "outsider" and vis != "public") or (
                who in ("org_member", "org_admin") and vis == "private"
            ):
                out.append("404")
            else:
                out.append(ok if who in allowed else "403")
        return " ".join(out)

    return {vis: row(vis) for vis in ("organization", "private", "public")}


READERS = ("outsider", "org_member", "member", "expert", "facilitator", "coordinator",
           "org_admin", "staff")  # fmt: skip
MEMBERS = ("member", "expert", "facilitator", "coordinator")
STEWARDS = ("coordinator", "org_admin", "staff")
CREATORS = ("facilitator", "coordinator", "org_admin", "staff")
POSTERS = ("expert", *CREATORS)
SEE_ROUTING = ("member", "facilitator", "coordinator", "org_admin", "staff")
READ = {
    "organization": "302 404 200 200 200 200 200 200 200",
    "private":      "302 404 404 200 200 200 200 404 200",
    "public":       "200 200 200 200 200 200 200 200 200",
}  # fmt: skip
POST = {"kind": "tip", "title": "Use the stairs", "body": "Rise over run, literally."}

# (name, method, url, data, {visibility: expected statuses in CAST order})
ROWS: list[tuple[str, str, UrlFor, DataFor, dict[str, str]]] = [
    ("experts", "get", page("experts"), fixed({"q": "slope"}), _rows("200", *READERS)),
    ("settings", "get", page("settings"), fixed({}), _rows("200", *STEWARDS)),
    ("settings-post", "post", page("settings"), fixed({"reroute_after_hours": "12"}),
     _rows("302", *STEWARDS)),
    ("ask", "post", lambda w: reverse("expertise:ask", args=[w.slug, w.post.pk]),
     fixed({"expert": "Ethan Expert"}), _rows("302", "member")),
    ("channels", "get", page("channels"), fixed({}), READ),
    ("channel-new", "get", page("channel-new"), fixed({}), _rows("200", *CREATORS)),
    ("channel-new-post", "post", page("channel-new"),
     fixed({"name": "More tips", "kind": "expert"}), _rows("302", *CREATORS)),
    ("channel", "get", on_channel("channel"), fixed({}), READ),
    ("post", "get", on_channel("post"), fixed({}), _rows("200", *POSTERS)),
    ("post-post", "post", on_channel("post"), fixed({**POST, "video_url": "", "tags": ""}),
     _rows("302", *POSTERS)),
    ("follow", "post", on_channel("follow"), fixed({}), _rows("302", *MEMBERS)),
]  # fmt: skip


@pytest.mark.parametrize(("method", "url_for", "data_for", "visibility", "who", "expected"), [
    pytest.param(method, url_for, data_for, vis, who, int(expected), id=f"{name}-{vis}-{who}")
    for name, method, url_for, data_for, by_vis in ROWS
    for vis in VISIBILITIES
    for who, expected in zip(CAST, by_vis[vis].split(), strict=True)
])  # fmt: skip
def test_expertise_matrix(
    cast: Cast,
    method: str,
    url_for: UrlFor,
    data_for: DataFor,
    visibility: str,
    who: str,
    expected: int,
) -> None:
    world = _world(cast, visibility)
    response = getattr(cast.client(who), method)(url_for(world), data_for(world))
    assert response.status_code == expected, (
        f"{who}: expected {expected}, got {response.status_code}"
    )
    if expected == 302 and who == "anonymous":
        assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("who", CAST)
def test_feed_is_for_signed_in_people(cast: Cast, who: str) -> None:
    response = cast.client(who).get(reverse("expertise:feed"))
    assert response.status_code == (302 if who == "anonymous" else 200)


@pytest.mark.parametrize("who", CAST)
def test_a_missing_community_looks_like_a_private_one(cast: Cast, who: str) -> None:
    response = cast.client(who).get(reverse("expertise:channels", args=["no-such-community"]))
    assert response.status_code == (302 if who == "anonymous" else 404)


def test_another_communitys_channel_and_question_are_not_found_here(cast: Cast) -> None:
    world = _world(cast, Visibility.PUBLIC)
    other = cast.org_community.slug
    client = cast.client("staff")
    assert (
        client.get(reverse("expertise:channel", args=[other, world.channel.slug])).status_code
        == 404
    )
    ask = reverse("expertise:ask", args=[other, world.post.pk])
    assert cast.client("member").post(ask, {"expert": "Ethan Expert"}).status_code == 404


# --- The API ------------------------------------------------------------------------------------

PathFor = Callable[[World], str]


def api(suffix: str) -> PathFor:
    return lambda w: f"{API}/communities/{w.slug}{suffix}"


def api_channel(suffix: str = "") -> PathFor:
    return lambda w: f"{API}/communities/{w.slug}/channels/{w.channel.slug}{suffix}"


def routings(w: World) -> str:
    return f"{API}/questions/{w.post.pk}/routings"


API_READ = {
    "organization": "401 404 200 200 200 200 200 200 200",
    "private":      "401 404 404 200 200 200 200 404 200",
    "public":       "200 200 200 200 200 200 200 200 200",
}  # fmt: skip


def _api_rows(ok: str, *allowed: str) -> dict[str, str]:
    return _rows(ok, *allowed, anonymous="401")


API_ROWS: list[tuple[str, str, PathFor, DataFor | None, dict[str, str]]] = [
    ("experts", "get", api("/experts?tag=slope"), None, _api_rows("200", *READERS)),
    ("settings", "get", api("/experts/settings"), None, _api_rows("200", *READERS)),
    ("settings-put", "put", api("/experts/settings"), fixed({"reroute_after_hours": 12}),
     _api_rows("200", *STEWARDS)),
    ("routings", "get", routings, None, _api_rows("200", *SEE_ROUTING)),
    ("ask", "post", routings, lambda w: {"expert_id": w.cast.expert.pk},
     _api_rows("201", "member")),
    ("channels", "get", api("/channels"), None, API_READ),
    ("channel-create", "post", api("/channels"), fixed({"name": "More tips"}),
     _api_rows("201", *CREATORS)),
    ("channel", "get", api_channel(), None, API_READ),
    ("channel-posts", "get", api_channel("/posts"), None, API_READ),
    ("channel-post", "post", api_channel("/posts"), fixed(POST), _api_rows("201", *POSTERS)),
    ("follow", "put", api_channel("/follow"), None, _api_rows("200", *MEMBERS)),
    # Anyone may stop following (nothing to stop here: still 200 for those who may see it).
    ("unfollow", "delete", api_channel("/follow"), None, _api_rows("200", *READERS)),
]  # fmt: skip


def _client(cast: Cast, who: str) -> Client:
    if who == "anonymous":
        return Client()
    _, raw = create_api_token(getattr(cast, who), "matrix")
    return Client(headers={"Authorization": f"Bearer {raw}"})


@pytest.mark.parametrize(("method", "path_for", "data_for", "visibility", "who", "expected"), [
    pytest.param(method, path_for, data_for, vis, who, int(expected), id=f"{name}-{vis}-{who}")
    for name, method, path_for, data_for, by_vis in API_ROWS
    for vis in VISIBILITIES
    for who, expected in zip(CAST, by_vis[vis].split(), strict=True)
])  # fmt: skip
def test_expertise_api_matrix(
    cast: Cast,
    method: str,
    path_for: PathFor,
    data_for: DataFor | None,
    visibility: str,
    who: str,
    expected: int,
) -> None:
    world = _world(cast, visibility)
    client = _client(cast, who)
    path = path_for(world)
    if method in ("get", "delete"):
        response = getattr(client, method)(path)
    else:
        body = json.dumps(data_for(world) if data_for else {})
        response = getattr(client, method)(path, data=body, content_type="application/json")
    status = response.status_code
    assert status == expected, f"{who}: expected {expected}, got {status}: {response.content[:300]}"
    if status >= 400:
        assert set(response.json()) >= {"detail", "code"}


@pytest.mark.parametrize("who", CAST)
def test_api_feed_is_for_signed_in_callers(cast: Cast, who: str) -> None:
    response = _client(cast, who).get(f"{API}/channels/feed")
    assert response.status_code == (401 if who == "anonymous" else 200)


@pytest.mark.parametrize("who", CAST)
def test_api_missing_community_looks_like_a_private_one(cast: Cast, who: str) -> None:
    response = _client(cast, who).get(f"{API}/communities/no-such-community/channels")
    assert response.status_code == (401 if who == "anonymous" else 404)
    assert set(response.json()) >= {"detail", "code"}
