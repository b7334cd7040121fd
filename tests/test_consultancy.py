"""Consultancy sessions through HTTP: bringing a case, who sees it, the live session (start,
advance, back, contributions per step, the silent presenter, finish), the reflection and the
due-dated follow-up, protocols and their adaptation, and the API.

The cast: ``member`` presents, ``facilitator`` facilitates, ``expert`` takes part; the
``coordinator`` is a member of the community who is not in the session.
"""

from __future__ import annotations

import json
from datetime import time, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from practica.accounts.services import create_api_token
from practica.lib.errors import Conflict, Forbidden, Invalid
from practica.lib.testing import Cast
from practica.notifications.models import Notification
from practica.practice.consultancy import services
from practica.practice.consultancy.loader import load_library
from practica.practice.consultancy.models import (
    Contribution,
    ContributionKind,
    Participant,
    Protocol,
    Session,
    SessionStatus,
    Speakers,
)
from practica.scheduling.models import DueJob
from practica.scheduling.services import run_due

CASE = {
    "title": "A schedule change nobody asked for",
    "context": "Our school moved to a block schedule this fall. **Three** departments pushed back.",
    "dilemma": "I believe in the change, but I am losing the trust of my most experienced staff.",
    "focusing_question": "How can I keep the change and rebuild trust with the veterans?",
    "materials": "[The new bell schedule](https://example.org/schedule)",
    "visibility": "participants",
    "followup_after_days": "14",
}


def library(slug: str) -> Protocol:
    return Protocol.objects.get(slug=slug, community__isnull=True)


def bring(cast: Cast, *, protocol: str | Protocol = "consultancy", **overrides: Any) -> Session:
    """A case presented by ``member``, facilitated by ``facilitator``, with ``expert``."""
    fields: dict[str, Any] = {
        "title": CASE["title"],
        "context": CASE["context"],
        "dilemma": CASE["dilemma"],
        "focusing_question": CASE["focusing_question"],
        "protocol": library(protocol) if isinstance(protocol, str) else protocol,
        "facilitator_id": cast.facilitator.pk,
        "participant_ids": [cast.expert.pk],
        **overrides,
    }
    return services.create_session(cast.member, cast.org_community, **fields)


def url(name: str, session: Session, **query: str) -> str:
    path = reverse(f"consultancy:{name}", args=[session.community.slug, session.pk])
    return path + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def htmx(client: Client) -> dict[str, str]:
    return {"HTTP_HX_REQUEST": "true"}


def refreshed(session: Session) -> Session:
    return Session.objects.select_related("community").get(pk=session.pk)


def run_to(cast: Cast, session: Session, step: int) -> Session:
    services.start_session(cast.facilitator, session)
    for _ in range(step):
        services.advance_step(cast.facilitator, session)
    return session


# --- The library ----------------------------------------------------------------------------------


def test_the_library_ships_the_two_protocols_in_order(db: None) -> None:
    consultancy = list(library("consultancy").steps.all())
    assert [(s.minutes, s.speakers, s.contribution) for s in consultancy] == [
        (10, Speakers.PRESENTER, ContributionKind.NONE),
        (5, Speakers.EVERYONE, ContributionKind.CLARIFYING),
        (10, Speakers.EVERYONE, ContributionKind.PROBING),
        (15, Speakers.PARTICIPANTS, ContributionKind.DISCUSSION),
        (5, Speakers.PRESENTER, ContributionKind.REFLECTION),
        (5, Speakers.EVERYONE, ContributionKind.REFLECTION),
    ]
    assert "restates the focusing question" in consultancy[2].purpose
    tuning = list(library("tuning").steps.all())
    assert len(tuning) == 8
    silent = {s.contribution for s in tuning if s.speakers == Speakers.PARTICIPANTS}
    assert silent == {ContributionKind.WARM, ContributionKind.COOL}
    assert all(s.purpose for s in [*consultancy, *tuning])


def test_loading_the_library_again_changes_nothing(db: None) -> None:
    result = load_library()
    assert (result.created, result.updated, result.unchanged) == (0, 0, 2)


def test_the_loader_rewrites_a_changed_protocol(db: None) -> None:
    protocol = library("tuning")
    protocol.steps.filter(position=7).update(minutes=99)
    assert load_library().updated == 1
    assert protocol.steps.get(position=7).minutes == 5


# --- Bringing a case ----------------------------------------------------------------------------


