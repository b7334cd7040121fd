"""The outbox and the SSE stream: after-commit only, audiences through the gate, resume with
Last-Event-ID, reload past the retention window, authentication (session or bearer token).

The stream is the bare ASGI app (``practica.realtime.stream``) driven in-process on an event
loop in this thread, so it reads the test's own transaction; the real-server tests (two
processes, fan-out over Redis; the browser) are in test_realtime_fanout.py and
test_realtime_browser.py.
"""

# ruff: noqa: E501 (the audience table reads best one event per line)
from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from practica.accounts.services import create_api_token
from practica.communities import services as community_services
from practica.lib.testing import Cast
from practica.notifications.services import notify
from practica.realtime import outbox
from practica.realtime.audience import audience_for
from practica.realtime.bus import emit
from practica.realtime.hub import may_see, resume_after
from practica.realtime.models import OutboxEvent
from tests.realtime_support import StreamCall, run_streams, session_headers

CAST = (
    "outsider", "org_member", "member", "expert", "facilitator", "coordinator", "org_admin",
    "staff",
)  # fmt: skip
COMMUNITY_PEOPLE = {"member", "expert", "facilitator", "coordinator", "staff"}
MANAGERS = {"facilitator", "coordinator", "staff"}


def test_a_rolled_back_write_emits_nothing_and_leaves_no_outbox_row(
    cast: Cast, capture_events: Callable[..., Any]
) -> None:
    before = OutboxEvent.objects.count()
    with capture_events() as events, pytest.raises(RuntimeError), transaction.atomic():
        emit("qa.post_created", community_id=cast.private_community.pk, post_id=1)
        raise RuntimeError("the write failed")
    assert events == []
    assert OutboxEvent.objects.count() == before


def test_a_committed_event_for_people_is_in_the_outbox_with_a_monotonic_id(
    cast: Cast, capture_events: Callable[..., Any]
) -> None:
    with capture_events() as events:
        emit("qa.post_created", community_id=cast.private_community.pk, post_id=1)
        emit("qa.post_created", community_id=cast.private_community.pk, post_id=2)
        emit("accounts.user_created", user_id=cast.member.pk)  # reaches no person
    first, second, internal = events
    assert first.id is not None and second.id is not None and first.id < second.id
    assert internal.id is None
    row = OutboxEvent.objects.get(pk=second.id)
    assert (row.name, row.payload, row.community_id) == (
        "qa.post_created",
        {"community_id": cast.private_community.pk, "post_id": 2},
        cast.private_community.pk,
    )


# --- Audiences: every event kind, every person of the cast, a private community ---------------
def _p(cast: Cast, **extra: Any) -> dict[str, Any]:
    return {"community_id": cast.private_community.pk, **extra}


