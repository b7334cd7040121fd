"""Meetings through HTTP (pages and the API): series and their meetings, the rota (fair turns,
absences, swaps, order), reminders, the agenda (opener first), attendance, notes, action items
(carried onward), the opener activity and its feedback, calendar feeds across a daylight-saving
change, the norms hook, and bad input that changes nothing.

Who may reach which URL is in tests/test_meetings_access_matrix.py; the rota's fairness over
any sequence of absences and swaps is property-tested in tests/test_rota_properties.py.
"""

from __future__ import annotations

import itertools
import json
import zoneinfo
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import icalendar
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from practica.accounts.services import create_api_token
from practica.communities import services as community_services
from practica.communities.models import Community
from practica.lib.testing import Cast
from practica.notifications.models import Notification
from practica.practice.activities.models import Activity
from practica.practice.meetings import services
from practica.practice.meetings.models import (
    Absence,
    ActionItem,
    AgendaItem,
    AgendaKind,
    Attendance,
    CalendarToken,
    MeetingSettings,
    NoteRevision,
    Occurrence,
    OpenerFeedback,
    RotaMember,
    Series,
    SwapRequest,
)
from practica.realtime.bus import emit
from practica.scheduling.models import DueJob
from practica.scheduling.services import run_due

ROOT = Path(__file__).resolve().parent.parent
API = "/api/v1"
LA = "America/Los_Angeles"
LA_TZ = zoneinfo.ZoneInfo(LA)


# --- helpers ------------------------------------------------------------------------------------


def api(cast: Cast, who: str) -> Client:
    _, raw = create_api_token(getattr(cast, who), "tests")
    return Client(headers={"Authorization": f"Bearer {raw}"})


def call(client: Client, method: str, path: str, data: Any = None) -> Any:
    if method == "get":
        return client.get(API + path, data or {})
    body = "" if data is None else json.dumps(data)
    return getattr(client, method)(API + path, body, content_type="application/json")


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, (response.status_code, response.content[:800])
    return response.json() if response.content else None


def fails(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, (response.status_code, response.content[:800])
    data = response.json()
    assert data["code"] == code, data
    return data


def la_today() -> date:
    return timezone.now().astimezone(LA_TZ).date()


SERIES = {
    "title": "Weekly math collaborative",
    "recurrence": "weekly",
    "weekday": 1,
    "local_time": "15:30",
    "timezone": LA,
    "duration_minutes": 60,
    "place": "Room 214",
    "add_members": True,
}


def new_series(
    cast: Cast, community: Community | None = None, who: str = "coordinator", **changes: Any
) -> Series:
    community = community or cast.org_community
    data = {**SERIES, "start_date": la_today().isoformat(), **changes}
    body = ok(call(api(cast, who), "post", f"/communities/{community.slug}/series", data), 201)
    return Series.objects.get(pk=body["id"])


def upcoming(series: Series) -> list[Occurrence]:
    return list(
        Occurrence.objects.filter(series=series, starts_at__gt=timezone.now())
        .select_related("series")
        .order_by("starts_at")
    )


def openers(series: Series) -> list[int | None]:
    return [o.opener_id for o in upcoming(series) if o.status == "scheduled"]


def start_now(occ: Occurrence, minutes_ago: int = 10) -> Occurrence:
    """Test setup: make a meeting have started (it is under way)."""
    Occurrence.objects.filter(pk=occ.pk).update(
        starts_at=timezone.now() - timedelta(minutes=minutes_ago)
    )
    occ.refresh_from_db()
    return occ


def occ_path(occ: Occurrence, suffix: str = "") -> str:
    return f"/communities/{occ.community.slug}/occurrences/{occ.pk}{suffix}"


def series_path(series: Series, suffix: str = "") -> str:
    return f"/communities/{series.community.slug}/series/{series.pk}{suffix}"


def page(cast: Cast, who: str, name: str, *args: Any) -> str:
    response = cast.client(who).get(reverse(name, args=args))
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def next_dst_change(after: date) -> date:
    """The first local date after ``after`` on which Los Angeles changes its clocks."""
    day = after
    offset = datetime.combine(day, time(12), LA_TZ).utcoffset()
    while datetime.combine(day, time(12), LA_TZ).utcoffset() == offset:
        day += timedelta(days=1)
    return day


def activity(slug: str, community: Community | None = None, **extra: Any) -> Activity:
    return Activity.objects.create(
        community=community,
        title=extra.pop("title", slug.replace("-", " ").title()),
        slug=slug,
        purpose="trust",
        summary="An opener for tests.",
        duration_minutes=15,
        steps=["Pair up.", "Share a story.", "Debrief."],
        **extra,
    )


# --- Series -------------------------------------------------------------------------------------


def test_a_coordinator_starts_a_series_and_the_next_meetings_are_scheduled(
    cast: Cast, capture_events
) -> None:
    url = reverse("meetings:series-new", args=[cast.org_community.slug])
    form = {
        **{k: v for k, v in SERIES.items() if k != "add_members"},
        "add_members": "on",
        "week_of_month": "1",
        "start_date": la_today().isoformat(),
        "video_url": "",
        "end_date": "",
    }
    with capture_events() as events:
        response = cast.client("coordinator").post(url, form)

    series = Series.objects.get(community=cast.org_community)
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "meetings:series", args=[cast.org_community.slug, series.pk]
    )
    meetings = upcoming(series)
    assert len(meetings) == 8  # the default: eight meetings ahead
    for occ in meetings:
        local = occ.starts_at.astimezone(LA_TZ)
        assert (local.weekday(), local.hour, local.minute) == (1, 15, 30)
        first = occ.agenda.order_by("position").first()
        assert first is not None
        assert (first.kind, first.minutes) == (AgendaKind.OPENER, 20)
    names = [e.name for e in events]
    assert names[0] == "meetings.series_created"
    assert names.count("meetings.occurrence_scheduled") == 8
    assert names.count("meetings.turns_assigned") == 8
    assert events[0].payload == {
        "community_id": cast.org_community.pk,
        "series_id": series.pk,
        "actor_id": cast.coordinator.pk,
    }
    # Every member is in the rota, in the order they joined.
    rota = list(series.rota.order_by("position").values_list("user_id", flat=True))
    assert rota == [cast.member.pk, cast.expert.pk, cast.facilitator.pk, cast.coordinator.pk]
    # The daily job that keeps meetings scheduled ahead is set.
    assert DueJob.objects.filter(key=f"meetings.materialize:{series.pk}").exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"end_date": "2020-01-01"}, "end_date", "The end date is in the past."),
        ({"timezone": "Mars/Olympus_Mons"}, "timezone", "is not a time zone"),
        ({"place": "", "video_url": ""}, "place", "Say where you meet"),
        ({"duration_minutes": 15}, "duration_minutes", "room for the 20-minute"),
        ({"duration_minutes": 600}, "duration_minutes", "15 to 480 minutes"),
        ({"video_url": "zoom dot com"}, "video_url", "full web address"),
        ({"title": "   "}, "title", "Title is required."),
        ({"weekday": 9}, "weekday", "Choose a weekday"),
        ({"recurrence": "monthly", "week_of_month": 7}, "week_of_month", "last week"),
        ({"start_date": "2099-01-01"}, "start_date", "next two years"),
    ],
)
def test_bad_series_input_is_explained_and_schedules_nothing(
    cast: Cast, changes: dict[str, Any], field: str, message: str
) -> None:
    data = {**SERIES, "start_date": la_today().isoformat(), **changes}
    response = call(
        api(cast, "coordinator"), "post", f"/communities/{cast.org_community.slug}/series", data
    )
    body = fails(response, 422, "invalid")
    assert message in body["errors"][field], body
    assert not Series.objects.exists()
    assert not Occurrence.objects.exists()