def test_a_member_brings_a_case(cast: Cast, capture_events: Any) -> None:
    client = cast.client("member")
    page = client.get(reverse("consultancy:new", args=[cast.org_community.slug]))
    assert page.status_code == 200
    assert "Leave out names" in page.content.decode()
    data = {
        **CASE,
        "protocol": str(library("consultancy").pk),
        "facilitator": str(cast.facilitator.pk),
        "participants": [str(cast.expert.pk), str(cast.coordinator.pk)],
    }
    with capture_events() as events:
        response = client.post(reverse("consultancy:new", args=[cast.org_community.slug]), data)
    session = Session.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("session", session)
    assert session.presenter == cast.member
    assert session.status == SessionStatus.PLANNED
    assert len(session.steps) == 6
    assert "<strong>Three</strong>" in session.context_html
    assert set(Participant.objects.values_list("user_id", flat=True)) == {
        cast.expert.pk,
        cast.coordinator.pk,
    }
    created = [e for e in events if e.name == "consultancy.session_created"]
    assert created[0].payload["facilitator_id"] == cast.facilitator.pk
    invited = Notification.objects.filter(kind="consultancy_invited")
    assert set(invited.values_list("recipient_id", flat=True)) == {
        cast.facilitator.pk,
        cast.expert.pk,
        cast.coordinator.pk,
    }


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"focusing_question": "   "}, "focusing_question", "The focusing question is required"),
        ({"title": ""}, "title", "Title is required"),
        ({"participants": ["OUTSIDER"]}, "participants", "must be members"),
        ({"participants": []}, "participants", "at least one participant"),
        ({"facilitator": ""}, "facilitator", "Choose a facilitator"),
        ({"facilitator": "ORG_MEMBER"}, "facilitator", "must be a member"),
    ],
)
def test_bad_cases_are_refused_and_nothing_is_written(
    cast: Cast, change: dict[str, Any], field: str, message: str
) -> None:
    people = {"OUTSIDER": str(cast.outsider.pk), "ORG_MEMBER": str(cast.org_member.pk)}
    data: dict[str, Any] = {
        **CASE,
        "protocol": str(library("consultancy").pk),
        "facilitator": str(cast.facilitator.pk),
        "participants": [str(cast.expert.pk)],
        **change,
    }
    if field == "participants" and change["participants"]:
        data["participants"] = [str(cast.expert.pk), people["OUTSIDER"]]
    if data["facilitator"] in people:
        data["facilitator"] = people[data["facilitator"]]
    response = cast.client("member").post(
        reverse("consultancy:new", args=[cast.org_community.slug]), data
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Session.objects.exists()
    assert not Notification.objects.exists()


def test_the_service_refuses_the_presenter_as_facilitator(cast: Cast) -> None:
    with pytest.raises(Invalid) as exc:
        bring(cast, facilitator_id=cast.member.pk)
    assert "ask another member to facilitate" in exc.value.errors["facilitator"]
    assert not Session.objects.exists()


def test_a_protocol_of_another_community_cannot_be_used(cast: Cast) -> None:
    other = services.adapt_protocol(
        cast.member,
        library("consultancy"),
        cast.public_community,
        title="Ours",
        summary="Shorter.",
        note="Shorter.",
    )
    with pytest.raises(Invalid) as exc:
        bring(cast, protocol=other)
    assert "protocol" in exc.value.errors


def test_non_members_may_not_bring_a_case(cast: Cast) -> None:
    with pytest.raises(Forbidden):
        services.create_session(
            cast.org_member,
            cast.org_community,
            title="t",
            context="c",
            dilemma="d",
            focusing_question="q",
            protocol=library("consultancy"),
            facilitator_id=cast.facilitator.pk,
            participant_ids=[cast.expert.pk],
        )


def test_the_facilitator_is_suggested_from_the_meetings_rota(cast: Cast) -> None:
    from practica.practice.meetings import services as meetings

    series = meetings.create_series(
        cast.coordinator,
        cast.org_community,
        title="Monthly circle",
        recurrence_kind="weekly",
        weekday=2,
        local_time=time(16, 0),
        timezone_name="UTC",
        duration_minutes=60,
        place="The library",
        start_date=timezone.now().date() + timedelta(days=1),
        add_members=True,
    )
    nxt = series.occurrences.filter(starts_at__gt=timezone.now()).order_by("starts_at").first()
    assert nxt is not None
    suggestion = services.suggest_facilitator(cast.org_community, cast.member)
    if nxt.facilitator_id == cast.member.pk:
        # The presenter is never suggested: the next meeting's facilitator that is someone else.
        assert suggestion is None or suggestion[0].pk != cast.member.pk
    else:
        assert suggestion is not None
        assert suggestion[0].pk == nxt.facilitator_id
    page = cast.client("member").get(reverse("consultancy:new", args=[cast.org_community.slug]))
    if suggestion:
        assert "Suggested from the meetings rota" in page.content.decode()
        assert f'value="{suggestion[0].pk}" selected' in page.content.decode()


def test_no_meetings_no_suggestion(cast: Cast) -> None:
    assert services.suggest_facilitator(cast.org_community, cast.member) is None


# --- Who sees a case ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("member", 200),
        ("facilitator", 200),
        ("expert", 200),
        ("coordinator", 404),
        ("org_admin", 404),
        ("org_member", 404),
        ("outsider", 404),
        ("staff", 404),
    ],
)
def test_a_case_is_seen_by_its_people_only(cast: Cast, who: str, status: int) -> None:
    session = bring(cast)
    response = cast.client(who).get(url("session", session))
    assert response.status_code == status
    if status == 404:
        assert CASE["dilemma"] not in response.content.decode()