READERS = COMMUNITY_PEOPLE
AUDIENCES: list[tuple[str, Callable[[Cast], dict[str, Any]], set[str]]] = [
    ("qa.post_created", lambda c: _p(c, post_id=1, kind="question", author_id=c.member.pk, tag_ids=[]), READERS),
    ("qa.post_edited", lambda c: _p(c, post_id=1, author_id=1, editor_id=1), READERS),
    ("qa.post_deleted", lambda c: _p(c, post_id=1, author_id=1, actor_id=1), READERS),
    ("qa.answer_posted", lambda c: _p(c, post_id=1, answer_id=2, author_id=1, post_author_id=1), READERS),
    ("qa.answer_edited", lambda c: _p(c, post_id=1, answer_id=2, author_id=1, editor_id=1), READERS),
    ("qa.comment_posted", lambda c: _p(c, post_id=1, answer_id=None, comment_id=3, author_id=1), READERS),
    ("qa.vote_changed", lambda c: _p(c, post_id=1, answer_id=None, voter_id=1, author_id=1, old_value=0, new_value=1), READERS),
    ("qa.answer_rated", lambda c: _p(c, post_id=1, answer_id=2, rater_id=1, author_id=1, old_value=0, new_value=3), READERS),
    ("qa.answer_accepted", lambda c: _p(c, post_id=1, answer_id=2, previous_answer_id=None, answer_author_id=1, previous_author_id=None, actor_id=1), READERS),
    ("wiki.revision_saved", lambda c: _p(c, page_id=1, revision_id=1, author_id=1, organization_id=None, reverted_to=None), READERS),
    ("wiki.page_deleted", lambda c: _p(c, page_id=1, actor_id=1, organization_id=None), READERS),
    ("wiki.answer_promoted", lambda c: _p(c, page_id=1, answer_id=1, post_id=1, actor_id=1, answer_author_id=1), READERS),
    ("consultancy.session_completed", lambda c: _p(c, session_id=1, presenter_id=1, facilitator_id=1, participant_ids=[]), COMMUNITY_PEOPLE),
    ("consultancy.followup_recorded", lambda c: _p(c, session_id=1, presenter_id=1), COMMUNITY_PEOPLE),
    ("norms.proposed", lambda c: _p(c, proposal_id=1, actor_id=1, kind="add"), READERS),
    ("norms.nudged", lambda c: _p(c, proposal_id=1, user_id=c.member.pk, actor_id=1), MANAGERS | {"member"}),
    ("norms.settings_updated", lambda c: _p(c, actor_id=1), COMMUNITY_PEOPLE),
    ("meetings.notes_saved", lambda c: _p(c, occurrence_id=1, version=2, actor_id=1), READERS),
    ("meetings.swap_requested", lambda c: _p(c, series_id=1, swap_id=1, requester_id=c.member.pk, other_id=c.expert.pk), {"member", "expert"}),
    ("meetings.opener_reminded", lambda c: _p(c, occurrence_id=1, user_id=c.expert.pk, days=2), {"expert"}),
    ("meetings.feedback_given", lambda c: _p(c, occurrence_id=1, user_id=c.member.pk), MANAGERS),
    ("meetings.calendar_token_created", lambda c: {"user_id": c.member.pk, "token_id": 1}, {"member"}),
    ("communities.community_updated", lambda c: _p(c, actor_id=1), COMMUNITY_PEOPLE),
    ("communities.member_joined", lambda c: _p(c, user_id=c.member.pk, role="member"), COMMUNITY_PEOPLE),
    ("communities.member_removed", lambda c: _p(c, user_id=c.expert.pk, actor_id=1), MANAGERS | {"expert"}),
    ("communities.join_requested", lambda c: _p(c, request_id=1, user_id=c.outsider.pk), MANAGERS),
    ("communities.member_invited", lambda c: _p(c, invitation_id=1, user_id=c.org_member.pk), MANAGERS),
    ("notifications.created", lambda c: {"notification_id": 1, "user_id": c.org_admin.pk}, {"org_admin"}),
    ("realtime.presence", lambda c: _p(c, topic="qa.post:1", count=2), READERS),
    ("someapp.anything_new", lambda c: _p(c, thing_id=1), COMMUNITY_PEOPLE),
]  # fmt: skip


@pytest.mark.parametrize(("name", "payload", "expected"), AUDIENCES, ids=[a[0] for a in AUDIENCES])
def test_audience_of_every_event_kind_in_a_private_community(
    cast: Cast, name: str, payload: Callable[[Cast], dict[str, Any]], expected: set[str]
) -> None:
    """Nobody outside a private community (outsider, org member, org admin) is ever told; the
    invited org member is not told about her own invitation's *managers'* event but may see the
    community (pending invitation) — she is only in the audience where the rule names her."""
    audience = audience_for(name, payload(cast))
    assert audience is not None
    community = cast.private_community
    seen = {who for who in CAST if may_see(getattr(cast, who), audience, community, None)}
    assert seen == expected


def test_in_process_only_events_reach_no_one(cast: Cast) -> None:
    assert audience_for("accounts.user_created", {"user_id": 1}) is None
    assert audience_for("accounts.profile_updated", {"user_id": 1}) is None


