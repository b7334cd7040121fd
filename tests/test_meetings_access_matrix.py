"""The meetings access matrix: every meetings URL and API endpoint × the cast × each community
visibility → the expected status. Same cast, order and conventions as tests/test_access_matrix.py
and tests/test_api_access_matrix.py.

Each row builds the same small world in the community under test once, before any cell runs
(coordinator's series, every member in the rota, three meetings, the first one under way); every
cast member's request is then made in a rolled-back savepoint, so each cell starts from it:

- ``held``: under way; Mia (member) opens it, Ethan (expert) facilitates; Mia and Ethan attended.
- ``next``: upcoming; Ethan opens, Mia facilitates (so Mia runs its agenda).
- ``third``: upcoming; Fatima (facilitator) opens, Cora (coordinator) facilitates.

Pages: readers are signed-in people who may view the community (signed out: 302 to log in);
taking part is for members; managing is for coordinators, facilitators, org admins of
non-private communities and staff. One-click actions answer 302 with a flash message when the
service refuses for a reason the person may know about (409/422-type outcomes), 403 when they
may not do it at all.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import time, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from practica.communities.models import Community, Visibility
from practica.lib.testing import Cast
from practica.practice.activities.models import Activity
from practica.practice.meetings import services
from practica.practice.meetings.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    MeetingSettings,
    Occurrence,
    Series,
    SwapRequest,
)
from tests.matrix import api_client, check_row, login_redirect, page_client

VISIBILITIES = (Visibility.ORGANIZATION, Visibility.PRIVATE, Visibility.PUBLIC)
API = "/api/v1"


@dataclass
class World:
    community: Community
    series: Series
    held: Occurrence
    next: Occurrence
    third: Occurrence
    item: AgendaItem
    action: ActionItem
    activity: Activity


def world(cast: Cast, vis: str) -> World:
    """The meetings of the community under test (built once per test, cached on ``cast``). The
    tests ask for their URL before any cell runs, so it is built outside the cells' rolled-back
    savepoints (a world built inside one would vanish when it rolls back)."""
    cached = getattr(cast, f"_world_{vis}", None)
    if cached is not None:
        return cached
    community = cast.community(vis)
    MeetingSettings.objects.create(community=community, occurrences_ahead=3)
    today = timezone.now().date()
    series = services.create_series(
        cast.coordinator,
        community,
        title="Weekly circle",
        recurrence_kind="weekly",
        weekday=(today.weekday() + 2) % 7,
        local_time=time(15, 30),
        timezone_name="America/Los_Angeles",
        duration_minutes=60,
        start_date=today,
        place="Room 1",
        add_members=True,
    )
    held, nxt, third = Occurrence.objects.filter(series=series).order_by("starts_at")[:3]
    Occurrence.objects.filter(pk=held.pk).update(starts_at=timezone.now() - timedelta(minutes=5))
    held.refresh_from_db()
    services.replan(series)
    for who in (cast.member, cast.expert):
        Attendance.objects.create(occurrence=held, user=who)
    nxt.refresh_from_db()
    item = AgendaItem.objects.create(occurrence=nxt, position=1, title="Item", minutes=10)
    action = ActionItem.objects.create(
        occurrence=held, series=series, community=community, owner=cast.member, text="Do it"
    )
    activity = Activity.objects.create(
        title="Matrix opener", slug="matrix-opener", purpose="trust", summary="s",
        duration_minutes=10,
    )  # fmt: skip
    built = World(community, series, held, nxt, third, item, action, activity)
    assert (nxt.opener_id, nxt.facilitator_id) == (cast.expert.pk, cast.member.pk)
    setattr(cast, f"_world_{vis}", built)
    return built


def pending_swap(cast: Cast, vis: str) -> SwapRequest:
    """Ethan offers Fatima his turn on ``next`` for hers on ``third`` (the same round)."""
    w = world(cast, vis)
    return SwapRequest.objects.create(
        series=w.series,
        role="opener",
        requester=cast.expert,
        requester_occurrence=w.next,
        other=cast.facilitator,
        other_occurrence=w.third,
    )


UrlFor = Callable[[Cast, str], str]
DataFor = Callable[[Cast, str], dict[str, Any]]


def page(name: str, *parts: str) -> UrlFor:
    """A meetings URL; ``parts`` name World attributes ("series", "next", ...) for its ids."""

    def url(cast: Cast, vis: str) -> str:
        w = world(cast, vis)
        ids = [getattr(w, p).pk for p in parts]
        return reverse(f"meetings:{name}", args=[w.community.slug, *ids])

    return url


def swap_url(cast: Cast, vis: str) -> str:
    w = world(cast, vis)
    swap = pending_swap(cast, vis)
    return reverse("meetings:swap-answer", args=[w.community.slug, w.series.pk, swap.pk])


def fixed(data: dict[str, Any]) -> DataFor:
    return lambda cast, vis: data


def swap_data(cast: Cast, vis: str) -> dict[str, Any]:
    w = world(cast, vis)
    return {
        "role": "opener",
        "my_occurrence": w.next.pk,
        "with": f"{w.third.pk}:{cast.facilitator.pk}",
    }


def order_data(cast: Cast, vis: str) -> dict[str, Any]:
    return {"user_id": cast.coordinator.pk, "direction": "up"}


def attendance_data(cast: Cast, vis: str) -> dict[str, Any]:
    return {"attendees": [cast.member.pk, cast.expert.pk]}


def action_data(cast: Cast, vis: str) -> dict[str, Any]:
    return {"text": "Bring tasks", "owner": cast.member.pk, "due_date": ""}


def pick_data(cast: Cast, vis: str) -> dict[str, Any]:
    return {"activity": world(cast, vis).activity.pk}


def series_data(cast: Cast, vis: str) -> dict[str, Any]:
    return {
        "title": "Second circle", "recurrence": "weekly", "weekday": "3", "week_of_month": "1",
        "local_time": "16:00", "timezone": "America/Chicago", "duration_minutes": "45",
        "place": "Library", "video_url": "", "start_date": timezone.now().date().isoformat(),
        "end_date": "",
    }  # fmt: skip


def edit_data(cast: Cast, vis: str) -> dict[str, Any]:
    return {"title": "Renamed", "local_time": "15:30", "duration_minutes": "60", "place": "Room 2"}


def reschedule_data(cast: Cast, vis: str) -> dict[str, Any]:
    day = world(cast, vis).next.starts_at.date() + timedelta(days=1)
    return {"date": day.isoformat(), "time": "09:00", "duration_minutes": "60"}


READ = {
    "organization": "302 404 200 200 200 200 200 200 200",
    "private":      "302 404 404 200 200 200 200 404 200",
    "public":       "302 200 200 200 200 200 200 200 200",
}  # fmt: skip
MANAGE_GET = {
    "organization": "302 404 403 403 403 200 200 200 200",
    "private":      "302 404 404 403 403 200 200 404 200",
    "public":       "302 403 403 403 403 200 200 200 200",
}  # fmt: skip
MANAGE_POST = {vis: row.replace("200", "302") for vis, row in MANAGE_GET.items()}
MEMBERS_POST = {
    "organization": "302 404 403 302 302 302 302 403 403",
    "private":      "302 404 404 302 302 302 302 404 403",
    "public":       "302 403 403 302 302 302 302 403 403",
}  # fmt: skip
READERS_POST = {vis: row.replace("200", "302") for vis, row in READ.items()}
# ``next``'s facilitator (Mia, a member) and the managers run its agenda.
RUN_POST = {
    "organization": "302 404 403 302 403 302 302 302 302",
    "private":      "302 404 404 302 403 302 302 404 302",
    "public":       "302 403 403 302 403 302 302 302 302",
}  # fmt: skip
# ``next``'s opener (Ethan), its facilitator (Mia) and the managers pick the activity.
PICK_POST = {
    "organization": "302 404 403 302 302 302 302 302 302",
    "private":      "302 404 404 302 302 302 302 404 302",
    "public":       "302 403 403 302 302 302 302 302 302",
}  # fmt: skip
# ``held``'s opener (Mia) and attendees (Mia, Ethan) rate it.
RATE_POST = {
    "organization": "302 404 403 302 302 403 403 403 403",
    "private":      "302 404 404 302 302 403 403 404 403",
    "public":       "302 403 403 302 302 403 403 403 403",
}  # fmt: skip
# Only the person asked (Fatima) answers a swap.
ANSWER_POST = {
    "organization": "302 404 403 403 403 302 403 403 403",
    "private":      "302 404 404 403 403 302 403 404 403",
    "public":       "302 403 403 403 403 302 403 403 403",
}  # fmt: skip
CALENDAR_POST = READ  # readers get the page back, showing their new link

# (name, method, url, data, {visibility: statuses in CAST order})
ROWS: list[tuple[str, str, UrlFor, DataFor, dict[str, str]]] = [
    ("index", "get", page("index"), fixed({}), READ),
    ("activities", "get", page("activities"), fixed({}), READ),
    ("calendar", "get", page("calendar"), fixed({}), READ),
    ("calendar-post", "post", page("calendar"), fixed({"action": "create"}), CALENDAR_POST),
    ("settings", "get", page("settings"), fixed({}), MANAGE_GET),
    ("settings-post", "post", page("settings"),
     fixed({"opener_minutes": "15", "occurrences_ahead": "3"}), MANAGE_POST),
    ("series-new", "get", page("series-new"), fixed({}), MANAGE_GET),
    ("series-new-post", "post", page("series-new"), series_data, MANAGE_POST),
    ("series", "get", page("series", "series"), fixed({}), READ),
    ("series-edit", "get", page("series-edit", "series"), fixed({}), MANAGE_GET),
    ("series-edit-post", "post", page("series-edit", "series"), edit_data, MANAGE_POST),
    ("rota-join", "post", page("rota-join", "series"), fixed({}), MEMBERS_POST),
    ("rota-leave", "post", page("rota-leave", "series"), fixed({}), READERS_POST),
    ("rota-order", "post", page("rota-order", "series"), order_data, MANAGE_POST),
    ("swap-new", "post", page("swap-new", "series"), swap_data, MEMBERS_POST),
    ("swap-answer", "post", swap_url, fixed({"decision": "decline"}), ANSWER_POST),
    ("occurrence", "get", page("occurrence", "next"), fixed({}), READ),
    ("occurrence-held", "get", page("occurrence", "held"), fixed({}), READ),
    ("agenda-add", "post", page("agenda-add", "next"), fixed({"title": "X", "minutes": "5"}),
     RUN_POST),
    ("agenda-item", "post", page("agenda-item", "next", "item"), fixed({"action": "up"}),
     RUN_POST),
    ("absence", "post", page("absence", "next"), fixed({"action": "away"}), MEMBERS_POST),
    ("attendance", "post", page("attendance", "held"), attendance_data, MEMBERS_POST),
    ("notes", "post", page("notes", "held"), fixed({"notes": "Hi", "base_version": "0"}),
     MEMBERS_POST),
    ("action-add", "post", page("action-add", "held"), action_data, MEMBERS_POST),
    ("action", "post", page("action", "action"), fixed({"done": "1"}), MEMBERS_POST),
    ("pick", "get", page("pick", "next"), fixed({}), READ),
    ("pick-post", "post", page("pick", "next"), pick_data, PICK_POST),
    ("feedback", "post", page("feedback", "held"), fixed({"rating": "4"}), RATE_POST),
    ("cancel", "post", page("cancel", "next"), fixed({"reason": "Snow"}), MANAGE_POST),
    ("restore", "post", page("restore", "next"), fixed({}), MANAGE_POST),
    ("reschedule", "get", page("reschedule", "next"), fixed({}), MANAGE_GET),
    ("reschedule-post", "post", page("reschedule", "next"), reschedule_data, MANAGE_POST),
]  # fmt: skip


@pytest.mark.parametrize(("method", "url_for", "data_for", "visibility", "expected"), [
    pytest.param(method, url_for, data_for, vis, by_vis[vis], id=f"{name}-{vis}")
    for name, method, url_for, data_for, by_vis in ROWS
    for vis in VISIBILITIES
])  # fmt: skip
def test_meetings_page_matrix(
    cast: Cast,
    method: str,
    url_for: UrlFor,
    data_for: DataFor,
    visibility: str,
    expected: str,
) -> None:
    url = url_for(cast, visibility)  # builds the world (and any swap) before the cells

    def call(client: Client, who: str) -> Any:
        return getattr(client, method)(url, data_for(cast, visibility))

    check_row(page_client(cast), call, expected, on_redirect=login_redirect)


SITE_ROWS: list[tuple[str, str, dict[str, str], str]] = [
    ("my-calendar", "get", {}, "302 200 200 200 200 200 200 200 200"),
    ("my-calendar-post", "post", {"action": "create"}, "302 200 200 200 200 200 200 200 200"),
]  # fmt: skip


@pytest.mark.parametrize(("method", "data", "expected"), [
    pytest.param(method, data, row, id=name) for name, method, data, row in SITE_ROWS
])  # fmt: skip
def test_my_calendar_matrix(cast: Cast, method: str, data: dict[str, str], expected: str) -> None:
    def call(client: Client, who: str) -> Any:
        return getattr(client, method)(reverse("calendar:mine"), data)

    check_row(page_client(cast), call, expected, on_redirect=login_redirect)


def test_feeds_answer_to_their_secret_only(cast: Cast) -> None:
    """Whoever asks (any cookies or none), a feed answers to its secret: a live one is the
    calendar, anything else is a 404 that says nothing more."""
    _, raw = services.create_calendar_token(cast.member, cast.private_community)

    def call(client: Client, who: str) -> Any:
        assert client.get(reverse("calendar:feed", args=[raw + "x"])).status_code == 404, who
        assert client.get(reverse("calendar:feed", args=["cal_nothing"])).status_code == 404, who
        return client.get(reverse("calendar:feed", args=[raw]))

    check_row(page_client(cast), call, "200 200 200 200 200 200 200 200 200")


def test_a_meeting_of_another_community_is_not_found(cast: Cast) -> None:
    w = world(cast, Visibility.PRIVATE)
    url = reverse("meetings:occurrence", args=[cast.public_community.slug, w.next.pk])
    check_row(
        page_client(cast),
        lambda client, who: client.get(url),
        "302 404 404 404 404 404 404 404 404",
        on_redirect=login_redirect,
    )


# --- The API ------------------------------------------------------------------------------------

PathFor = Callable[[Cast, str], str]
BodyFor = Callable[[Cast, str], Any]

A_READ = {
    "organization": "401 404 200 200 200 200 200 200 200",
    "private":      "401 404 404 200 200 200 200 404 200",
    "public":       "401 200 200 200 200 200 200 200 200",
}  # fmt: skip


def _manage(ok: str) -> dict[str, str]:
    return {
        "organization": f"401 404 403 403 403 {ok} {ok} {ok} {ok}",
        "private":      f"401 404 404 403 403 {ok} {ok} 404 {ok}",
        "public":       f"401 403 403 403 403 {ok} {ok} {ok} {ok}",
    }  # fmt: skip


def _members(ok: str) -> dict[str, str]:
    return {
        "organization": f"401 404 403 {ok} {ok} {ok} {ok} 403 403",
        "private":      f"401 404 404 {ok} {ok} {ok} {ok} 404 403",
        "public":       f"401 403 403 {ok} {ok} {ok} {ok} 403 403",
    }  # fmt: skip


def _run(ok: str) -> dict[str, str]:
    return {
        "organization": f"401 404 403 {ok} 403 {ok} {ok} {ok} {ok}",
        "private":      f"401 404 404 {ok} 403 {ok} {ok} 404 {ok}",
        "public":       f"401 403 403 {ok} 403 {ok} {ok} {ok} {ok}",
    }  # fmt: skip


def api_path(suffix: str, *parts: str) -> PathFor:
    """``suffix`` is formatted with the ids of the World attributes named in ``parts``."""

    def path(cast: Cast, vis: str) -> str:
        w = world(cast, vis)
        ids = [getattr(w, p).pk for p in parts]
        return f"{API}/communities/{w.community.slug}" + suffix.format(*ids)

    return path


def swap_path(action: str) -> PathFor:
    def path(cast: Cast, vis: str) -> str:
        w = world(cast, vis)
        swap = pending_swap(cast, vis)
        return f"{API}/communities/{w.community.slug}/series/{w.series.pk}/swaps/{swap.pk}/{action}"

    return path


def body(data: Any) -> BodyFor:
    return lambda cast, vis: data


def series_body(cast: Cast, vis: str) -> Any:
    return {
        "title": "API circle", "weekday": 3, "local_time": "16:00", "timezone": "America/Chicago",
        "duration_minutes": 45, "place": "Library", "start_date": timezone.now().date().isoformat(),
    }  # fmt: skip


def order_body(cast: Cast, vis: str) -> Any:
    return {"user_ids": [cast.coordinator.pk, cast.facilitator.pk, cast.expert.pk, cast.member.pk]}


def swap_body(cast: Cast, vis: str) -> Any:
    w = world(cast, vis)
    return {
        "role": "opener", "my_occurrence_id": w.next.pk, "other_user_id": cast.facilitator.pk,
        "other_occurrence_id": w.third.pk,
    }  # fmt: skip


def reschedule_body(cast: Cast, vis: str) -> Any:
    day = world(cast, vis).next.starts_at.date() + timedelta(days=1)
    return {"date": day.isoformat(), "time": "09:00"}


def attendance_body(cast: Cast, vis: str) -> Any:
    return {"user_ids": [cast.member.pk]}


def action_body(cast: Cast, vis: str) -> Any:
    return {"owner_id": cast.member.pk, "text": "Bring tasks"}


def pick_body(cast: Cast, vis: str) -> Any:
    return {"activity_id": world(cast, vis).activity.pk}


def token_body(cast: Cast, vis: str) -> Any:
    return {"community": cast.community(vis).slug}


def tokens_path(cast: Cast, vis: str) -> str:
    return f"{API}/calendar-tokens"


API_ROWS: list[tuple[str, str, PathFor, BodyFor | None, dict[str, str]]] = [
    ("settings", "get", api_path("/meetings/settings"), None, A_READ),
    ("settings-put", "put", api_path("/meetings/settings"),
     body({"opener_minutes": 15, "occurrences_ahead": 3}), _manage("200")),
    ("series-list", "get", api_path("/series"), None, A_READ),
    ("series-create", "post", api_path("/series"), series_body, _manage("201")),
    ("series", "get", api_path("/series/{}", "series"), None, A_READ),
    ("series-patch", "patch", api_path("/series/{}", "series"), body({"title": "Renamed"}),
     _manage("200")),
    ("rota", "get", api_path("/series/{}/rota", "series"), None, A_READ),
    # Everyone in the cast's communities is already in the rota: 409 already_in_rota.
    ("rota-join", "post", api_path("/series/{}/rota/join", "series"), None, _members("409")),
    # Non-members are not in the rota: 409 not_in_rota.
    ("rota-leave", "post", api_path("/series/{}/rota/leave", "series"), None, {
        "organization": "401 404 409 204 204 204 204 409 409",
        "private":      "401 404 404 204 204 204 204 404 409",
        "public":       "401 409 409 204 204 204 204 409 409",
    }),
    ("rota-order", "put", api_path("/series/{}/rota/order", "series"), order_body,
     _manage("200")),
    ("swaps", "get", api_path("/series/{}/swaps", "series"), None, A_READ),
    # Only Ethan holds ``next``: the others are told it is not their turn (422).
    ("swap-create", "post", api_path("/series/{}/swaps", "series"), swap_body, {
        "organization": "401 404 403 422 201 422 422 403 403",
        "private":      "401 404 404 422 201 422 422 404 403",
        "public":       "401 403 403 422 201 422 422 403 403",
    }),
    ("swap-agree", "post", swap_path("agree"), None, {
        "organization": "401 404 403 403 403 200 403 403 403",
        "private":      "401 404 404 403 403 200 403 404 403",
        "public":       "401 403 403 403 403 200 403 403 403",
    }),
    ("swap-decline", "post", swap_path("decline"), None, {
        "organization": "401 404 403 403 403 200 403 403 403",
        "private":      "401 404 404 403 403 200 403 404 403",
        "public":       "401 403 403 403 403 200 403 403 403",
    }),
    ("swap-withdraw", "post", swap_path("withdraw"), None, {
        "organization": "401 404 403 403 200 403 403 403 403",
        "private":      "401 404 404 403 200 403 403 404 403",
        "public":       "401 403 403 403 200 403 403 403 403",
    }),
    ("occurrences", "get", api_path("/occurrences"), None, A_READ),
    ("occurrence", "get", api_path("/occurrences/{}", "next"), None, A_READ),
    ("occurrence-held", "get", api_path("/occurrences/{}", "held"), None, A_READ),
    ("cancel", "post", api_path("/occurrences/{}/cancel", "next"), body({"reason": "Snow"}),
     _manage("200")),
    ("restore", "post", api_path("/occurrences/{}/restore", "next"), None, _manage("409")),
    ("reschedule", "post", api_path("/occurrences/{}/reschedule", "next"), reschedule_body,
     _manage("200")),
    ("agenda-add", "post", api_path("/occurrences/{}/agenda", "next"),
     body({"title": "X", "minutes": 5}), _run("201")),
    ("agenda-patch", "patch", api_path("/occurrences/{}/agenda/{}", "next", "item"),
     body({"minutes": 15}), _run("200")),
    ("agenda-delete", "delete", api_path("/occurrences/{}/agenda/{}", "next", "item"), None,
     _run("204")),
    ("absence-put", "put", api_path("/occurrences/{}/absence", "next"), body({}),
     _members("204")),
    ("absence-delete", "delete", api_path("/occurrences/{}/absence", "next"), None,
     _members("409")),
    ("attendance", "put", api_path("/occurrences/{}/attendance", "held"), attendance_body,
     _members("200")),
    ("notes", "put", api_path("/occurrences/{}/notes", "held"),
     body({"markdown": "Hi", "base_version": 0}), _members("200")),
    ("action-items", "get", api_path("/action-items"), None, A_READ),
    ("action-add", "post", api_path("/occurrences/{}/actions", "held"), action_body,
     _members("201")),
    ("action-patch", "patch", api_path("/action-items/{}", "action"), body({"done": True}),
     _members("200")),
    ("activities", "get", api_path("/occurrences/{}/activities", "next"), None, A_READ),
    ("activity-put", "put", api_path("/occurrences/{}/activity", "next"), pick_body, {
        "organization": "401 404 403 200 200 200 200 200 200",
        "private":      "401 404 404 200 200 200 200 404 200",
        "public":       "401 403 403 200 200 200 200 200 200",
    }),
    ("feedback", "put", api_path("/occurrences/{}/feedback", "held"), body({"rating": 4}), {
        "organization": "401 404 403 200 200 403 403 403 403",
        "private":      "401 404 404 200 200 403 403 404 403",
        "public":       "401 403 403 200 200 403 403 403 403",
    }),
    ("calendar-token-community", "post", tokens_path, token_body, {
        "organization": "401 404 201 201 201 201 201 201 201",
        "private":      "401 404 404 201 201 201 201 404 201",
        "public":       "401 201 201 201 201 201 201 201 201",
    }),
]  # fmt: skip

API_SITE_ROWS: list[tuple[str, str, str, Any, str]] = [
    ("calendar-tokens", "get", f"{API}/calendar-tokens", None,
     "401 200 200 200 200 200 200 200 200"),
    ("calendar-token-mine", "post", f"{API}/calendar-tokens", {},
     "401 201 201 201 201 201 201 201 201"),
]  # fmt: skip


def _call(client: Client, method: str, path: str, data: Any) -> Any:
    if method in ("get", "delete"):
        return getattr(client, method)(path)
    payload = "" if data is None else json.dumps(data)
    return getattr(client, method)(path, data=payload, content_type="application/json")


def _api_error(response: Any) -> Any:
    """Errors are the API's error shape."""
    if response.status_code >= 400:
        assert set(response.json()) >= {"detail", "code"}, response.content[:300]
    return response