def test_the_presenter_widens_the_case_to_members(cast: Cast, capture_events: Any) -> None:
    session = bring(cast)
    with capture_events() as events:
        response = cast.client("member").post(
            url("visibility", session), {"visibility": "community"}
        )
    assert response.status_code == 302
    assert refreshed(session).visibility == "community"
    assert [e.name for e in events] == ["consultancy.visibility_changed"]
    assert cast.client("coordinator").get(url("session", session)).status_code == 200
    # Members only: people who can see the community but are not in it still do not.
    assert cast.client("org_member").get(url("session", session)).status_code == 404
    assert cast.client("staff").get(url("session", session)).status_code == 404


def test_only_the_presenter_widens_the_case(cast: Cast) -> None:
    session = bring(cast)
    response = cast.client("facilitator").post(
        url("visibility", session), {"visibility": "community"}
    )
    assert response.status_code == 403
    assert refreshed(session).visibility == "participants"


def test_the_list_shows_only_the_sessions_i_may_see(cast: Cast) -> None:
    mine = bring(cast)
    shared = bring(cast, title="Shared case", visibility="community")
    hidden = services.create_session(
        cast.coordinator,
        cast.org_community,
        title="Not for the member",
        context="c",
        dilemma="d",
        focusing_question="q?",
        protocol=library("tuning"),
        facilitator_id=cast.facilitator.pk,
        participant_ids=[cast.expert.pk],
    )
    index = reverse("consultancy:index", args=[cast.org_community.slug])
    body = cast.client("member").get(index).content.decode()
    assert mine.title in body
    assert shared.title in body
    assert hidden.title not in body
    staff_body = cast.client("staff").get(index).content.decode()
    assert mine.title not in staff_body
    assert "No sessions you can see yet" in staff_body


def test_the_list_runs_a_constant_number_of_queries(cast: Cast) -> None:
    client = cast.client("expert")
    index = reverse("consultancy:index", args=[cast.org_community.slug])
    bring(cast)
    client.get(index)  # warm up
    with CaptureQueriesContext(connection) as few:
        assert client.get(index).status_code == 200
    for i in range(8):
        session = bring(cast, title=f"Case {i}")
        if i % 3 == 0:
            run_to(cast, session, 1)
    with CaptureQueriesContext(connection) as many:
        body = client.get(index).content.decode()
    assert body.count('class="cs-item"') == 9
    assert len(many) == len(few)


def test_the_list_is_paginated_and_filtered(cast: Cast) -> None:
    for i in range(21):
        bring(cast, title=f"Case {i:02d}")
    live = bring(cast, title="The live one")
    run_to(cast, live, 0)
    index = reverse("consultancy:index", args=[cast.org_community.slug])
    client = cast.client("expert")
    first = client.get(index).content.decode()
    assert first.index("The live one") < first.index("Case 20")  # live first
    assert "Page 1 of 2" in first
    only_live = client.get(index + "?show=live").content.decode()
    assert only_live.count('class="cs-item"') == 1


# --- Live mode ----------------------------------------------------------------------------------