def test_the_series_form_shows_the_message_and_keeps_what_was_typed(cast: Cast) -> None:
    url = reverse("meetings:series-new", args=[cast.org_community.slug])
    form = {
        **{k: v for k, v in SERIES.items() if k != "add_members"},
        "week_of_month": "1",
        "start_date": la_today().isoformat(),
        "end_date": "2020-01-01",
        "title": "Thursday circle",
    }
    response = cast.client("coordinator").post(url, form)
    body = response.content.decode()
    assert response.status_code == 200
    assert "The end date is in the past." in body
    assert 'value="Thursday circle"' in body
    assert 'aria-invalid="true"' in body
    assert not Series.objects.exists()


def test_members_may_not_start_a_series(cast: Cast) -> None:
    slug = cast.org_community.slug
    assert cast.client("member").get(reverse("meetings:series-new", args=[slug])).status_code == 403
    data = {**SERIES, "start_date": la_today().isoformat()}
    fails(call(api(cast, "member"), "post", f"/communities/{slug}/series", data), 403, "forbidden")
    assert not Series.objects.exists()


def test_every_two_weeks_and_monthly_by_weekday(cast: Cast) -> None:
    biweekly = new_series(cast, recurrence="biweekly", weekday=3, title="Every other Thursday")
    dates = [o.starts_at.astimezone(LA_TZ).date() for o in upcoming(biweekly)]
    assert all(d.weekday() == 3 for d in dates)
    assert {(b - a).days for a, b in itertools.pairwise(dates)} == {14}

    monthly = new_series(cast, recurrence="monthly", weekday=1, week_of_month=-1, title="Last Tue")
    for occ in upcoming(monthly):
        local = occ.starts_at.astimezone(LA_TZ).date()
        assert local.weekday() == 1
        assert (local + timedelta(days=7)).month != local.month  # the last Tuesday
    body = ok(call(api(cast, "member"), "get", series_path(monthly)))
    assert body["description"] == "The last Tuesday of each month at 15:30 (America/Los_Angeles)"


def test_the_wall_clock_holds_across_a_daylight_saving_change(cast: Cast) -> None:
    change = next_dst_change(la_today() + timedelta(days=1))
    series = new_series(cast, start_date=(change - timedelta(days=21)).isoformat())
    meetings = upcoming(series)
    before = [o for o in meetings if o.starts_at.astimezone(LA_TZ).date() < change]
    after = [o for o in meetings if o.starts_at.astimezone(LA_TZ).date() > change]
    assert before
    assert after
    for occ in meetings:
        assert occ.starts_at.astimezone(LA_TZ).time() == time(15, 30)
    # ...so the UTC instant moves by an hour.
    utc_hours = {o.starts_at.astimezone(UTC).hour for o in meetings}
    assert utc_hours in ({22, 23},)
    body = ok(
        call(api(cast, "member"), "get", f"/communities/{cast.org_community.slug}/occurrences")
    )
    assert {item["local_start"][11:16] for item in body["items"]} == {"15:30"}


def test_changing_the_time_moves_upcoming_meetings_and_an_end_date_cancels_later_ones(
    cast: Cast,
) -> None:
    series = new_series(cast)
    meetings = upcoming(series)
    end = meetings[3].starts_at.astimezone(LA_TZ).date()
    body = ok(
        call(
            api(cast, "coordinator"),
            "patch",
            series_path(series),
            {"local_time": "16:00", "end_date": end.isoformat(), "title": "Tuesday circle"},
        )
    )
    assert body["title"] == "Tuesday circle"
    kept = [o for o in upcoming(series) if o.status == "scheduled"]
    assert len(kept) == 4
    assert {o.starts_at.astimezone(LA_TZ).time() for o in kept} == {time(16, 0)}
    cancelled = [o for o in upcoming(series) if o.status == "cancelled"]
    assert len(cancelled) == 4  # kept, not deleted: nothing is lost
    fails(
        call(api(cast, "coordinator"), "post", occ_path(cancelled[0], "/restore")),
        409,
        "after_end_date",
    )
    # A meeting can't be made shorter than its agenda.
    AgendaItem.objects.create(occurrence=kept[0], position=1, title="Lesson study", minutes=35)
    body = fails(
        call(api(cast, "coordinator"), "patch", series_path(series), {"duration_minutes": 50}),
        422,
        "invalid",
    )
    assert "takes 55 minutes" in body["errors"]["duration_minutes"]
    assert Series.objects.get(pk=series.pk).duration_minutes == 60


def test_the_daily_job_keeps_meetings_scheduled_ahead(cast: Cast) -> None:
    series = new_series(cast)
    first = upcoming(series)[0]
    Occurrence.objects.filter(pk=first.pk).update(starts_at=timezone.now() - timedelta(days=1))
    assert len(upcoming(series)) == 7

    run_due(timezone.now() + timedelta(days=1, minutes=1))

    assert len(upcoming(series)) == 8
    assert len(set(Occurrence.objects.filter(series=series).values_list("slot_date"))) == 9


# --- The rota -----------------------------------------------------------------------------------


def test_turns_go_round_the_rota_and_everyone_sees_the_schedule(cast: Cast) -> None:
    series = new_series(cast)
    order = [cast.member.pk, cast.expert.pk, cast.facilitator.pk, cast.coordinator.pk]
    assert openers(series) == order * 2
    meetings = upcoming(series)
    assert [o.opener_round for o in meetings] == [0] * 4 + [1] * 4
    assert all(o.opener_id != o.facilitator_id for o in meetings)
    assert sorted(o.facilitator_id for o in meetings[:4]) == sorted(order)

    # Anyone who may read the community sees who opens when.
    html = page(cast, "org_member", "meetings:series", cast.org_community.slug, series.pk)
    assert "Schedule: the next 8 meetings" in html
    assert html.index("Mia Member") < html.index("Ethan Expert")
    rota = ok(call(api(cast, "org_member"), "get", series_path(series, "/rota")))
    assert [m["user"]["id"] for m in rota["members"]] == order
    assert [s["opener"]["id"] for s in rota["schedule"]] == order * 2
    assert [s["opener_round"] for s in rota["schedule"]] == [0] * 4 + [1] * 4


def test_a_newcomer_joins_at_the_end_and_opens_once_the_round_is_done(
    cast: Cast, capture_events
) -> None:
    series = new_series(cast)
    # Two meetings happen.
    for occ in upcoming(series)[:2]:
        start_now(occ, minutes_ago=60 * 24 * 8)
    community_services.join_community(cast.org_member, cast.org_community)

    with capture_events() as events:
        ok(call(api(cast, "org_member"), "post", series_path(series, "/rota/join")), 201)

    assert "meetings.rota_joined" in [e.name for e in events]
    order = [cast.member.pk, cast.expert.pk, cast.facilitator.pk, cast.coordinator.pk]
    # The current round finishes (facilitator, coordinator), then the newcomer, then round 2.
    assert openers(series) == [
        cast.facilitator.pk,
        cast.coordinator.pk,
        cast.org_member.pk,
        *order[:3],
    ]
    fails(
        call(api(cast, "org_member"), "post", series_path(series, "/rota/join")),
        409,
        "already_in_rota",
    )


def test_only_members_take_part(cast: Cast) -> None:
    series = new_series(cast)
    fails(
        call(api(cast, "org_member"), "post", series_path(series, "/rota/join")), 403, "forbidden"
    )
    assert not RotaMember.objects.filter(user=cast.org_member).exists()


def test_leaving_the_rota_hands_the_turns_on(cast: Cast) -> None:
    series = new_series(cast)
    ok(call(api(cast, "member"), "post", series_path(series, "/rota/leave")), 204)
    assert cast.member.pk not in openers(series)
    assert openers(series)[:3] == [cast.expert.pk, cast.facilitator.pk, cast.coordinator.pk]
    fails(call(api(cast, "member"), "post", series_path(series, "/rota/leave")), 409, "not_in_rota")


