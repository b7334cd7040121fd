"""The consultancy access matrix: every consultancy URL and API endpoint × the cast × each
visibility → the expected status. Same format and cast order as tests/test_norms_access_matrix.py.

Each row gets the session its URL needs (built lazily, once per row; every cast member's request
is then made in a rolled-back savepoint, so each cell starts from the same state), presented by
``member``, facilitated by ``facilitator``, with ``expert`` taking part: planned, live (at its
clarifying step, where everyone may write) or completed. A case is 404 to everyone who is not
one of its people — coordinators, org admins and staff included (docs/decisions/0012) — and
running it is for its facilitator only; reflection, follow-up and visibility for its presenter
only.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from practica.communities.models import Visibility
from practica.lib.testing import Cast
from practica.practice.consultancy import services
from practica.practice.consultancy.models import Protocol, Session
from tests.matrix import api_client, check_row, login_redirect, page_client

VISIBILITIES = (Visibility.ORGANIZATION, Visibility.PRIVATE, Visibility.PUBLIC)
API = "/api/v1"


@dataclass
class World:
    """Built lazily: a row creates only the session its URL needs. The test asks for its URL
    before any cell runs, so that session is created outside the cells' rolled-back savepoints
    (a cached session created inside one would vanish when it rolls back)."""

    cast: Cast
    visibility: str

    @property
    def slug(self) -> str:
        return self.cast.community(self.visibility).slug

    @cached_property
    def protocol(self) -> Protocol:
        return Protocol.objects.get(slug="tuning", community__isnull=True)

    @cached_property
    def planned(self) -> Session:
        return _bring(self.cast, self.visibility, "Planned")

    @cached_property
    def live(self) -> Session:
        session = _bring(self.cast, self.visibility, "Live")
        services.start_session(self.cast.facilitator, session)
        services.advance_step(self.cast.facilitator, session)
        return session

    @cached_property
    def completed(self) -> Session:
        session = _bring(self.cast, self.visibility, "Completed")
        services.start_session(self.cast.facilitator, session)
        services.finish_session(self.cast.facilitator, session)
        return session


def _bring(cast: Cast, visibility: str, title: str) -> Session:
    return services.create_session(
        cast.member,
        cast.community(visibility),
        title=title,
        context="The context.",
        dilemma="The dilemma.",
        focusing_question="How might I…?",
        protocol=Protocol.objects.get(slug="consultancy", community__isnull=True),
        facilitator_id=cast.facilitator.pk,
        participant_ids=[cast.expert.pk],
    )


def _world(cast: Cast, visibility: str) -> World:
    return World(cast, visibility)


UrlFor = Callable[[World], str]
DataFor = Callable[[World, str], dict[str, Any]]


def page(name: str) -> UrlFor:
    return lambda w: reverse(f"consultancy:{name}", args=[w.slug])


def on(which: str, name: str) -> UrlFor:
    return lambda w: reverse(f"consultancy:{name}", args=[w.slug, getattr(w, which).pk])


def on_protocol(name: str) -> UrlFor:
    return lambda w: reverse(f"consultancy:{name}", args=[w.slug, w.protocol.pk])


def fixed(data: dict[str, Any]) -> DataFor:
    return lambda w, who: data


def _facilitator_for(w: World, who: str) -> int:
    """Someone other than the caller (who presents)."""
    return (w.cast.coordinator if who == "facilitator" else w.cast.facilitator).pk


def new_case(w: World, who: str) -> dict[str, Any]:
    return {
        "title": "A case",
        "context": "c",
        "dilemma": "d",
        "focusing_question": "q?",
        "protocol": str(w.protocol.pk),
        "facilitator": str(_facilitator_for(w, who)),
        "participants": [str(w.cast.member.pk if who == "expert" else w.cast.expert.pk)],
        "visibility": "participants",
        "followup_after_days": "14",
    }


def adapt_form(w: World, who: str) -> dict[str, str]:
    steps = list(w.protocol.steps.all())
    data = {
        "title": "Our tuning", "summary": "s", "note": "n",
        "steps-TOTAL_FORMS": str(len(steps)), "steps-INITIAL_FORMS": str(len(steps)),
        "steps-MIN_NUM_FORMS": "0", "steps-MAX_NUM_FORMS": "12",
    }  # fmt: skip
    for i, s in enumerate(steps):
        data.update({
            f"steps-{i}-name": s.name, f"steps-{i}-purpose": s.purpose,
            f"steps-{i}-minutes": str(s.minutes), f"steps-{i}-speakers": s.speakers,
            f"steps-{i}-contribution": s.contribution,
        })  # fmt: skip
    return data


READ = {
    "organization": "302 404 200 200 200 200 200 200 200",
    "private":      "302 404 404 200 200 200 200 404 200",
    "public":       "200 200 200 200 200 200 200 200 200",
}  # fmt: skip
READ_SIGNED_IN = {**READ, "public": "302 200 200 200 200 200 200 200 200"}
MEMBERS_GET = {
    "organization": "302 404 403 200 200 200 200 403 403",
    "private":      "302 404 404 200 200 200 200 404 403",
    "public":       "302 403 403 200 200 200 200 403 403",
}  # fmt: skip
MEMBERS_POST = {vis: row.replace("200", "302") for vis, row in MEMBERS_GET.items()}


def _same(row: str) -> dict[str, str]:
    """A case: the same answer whatever the community's visibility (non-people get 404), so
    its actions are checked in the organization community only (the suite's time matters);
    reading a case is checked in all three (``_everywhere``)."""
    return {"organization": row}


def _everywhere(by_vis: dict[str, str]) -> dict[str, str]:
    return dict.fromkeys(("organization", "private", "public"), by_vis["organization"])


PEOPLE_GET = _same("302 404 404 200 200 200 404 404 404")
PEOPLE_POST = _same("302 404 404 302 302 302 404 404 404")
FACILITATOR_POST = _same("302 404 404 403 403 302 404 404 404")
PRESENTER_POST = _same("302 404 404 302 403 403 404 404 404")

# (name, method, url, data, {visibility: expected statuses in CAST order})
ROWS: list[tuple[str, str, UrlFor, DataFor, dict[str, str]]] = [
    ("index", "get", page("index"), fixed({}), READ_SIGNED_IN),
    ("new", "get", page("new"), fixed({}), MEMBERS_GET),
    ("new-post", "post", page("new"), new_case, MEMBERS_POST),
    ("session-planned", "get", on("planned", "session"), fixed({}), _everywhere(PEOPLE_GET)),
    ("session-live", "get", on("live", "session"), fixed({}), PEOPLE_GET),
    ("session-completed", "get", on("completed", "session"), fixed({}), PEOPLE_GET),
    ("live", "get", on("live", "live"), fixed({}), PEOPLE_GET),
    ("start", "post", on("planned", "start"), fixed({}), FACILITATOR_POST),
    ("advance", "post", on("live", "advance"), fixed({}), FACILITATOR_POST),
    ("back", "post", on("live", "back"), fixed({}), FACILITATOR_POST),
    ("finish", "post", on("live", "finish"), fixed({}), FACILITATOR_POST),
    ("contribute", "post", on("live", "contribute"), fixed({"body": "How many?"}), PEOPLE_POST),
    ("reflection", "post", on("completed", "reflection"),
     fixed({"reflection": "I learned.", "followup_after_days": "14"}), PRESENTER_POST),
    ("followup", "post", on("completed", "followup"),
     fixed({"tried": "A thing.", "happened": "It helped."}), PRESENTER_POST),
    ("visibility", "post", on("planned", "visibility"), fixed({"visibility": "community"}),
     PRESENTER_POST),
    ("protocols", "get", page("protocols"), fixed({}), READ),
    ("protocol", "get", on_protocol("protocol"), fixed({}), READ),
    ("adapt", "get", on_protocol("adapt"), fixed({}), MEMBERS_GET),
    ("adapt-post", "post", on_protocol("adapt"), adapt_form, MEMBERS_POST),
]  # fmt: skip


def _no_leak(response: Any) -> None:
    """A case someone may not see does not show its dilemma in the 404."""
    if response.status_code == 404:
        assert b"The dilemma." not in response.content


@pytest.mark.parametrize(("method", "url_for", "data_for", "visibility", "expected"), [
    pytest.param(method, url_for, data_for, vis, by_vis[vis], id=f"{name}-{vis}")
    for name, method, url_for, data_for, by_vis in ROWS
    for vis in VISIBILITIES if vis in by_vis
])  # fmt: skip
def test_consultancy_matrix(
    cast: Cast, method: str, url_for: UrlFor, data_for: DataFor, visibility: str, expected: str
) -> None:
    world = _world(cast, visibility)
    url = url_for(world)  # builds the row's session before the cells (see World)

    def call(client: Client, who: str) -> Any:
        response = getattr(client, method)(url, data_for(world, who))
        _no_leak(response)
        return response

    check_row(page_client(cast), call, expected, on_redirect=login_redirect)


def test_a_widened_case_is_seen_by_every_member(cast: Cast) -> None:
    world = _world(cast, Visibility.ORGANIZATION)
    services.set_visibility(cast.member, world.planned, "community")
    url = reverse("consultancy:session", args=[world.slug, world.planned.pk])
    check_row(
        page_client(cast),
        lambda client, who: client.get(url),
        "302 404 404 200 200 200 200 404 404",
    )


def test_a_missing_session_looks_like_a_hidden_one(cast: Cast) -> None:
    path = reverse("consultancy:session", args=[cast.org_community.slug, 999_999])
    check_row(
        page_client(cast),
        lambda client, who: client.get(path),
        "302 404 404 404 404 404 404 404 404",
    )


def test_another_communitys_session_is_not_found_here(cast: Cast) -> None:
    world = _world(cast, Visibility.PUBLIC)
    path = reverse("consultancy:session", args=[cast.org_community.slug, world.live.pk])
    check_row(
        page_client(cast),
        lambda client, who: client.get(path),
        "404 404",
        cast_order=("member", "staff"),
    )


# --- The API ------------------------------------------------------------------------------------

PathFor = Callable[[World], str]


def api(suffix: str) -> PathFor:
    return lambda w: f"{API}/communities/{w.slug}/consultancy{suffix}"


def api_on(which: str, suffix: str = "") -> PathFor:
    return lambda w: (
        f"{API}/communities/{w.slug}/consultancy/sessions/{getattr(w, which).pk}{suffix}"
    )


def api_protocol(suffix: str = "") -> PathFor:
    return lambda w: f"{API}/communities/{w.slug}/consultancy/protocols/{w.protocol.pk}{suffix}"


def api_case(w: World, who: str) -> dict[str, Any]:
    return {
        "title": "A case", "context": "c", "dilemma": "d", "focusing_question": "q?",
        "protocol_id": w.protocol.pk, "facilitator_id": _facilitator_for(w, who),
        "participant_ids": [w.cast.member.pk if who == "expert" else w.cast.expert.pk],
    }  # fmt: skip


def api_adapt(w: World, who: str) -> dict[str, Any]:
    return {"title": "Our tuning", "summary": "s", "note": "n"}


API_READ = {
    "organization": "401 404 200 200 200 200 200 200 200",
    "private":      "401 404 404 200 200 200 200 404 200",
    "public":       "401 200 200 200 200 200 200 200 200",
}  # fmt: skip


def _members(ok: str) -> dict[str, str]:
    row = f"{ok} {ok} {ok} {ok}"
    return {
        "organization": f"401 404 403 {row} 403 403",
        "private":      f"401 404 404 {row} 404 403",
        "public":       f"401 403 403 {row} 403 403",
    }  # fmt: skip


def _people(ok: str) -> dict[str, str]:
    return _same(f"401 404 404 {ok} {ok} {ok} 404 404 404")


def _facilitator(ok: str) -> dict[str, str]:
    return _same(f"401 404 404 403 403 {ok} 404 404 404")


def _presenter(ok: str) -> dict[str, str]:
    return _same(f"401 404 404 {ok} 403 403 404 404 404")


API_ROWS: list[tuple[str, str, PathFor, DataFor | None, dict[str, str]]] = [
    ("sessions", "get", api("/sessions"), None, API_READ),
    ("create", "post", api("/sessions"), api_case, _members("201")),
    ("session", "get", api_on("completed"), None, _everywhere(_people("200"))),
    ("start", "post", api_on("planned", "/start"), None, _facilitator("200")),
    ("advance", "post", api_on("live", "/advance"), None, _facilitator("200")),
    ("back", "post", api_on("live", "/back"), None, _facilitator("200")),
    ("finish", "post", api_on("live", "/finish"), None, _facilitator("200")),
    ("contributions", "get", api_on("live", "/contributions"), None, _people("200")),
    ("contribute", "post", api_on("live", "/contributions"), fixed({"body": "How many?"}),
     _people("201")),
    ("reflection", "put", api_on("completed", "/reflection"), fixed({"reflection": "I learned."}),
     _presenter("200")),
    ("followup", "put", api_on("completed", "/followup"),
     fixed({"tried": "A thing.", "happened": "It helped."}), _presenter("200")),
    ("visibility", "put", api_on("planned", "/visibility"), fixed({"visibility": "community"}),
     _presenter("200")),
    ("protocols", "get", api("/protocols"), None, API_READ),
    ("protocol", "get", api_protocol(), None, API_READ),
    ("adapt", "post", api_protocol("/adapt"), api_adapt, _members("201")),
]  # fmt: skip


def _api_error(response: Any) -> None:
    """Errors are the API's error shape, and never show the case."""
    if response.status_code >= 400:
        assert set(response.json()) >= {"detail", "code"}
        assert b"The dilemma." not in response.content


@pytest.mark.parametrize(("method", "path_for", "data_for", "visibility", "expected"), [
    pytest.param(method, path_for, data_for, vis, by_vis[vis], id=f"{name}-{vis}")
    for name, method, path_for, data_for, by_vis in API_ROWS
    for vis in VISIBILITIES if vis in by_vis
])  # fmt: skip
def test_consultancy_api_matrix(
    cast: Cast,
    method: str,
    path_for: PathFor,
    data_for: DataFor | None,
    visibility: str,
    expected: str,
) -> None:
    world = _world(cast, visibility)
    path = path_for(world)  # builds the row's session before the cells (see World)

    def call(client: Client, who: str) -> Any:
        if method == "get":
            response = client.get(path)
        else:
            body = json.dumps(data_for(world, who) if data_for else {})
            response = getattr(client, method)(path, data=body, content_type="application/json")
        _api_error(response)
        return response

    check_row(api_client(cast), call, expected)


def test_api_missing_session_looks_like_a_hidden_one(cast: Cast) -> None:
    path = f"{API}/communities/{cast.org_community.slug}/consultancy/sessions/999999"

    def call(client: Client, who: str) -> Any:
        response = client.get(path)
        assert set(response.json()) >= {"detail", "code"}
        return response

    check_row(api_client(cast), call, "401 404 404 404 404 404 404 404 404")