def test_the_facilitator_runs_the_session(cast: Cast, capture_events: Any) -> None:
    session = bring(cast)
    client = cast.client("facilitator")
    with capture_events() as events:
        assert client.post(url("start", session)).status_code == 302
    row = refreshed(session)
    assert (row.status, row.current_step) == (SessionStatus.LIVE, 0)
    assert row.step_ends_at == row.step_started_at + timedelta(minutes=10)
    assert [e.name for e in events if e.name.startswith("consultancy.")] == [
        "consultancy.step_changed"
    ]
    assert Notification.objects.filter(kind="consultancy_started").count() == 2
    client.post(url("advance", session), {"from_step": "0"})
    client.post(url("advance", session), {"from_step": "1"})
    assert refreshed(session).current_step == 2
    client.post(url("back", session), {"from_step": "2"})
    row = refreshed(session)
    assert row.current_step == 1
    page = cast.client("expert").get(url("session", session)).content.decode()
    assert "Step 2 of 6" in page
    assert "Clarifying questions" in page
    assert f'data-ends-at="{row.step_ends_at.isoformat()}"' in page
    assert 'aria-current="step"' in page
    assert "ends at <time" in page  # without JavaScript, the end time


def test_a_double_click_moves_one_step_only(cast: Cast) -> None:
    session = run_to(cast, bring(cast), 0)
    client = cast.client("facilitator")
    client.post(url("advance", session), {"from_step": "0"})
    response = client.post(url("advance", session), {"from_step": "0"}, follow=True)
    assert refreshed(session).current_step == 1
    assert "already moved on" in response.content.decode()


@pytest.mark.parametrize("who", ["member", "expert", "coordinator"])
def test_only_the_facilitator_moves_the_session(cast: Cast, who: str) -> None:
    session = run_to(cast, bring(cast, visibility="community"), 1)
    for action in ("advance", "back", "finish"):
        assert cast.client(who).post(url(action, session)).status_code == 403
    row = refreshed(session)
    assert (row.status, row.current_step) == (SessionStatus.LIVE, 1)


def test_a_planned_session_is_started_once(cast: Cast) -> None:
    session = run_to(cast, bring(cast), 0)
    with pytest.raises(Conflict):
        services.start_session(cast.facilitator, session)
    with pytest.raises(Conflict):
        services.previous_step(cast.facilitator, session)
    for _ in range(5):
        services.advance_step(cast.facilitator, session)
    with pytest.raises(Conflict, match="last step"):
        services.advance_step(cast.facilitator, session)


def test_contributions_are_captured_per_step_and_attributed(cast: Cast) -> None:
    session = run_to(cast, bring(cast), 1)
    response = cast.client("expert").post(
        url("contribute", session), {"body": "How many staff teach in blocks?", "step": "1"}
    )
    assert response.status_code == 302
    contribution = Contribution.objects.get()
    assert (contribution.step, contribution.kind) == (1, ContributionKind.CLARIFYING)
    assert contribution.author == cast.expert
    services.advance_step(cast.facilitator, session)
    services.add_contribution(cast.member, session, body="What would trust look like?")
    assert Contribution.objects.filter(kind=ContributionKind.PROBING).count() == 1
    body = cast.client("facilitator").get(url("session", session)).content.decode()
    assert "How many staff teach in blocks?" in body
    assert "Ethan Expert" in body


def test_the_presenter_is_silent_in_the_listening_step(cast: Cast) -> None:
    session = run_to(cast, bring(cast), 3)  # discussion while the presenter listens
    page = cast.client("member").get(url("session", session)).content.decode()
    assert "the presenter listens silently" in page
    assert 'name="body"' not in page
    assert "cs-closed-box" in page
    response = cast.client("member").post(
        url("contribute", session), {"body": "But I did try that!", "step": "3"}
    )
    assert response.status_code == 403
    with pytest.raises(Forbidden) as exc:
        services.add_contribution(cast.member, session, body="Let me explain.")
    assert exc.value.code == "presenter_silent"
    assert not Contribution.objects.exists()
    # The others speak.
    other = cast.client("expert").get(url("session", session)).content.decode()
    assert 'name="body"' in other
    services.add_contribution(cast.expert, session, body="I wonder what the veterans fear losing.")
    assert Contribution.objects.get().kind == ContributionKind.DISCUSSION


def test_only_the_presenter_writes_in_the_presenter_step(cast: Cast) -> None:
    session = run_to(cast, bring(cast), 4)
    with pytest.raises(Forbidden) as exc:
        services.add_contribution(cast.expert, session, body="Me too")
    assert exc.value.code == "presenter_only"
    services.add_contribution(cast.member, session, body="I heard that trust is the real issue.")
    assert Contribution.objects.get().kind == ContributionKind.REFLECTION