def test_leaving_the_community_leaves_its_rotas(cast: Cast, capture_events) -> None:
    series = new_series(cast)
    with capture_events():
        cast.client("member").post(reverse("communities:leave", args=[cast.org_community.slug]))
    assert not RotaMember.objects.filter(series=series, user=cast.member).exists()
    assert cast.member.pk not in openers(series)


def test_an_absent_member_is_skipped_and_keeps_their_place(cast: Cast, capture_events) -> None:
    series = new_series(cast)
    first, second = upcoming(series)[:2]
    assert (first.opener_id, second.opener_id) == (cast.member.pk, cast.expert.pk)
    url = reverse("meetings:absence", args=[cast.org_community.slug, first.pk])

    with capture_events() as events:
        response = cast.client("member").post(url, {"action": "away", "note": "Field trip"})

    assert response.status_code == 302
    assert "meetings.absence_marked" in [e.name for e in events]
    assert Absence.objects.get(occurrence=first, user=cast.member).note == "Field trip"
    # Ethan takes the first meeting; Mia opens the very next one; nothing else moves.
    order = [cast.member.pk, cast.expert.pk, cast.facilitator.pk, cast.coordinator.pk]
    assert openers(series) == [cast.expert.pk, cast.member.pk, *order[2:], *order]
    # Back after all: the rota returns to its order.
    cast.client("member").post(url, {"action": "back"})
    assert openers(series)[:2] == [cast.member.pk, cast.expert.pk]


def test_absences_are_marked_ahead_only(cast: Cast) -> None:
    series = new_series(cast)
    occ = start_now(upcoming(series)[0])
    response = call(api(cast, "member"), "put", occ_path(occ, "/absence"), {"note": ""})
    fails(response, 409, "started")
    assert not Absence.objects.exists()


def test_two_members_swap_turns_when_both_agree(cast: Cast, capture_events) -> None:
    series = new_series(cast)
    first, _, third = upcoming(series)[:3]  # Mia opens the first, Fatima the third
    body = {
        "role": "opener",
        "my_occurrence_id": first.pk,
        "other_user_id": cast.facilitator.pk,
        "other_occurrence_id": third.pk,
        "note": "Parent conferences that week",
    }
    with capture_events() as events:
        swap = ok(call(api(cast, "member"), "post", series_path(series, "/swaps"), body), 201)
    assert swap["status"] == "pending"
    assert [e.name for e in events] == ["notifications.created", "meetings.swap_requested"]
    assert Notification.objects.filter(recipient=cast.facilitator, kind="meetings.swap_request")
    assert openers(series)[0] == cast.member.pk  # nothing changes until both agree

    # Only the person asked may answer.
    fails(
        call(api(cast, "expert"), "post", series_path(series, f"/swaps/{swap['id']}/agree")),
        403,
        "forbidden",
    )
    with capture_events() as events:
        agreed = ok(
            call(
                api(cast, "facilitator"), "post", series_path(series, f"/swaps/{swap['id']}/agree")
            )
        )
    assert agreed["status"] == "agreed"
    assert "meetings.swap_agreed" in [e.name for e in events]
    order = openers(series)
    assert order[:4] == [cast.facilitator.pk, cast.expert.pk, cast.member.pk, cast.coordinator.pk]
    assert order[4:] == [cast.member.pk, cast.expert.pk, cast.facilitator.pk, cast.coordinator.pk]
    assert Notification.objects.filter(recipient=cast.member, kind="meetings.swap_agreed")
    fails(
        call(api(cast, "facilitator"), "post", series_path(series, f"/swaps/{swap['id']}/agree")),
        409,
        "already_answered",
    )


def test_a_swap_can_be_declined_or_withdrawn(cast: Cast) -> None:
    series = new_series(cast)
    first, second = upcoming(series)[:2]
    url = reverse("meetings:swap-new", args=[cast.org_community.slug, series.pk])
    response = cast.client("member").post(
        url,
        {"role": "opener", "my_occurrence": first.pk, "with": f"{second.pk}:{cast.expert.pk}"},
    )
    assert response.status_code == 302
    swap = SwapRequest.objects.get()
    answer = reverse("meetings:swap-answer", args=[cast.org_community.slug, series.pk, swap.pk])
    cast.client("expert").post(answer, {"decision": "decline"})
    swap.refresh_from_db()
    assert swap.status == "declined"
    assert openers(series)[:2] == [cast.member.pk, cast.expert.pk]

    cast.client("member").post(
        url,
        {"role": "opener", "my_occurrence": first.pk, "with": f"{second.pk}:{cast.expert.pk}"},
    )
    again = SwapRequest.objects.get(status="pending")
    cast.client("member").post(
        reverse("meetings:swap-answer", args=[cast.org_community.slug, series.pk, again.pk]),
        {"decision": "withdraw"},
    )
    again.refresh_from_db()
    assert again.status == "withdrawn"


def _swap(
    cast: Cast, series: Series, who: str, mine: Occurrence, other: int, theirs: Occurrence
) -> Any:
    body = {
        "role": "opener",
        "my_occurrence_id": mine.pk,
        "other_user_id": other,
        "other_occurrence_id": theirs.pk,
    }
    return call(api(cast, who), "post", series_path(series, "/swaps"), body)


def test_bad_swaps_are_explained_and_change_nothing(cast: Cast) -> None:
    series = new_series(cast)
    meetings = upcoming(series)
    before = openers(series)
    community_services.join_community(cast.org_member, cast.org_community)

    body = fails(
        _swap(cast, series, "member", meetings[0], cast.org_member.pk, meetings[1]), 422, "invalid"
    )
    assert body["errors"]["other"] == (
        "Oscar Orgmember is not in this rota: you can only swap with someone who is."
    )
    body = fails(
        _swap(cast, series, "member", meetings[1], cast.expert.pk, meetings[0]), 422, "invalid"
    )
    assert "not your turn" in body["errors"]["my_occurrence"]
    body = fails(
        _swap(cast, series, "member", meetings[0], cast.expert.pk, meetings[2]), 422, "invalid"
    )
    assert "not Ethan Expert's turn" in body["errors"]["other_occurrence"]
    # Ethan's second-round turn: swapping across rounds would give someone two turns in one.
    body = fails(
        _swap(cast, series, "member", meetings[0], cast.expert.pk, meetings[5]), 422, "invalid"
    )
    assert "within one round" in body["errors"]["other_occurrence"]
    body = fails(
        _swap(cast, series, "member", meetings[0], cast.member.pk, meetings[4]), 422, "invalid"
    )
    assert "someone else" in body["errors"]["other"]
    fails(
        _swap(cast, series, "org_member", meetings[0], cast.member.pk, meetings[1]),
        409,
        "not_in_rota",
    )
    fails(
        _swap(cast, series, "outsider", meetings[0], cast.member.pk, meetings[1]), 404, "not_found"
    )

    assert not SwapRequest.objects.exists()
    assert openers(series) == before


def test_a_swap_that_an_absence_outdated_is_refused(cast: Cast) -> None:
    series = new_series(cast)
    first, second = upcoming(series)[:2]
    swap = ok(_swap(cast, series, "member", first, cast.expert.pk, second), 201)
    # Ethan then says he'll be away from his own meeting: the schedule moves.
    ok(call(api(cast, "expert"), "put", occ_path(second, "/absence"), {"note": ""}), 204)
    before = openers(series)

    fails(
        call(api(cast, "expert"), "post", series_path(series, f"/swaps/{swap['id']}/agree")),
        409,
        "swap_outdated",
    )
    assert SwapRequest.objects.get().status == "void"
    assert openers(series) == before


