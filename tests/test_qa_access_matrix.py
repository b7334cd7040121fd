"""The Q&A access matrix: every Q&A page and API endpoint × the cast × each visibility → the
expected status. Same cast order as tests/test_access_matrix.py.

Each cell starts from a question by ``member`` (with a tag and a comment by ``member``), an
answer to it by ``expert``, and a second post by ``facilitator`` (the original for
"close as duplicate"). Readers are those who may see the community; posting, answering,
commenting, voting and rating are for members (never on one's own); accepting is the asker's or
a moderator's (facilitator, coordinator, staff); editing others' takes EDIT_OTHERS (expert,
facilitator, coordinator, staff); deleting others' is for moderators; settings for stewards.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from practica.accounts.services import create_api_token
from practica.communities.models import Visibility
from practica.lib.testing import Cast
from practica.qa import services
from practica.qa.models import Answer, Comment, Post
from practica.tags.models import Tag

CAST = (
    "anonymous", "outsider", "org_member", "member", "expert", "facilitator", "coordinator",
    "org_admin", "staff",
)  # fmt: skip
VISIBILITIES = (Visibility.ORGANIZATION, Visibility.PRIVATE, Visibility.PUBLIC)
MEMBERS = {"member", "expert", "facilitator", "coordinator"}
MODERATORS = {"facilitator", "coordinator", "staff"}
EDITORS = {"expert", "facilitator", "coordinator", "staff"}  # EDIT_OTHERS and CREATE_TAGS
STEWARDS = {"coordinator", "org_admin", "staff"}
API = "/api/v1"


@dataclass
class World:
    slug: str
    post: Post
    answer: Answer
    original: Post
    comment: Comment
    cast: Cast


def _world(cast: Cast, visibility: str) -> World:
    community = cast.community(visibility)
    Tag.objects.create(community=community, name="fractions", slug="fractions")
    post = services.create_post(cast.member, community, title="Comparing fractions",
                                body="How?", tags=["fractions"])  # fmt: skip
    answer = services.post_answer(cast.expert, post, body="Benchmarks.")
    original = services.create_post(cast.facilitator, community, title="Fractions again")
    comment = services.add_comment(cast.member, post, body="Anyone?")
    return World(community.slug, post, answer, original, comment, cast)


def _sees(visibility: str, who: str) -> bool:
    if visibility == Visibility.PUBLIC:
        return True
    if visibility == Visibility.PRIVATE:
        return who in MEMBERS | {"staff"}
    return who != "outsider"


def expect(
    allowed: set[str], ok: int, *, anon: int = 302, anon_public: int | None = None
) -> dict[str, str]:
    """Expected statuses per visibility: ``ok`` for ``allowed``, 403 for others who see the
    community, 404 for those who don't, ``anon`` for signed-out visitors."""
    rows: dict[str, str] = {}
    for vis in VISIBILITIES:
        cells = []
        for who in CAST:
            if who == "anonymous":
                code = anon_public if (anon_public and vis == Visibility.PUBLIC) else anon
            elif not _sees(vis, who):
                code = 404
            else:
                code = ok if who in allowed else 403
            cells.append(str(code))
        rows[vis] = " ".join(cells)
    return rows


EVERYONE = set(CAST)
READ = expect(EVERYONE, 200, anon_public=200)

UrlFor = Callable[[World], str]
DataFor = Callable[[World], dict[str, Any]]


def page(name: str) -> UrlFor:
    return lambda w: reverse(f"qa:{name}", args=[w.slug])


def on_post(name: str) -> UrlFor:
    return lambda w: reverse(f"qa:{name}", args=[w.slug, w.post.pk])


def on_answer(name: str) -> UrlFor:
    return lambda w: reverse(f"qa:{name}", args=[w.slug, w.answer.pk])


def fixed(data: dict[str, Any]) -> DataFor:
    return lambda w: data