def test_nothing_is_written_in_a_listening_only_step(cast: Cast) -> None:
    session = run_to(cast, bring(cast), 0)
    with pytest.raises(Conflict) as exc:
        services.add_contribution(cast.member, session, body="Hello")
    assert exc.value.code == "no_contributions"


def test_non_participants_may_not_contribute(cast: Cast) -> None:
    session = run_to(cast, bring(cast, visibility="community"), 1)
    response = cast.client("coordinator").post(url("contribute", session), {"body": "Me?"})
    assert response.status_code == 403
    response = cast.client("staff").post(url("contribute", session), {"body": "Me?"})
    assert response.status_code == 404
    assert not Contribution.objects.exists()


def test_contributions_wait_for_the_session_and_stop_after(cast: Cast) -> None:
    session = bring(cast)
    with pytest.raises(Conflict, match="not started"):
        services.add_contribution(cast.expert, session, body="Early")
    run_to(cast, session, 1)
    services.finish_session(cast.facilitator, session)
    with pytest.raises(Conflict, match="over"):
        services.add_contribution(cast.expert, session, body="Late")
    assert not Contribution.objects.exists()


def test_an_empty_contribution_is_refused(cast: Cast) -> None:
    session = run_to(cast, bring(cast), 1)
    response = cast.client("expert").post(
        url("contribute", session), {"body": "  ", "step": "1"}, **htmx(Client())
    )
    assert response.status_code == 200
    assert "Your contribution is required" in response.content.decode()
    assert not Contribution.objects.exists()


def test_a_contribution_for_a_step_that_has_passed_is_kept_back(cast: Cast) -> None:
    session = run_to(cast, bring(cast), 1)
    services.advance_step(cast.facilitator, session)
    response = cast.client("expert").post(
        url("contribute", session), {"body": "A clarifying question", "step": "1"}, **htmx(Client())
    )
    body = response.content.decode()
    assert "has moved on" in body
    assert "A clarifying question" in body  # the text is still in the box
    assert not Contribution.objects.exists()


def test_htmx_contribution_returns_the_live_region_and_a_fresh_box(cast: Cast) -> None:
    session = run_to(cast, bring(cast), 1)
    response = cast.client("expert").post(
        url("contribute", session), {"body": "How long is a block?", "step": "1"}, **htmx(Client())
    )
    body = response.content.decode()
    assert 'id="live"' in body
    assert 'id="contribute" class="card cs-contribute"' in body
    assert 'hx-swap-oob="true"' in body
    assert "How long is a block?" in body.split('id="contribute"')[0]  # in the live list


def test_the_live_region_polls_and_brings_the_box_only_when_the_step_changed(cast: Cast) -> None:
    session = run_to(cast, bring(cast), 1)
    client = cast.client("expert")
    same = client.get(url("live", session, shown="1", status="live"), **htmx(client))
    assert 'hx-trigger="every 3s"' in same.content.decode()
    assert "hx-swap-oob" not in same.content.decode()
    services.advance_step(cast.facilitator, session)
    moved = client.get(url("live", session, shown="1", status="live"), **htmx(client)).content
    assert b"hx-swap-oob" in moved
    assert b"Probing questions" in moved
    assert b"shown=2&amp;status=live" in moved


def test_the_polling_stops_when_the_session_is_over(cast: Cast) -> None:
    session = run_to(cast, bring(cast), 1)
    client = cast.client("expert")
    services.finish_session(cast.facilitator, session)
    over = client.get(url("live", session, shown="1", status="live"), **htmx(client))
    assert over.status_code == 204
    assert over["HX-Refresh"] == "true"
    settled = client.get(url("live", session, shown="", status="completed"), **htmx(client))
    assert "hx-trigger" not in settled.content.decode()


def test_the_live_region_is_a_query_constant(cast: Cast) -> None:
    session = run_to(cast, bring(cast), 1)
    client = cast.client("expert")
    live = url("live", session, shown="1", status="live")
    client.get(live)
    with CaptureQueriesContext(connection) as few:
        client.get(live)
    for i in range(10):
        services.add_contribution(cast.expert, session, body=f"Question {i}?")
    with CaptureQueriesContext(connection) as many:
        assert b"Question 9?" in client.get(live).content
    assert len(many) == len(few)