def test_an_agreed_swap_is_undone_when_an_absence_breaks_it(cast: Cast) -> None:
    series = new_series(cast)
    first, second = upcoming(series)[:2]
    swap = ok(_swap(cast, series, "member", first, cast.expert.pk, second), 201)
    ok(call(api(cast, "expert"), "post", series_path(series, f"/swaps/{swap['id']}/agree")))
    assert openers(series)[:2] == [cast.expert.pk, cast.member.pk]

    ok(call(api(cast, "expert"), "put", occ_path(first, "/absence"), {}), 204)

    assert SwapRequest.objects.get().status == "void"
    assert openers(series)[:2] == [cast.member.pk, cast.expert.pk]
    assert Notification.objects.filter(kind="meetings.swap_void").count() == 2


def test_coordinators_set_the_rota_order(cast: Cast, capture_events) -> None:
    series = new_series(cast)
    order = [cast.coordinator.pk, cast.facilitator.pk, cast.expert.pk, cast.member.pk]
    with capture_events() as events:
        body = ok(
            call(
                api(cast, "coordinator"),
                "put",
                series_path(series, "/rota/order"),
                {"user_ids": order},
            )
        )
    assert [m["user"]["id"] for m in body["members"]] == order
    assert openers(series) == order * 2
    assert "meetings.rota_reordered" in [e.name for e in events]

    # Move one person with the page's buttons.
    cast.client("facilitator").post(
        reverse("meetings:rota-order", args=[cast.org_community.slug, series.pk]),
        {"user_id": cast.member.pk, "direction": "up"},
    )
    assert openers(series)[:4] == [
        cast.coordinator.pk,
        cast.facilitator.pk,
        cast.member.pk,
        cast.expert.pk,
    ]


@pytest.mark.parametrize(
    ("order", "message"),
    [
        (lambda c: [c.member.pk, c.member.pk, c.expert.pk, c.coordinator.pk], "listed twice"),
        (lambda c: [c.member.pk, c.expert.pk], "List everyone"),
        (
            lambda c: [c.member.pk, c.expert.pk, c.facilitator.pk, c.coordinator.pk, c.outsider.pk],
            "Not in this rota",
        ),
    ],
)
def test_a_bad_rota_order_changes_nothing(cast: Cast, order: Any, message: str) -> None:
    series = new_series(cast)
    before = openers(series)
    body = fails(
        call(
            api(cast, "coordinator"),
            "put",
            series_path(series, "/rota/order"),
            {"user_ids": order(cast)},
        ),
        422,
        "invalid",
    )
    assert message in body["errors"]["order"]
    assert openers(series) == before
    fails(
        call(
            api(cast, "member"), "put", series_path(series, "/rota/order"), {"user_ids": before[:4]}
        ),
        403,
        "forbidden",
    )


# --- Reminders ----------------------------------------------------------------------------------


def test_the_opener_is_reminded_a_week_and_a_day_before(cast: Cast) -> None:
    change = la_today() + timedelta(days=10)
    series = new_series(cast, start_date=change.isoformat())
    occ = upcoming(series)[0]
    assert occ.opener_id == cast.member.pk
    week = occ.starts_at - timedelta(days=7)

    run_due(week - timedelta(minutes=1))
    assert not Notification.objects.filter(kind="meetings.opener_turn").exists()
    run_due(week + timedelta(minutes=1))
    reminder = Notification.objects.get(kind="meetings.opener_turn")
    assert reminder.recipient == cast.member
    assert reminder.url == reverse("meetings:pick", args=[cast.org_community.slug, occ.pk])
    assert "pick or craft the community-building activity" in reminder.message
    run_due(week + timedelta(minutes=2))  # idempotent: no second notification
    assert Notification.objects.filter(kind="meetings.opener_turn").count() == 1

    run_due(occ.starts_at - timedelta(days=1) + timedelta(minutes=1))
    assert (
        Notification.objects.filter(kind="meetings.opener_turn", recipient=cast.member).count() == 2
    )


def test_reminders_follow_the_turn_when_it_changes(cast: Cast) -> None:
    series = new_series(cast, start_date=(la_today() + timedelta(days=10)).isoformat())
    occ = upcoming(series)[0]
    keys = set(
        DueJob.objects.filter(kind="meetings.opener_reminder", done_at__isnull=True).values_list(
            "key", flat=True
        )
    )
    assert f"meetings.opener_reminder:{occ.pk}:{cast.member.pk}:7" in keys

    ok(call(api(cast, "member"), "put", occ_path(occ, "/absence"), {}), 204)

    keys = set(
        DueJob.objects.filter(kind="meetings.opener_reminder", done_at__isnull=True).values_list(
            "key", flat=True
        )
    )
    assert f"meetings.opener_reminder:{occ.pk}:{cast.member.pk}:7" not in keys
    assert f"meetings.opener_reminder:{occ.pk}:{cast.expert.pk}:7" in keys
    run_due(occ.starts_at - timedelta(days=7) + timedelta(minutes=1))
    assert list(
        Notification.objects.filter(kind="meetings.opener_turn").values_list(
            "recipient_id", flat=True
        )
    ) == [cast.expert.pk]


def test_a_turn_given_within_the_week_is_announced_at_once(cast: Cast) -> None:
    series = new_series(cast)
    occ = upcoming(series)[0]
    assert occ.starts_at - timezone.now() < timedelta(days=8)
    ok(call(api(cast, "member"), "put", occ_path(occ, "/absence"), {}), 204)
    run_due(timezone.now() + timedelta(seconds=1))
    turn = Notification.objects.filter(kind="meetings.opener_turn", recipient=cast.expert)
    assert turn.count() == 1


# --- The agenda ---------------------------------------------------------------------------------


def test_the_agenda_opens_with_the_opener_block_then_norms_then_items_then_carried(
    cast: Cast, django_assert_max_num_queries
) -> None:
    series = new_series(cast)
    first, second = upcoming(series)[:2]
    opener_activity = activity("two-truths", title="Two Truths and a Wish")
    services.pick_activity(cast.member, first, opener_activity.pk)
    for i in range(12):
        AgendaItem.objects.create(occurrence=second, position=i + 1, title=f"Item {i}", minutes=1)
    AgendaItem.objects.create(
        occurrence=first, position=1, title="Student work protocol", minutes=25
    )
    for i in range(10):
        ActionItem.objects.create(
            occurrence=first, series=series, community=cast.org_community,
            owner=cast.expert, text=f"Action {i}",
        )  # fmt: skip
    services.carry_open_actions(series)
    url = reverse("meetings:occurrence", args=[cast.org_community.slug, first.pk])

    client = cast.client("member")
    with django_assert_max_num_queries(20):
        html = client.get(url).content.decode()
    assert html.index("Opened by Mia Member") < html.index("Two Truths and a Wish")
    assert html.index("Two Truths and a Wish") < html.index("Student work protocol")
    assert "15:30–15:50" in html and "15:50" in html  # the clock: the opener, then the item
    # The next meeting carries the open action items, after its timed items.
    html2 = client.get(reverse("meetings:occurrence", args=[cast.org_community.slug, second.pk]))
    body = html2.content.decode()
    assert body.index("Item 11") < body.index("Carried action items") < body.index("Action 9")
    # A page that shows many rows costs the same number of queries as one that shows few.
    with django_assert_max_num_queries(20):
        client.get(reverse("meetings:occurrence", args=[cast.org_community.slug, second.pk]))


def test_the_norms_block_sits_right_after_the_opener() -> None:
    source = (ROOT / "practica/jinja2/meetings/occurrence.html").read_text()
    opener_end = source.index("</article>")
    assert source.index("{% block agenda_norms %}") > opener_end
    assert source.index("{% block agenda_norms %}") < source.index('<ol class="agenda-items">')