@pytest.mark.parametrize(("method", "path_for", "body_for", "visibility", "expected"), [
    pytest.param(method, path_for, body_for, vis, by_vis[vis], id=f"{name}-{vis}")
    for name, method, path_for, body_for, by_vis in API_ROWS
    for vis in VISIBILITIES
])  # fmt: skip
def test_meetings_api_matrix(
    cast: Cast,
    method: str,
    path_for: PathFor,
    body_for: BodyFor | None,
    visibility: str,
    expected: str,
) -> None:
    path = path_for(cast, visibility)  # builds the world (and any swap) before the cells

    def call(client: Client, who: str) -> Any:
        data = body_for(cast, visibility) if body_for else None
        return _api_error(_call(client, method, path, data))

    check_row(api_client(cast), call, expected)


@pytest.mark.parametrize(("method", "path", "data", "expected"), [
    pytest.param(method, path, data, row, id=name)
    for name, method, path, data, row in API_SITE_ROWS
])  # fmt: skip
def test_meetings_api_site_matrix(
    cast: Cast, method: str, path: str, data: Any, expected: str
) -> None:
    check_row(
        api_client(cast),
        lambda client, who: _api_error(_call(client, method, path, data)),
        expected,
    )


def test_api_revoking_someone_elses_calendar_link_is_not_found(cast: Cast) -> None:
    token, _ = services.create_calendar_token(cast.member)
    path = f"{API}/calendar-tokens/{token.pk}"
    check_row(
        api_client(cast),
        lambda client, who: _api_error(client.delete(path)),
        "401 404 404 204 404 404 404 404 404",
    )