def test_finishing_emits_the_completion_and_schedules_the_follow_up(
    cast: Cast, capture_events: Any
) -> None:
    session = run_to(cast, bring(cast, followup_after_days=21), 5)
    with capture_events() as events:
        cast.client("facilitator").post(url("finish", session))
    row = refreshed(session)
    assert row.status == SessionStatus.COMPLETED
    completed = [e for e in events if e.name == "consultancy.session_completed"]
    assert len(completed) == 1
    assert completed[0].payload == {
        "session_id": session.pk,
        "community_id": cast.org_community.pk,
        "presenter_id": cast.member.pk,
        "facilitator_id": cast.facilitator.pk,
        "participant_ids": [cast.expert.pk],
    }
    job = DueJob.objects.get(key=f"consultancy.followup:{session.pk}")
    assert job.due_at == row.completed_at + timedelta(days=21)
    with pytest.raises(Conflict):
        services.finish_session(cast.facilitator, session)


# --- Afterwards -----------------------------------------------------------------------------------


def test_the_presenter_reflects_after_the_session(cast: Cast, capture_events: Any) -> None:
    session = bring(cast)
    with pytest.raises(Conflict):
        services.write_reflection(cast.member, session, reflection="Too early")
    run_to(cast, session, 0)
    services.finish_session(cast.facilitator, session)
    assert (
        cast.client("expert")
        .post(url("reflection", session), {"reflection": "Mine", "followup_after_days": "7"})
        .status_code
        == 403
    )
    empty = cast.client("member").post(
        url("reflection", session), {"reflection": " ", "followup_after_days": "7"}
    )
    assert empty.status_code == 422
    assert "Your reflection is required" in empty.content.decode()
    with capture_events() as events:
        response = cast.client("member").post(
            url("reflection", session),
            {"reflection": "I will *listen* first.", "followup_after_days": "7"},
        )
    assert response.status_code == 302
    row = refreshed(session)
    assert row.reflection_html == "<p>I will <em>listen</em> first.</p>\n"
    assert row.followup_due_at == row.completed_at + timedelta(days=7)
    assert (
        DueJob.objects.get(key=f"consultancy.followup:{session.pk}").due_at == row.followup_due_at
    )
    assert [e.name for e in events] == ["consultancy.reflection_written"]
    assert (
        "I will <em>listen</em> first."
        in cast.client("expert").get(url("session", session)).content.decode()
    )


def test_the_follow_up_is_requested_once_when_due(cast: Cast) -> None:
    session = run_to(cast, bring(cast), 0)
    services.finish_session(cast.facilitator, session)
    due = refreshed(session).followup_due_at
    assert due is not None
    asked = Notification.objects.filter(kind="consultancy_followup")
    run_due(now=due - timedelta(minutes=1))
    assert not asked.exists()
    run_due(now=due + timedelta(minutes=1))
    assert [n.recipient_id for n in asked] == [cast.member.pk]
    assert asked[0].url.endswith("#followup")
    # Idempotent: running the handler again asks no one twice.
    assert services.request_followup_job(session.pk) is False
    run_due(now=due + timedelta(days=1))
    assert asked.count() == 1


def test_recording_the_follow_up(cast: Cast, capture_events: Any) -> None:
    session = run_to(cast, bring(cast), 0)
    services.finish_session(cast.facilitator, session)
    bad = cast.client("member").post(url("followup", session), {"tried": "x", "happened": ""})
    assert bad.status_code == 422
    assert "What happened is required" in bad.content.decode()
    assert (
        cast.client("expert")
        .post(url("followup", session), {"tried": "x", "happened": "y"})
        .status_code
        == 403
    )
    with capture_events() as events:
        response = cast.client("member").post(
            url("followup", session),
            {"tried": "Met each veteran one to one.", "happened": "Two now co-plan blocks."},
        )
    assert response.status_code == 302
    assert [e.payload for e in events if e.name == "consultancy.followup_recorded"] == [
        {"session_id": session.pk, "community_id": cast.org_community.pk,
         "presenter_id": cast.member.pk}
    ]  # fmt: skip
    # Recorded before it was asked for: the request is cancelled.
    assert not DueJob.objects.filter(key=f"consultancy.followup:{session.pk}").exists()
    with capture_events() as again:
        services.record_followup(
            cast.member, session, tried="Met each veteran.", happened="Two co-plan."
        )
    assert not [e for e in again if e.name == "consultancy.followup_recorded"]
    assert refreshed(session).followup_tried == "Met each veteran."


# --- Protocols ----------------------------------------------------------------------------------