def test_the_agenda_shows_the_adopted_norms_between_opener_and_items(cast: Cast) -> None:
    from practica.practice.norms import services as norm_services

    proposal = norm_services.propose(
        cast.member, cast.org_community, statement="We assume good intent.", why="Trust."
    )
    for who in (cast.expert, cast.facilitator):
        norm_services.respond(who, proposal, stance="agree")
    first = upcoming(new_series(cast))[0]
    services.add_agenda_item(cast.coordinator, first, title="Exit tickets", minutes=10)
    url = reverse("meetings:occurrence", args=[cast.org_community.slug, first.pk])
    html = cast.client("member").get(url).content.decode()
    opener = html.index("opener-block")
    norms = html.index("We assume good intent.")
    assert opener < norms < html.index("Exit tickets")


def test_the_facilitator_runs_the_agenda_and_it_must_fit_the_meeting(
    cast: Cast, capture_events
) -> None:
    series = new_series(cast)
    occ = upcoming(series)[0]  # Ethan facilitates
    assert occ.facilitator_id == cast.expert.pk
    url = reverse("meetings:agenda-add", args=[cast.org_community.slug, occ.pk])

    with capture_events() as events:
        response = cast.client("expert").post(url, {"title": "Lesson study", "minutes": "30"})
    assert response.status_code == 302
    assert "meetings.agenda_item_added" in [e.name for e in events]
    # 20 + 30 = 50 of 60 minutes: 15 more is too long.
    response = cast.client("expert").post(url, {"title": "Data dive", "minutes": "15"})
    html = response.content.decode()
    assert response.status_code == 200
    assert (
        "The agenda would take 65 minutes, longer than the 60-minute meeting (10 minutes are "
        "free). Shorten an item or lengthen the meeting." in html
    )
    assert 'value="Data dive"' in html
    body = fails(
        call(api(cast, "expert"), "post", occ_path(occ, "/agenda"), {"title": "X", "minutes": 11}),
        422,
        "invalid",
    )
    assert "10 minutes are free" in body["errors"]["minutes"]
    assert list(occ.agenda.values_list("title", flat=True)) == [
        "Community building",
        "Lesson study",
    ]
    # Someone who doesn't run this meeting may not change its agenda.
    assert cast.client("member").post(url, {"title": "Mine", "minutes": "5"}).status_code == 403
    fails(
        call(api(cast, "member"), "post", occ_path(occ, "/agenda"), {"title": "X", "minutes": 1}),
        403,
        "forbidden",
    )
    ok(
        call(
            api(cast, "expert"), "post", occ_path(occ, "/agenda"), {"title": "Close", "minutes": 10}
        ),
        201,
    )


def test_agenda_items_are_edited_moved_and_removed_but_the_opener_stays_first(cast: Cast) -> None:
    series = new_series(cast)
    occ = upcoming(series)[0]
    client = api(cast, "coordinator")
    a = ok(call(client, "post", occ_path(occ, "/agenda"), {"title": "A", "minutes": 10}), 201)
    b = ok(call(client, "post", occ_path(occ, "/agenda"), {"title": "B", "minutes": 10}), 201)
    ok(call(client, "patch", occ_path(occ, f"/agenda/{b['id']}"), {"move": "up"}))
    detail = ok(call(client, "get", occ_path(occ)))
    assert [i["title"] for i in detail["agenda"]] == ["Community building", "B", "A"]
    assert [i["starts_at"][11:16] for i in detail["agenda"]] == ["15:30", "15:50", "16:00"]
    ok(call(client, "patch", occ_path(occ, f"/agenda/{a['id']}"), {"minutes": 20, "title": "A+"}))
    fails(
        call(client, "patch", occ_path(occ, f"/agenda/{a['id']}"), {"minutes": 31}), 422, "invalid"
    )
    opener = occ.agenda.get(kind="opener")
    fails(call(client, "delete", occ_path(occ, f"/agenda/{opener.pk}")), 409, "opener_first")
    fails(
        call(client, "patch", occ_path(occ, f"/agenda/{opener.pk}"), {"move": "down"}),
        409,
        "opener_first",
    )
    ok(call(client, "patch", occ_path(occ, f"/agenda/{opener.pk}"), {"minutes": 15}))
    ok(call(client, "delete", occ_path(occ, f"/agenda/{b['id']}")), 204)
    detail = ok(call(client, "get", occ_path(occ)))
    assert [(i["title"], i["minutes"]) for i in detail["agenda"]] == [
        ("Community building", 15),
        ("A+", 20),
    ]


# --- Cancelling and moving meetings -------------------------------------------------------------


def test_a_cancelled_meeting_passes_its_turns_on_and_can_be_restored(
    cast: Cast, capture_events
) -> None:
    series = new_series(cast)
    first = upcoming(series)[0]
    url = reverse("meetings:cancel", args=[cast.org_community.slug, first.pk])
    with capture_events() as events:
        response = cast.client("facilitator").post(url, {"reason": "Snow day"})
    assert response.status_code == 302
    assert "meetings.occurrence_cancelled" in [e.name for e in events]
    first.refresh_from_db()
    assert (first.status, first.cancel_reason, first.opener_id) == ("cancelled", "Snow day", None)
    assert openers(series)[:2] == [cast.member.pk, cast.expert.pk]  # Mia opens the next one
    assert len(openers(series)) == 8  # one more was scheduled to keep eight ahead
    assert Notification.objects.filter(recipient=cast.member, kind="meetings.cancelled").exists()
    fails(call(api(cast, "coordinator"), "post", occ_path(first, "/cancel")), 409, "cancelled")

    ok(call(api(cast, "coordinator"), "post", occ_path(first, "/restore")))
    first.refresh_from_db()
    assert (first.status, first.opener_id) == ("scheduled", cast.member.pk)
    # Members don't cancel; a meeting under way can't be cancelled.
    fails(call(api(cast, "member"), "post", occ_path(first, "/cancel")), 403, "forbidden")
    start_now(first)
    fails(call(api(cast, "coordinator"), "post", occ_path(first, "/cancel")), 409, "started")


def test_moving_a_meeting(cast: Cast) -> None:
    series = new_series(cast)
    occ = upcoming(series)[0]
    new_day = occ.slot_date + timedelta(days=1)
    body = ok(
        call(
            api(cast, "coordinator"),
            "post",
            occ_path(occ, "/reschedule"),
            {"date": new_day.isoformat(), "time": "09:00", "duration_minutes": 45},
        )
    )
    assert body["local_start"].startswith(f"{new_day.isoformat()}T09:00")
    assert body["rescheduled"] is True
    assert body["opener"]["id"] == cast.member.pk

    past = fails(
        call(
            api(cast, "coordinator"),
            "post",
            occ_path(occ, "/reschedule"),
            {"date": "2020-01-01", "time": "09:00"},
        ),
        422,
        "invalid",
    )
    assert "date" in past["errors"]
    AgendaItem.objects.create(occurrence=occ, position=1, title="Long", minutes=20)
    short = fails(
        call(
            api(cast, "coordinator"),
            "post",
            occ_path(occ, "/reschedule"),
            {"date": new_day.isoformat(), "time": "10:00", "duration_minutes": 30},
        ),
        422,
        "invalid",
    )
    assert "The agenda takes 40 minutes" in short["errors"]["duration_minutes"]
    occ.refresh_from_db()
    assert occ.starts_at.astimezone(LA_TZ).hour == 9


# --- Attendance, notes, action items ------------------------------------------------------------


def test_attendance_is_recorded_once_the_meeting_has_started(cast: Cast, capture_events) -> None:
    series = new_series(cast)
    occ = upcoming(series)[0]
    client = api(cast, "member")
    ids = [cast.member.pk, cast.expert.pk]
    fails(call(client, "put", occ_path(occ, "/attendance"), {"user_ids": ids}), 409, "not_started")
    start_now(occ)
    with capture_events() as events:
        ok(call(client, "put", occ_path(occ, "/attendance"), {"user_ids": ids}))
    assert "meetings.attendance_recorded" in [e.name for e in events]
    assert set(Attendance.objects.filter(occurrence=occ).values_list("user_id", flat=True)) == set(
        ids
    )
    body = fails(
        call(client, "put", occ_path(occ, "/attendance"), {"user_ids": [cast.outsider.pk]}),
        422,
        "invalid",
    )
    assert "Not members" in body["errors"]["attendees"]
    assert Attendance.objects.filter(occurrence=occ).count() == 2  # unchanged
    cast.client("member").post(
        reverse("meetings:attendance", args=[cast.org_community.slug, occ.pk]),
        {"attendees": [cast.facilitator.pk]},
    )
    assert list(Attendance.objects.filter(occurrence=occ).values_list("user_id", flat=True)) == [
        cast.facilitator.pk
    ]


