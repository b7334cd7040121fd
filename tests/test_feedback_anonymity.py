"""Trying to re-identify anonymous respondents — feedback rounds and trust pulses — through
every interface: the API, the pages, counts before release, ordering, timestamps, events, the
notification sent on release, the admin, and the database itself. Each attempt must fail."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.apps import apps
from django.contrib import admin
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from practica.accounts.services import create_api_token
from practica.lib.testing import Cast
from practica.notifications.models import Notification
from practica.practice.feedback import services, trust
from practica.practice.feedback.models import FeedbackRequest, Pulse, Receipt, SignedAnswer
from practica.scheduling.services import run_due

pytestmark = pytest.mark.django_db
API = "/api/v1"
ASKED = ("expert", "facilitator", "coordinator")
WORDS = {"expert": "EXPERT-SAYS", "facilitator": "FACILITATOR-SAYS", "coordinator": "COORD-SAYS"}


def _bearer(user: Any) -> Client:
    _, raw = create_api_token(user, name="t")
    return Client(headers={"Authorization": f"Bearer {raw}"})


def _round(cast: Cast) -> FeedbackRequest:
    return services.request_feedback(
        cast.member, cast.org_community, aspect="How I lead data meetings",
        questions=[services.QuestionSpec("What do I do well?"),
                   services.QuestionSpec("Rate my clarity", with_scale=True)],
        invitee_ids=[getattr(cast, w).pk for w in ASKED],
        closes_at=timezone.now() + timedelta(days=3), k=3,
    )  # fmt: skip


def _answer(cast: Cast, who: str, request: FeedbackRequest, scale: int) -> None:
    q1, q2 = request.questions.all()
    answers = {q1.pk: (WORDS[who], None), q2.pk: ("", scale)}
    services.respond(getattr(cast, who), request, answers)


def _all_text_in_database() -> str:
    """Every row of every table of the feedback app, as text (what a database reader sees)."""
    dump = []
    for model in apps.get_app_config("feedback").get_models():
        for row in model.objects.values():
            dump.append(json.dumps(row, default=str))
    return "\n".join(dump)


def test_the_database_never_pairs_a_person_with_an_anonymous_answer(cast: Cast) -> None:
    request = _round(cast)
    for who, scale in zip(ASKED, (2, 4, 5), strict=True):
        _answer(cast, who, request, scale)
    assert not SignedAnswer.objects.exists()
    request.refresh_from_db()
    for items in request.pool.values():
        for item in items:
            assert set(item) == {"text", "scale"}  # no author, no time, no id
    # Receipts are keyed digests: neither a user id nor an e-mail in the clear, no timestamp.
    fields = {f.name for f in Receipt._meta.get_fields()}
    assert fields == {"id", "purpose", "digest"}
    for digest in Receipt.objects.values_list("digest", flat=True):
        for who in ASKED:
            person = getattr(cast, who)
            assert str(person.pk) != digest and person.email not in digest
    # No table of the app holds an answer next to anything naming an answerer.
    dump = _all_text_in_database()
    for who in ASKED:
        person = getattr(cast, who)
        for line in dump.splitlines():
            if WORDS[who] in line:
                assert person.email not in line and f'"{person.pk}"' not in line


def test_storage_order_is_not_the_order_of_answering(cast: Cast) -> None:
    """Lining receipts (or arrival) up against the stored answers gives nothing: each answer
    lands at a random place. Over 25 rounds of three, the stored order should differ from the
    arrival order at least once (chance of never: (1/6)^25)."""
    differed = False
    for _ in range(25):
        request = _round(cast)
        for who, scale in zip(ASKED, (1, 2, 3), strict=True):
            _answer(cast, who, request, scale)
        request.refresh_from_db()
        first_question = str(request.questions.first().pk)  # type: ignore[union-attr]
        stored = [i["text"] for i in request.pool[first_question]]
        if stored != [WORDS[w] for w in ASKED]:
            differed = True
            break
    assert differed


def test_counts_before_release_reveal_nothing_finer_than_k(cast: Cast) -> None:
    request = _round(cast)
    client = _bearer(cast.member)
    seen = []
    for who in ASKED[:2]:
        _answer(cast, who, request, 3)
        body = client.get(f"{API}/feedback/{request.pk}").json()
        page = cast.client("member").get(services.request_url(request)).content.decode()
        seen.append(body["progress"])
        assert body["results"] is None
        assert WORDS[who] not in page and WORDS[who] not in json.dumps(body)
        # No number of answers anywhere in the body other than k itself.
        assert "response_count" not in body
    assert seen[0] == seen[1] == "fewer than 3 answers so far"
    # A reminder says nothing about who (or how many) haven't answered.
    reminded = client.post(f"{API}/feedback/{request.pk}/remind").json()
    assert reminded == {"detail": "Reminders sent to everyone who hasn't answered yet."}


def test_released_answers_carry_no_names_no_times_and_no_stable_order(cast: Cast) -> None:
    request = _round(cast)
    for who, scale in zip(ASKED, (2, 4, 5), strict=True):
        _answer(cast, who, request, scale)
    body = _bearer(cast.member).get(f"{API}/feedback/{request.pk}").json()
    text = json.dumps(body)
    for who in ASKED:
        person = getattr(cast, who)
        assert person.display_name not in text and person.email not in text
    for result in body["results"]:
        for item in result["items"]:
            assert set(item) == {"text", "scale", "author"} and item["author"] is None
    page = cast.client("member").get(services.request_url(request)).content.decode()
    for who in ASKED:
        assert getattr(cast, who).display_name not in page.split("What people said")[1]
    # The order is shuffled afresh each time it is shown.
    orders = set()
    for _ in range(20):
        again = _bearer(cast.member).get(f"{API}/feedback/{request.pk}").json()
        orders.add(tuple(i["text"] for i in again["results"][0]["items"]))
    assert len(orders) > 1


def test_events_and_the_release_notification_name_no_one(cast: Cast, capture_events: Any) -> None:
    request = _round(cast)
    with capture_events() as events:
        for who, scale in zip(ASKED, (2, 4, 5), strict=True):
            _answer(cast, who, request, scale)
    answerer_ids = {getattr(cast, w).pk for w in ASKED}
    person_keys = {"user_id", "actor_id", "author_id", "respondent_id", "answerer_id"}
    assert events  # the release happened inside the block
    for event in events:
        named = {v for k, v in event.payload.items() if k in person_keys}
        assert not answerer_ids & named, event
    note = Notification.objects.get(recipient=cast.member, kind="feedback_released")
    assert note.actor is None
    assert not any(getattr(cast, w).display_name in note.message for w in ASKED)
    assert not any(ch.isdigit() for ch in note.message)  # not even a count


def test_admin_pages_do_not_expose_feedback_or_pulses(cast: Cast) -> None:
    for model in apps.get_app_config("feedback").get_models():
        assert not admin.site.is_registered(model)
    staff = cast.client("staff")
    assert staff.get("/admin/feedback/").status_code == 404


def test_staff_and_org_admins_cannot_read_a_round_they_are_not_part_of(cast: Cast) -> None:
    request = _round(cast)
    for who in ("staff", "org_admin", "org_member"):
        assert cast.client(who).get(services.request_url(request)).status_code == 404
        assert _bearer(getattr(cast, who)).get(f"{API}/feedback/{request.pk}").status_code == 404


def test_a_trust_pulse_stores_no_individual_answers(cast: Cast) -> None:
    community = cast.org_community
    pulse = trust.open_pulse(community, actor=cast.coordinator)
    for who, value in (("member", 7), ("expert", 1), ("facilitator", 4), ("coordinator", 5)):
        trust.respond(getattr(cast, who), community, {0: value, 1: value})
    pulse.refresh_from_db()
    assert pulse.respondents == 4
    # Only totals: no row per answer, no person anywhere in the pulse.
    assert pulse.histogram[0] == [1, 0, 0, 1, 1, 0, 1]
    dump = _all_text_in_database()
    for who in ("member", "expert", "facilitator", "coordinator"):
        assert getattr(cast, who).email not in dump
    # Results stay hidden while open, and after closing with fewer than k=5.
    client = _bearer(cast.member)
    body = client.get(f"{API}/communities/{community.slug}/trust").json()
    assert body["open_pulse"]["progress"] == "fewer than 5 answers so far"
    assert body["results"] == []
    run_due(now=pulse.closes_at + timedelta(minutes=1))
    assert Pulse.objects.get(pk=pulse.pk).closed
    assert client.get(f"{API}/communities/{community.slug}/trust").json()["results"] == []
    health = cast.client("member").get(reverse("feedback:health", args=[community.slug]))
    assert health.status_code == 200


def test_the_database_tables_hold_no_user_column_for_anonymous_data() -> None:
    """Schema-level: the anonymous stores have no column that could point at a person."""
    with connection.cursor() as cursor:
        for model in (Receipt, Pulse):
            columns = [c.name for c in connection.introspection.get_table_description(
                cursor, model._meta.db_table)]  # fmt: skip
            assert not [c for c in columns if "user" in c or "author" in c or ("_at" in c and
                        model is Receipt)]  # fmt: skip