NONE = fixed({})
ROWS: list[tuple[str, str, UrlFor, DataFor, dict[str, str]]] = [
    ("questions", "get", page("questions"), NONE, READ),
    ("similar", "get", page("similar"), fixed({"title": "fractions"}), READ),
    ("tags", "get", page("tags"), NONE, READ),
    ("tag", "get", lambda w: reverse("qa:tag", args=[w.slug, "fractions"]), NONE, READ),
    ("question", "get", on_post("question"), NONE, READ),
    ("history", "get", on_post("history"), NONE, READ),
    ("answer-history", "get", on_answer("answer-history"), NONE, READ),
    ("ask", "get", page("ask"), NONE, expect(MEMBERS, 200)),
    ("ask-post", "post", page("ask"),
     fixed({"kind": "question", "title": "Exit tickets?", "body": "", "tags": ""}),
     expect(MEMBERS, 302)),
    ("answer", "post", on_post("answer"), fixed({"body": "Try strips."}), expect(MEMBERS, 302)),
    ("comment", "post", on_post("comment"), fixed({"body": "+1"}), expect(MEMBERS, 302)),
    ("answer-comment", "post", on_answer("answer-comment"), fixed({"body": "Thanks"}),
     expect(MEMBERS, 302)),
    ("vote", "post", on_post("vote"), fixed({"value": "1"}), expect(MEMBERS - {"member"}, 302)),
    ("answer-vote", "post", on_answer("answer-vote"), fixed({"value": "1"}),
     expect(MEMBERS - {"expert"}, 302)),
    ("rate", "post", on_answer("rate"), fixed({"educational_value": "4", "note": ""}),
     expect(MEMBERS - {"expert"}, 302)),
    ("accept", "post", on_answer("accept"), NONE, expect({"member"} | MODERATORS, 302)),
    ("unaccept", "post", on_post("unaccept"), NONE, expect({"member"} | MODERATORS, 302)),
    ("edit", "get", on_post("edit"), NONE, expect({"member"} | EDITORS, 200)),
    ("edit-post", "post", on_post("edit"),
     fixed({"title": "Comparing fractions", "body": "How, really?", "tags": "",
            "reason": "Clearer"}),
     expect({"member"} | EDITORS, 302)),
    ("answer-edit", "get", on_answer("answer-edit"), NONE, expect(EDITORS, 200)),
    ("answer-edit-post", "post", on_answer("answer-edit"),
     fixed({"body": "Benchmarks, then strips.", "reason": "Clearer"}), expect(EDITORS, 302)),
    ("delete", "post", on_post("delete"), NONE, expect({"member"} | MODERATORS, 302)),
    ("restore", "post", on_post("restore"), NONE, expect({"member"} | MODERATORS, 302)),
    ("answer-delete", "post", on_answer("answer-delete"), NONE,
     expect({"expert"} | MODERATORS, 302)),
    ("answer-restore", "post", on_answer("answer-restore"), NONE,
     expect({"expert"} | MODERATORS, 302)),
    ("duplicate", "post", on_post("duplicate"), lambda w: {"duplicate_of": str(w.original.pk)},
     expect({"member"} | MODERATORS | EDITORS, 302)),
    ("reopen", "post", on_post("reopen"), NONE, expect({"member"} | MODERATORS | EDITORS, 302)),
    ("comment-delete", "post", lambda w: reverse("qa:comment-delete", args=[w.slug, w.comment.pk]),
     NONE, expect({"member"} | MODERATORS, 302)),
    ("tags-post", "post", page("tags"), fixed({"name": "Ratios", "description": "Rates."}),
     expect(EDITORS, 302)),
    ("tag-post", "post", lambda w: reverse("qa:tag", args=[w.slug, "fractions"]),
     fixed({"description": "Parts of a whole."}), expect(EDITORS, 302)),
    ("settings", "get", page("settings"), NONE, expect(STEWARDS, 200)),
    ("settings-post", "post", page("settings"), fixed({"accepted_first": "on"}),
     expect(STEWARDS, 302)),
]  # fmt: skip