def test_notes_are_markdown_versioned_and_never_overwritten(cast: Cast, capture_events) -> None:
    series = new_series(cast)
    occ = upcoming(series)[0]
    client = api(cast, "member")
    with capture_events() as events:
        body = ok(
            call(
                client,
                "put",
                occ_path(occ, "/notes"),
                {
                    "markdown": "We tried **number talks**.<script>alert(1)</script>",
                    "base_version": 0,
                },
            )
        )
    assert body["version"] == 1
    assert "<strong>number talks</strong>" in body["html"]
    assert "<script>" not in body["html"]
    assert "meetings.notes_saved" in [e.name for e in events]

    # Someone else saves from the same starting point: refused, nothing overwritten.
    conflict = fails(
        call(
            api(cast, "expert"),
            "put",
            occ_path(occ, "/notes"),
            {"markdown": "Mine", "base_version": 0},
        ),
        409,
        "notes_changed",
    )
    assert "version 1" in conflict["detail"]
    occ.refresh_from_db()
    assert occ.notes.startswith("We tried")
    # The page keeps their text so they can merge it.
    response = cast.client("expert").post(
        reverse("meetings:notes", args=[cast.org_community.slug, occ.pk]),
        {"notes": "My own version", "base_version": "0"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "My own version" in html
    assert "Someone saved these notes while you were writing" in html
    ok(
        call(
            api(cast, "expert"),
            "put",
            occ_path(occ, "/notes"),
            {"markdown": "Merged", "base_version": 1},
        )
    )
    assert list(NoteRevision.objects.filter(occurrence=occ).values_list("version", flat=True)) == [
        2,
        1,
    ]
    fails(
        call(
            api(cast, "org_member"),
            "put",
            occ_path(occ, "/notes"),
            {"markdown": "x", "base_version": 2},
        ),
        403,
        "forbidden",
    )


def test_open_action_items_are_carried_to_the_next_meeting_until_done(
    cast: Cast, capture_events
) -> None:
    series = new_series(cast)
    first, second, third = upcoming(series)[:3]
    start_now(first)
    client = api(cast, "member")
    due = first.starts_at.astimezone(LA_TZ).date() + timedelta(days=5)
    with capture_events() as events:
        item = ok(
            call(
                client,
                "post",
                occ_path(first, "/actions"),
                {
                    "owner_id": cast.expert.pk,
                    "text": "Share the rubric",
                    "due_date": due.isoformat(),
                },
            ),
            201,
        )
    assert "meetings.action_item_added" in [e.name for e in events]
    assert Notification.objects.filter(recipient=cast.expert, kind="meetings.action_item").exists()
    carried = AgendaItem.objects.get(kind=AgendaKind.CARRIED_ACTION)
    assert carried.occurrence_id == second.pk
    detail = ok(call(client, "get", occ_path(second)))
    assert [a["text"] for a in detail["carried_actions"]] == ["Share the rubric"]

    # The second meeting ends with the item still open: it moves on to the third.
    ended = second.ends_at
    Occurrence.objects.filter(pk=second.pk).update(starts_at=timezone.now() - timedelta(hours=2))
    run_due(ended + timedelta(minutes=1))  # the job at its end carries what is still open
    assert set(
        AgendaItem.objects.filter(action_item_id=item["id"]).values_list("occurrence_id", flat=True)
    ) == {second.pk, third.pk}

    # Done: it leaves the agendas of meetings that haven't started (the record stays).
    ok(
        call(
            client,
            "patch",
            f"/communities/{cast.org_community.slug}/action-items/{item['id']}",
            {"done": True},
        )
    )
    assert set(
        AgendaItem.objects.filter(action_item_id=item["id"]).values_list("occurrence_id", flat=True)
    ) == {second.pk}
    ok(
        call(
            client,
            "patch",
            f"/communities/{cast.org_community.slug}/action-items/{item['id']}",
            {"done": False},
        )
    )
    assert AgendaItem.objects.filter(action_item_id=item["id"], occurrence=third).exists()
    listed = ok(call(client, "get", f"/communities/{cast.org_community.slug}/action-items"))
    assert [i["text"] for i in listed["items"]] == ["Share the rubric"]


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"text": "x", "owner_id": "outsider"}, "owner", "a member of this community"),
        ({"text": "  ", "owner_id": "member"}, "text", "The action is required."),
        (
            {"text": "x", "owner_id": "member", "due_date": "2020-01-01"},
            "due_date",
            "before the meeting",
        ),
    ],
)
def test_bad_action_items_change_nothing(
    cast: Cast, body: dict[str, Any], field: str, message: str
) -> None:
    series = new_series(cast)
    occ = upcoming(series)[0]
    data = {**body, "owner_id": getattr(cast, body["owner_id"]).pk}
    error = fails(
        call(api(cast, "member"), "post", occ_path(occ, "/actions"), data), 422, "invalid"
    )
    assert message in error["errors"][field]
    assert not ActionItem.objects.exists()


# --- The opener activity and how it landed ------------------------------------------------------


def test_the_opener_picks_an_activity_and_the_picker_warns_about_recent_ones(cast: Cast) -> None:
    series = new_series(cast)
    first, second = upcoming(series)[:2]
    favourite = activity("appreciation-circle", title="Appreciation Circle")
    adapted = activity("our-check-in", community=cast.org_community, title="Our Check-in")
    elsewhere = activity("their-check-in", community=cast.public_community, title="Their Check-in")
    client = api(cast, "member")

    body = ok(call(client, "put", occ_path(first, "/activity"), {"activity_id": favourite.pk}))
    assert body["warning"] is None
    assert body["occurrence"]["activity"]["title"] == "Appreciation Circle"
    ok(call(api(cast, "expert"), "put", occ_path(second, "/activity"), {"activity_id": adapted.pk}))
    # Another community's adaptation is not on offer.
    error = fails(
        call(
            api(cast, "expert"), "put", occ_path(second, "/activity"), {"activity_id": elsewhere.pk}
        ),
        422,
        "invalid",
    )
    assert "No such activity" in error["errors"]["activity"]
    # The picker: when the group last used each, and a warning for recent ones.
    start_now(first)
    choices = ok(
        call(api(cast, "expert"), "get", occ_path(second, "/activities"), {"page_size": 100})
    )
    by_title = {c["title"]: c for c in choices["items"]}
    assert "Their Check-in" not in by_title
    assert by_title["Appreciation Circle"]["recently_used"] is True
    assert by_title["Appreciation Circle"]["last_used_at"] is not None
    url = reverse("meetings:pick", args=[cast.org_community.slug, second.pk])
    html = cast.client("expert").get(url, {"q": "Appreciation Circle"}).content.decode()
    assert "Used recently" in html
    assert "Pick anyway: Appreciation Circle" in html
    # Unused activities come first; the recent one last.
    html = cast.client("expert").get(url, {"purpose": "trust"}).content.decode()
    assert "Our Check-in" in html
    # Picking it anyway is allowed, with a warning.
    body = ok(
        call(
            api(cast, "expert"), "put", occ_path(second, "/activity"), {"activity_id": favourite.pk}
        )
    )
    assert "Appreciation Circle" in body["warning"]
    # Only the opener, the facilitator and coordinators pick.
    third = upcoming(series)[1]  # now the third meeting: Fatima opens, Cora facilitates
    assert (third.opener_id, third.facilitator_id) == (cast.facilitator.pk, cast.coordinator.pk)
    fails(
        call(api(cast, "member"), "put", occ_path(third, "/activity"), {"activity_id": None}),
        403,
        "forbidden",
    )
    ok(call(api(cast, "coordinator"), "put", occ_path(third, "/activity"), {"activity_id": None}))
    history = page(cast, "member", "meetings:activities", cast.org_community.slug)
    assert "Appreciation Circle" in history


