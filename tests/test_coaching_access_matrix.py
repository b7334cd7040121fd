"""The coaching access matrix: every coaching URL and API endpoint × the cast → status.

Each cell starts from a coaching relationship (``expert`` coaches ``member``) with a goal and a
stretch assignment, and a pending request from ``facilitator`` to ``expert``. The workspace is
404 to everyone but its two people — stewards, org admins and staff included.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from practica.lib.testing import Cast
from practica.practice.coaching import services
from practica.practice.coaching.models import (
    Goal,
    Kind,
    MatchRequest,
    Relationship,
    StretchAssignment,
)
from tests.matrix import api_client, check_row, login_redirect, page_client

API = "/api/v1"


@dataclass
class World:
    r: Relationship
    goal: Goal
    task: StretchAssignment
    pending: MatchRequest
    expert_id: int


def _world(cast: Cast) -> World:
    ask = services.request_match(cast.member, cast.expert, kind=Kind.COACHING)
    r = services.decide(cast.expert, ask.pk, accept=True)
    assert r is not None
    goal = services.add_goal(cast.member, r, text="Wait time")
    task = services.assign_stretch(cast.expert, r, title="Research lesson")
    pending = services.request_match(cast.facilitator, cast.expert, kind=Kind.PEER)
    return World(r, goal, task, pending, cast.expert.pk)


UrlFor = Callable[[World], str]
TODAY = timezone.localdate().isoformat()

ANY_SIGNED_IN = "302 200 200 200 200 200 200 200 200"
TWO = "302 404 404 302 302 404 404 404 404"

ROWS: list[tuple[str, str, UrlFor, dict[str, Any], str]] = [
    ("index", "get", lambda w: reverse("coaching:index"), {}, ANY_SIGNED_IN),
    ("find", "get", lambda w: reverse("coaching:find"), {}, ANY_SIGNED_IN),
    ("ask", "get", lambda w: reverse("coaching:ask", args=[w.expert_id]), {},
     "302 404 200 200 200 200 200 200 200"),
    ("ask-post", "post", lambda w: reverse("coaching:ask", args=[w.expert_id]),
     {"kind": "peer"}, "302 404 302 302 302 302 302 302 302"),
    ("decide", "post", lambda w: reverse("coaching:decide", args=[w.pending.pk]),
     {"accept": "0"}, "302 404 404 404 302 404 404 404 404"),
    ("withdraw", "post", lambda w: reverse("coaching:withdraw", args=[w.pending.pk]), {},
     "302 404 404 404 404 302 404 404 404"),
    ("relationship", "get", lambda w: reverse("coaching:relationship", args=[w.r.pk]), {},
     "302 404 404 200 200 404 404 404 404"),
    ("goal-add", "post", lambda w: reverse("coaching:goal-add", args=[w.r.pk]),
     {"text": "Another"}, TWO),
    ("goal-update", "post", lambda w: reverse("coaching:goal-update", args=[w.r.pk, w.goal.pk]),
     {"status": "open", "progress": "50"}, TWO),
    ("checkin", "post", lambda w: reverse("coaching:checkin", args=[w.r.pk]),
     {"held_on": TODAY, "notes": "Good."}, TWO),
    ("stretch-add", "post", lambda w: reverse("coaching:stretch-add", args=[w.r.pk]),
     {"title": "Observe a colleague"}, TWO),
    ("stretch-done", "post",
     lambda w: reverse("coaching:stretch-done", args=[w.r.pk, w.task.pk]),
     {"reflection": "Learned."}, "302 404 404 302 403 404 404 404 404"),
    ("status", "post", lambda w: reverse("coaching:status", args=[w.r.pk]),
     {"status": "paused"}, TWO),
]  # fmt: skip


@pytest.mark.parametrize(("method", "url_for", "data", "expected"), [
    pytest.param(method, url_for, data, row, id=name) for name, method, url_for, data, row in ROWS
])  # fmt: skip
@pytest.mark.django_db
def test_coaching_pages_matrix(
    cast: Cast, method: str, url_for: UrlFor, data: dict[str, Any], expected: str
) -> None:
    world = _world(cast)
    check_row(
        page_client(cast),
        lambda client, who: getattr(client, method)(url_for(world), data),
        expected,
        on_redirect=login_redirect,
    )


API_TWO = "401 404 404 {m} {e} 404 404 404 404"
API_ROWS: list[tuple[str, str, UrlFor, dict[str, Any], str]] = [
    ("list", "get", lambda w: f"{API}/coaching", {}, "401 200 200 200 200 200 200 200 200"),
    ("suggestions", "get", lambda w: f"{API}/coaching/suggestions", {},
     "401 200 200 200 200 200 200 200 200"),
    ("requests", "get", lambda w: f"{API}/coaching/requests", {},
     "401 200 200 200 200 200 200 200 200"),
    ("request", "post", lambda w: f"{API}/coaching/requests",
     {"recipient_id": 0, "kind": "peer"}, "401 404 404 404 404 404 404 404 404"),
    ("decide", "post", lambda w: f"{API}/coaching/requests/{w.pending.pk}/decide",
     {"accept": False}, "401 404 404 404 200 404 404 404 404"),
    ("get", "get", lambda w: f"{API}/coaching/{w.r.pk}", {}, API_TWO.format(m=200, e=200)),
    ("goal", "post", lambda w: f"{API}/coaching/{w.r.pk}/goals", {"text": "More"},
     API_TWO.format(m=201, e=201)),
    ("goal-patch", "patch", lambda w: f"{API}/coaching/{w.r.pk}/goals/{w.goal.pk}",
     {"status": "open", "progress": 10}, API_TWO.format(m=200, e=200)),
    ("checkin", "post", lambda w: f"{API}/coaching/{w.r.pk}/checkins",
     {"held_on": TODAY, "notes": "Good."}, API_TWO.format(m=201, e=201)),
    ("assignment", "post", lambda w: f"{API}/coaching/{w.r.pk}/assignments",
     {"title": "Observe"}, API_TWO.format(m=201, e=201)),
    ("assignment-done", "post",
     lambda w: f"{API}/coaching/{w.r.pk}/assignments/{w.task.pk}/done",
     {"reflection": "Learned."}, API_TWO.format(m=200, e=403)),
    ("status", "put", lambda w: f"{API}/coaching/{w.r.pk}/status", {"status": "paused"},
     API_TWO.format(m=200, e=200)),
]  # fmt: skip


@pytest.mark.parametrize(("method", "url_for", "data", "expected"), [
    pytest.param(method, url_for, data, row, id=name)
    for name, method, url_for, data, row in API_ROWS
])  # fmt: skip
@pytest.mark.django_db
def test_coaching_api_matrix(
    cast: Cast, method: str, url_for: UrlFor, data: dict[str, Any], expected: str
) -> None:
    world = _world(cast)
    check_row(
        api_client(cast),
        lambda client, who: getattr(client, method)(
            url_for(world), data, content_type="application/json"
        ),
        expected,
    )