def _each_row_rolled_back(rows: list[Any], call: Callable[[Any], str | None]) -> list[str]:
    """Run ``call`` for every row inside a savepoint that is rolled back (each row starts from
    the same world; building it once per (visibility, person) keeps the matrix fast)."""
    failures = []
    for row in rows:
        with transaction.atomic():
            failure = call(row)
            transaction.set_rollback(True)
        if failure:
            failures.append(failure)
    return failures


@pytest.mark.parametrize(("visibility", "who"), [
    pytest.param(vis, who, id=f"{vis}-{who}") for vis in VISIBILITIES for who in CAST
])  # fmt: skip
def test_qa_matrix(cast: Cast, visibility: str, who: str) -> None:
    world = _world(cast, visibility)
    client = cast.client(who)
    column = CAST.index(who)

    def check(row: tuple[str, str, UrlFor, DataFor, dict[str, str]]) -> str | None:
        name, method, url_for, data_for, by_vis = row
        expected = int(by_vis[visibility].split()[column])
        response = getattr(client, method)(url_for(world), data_for(world))
        if response.status_code != expected:
            return f"{name}: expected {expected}, got {response.status_code}"
        if (
            expected == 302
            and who == "anonymous"
            and "/accounts/login/" not in response["Location"]
        ):
            return f"{name}: anonymous not sent to log in"
        return None

    assert _each_row_rolled_back(ROWS, check) == []


@pytest.mark.parametrize("who", CAST)
def test_a_missing_community_looks_like_a_private_one(cast: Cast, who: str) -> None:
    response = cast.client(who).get(reverse("qa:questions", args=["no-such-community"]))
    assert response.status_code == (302 if who == "anonymous" else 404)


@pytest.mark.parametrize("who", ["member", "staff"])
def test_another_communitys_post_is_not_found_here(cast: Cast, who: str) -> None:
    world = _world(cast, Visibility.PUBLIC)
    url = reverse("qa:question", args=[cast.org_community.slug, world.post.pk])
    assert cast.client(who).get(url).status_code == 404
    answer_url = reverse("qa:answer-history", args=[cast.org_community.slug, world.answer.pk])
    assert cast.client(who).get(answer_url).status_code == 404


# --- The API ------------------------------------------------------------------------------------

PathFor = Callable[[World], str]


def community_api(suffix: str) -> PathFor:
    return lambda w: f"{API}/communities/{w.slug}{suffix}"


def post_api(suffix: str = "") -> PathFor:
    return lambda w: f"{API}/questions/{w.post.pk}{suffix}"


def answer_api(suffix: str = "") -> PathFor:
    return lambda w: f"{API}/answers/{w.answer.pk}{suffix}"


API_READ = expect(EVERYONE, 200, anon=401, anon_public=200)


def api_rule(allowed: set[str], ok: int) -> dict[str, str]:
    return expect(allowed, ok, anon=401)