def test_org_wiki_pages_reach_those_who_see_the_organization(cast: Cast) -> None:
    audience = audience_for(
        "wiki.revision_saved",
        {"page_id": 1, "revision_id": 1, "author_id": 1, "community_id": None,
         "organization_id": cast.school.pk, "reverted_to": None},
    )  # fmt: skip
    assert audience is not None
    seen = {who for who in CAST if may_see(getattr(cast, who), audience, None, cast.school)}
    assert seen == {
        "org_member",
        "member",
        "expert",
        "facilitator",
        "coordinator",
        "org_admin",
        "staff",
    }


# --- The stream ---------------------------------------------------------------------------------
def _post_event(community_id: int, post_id: int) -> int:
    with transaction.atomic():
        emit("qa.post_created", community_id=community_id, post_id=post_id, kind="question",
             author_id=None, tag_ids=[])  # fmt: skip
    return int(OutboxEvent.objects.order_by("-pk").values_list("pk", flat=True)[0])


def _posts(frames: list[Any]) -> list[int]:
    return [f.data["post_id"] for f in frames if f.event == "qa.post_created"]


def test_stream_needs_a_signed_in_user_or_a_valid_token(cast: Cast) -> None:
    async def body() -> None:
        for headers in ([], [(b"authorization", b"Bearer prt_nonsense")]):
            call = StreamCall(headers)
            await call.start()
            assert call.task is not None
            await call.task
            assert call.status == 401
            assert b'"code": "not_authenticated"' in call.body

    async_to_sync(run_streams)(body)


def test_stream_sends_only_what_the_gate_allows_and_stops_at_once_on_removal(cast: Cast) -> None:
    private = cast.private_community.pk
    _, token = create_api_token(cast.expert)
    outsider_headers = session_headers(cast.client("outsider"))
    org_admin_headers = session_headers(cast.client("org_admin"))

    async def body() -> None:
        expert = StreamCall([(b"authorization", f"Bearer {token}".encode())])
        outsider = StreamCall(outsider_headers)
        org_admin = StreamCall(org_admin_headers)
        for call in (expert, outsider, org_admin):
            await call.start()
            await call.wait_for(lambda f: any(x.event == "realtime.ready" for x in f))
        await sync_to_async(_post_event)(private, 1)
        await expert.wait_for(lambda f: _posts(f) == [1])
        await sync_to_async(community_services.remove_member)(
            cast.coordinator, cast.private_community, cast.expert
        )
        await sync_to_async(_post_event)(private, 2)
        await sync_to_async(_post_event)(cast.public_community.pk, 3)
        await expert.wait_for(lambda f: 3 in _posts(f))
        await outsider.wait_for(lambda f: 3 in _posts(f))
        for call in (expert, outsider, org_admin):
            await call.close()
        assert _posts(expert.frames()) == [1, 3]  # removed: never told about post 2
        assert _posts(outsider.frames()) == [3]
        assert _posts(org_admin.frames()) == [3]  # org admins don't see private communities
        removed = [f for f in expert.frames() if f.event == "communities.member_removed"]
        # Not even the removal itself: the community no longer exists for them.
        assert removed == []

    async_to_sync(run_streams)(body)


def test_resume_with_last_event_id_loses_nothing_and_repeats_nothing(cast: Cast) -> None:
    member = session_headers(cast.client("member"))
    community = cast.org_community.pk

    async def body() -> None:
        first = StreamCall(member)
        await first.start()
        await first.wait_for(lambda f: any(x.event == "realtime.ready" for x in f))
        for post_id in (1, 2):
            await sync_to_async(_post_event)(community, post_id)
        await first.wait_for(lambda f: _posts(f) == [1, 2])
        await first.close()
        last = [f.id for f in first.frames() if f.id is not None][-1]
        # While away: two more posts. Reconnect with the last id seen; then one more live.
        for post_id in (3, 4):
            await sync_to_async(_post_event)(community, post_id)
        headers = [*member, (b"last-event-id", str(last).encode())]
        second = StreamCall(headers)
        await second.start()
        await second.wait_for(lambda f: any(x.event == "realtime.ready" for x in f))
        await sync_to_async(_post_event)(community, 5)
        await second.wait_for(lambda f: 5 in _posts(f))
        await second.close()
        assert _posts(second.frames()) == [3, 4, 5]
        ids = [f.id for f in second.frames() if f.id is not None and f.event != "realtime.ready"]
        assert ids == sorted(set(ids))

    async_to_sync(run_streams)(body)