def test_the_protocol_library_page(cast: Cast) -> None:
    body = (
        cast.client("org_member")
        .get(reverse("consultancy:protocols", args=[cast.org_community.slug]))
        .content.decode()
    )
    assert "Consultancy on a hard case" in body
    assert "Tuning a piece of work" in body
    detail = (
        cast.client("member")
        .get(reverse("consultancy:protocol", args=[cast.org_community.slug, library("tuning").pk]))
        .content.decode()
    )
    assert "Warm feedback" in detail
    assert "Adapt for" in detail


def _adapt_post(source: Protocol, **change: str) -> dict[str, str]:
    steps = list(source.steps.all())
    data = {
        "title": "Short consultancy",
        "summary": "Our 40-minute version.",
        "note": "We meet for 45 minutes, so discussion is shorter.",
        "steps-TOTAL_FORMS": str(len(steps) + 1),
        "steps-INITIAL_FORMS": str(len(steps)),
        "steps-MIN_NUM_FORMS": "0",
        "steps-MAX_NUM_FORMS": "12",
    }
    for i, s in enumerate(steps):
        data.update({
            f"steps-{i}-name": s.name, f"steps-{i}-purpose": s.purpose,
            f"steps-{i}-minutes": str(s.minutes), f"steps-{i}-speakers": s.speakers,
            f"steps-{i}-contribution": s.contribution,
        })  # fmt: skip
    n = len(steps)
    data.update({f"steps-{n}-speakers": "everyone", f"steps-{n}-contribution": "none"})
    data.update(change)
    return data


def test_a_community_adapts_a_protocol_with_lineage(cast: Cast, capture_events: Any) -> None:
    source = library("consultancy")
    adapt = reverse("consultancy:adapt", args=[cast.org_community.slug, source.pk])
    client = cast.client("member")
    assert client.get(adapt).status_code == 200
    data = _adapt_post(source, **{"steps-3-minutes": "10", "steps-5-DELETE": "on"})
    with capture_events() as events:
        response = client.post(adapt, data)
    adapted = Protocol.objects.get(community=cast.org_community)
    assert response.status_code == 302
    assert adapted.adapted_from == source
    assert [s.minutes for s in adapted.steps.all()] == [10, 5, 10, 10, 5]
    assert [e.name for e in events] == ["consultancy.protocol_adapted"]
    page = client.get(response["Location"]).content.decode()
    assert "Adapted by" in page and source.title in page
    # An adaptation of the adaptation keeps the whole line.
    again = services.adapt_protocol(
        cast.expert, adapted, cast.org_community, title="Shorter still", summary="s", note="n"
    )
    body = client.get(reverse("consultancy:protocol", args=[cast.org_community.slug, again.pk]))
    assert "itself adapted from" in body.content.decode()
    # The adaptation is offered when bringing a case.
    assert (
        "Short consultancy"
        in client.get(reverse("consultancy:new", args=[cast.org_community.slug])).content.decode()
    )


def test_bad_steps_are_refused_and_nothing_is_adapted(cast: Cast) -> None:
    source = library("consultancy")
    adapt = reverse("consultancy:adapt", args=[cast.org_community.slug, source.pk])
    response = cast.client("member").post(
        adapt, _adapt_post(source, **{"steps-2-name": "", "steps-2-minutes": "10"})
    )
    assert response.status_code == 200
    assert "Name is required" in response.content.decode()
    with pytest.raises(Invalid) as exc:
        services.adapt_protocol(
            cast.member, source, cast.org_community, title="T", summary="S", note="N",
            steps=[{"name": "Only", "purpose": "p", "minutes": 0, "speakers": "nobody",
                    "contribution": "none"}],
        )  # fmt: skip
    assert set(exc.value.errors) == {"steps.0.minutes", "steps.0.speakers"}
    assert not Protocol.objects.filter(community__isnull=False).exists()


def test_non_members_may_not_adapt(cast: Cast) -> None:
    adapt = reverse("consultancy:adapt", args=[cast.org_community.slug, library("tuning").pk])
    assert cast.client("org_member").get(adapt).status_code == 403


def test_another_communitys_adaptation_is_not_found(cast: Cast) -> None:
    theirs = services.adapt_protocol(
        cast.member, library("tuning"), cast.public_community, title="Theirs", summary="s", note="n"
    )
    path = reverse("consultancy:protocol", args=[cast.org_community.slug, theirs.pk])
    assert cast.client("member").get(path).status_code == 404


# --- The API ------------------------------------------------------------------------------------