def test_a_new_opener_crafts_their_own_activity(cast: Cast) -> None:
    series = new_series(cast)
    occ = upcoming(series)[0]
    services.pick_activity(cast.member, occ, activity("icebreaker").pk)
    ok(call(api(cast, "member"), "put", occ_path(occ, "/absence"), {}), 204)
    occ.refresh_from_db()
    assert occ.opener_id == cast.expert.pk
    assert occ.activity_id is None


def test_the_opener_and_attendees_rate_how_the_opener_landed(cast: Cast, capture_events) -> None:
    series = new_series(cast)
    occ = upcoming(series)[0]
    services.pick_activity(cast.member, occ, activity("gratitude").pk)
    start_now(occ)
    Attendance.objects.create(occurrence=occ, user=cast.expert)
    rating = {"rating": 4, "note": "Loved hearing everyone's stories"}

    fails(
        call(api(cast, "facilitator"), "put", occ_path(occ, "/feedback"), rating), 403, "forbidden"
    )
    with capture_events() as events:
        ok(call(api(cast, "expert"), "put", occ_path(occ, "/feedback"), rating))
    assert "meetings.feedback_given" in [e.name for e in events]
    detail = ok(call(api(cast, "member"), "get", occ_path(occ)))
    assert detail["feedback"] == {"count": 1, "average": None, "notes": []}  # not yet: one rating
    ok(call(api(cast, "member"), "put", occ_path(occ, "/feedback"), {"rating": 5}))
    ok(call(api(cast, "member"), "put", occ_path(occ, "/feedback"), {"rating": 3}))  # changed
    detail = ok(call(api(cast, "facilitator"), "get", occ_path(occ)))
    assert detail["feedback"] == {
        "count": 2,
        "average": 3.5,
        "notes": ["Loved hearing everyone's stories"],
    }
    assert OpenerFeedback.objects.get(user=cast.member).activity_id == occ.activity_id
    error = fails(
        call(api(cast, "expert"), "put", occ_path(occ, "/feedback"), {"rating": 6}), 422, "invalid"
    )
    assert "Rate from 1" in error["errors"]["rating"]
    assert OpenerFeedback.objects.get(user=cast.expert).rating == 4
    html = page(cast, "member", "meetings:activities", cast.org_community.slug)
    assert "3.5 / 5" in html


# --- Calendar feeds -----------------------------------------------------------------------------


def _feed(url: str) -> icalendar.Calendar:
    response = Client().get(url.replace("http://testserver", ""))
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(response.content)


def _events(cal: icalendar.Calendar) -> list[icalendar.Event]:
    return list(cal.walk("VEVENT"))


def test_a_personal_feed_marks_my_turns_and_keeps_the_wall_clock_across_dst(cast: Cast) -> None:
    change = next_dst_change(la_today() + timedelta(days=1))
    series = new_series(cast, start_date=(change - timedelta(days=21)).isoformat())
    new_series(cast, community=cast.private_community, title="Private circle", place="Library")
    body = ok(call(api(cast, "expert"), "post", "/calendar-tokens", {"community": None}), 201)
    assert body["community"] is None

    cal = _feed(body["url"])

    events = _events(cal)
    titles = [str(e["SUMMARY"]) for e in events]
    assert any(t.startswith("You open: Weekly math collaborative") for t in titles)
    assert any(t.startswith("You facilitate: Weekly math collaborative") for t in titles)
    assert any("Private circle" in t for t in titles)  # Ethan is a member there too
    ours = [e for e in events if "Weekly math" in str(e["SUMMARY"])]
    starts = [e.decoded("DTSTART") for e in ours]
    assert {s.tzinfo.key for s in starts} == {LA}  # type: ignore[union-attr]
    assert {s.strftime("%H:%M") for s in starts} == {"15:30"}
    offsets = {s.utcoffset() for s in starts}
    assert offsets == {timedelta(hours=-8), timedelta(hours=-7)}  # both sides of the change
    assert {s.astimezone(UTC).strftime("%H:%M") for s in starts} == {"22:30", "23:30"}
    assert cal.walk("VTIMEZONE")
    uid = {str(e["UID"]) for e in ours}
    assert len(uid) == len(ours)
    assert series.pk


def test_a_feed_shows_only_what_its_owner_may_see_and_stops_when_revoked(cast: Cast) -> None:
    new_series(cast, community=cast.private_community, title="Private circle", place="Library")
    new_series(cast, community=cast.public_community, title="Open circle", place="Gym")
    mine = ok(call(api(cast, "member"), "post", "/calendar-tokens", {}), 201)
    theirs = ok(
        call(api(cast, "member"), "post", "/calendar-tokens", {"community": "private-math"}), 201
    )
    assert {
        str(e["SUMMARY"]).split(" · ")[0].split(": ")[-1] for e in _events(_feed(mine["url"]))
    } == {
        "Private circle",
        "Open circle",
    }
    assert {str(e["SUMMARY"]).split(" · ")[0] for e in _events(_feed(theirs["url"]))} == {
        "Private circle"
    }
    # An outsider can't get a feed for a community they can't see.
    fails(
        call(api(cast, "outsider"), "post", "/calendar-tokens", {"community": "private-math"}),
        404,
        "not_found",
    )
    # Leaving the private community: its feed stops, the personal feed no longer shows it.
    cast.client("member").post(reverse("communities:leave", args=["private-math"]))
    assert Client().get(theirs["url"].replace("http://testserver", "")).status_code == 404
    assert "Private circle" not in str(_feed(mine["url"]).to_ical())
    # Revoked: gone at once; someone else's token can't be revoked.
    fails(call(api(cast, "expert"), "delete", f"/calendar-tokens/{mine['id']}"), 404, "not_found")
    ok(call(api(cast, "member"), "delete", f"/calendar-tokens/{mine['id']}"), 204)
    assert Client().get(mine["url"].replace("http://testserver", "")).status_code == 404
    assert Client().get("/calendar/cal_guessed.ics").status_code == 404


def test_a_new_calendar_link_replaces_the_old_and_is_shown_once(cast: Cast) -> None:
    client = cast.client("member")
    url = reverse("calendar:mine")
    first = client.post(url, {"action": "create"}).content.decode()
    assert "/calendar/cal_" in first
    token = CalendarToken.objects.get(user=cast.member, revoked_at__isnull=True)
    again = client.get(url).content.decode()
    assert "/calendar/cal_" not in again  # only the hint from now on
    assert token.hint in again
    client.post(url, {"action": "create"})
    assert CalendarToken.objects.filter(user=cast.member, revoked_at__isnull=True).count() == 1
    token.refresh_from_db()
    assert token.revoked_at is not None
    cancelled = new_series(cast)
    cal_body = ok(
        call(api(cast, "member"), "post", "/calendar-tokens", {"community": "organization-math"}),
        201,
    )
    occ = upcoming(cancelled)[0]
    services.cancel_occurrence(cast.coordinator, occ, "Snow day")
    statuses = {
        str(e["STATUS"])
        for e in _events(_feed(cal_body["url"]))
        if str(e["UID"]).startswith(f"meeting-{occ.pk}@")
    }
    assert statuses == {"CANCELLED"}


# --- Norms ---------------------------------------------------------------------------------------