def test_resuming_from_before_the_retention_window_says_reload(cast: Cast) -> None:
    first = _post_event(cast.org_community.pk, 1)
    _post_event(cast.org_community.pk, 2)
    _post_event(cast.org_community.pk, 3)
    OutboxEvent.objects.filter(pk__lte=first + 1).update(
        created_at=timezone.now() - timedelta(days=30)
    )
    assert outbox.prune() == 2
    assert resume_after(first) is None  # event first+1 is gone: the client must reload
    assert [e.payload["post_id"] for e in resume_after(first + 1) or []] == [3]

    headers = [*session_headers(cast.client("member")), (b"last-event-id", str(first).encode())]

    async def body() -> None:
        call = StreamCall(headers)
        await call.start()
        assert call.task is not None
        await call.task  # the stream ends after telling the client to reload
        assert [f.event for f in call.frames()] == ["realtime.reload"]

    async_to_sync(run_streams)(body)


@override_settings(REALTIME_KEEPALIVE_SECONDS=0.05)
def test_keep_alive_comments_and_the_bell_event(cast: Cast) -> None:
    member = session_headers(cast.client("member"))

    async def body() -> None:
        call = StreamCall(member)
        await call.start()
        await call.wait_for(lambda f: any(x.event == "realtime.ready" for x in f))
        await sync_to_async(notify)(cast.member, kind="test.hello", message="Hi")
        await sync_to_async(notify)(cast.expert, kind="test.hello", message="Not for Mia")
        await call.wait_for(lambda f: any(x.event == "notifications.created" for x in f))
        await call.wait_for(lambda f: call.body.count(b": keep-alive") >= 2)
        await call.close()
        told = [f.data for f in call.frames() if f.event == "notifications.created"]
        assert [d["user_id"] for d in told] == [cast.member.pk]

    async_to_sync(run_streams)(body)


def test_the_reader_of_a_question_counts_among_its_viewers(cast: Cast) -> None:
    """Rendered before the reader's own stream connects, the panel still counts them."""
    from practica.qa import services as qa

    post = qa.create_post(cast.member, cast.org_community, title="Wait time?", body="How long?")
    page = cast.client("expert").get(f"/c/{cast.org_community.slug}/questions/{post.pk}/")
    assert page.status_code == 200
    assert f'data-presence-count="qa.post:{post.pk}">1<' in page.content.decode()


@pytest.mark.parametrize(
    ("origin", "host", "allowed"),
    [
        (b"http://127.0.0.1:8000", b"127.0.0.1:8001", True),  # the pages beside the stream
        (b"https://practica.example:443", b"practica.example:8443", True),
        (b"http://evil.example", b"127.0.0.1:8001", False),  # another site: never
        (b"http://127.0.0.1.evil.example:8000", b"127.0.0.1:8001", False),
        (b"null", b"127.0.0.1:8001", False),
        (b"", b"127.0.0.1:8001", False),  # same-origin requests need no CORS
    ],
)
def test_the_stream_answers_cors_only_for_pages_of_its_own_hostname(
    origin: bytes, host: bytes, allowed: bool
) -> None:
    from practica.realtime.stream import cors_headers

    headers = cors_headers({b"origin": origin, b"host": host})
    if allowed:
        assert (b"access-control-allow-origin", origin) in headers
        assert (b"access-control-allow-credentials", b"true") in headers
    else:
        assert headers == []


def test_pages_advertise_a_stream_on_another_port_only_when_told(cast: Cast) -> None:
    from django.conf import settings
    from django.template import engines

    client = cast.client("member")
    assert b"data-stream-port" not in client.get("/c/").content
    env = engines["jinja2"].env  # type: ignore[attr-defined]
    env.globals["stream_port"] = 8001  # as settings.REALTIME_STREAM_PORT under `practica serve`
    try:
        assert b'data-stream-port="8001"' in client.get("/c/").content
    finally:
        env.globals["stream_port"] = settings.REALTIME_STREAM_PORT