API_ROWS: list[tuple[str, str, PathFor, DataFor | None, dict[str, str]]] = [
    ("questions", "get", community_api("/questions"), None, API_READ),
    ("similar", "get", community_api("/similar?title=fractions"), None, API_READ),
    ("tags", "get", community_api("/tags"), None, API_READ),
    ("question", "get", post_api(), None, API_READ),
    ("revisions", "get", post_api("/revisions"), None, API_READ),
    ("comments", "get", post_api("/comments"), None, API_READ),
    ("answer", "get", answer_api(), None, API_READ),
    ("answer-revisions", "get", answer_api("/revisions"), None, API_READ),
    ("answer-comments", "get", answer_api("/comments"), None, API_READ),
    ("ask", "post", community_api("/questions"), fixed({"title": "Exit tickets?"}),
     api_rule(MEMBERS, 201)),
    ("create-tag", "post", community_api("/tags"), fixed({"name": "ratios"}),
     api_rule(EDITORS, 201)),
    ("edit", "put", post_api(),
     fixed({"title": "Comparing fractions", "body": "How, really?", "reason": "Clearer"}),
     api_rule({"member"} | EDITORS, 200)),
    ("delete", "delete", post_api(), None, api_rule({"member"} | MODERATORS, 204)),
    # Not deleted: those who may restore are told so.
    ("restore", "post", post_api("/restore"), None, api_rule({"member"} | MODERATORS, 409)),
    ("duplicate", "put", post_api("/duplicate"), lambda w: {"duplicate_of": w.original.pk},
     api_rule({"member"} | MODERATORS | EDITORS, 200)),
    ("reopen", "delete", post_api("/duplicate"), None,
     api_rule({"member"} | MODERATORS | EDITORS, 409)),
    ("answer-post", "post", post_api("/answers"), fixed({"body": "Strips."}),
     api_rule(MEMBERS, 201)),
    ("vote", "post", post_api("/vote"), fixed({"value": 1}), api_rule(MEMBERS - {"member"}, 200)),
    ("comment", "post", post_api("/comments"), fixed({"body": "+1"}), api_rule(MEMBERS, 201)),
    ("answer-edit", "put", answer_api(), fixed({"body": "Benchmarks!", "reason": "Typo"}),
     api_rule(EDITORS, 200)),
    ("answer-delete", "delete", answer_api(), None, api_rule({"expert"} | MODERATORS, 204)),
    ("answer-restore", "post", answer_api("/restore"), None,
     api_rule({"expert"} | MODERATORS, 409)),
    ("rating", "put", answer_api("/rating"), fixed({"educational_value": 4, "note": "Yes"}),
     api_rule(MEMBERS - {"expert"}, 200)),
    ("accept", "post", answer_api("/accept"), None, api_rule({"member"} | MODERATORS, 200)),
    # Nothing accepted yet: those who may accept are told so.
    ("unaccept", "delete", answer_api("/accept"), None, api_rule({"member"} | MODERATORS, 409)),
    ("answer-vote", "post", answer_api("/vote"), fixed({"value": -1}),
     api_rule(MEMBERS - {"expert"}, 200)),
    ("answer-comment", "post", answer_api("/comments"), fixed({"body": "Thanks"}),
     api_rule(MEMBERS, 201)),
]  # fmt: skip


def _client(cast: Cast, who: str) -> Client:
    if who == "anonymous":
        return Client()
    _, raw = create_api_token(getattr(cast, who), "matrix")
    return Client(headers={"Authorization": f"Bearer {raw}"})


@pytest.mark.parametrize(("visibility", "who"), [
    pytest.param(vis, who, id=f"{vis}-{who}") for vis in VISIBILITIES for who in CAST
])  # fmt: skip
def test_qa_api_matrix(cast: Cast, visibility: str, who: str) -> None:
    world = _world(cast, visibility)
    client = _client(cast, who)
    column = CAST.index(who)

    def check(row: tuple[str, str, PathFor, DataFor | None, dict[str, str]]) -> str | None:
        name, method, path_for, data_for, by_vis = row
        expected = int(by_vis[visibility].split()[column])
        path = path_for(world)
        if method == "get":
            response = client.get(path)
        else:
            body = json.dumps(data_for(world) if data_for else {})
            response = getattr(client, method)(path, data=body, content_type="application/json")
        status = response.status_code
        if status != expected:
            return f"{name}: expected {expected}, got {status}: {response.content[:200]!r}"
        if status >= 400 and not set(response.json()) >= {"detail", "code"}:
            return f"{name}: error body without detail and code"
        return None

    assert _each_row_rolled_back(API_ROWS, check) == []


@pytest.mark.parametrize("who", CAST)
def test_api_missing_post_looks_like_a_private_one(cast: Cast, who: str) -> None:
    response = _client(cast, who).get(f"{API}/questions/999999999")
    assert response.status_code == (401 if who == "anonymous" else 404)
    huge = _client(cast, who).get(f"{API}/answers/{2**70}")
    assert huge.status_code in (401, 404, 422)