API = "/api/v1/communities/organization-math/consultancy"


def api_client(user: Any) -> Client:
    _, raw = create_api_token(user, "test")
    return Client(headers={"Authorization": f"Bearer {raw}"})


def post(
    client: Client, path: str, body: dict[str, Any] | None = None, method: str = "post"
) -> Any:
    return getattr(client, method)(
        path, data=json.dumps(body or {}), content_type="application/json"
    )


def test_the_api_runs_a_whole_session(cast: Cast, capture_events: Any) -> None:
    presenter, facilitator, expert = (
        api_client(u) for u in (cast.member, cast.facilitator, cast.expert)
    )
    created = post(presenter, f"{API}/sessions", {
        "title": "Lunch duty", "context": "c", "dilemma": "d",
        "focusing_question": "How do I share lunch duty fairly?",
        "protocol_id": library("consultancy").pk, "facilitator_id": cast.facilitator.pk,
        "participant_ids": [cast.expert.pk],
    })  # fmt: skip
    assert created.status_code == 201, created.content
    sid = created.json()["id"]
    one = f"{API}/sessions/{sid}"
    assert created.json()["steps"][0]["name"] == "Overview and focusing question"
    assert post(expert, f"{one}/start").status_code == 403
    started = post(facilitator, f"{one}/start")
    assert started.json()["live"]["current_step"] == 0
    assert started.json()["live"]["step_ends_at"] is not None
    for step in range(3):
        assert post(facilitator, f"{one}/advance", {"from_step": step}).status_code == 200
    silent = post(presenter, f"{one}/contributions", {"body": "But…", "step": 3})
    assert silent.status_code == 403
    assert silent.json()["code"] == "presenter_silent"
    detail = presenter.get(one).json()
    assert detail["live"]["may_contribute"] is False
    assert "listens silently" in detail["live"]["closed_reason"]
    note = post(expert, f"{one}/contributions", {"body": "I wonder…", "step": 3})
    assert note.status_code == 201
    assert note.json()["kind"] == "discussion"
    assert expert.get(f"{one}/contributions").json()["count"] == 1
    assert post(facilitator, f"{one}/back").json()["live"]["current_step"] == 2
    with capture_events() as events:
        assert post(facilitator, f"{one}/finish").json()["status"] == "completed"
    assert "consultancy.session_completed" in [e.name for e in events]
    reflected = post(presenter, f"{one}/reflection", {"reflection": "Fairness is visible."}, "put")
    assert reflected.json()["reflection_html"] == "<p>Fairness is visible.</p>\n"
    followed = post(presenter, f"{one}/followup", {"tried": "A rota.", "happened": "Calm."}, "put")
    assert followed.json()["followup_recorded_at"] is not None
    listed = presenter.get(f"{API}/sessions?show=past").json()
    assert [s["id"] for s in listed["items"]] == [sid]


def test_the_api_reports_bad_input_clearly(cast: Cast) -> None:
    presenter = api_client(cast.member)
    response = post(presenter, f"{API}/sessions", {
        "title": "t", "context": "c", "dilemma": "d", "focusing_question": "",
        "protocol_id": library("consultancy").pk, "facilitator_id": cast.facilitator.pk,
        "participant_ids": [cast.outsider.pk],
    })  # fmt: skip
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid"
    assert set(body["errors"]) == {"focusing_question", "participants"}
    assert not Session.objects.exists()


def test_the_api_hides_a_case_from_non_participants(cast: Cast) -> None:
    session = bring(cast)
    for who in (cast.coordinator, cast.staff, cast.org_admin):
        response = api_client(who).get(f"{API}/sessions/{session.pk}")
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"
    assert api_client(cast.coordinator).get(f"{API}/sessions").json()["count"] == 0


def test_the_api_adapts_a_protocol(cast: Cast) -> None:
    source = library("tuning")
    response = post(api_client(cast.expert), f"{API}/protocols/{source.pk}/adapt", {
        "title": "Tuning for lesson plans", "summary": "Shorter.", "note": "No silent review.",
        "steps": [s.as_snapshot() for s in source.steps.exclude(position=3)],
    })  # fmt: skip
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["library"] is False
    assert body["adapted_from_id"] == source.pk
    assert body["lineage"] == [source.pk]
    assert body["step_count"] == 7
    listed = api_client(cast.member).get(f"{API}/protocols").json()
    assert {p["title"] for p in listed["items"]} >= {"Tuning for lesson plans", source.title}