def test_a_norms_revisit_goes_on_the_next_meeting_once(cast: Cast, capture_events) -> None:
    later = new_series(
        cast, start_date=(la_today() + timedelta(days=20)).isoformat(), title="Later"
    )
    sooner = new_series(cast, title="Sooner", weekday=(la_today().weekday() + 2) % 7)
    nxt = min(upcoming(later)[0], upcoming(sooner)[0], key=lambda o: o.starts_at)

    with capture_events():
        emit("norms.revisit_opened", community_id=cast.org_community.pk, round_id=7)
    with capture_events():
        emit("norms.revisit_opened", community_id=cast.org_community.pk, round_id=7)

    items = AgendaItem.objects.filter(kind=AgendaKind.REVISIT_NORMS)
    assert items.count() == 1
    item = items.get()
    assert item.occurrence_id == nxt.pk
    assert (item.title, item.minutes, item.source) == ("Revisit our norms", 15, "norms.revisit:7")
    html = page(cast, "member", "meetings:occurrence", cast.org_community.slug, nxt.pk)
    assert "Revisit our norms" in html
    # A community without meetings: nothing happens (and nothing breaks).
    with capture_events():
        emit("norms.revisit_opened", community_id=cast.public_community.pk, round_id=8)
    assert AgendaItem.objects.filter(kind=AgendaKind.REVISIT_NORMS).count() == 1


def test_a_norms_revisit_takes_only_the_time_left(cast: Cast) -> None:
    series = new_series(cast)
    occ = upcoming(series)[0]
    AgendaItem.objects.create(occurrence=occ, position=1, title="Long", minutes=35)
    services.add_norms_revisit(cast.org_community.pk, 9)
    assert AgendaItem.objects.get(kind=AgendaKind.REVISIT_NORMS).minutes == 5


# --- Settings and pages -------------------------------------------------------------------------


def test_meeting_settings(cast: Cast) -> None:
    series = new_series(cast)
    slug = cast.org_community.slug
    body = ok(
        call(
            api(cast, "facilitator"),
            "put",
            f"/communities/{slug}/meetings/settings",
            {"opener_minutes": 25, "occurrences_ahead": 10},
        )
    )
    assert body == {"opener_minutes": 25, "occurrences_ahead": 10}
    assert len(upcoming(series)) == 10
    assert set(AgendaItem.objects.filter(kind="opener").values_list("minutes", flat=True)) == {25}
    occ = upcoming(series)[0]
    AgendaItem.objects.create(occurrence=occ, position=1, title="Long", minutes=35)
    error = fails(
        call(
            api(cast, "facilitator"),
            "put",
            f"/communities/{slug}/meetings/settings",
            {"opener_minutes": 30, "occurrences_ahead": 10},
        ),
        422,
        "invalid",
    )
    assert "longer than its 60-minute meeting" in error["errors"]["opener_minutes"]
    assert MeetingSettings.objects.get().opener_minutes == 25
    fails(
        call(
            api(cast, "member"),
            "put",
            f"/communities/{slug}/meetings/settings",
            {"opener_minutes": 10, "occurrences_ahead": 4},
        ),
        403,
        "forbidden",
    )


def test_the_meetings_page_shows_who_opens_and_costs_a_fixed_number_of_queries(
    cast: Cast, django_assert_max_num_queries
) -> None:
    for i in range(4):
        new_series(cast, title=f"Series {i}")
    client = cast.client("member")
    url = reverse("meetings:index", args=[cast.org_community.slug])
    with django_assert_max_num_queries(20):
        html = client.get(url).content.decode()
    assert "Next meetings" in html
    assert "Your next turns" in html
    assert "Mia Member" in html
    series = Series.objects.first()
    assert series is not None
    with django_assert_max_num_queries(20):
        client.get(reverse("meetings:series", args=[cast.org_community.slug, series.pk]))
    with django_assert_max_num_queries(12):
        ok(
            call(
                api(cast, "member"),
                "get",
                f"/communities/{cast.org_community.slug}/occurrences",
                {"page_size": 50},
            )
        )


def test_meetings_of_a_private_community_are_invisible_to_others(cast: Cast) -> None:
    series = new_series(cast, community=cast.private_community)
    occ = upcoming(series)[0]
    for who in ("outsider", "org_member", "org_admin"):
        assert (
            cast.client(who)
            .get(reverse("meetings:occurrence", args=["private-math", occ.pk]))
            .status_code
            == 404
        )
        fails(call(api(cast, who), "get", occ_path(occ)), 404, "not_found")
    # An occurrence id from another community is not found either.
    assert (
        cast.client("member")
        .get(reverse("meetings:occurrence", args=["organization-math", occ.pk]))
        .status_code
        == 404
    )


def test_an_empty_rota_leaves_meetings_without_an_opener(cast: Cast) -> None:
    series = new_series(cast, add_members=False)
    assert set(openers(series)) == {None}
    html = page(
        cast, "member", "meetings:occurrence", cast.org_community.slug, upcoming(series)[0].pk
    )
    assert "No opener yet" in html
    ok(call(api(cast, "member"), "post", series_path(series, "/rota/join")), 201)
    assert set(openers(series)) == {cast.member.pk}


def test_events_carry_ids_only(cast: Cast, capture_events) -> None:
    with capture_events() as events:
        new_series(cast)
    for event in events:
        assert all(isinstance(v, int | str | bool | None) for v in event.payload.values()), event


# --- The demo -----------------------------------------------------------------------------------


def test_the_demo_meetings_load_on_top_of_the_demo(db: None) -> None:
    from django.db import transaction

    from practica.demo import load_demo
    from practica.practice.meetings.demo import load_demo_meetings

    load_demo()
    with transaction.atomic():
        load_demo_meetings()  # a no-op if practica.demo already ran it
        load_demo_meetings()  # and idempotent

    math = Community.objects.get(slug="secondary-math")
    series = Series.objects.get(community=math)
    assert series.recurrence == "biweekly"
    held = list(
        Occurrence.objects.filter(series=series, starts_at__lte=timezone.now()).order_by(
            "starts_at"
        )
    )
    assert len(held) >= 4
    for occ in held:
        assert occ.opener_id is not None
        assert occ.notes_html
        assert Attendance.objects.filter(occurrence=occ).count() >= 5
    assert OpenerFeedback.objects.filter(occurrence__series=series).exists()
    assert ActionItem.objects.filter(series=series, done=True).exists()
    open_items = ActionItem.objects.filter(series=series, done=False)
    assert open_items.exists()
    nxt = upcoming(series)[0]
    carried = AgendaItem.objects.filter(occurrence=nxt, kind=AgendaKind.CARRIED_ACTION)
    assert {c.action_item_id for c in carried} == set(open_items.values_list("pk", flat=True))
    assert len([o for o in upcoming(series) if o.status == "scheduled"]) == 8
    assert Absence.objects.filter(occurrence__series=series).exists()
    assert SwapRequest.objects.filter(series=series, status="pending").exists()
    if Activity.objects.filter(community__isnull=True).exists():
        assert all(o.activity_id for o in held)
        assert Occurrence.objects.get(pk=nxt.pk).activity_id is not None
    circle = Series.objects.get(community__slug="site-leaders-circle")
    assert circle.recurrence == "monthly"
    assert Occurrence.objects.filter(series=circle, starts_at__lte=timezone.now()).exists()

    hannah = Client()
    hannah.force_login(math.memberships.get(user__email="hannah.liu@cedarcreek.test").user)
    for url in (
        reverse("meetings:index", args=["secondary-math"]),
        reverse("meetings:series", args=["secondary-math", series.pk]),
        reverse("meetings:occurrence", args=["secondary-math", nxt.pk]),
        reverse("meetings:occurrence", args=["secondary-math", held[-1].pk]),
        reverse("meetings:activities", args=["secondary-math"]),
    ):
        assert hannah.get(url).status_code == 200, url
