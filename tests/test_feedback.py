"""Honest feedback rounds through HTTP: the rules, release at k, and bad input."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from practica.accounts.services import create_api_token
from practica.lib.testing import Cast
from practica.notifications.models import Notification
from practica.practice.feedback import services
from practica.practice.feedback.models import (
    FeedbackQuestion,
    FeedbackRequest,
    FeedbackStatus,
    Invitee,
    Receipt,
)
from practica.scheduling.services import run_due

pytestmark = pytest.mark.django_db
API = "/api/v1"


def _bearer(user: Any) -> Client:
    _, raw = create_api_token(user, name="t")
    return Client(headers={"Authorization": f"Bearer {raw}"})


def _ask(cast: Cast, *, k: int = 3, anonymous: bool = True, **extra: Any) -> FeedbackRequest:
    """``member`` asks expert, facilitator and coordinator about running meetings."""
    invitees = extra.pop("invitees", [cast.expert.pk, cast.facilitator.pk, cast.coordinator.pk])
    return services.request_feedback(
        cast.member,
        cast.org_community,
        aspect="How I run our meetings",
        questions=[
            services.QuestionSpec("What should I keep doing?"),
            services.QuestionSpec("How well do I share the airtime?", with_scale=True),
        ],
        invitee_ids=invitees,
        closes_at=timezone.now() + timedelta(days=7),
        anonymous=anonymous,
        k=k,
        **extra,
    )


def _answer(cast: Cast, who: str, request: FeedbackRequest, text: str, scale: int = 4) -> Any:
    q1, q2 = request.questions.all()
    client = cast.client(who)
    url = reverse("feedback:respond", args=[cast.org_community.slug, request.pk])
    return client.post(url, {f"q{q1.pk}": text, f"q{q2.pk}": "", f"s{q2.pk}": str(scale)})


def test_asking_through_the_page_creates_the_round_and_tells_those_asked(cast: Cast) -> None:
    client = cast.client("member")
    url = reverse("feedback:new", args=[cast.org_community.slug])
    assert client.get(url).status_code == 200
    closes = (timezone.localdate() + timedelta(days=10)).isoformat()
    response = client.post(
        url,
        {
            "aspect": "How I give feedback on lesson plans",
            "question_1": "What helps?",
            "question_2": "What gets in the way?",
            "scale_2": "on",
            "invitees": [cast.expert.pk, cast.facilitator.pk, cast.coordinator.pk],
            "closes_on": closes,
            "anonymous": "on",
            "k": "3",
        },
    )
    created = FeedbackRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == services.request_url(created)
    assert [q.with_scale for q in created.questions.all()] == [False, True]
    assert created.anonymous and created.k == 3
    told = Notification.objects.filter(kind="feedback_requested")
    assert sorted(n.recipient_id for n in told) == sorted(
        [cast.expert.pk, cast.facilitator.pk, cast.coordinator.pk]
    )


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"aspect": ""}, "aspect"),
        ({"question_1": ""}, "question_1"),
        ({"invitees": []}, "invitees"),
        ({"k": "4"}, "invitees"),  # anonymous, k=4, only 3 asked: could never be released
        ({"closes_on": "2001-01-01"}, "closes_at"),
    ],
)
def test_bad_requests_say_why_and_create_nothing(
    cast: Cast, change: dict[str, Any], field: str
) -> None:
    data = {
        "aspect": "My questioning",
        "question_1": "What works?",
        "invitees": [cast.expert.pk, cast.facilitator.pk, cast.coordinator.pk],
        "closes_on": (timezone.localdate() + timedelta(days=5)).isoformat(),
        "anonymous": "on",
        "k": "3",
        **change,
    }
    response = cast.client("member").post(
        reverse("feedback:new", args=[cast.org_community.slug]), data
    )
    assert response.status_code == 422
    assert 'role="alert"' in response.content.decode()
    assert not FeedbackRequest.objects.exists()


def test_the_api_refuses_non_members_and_oneself_as_invitees(cast: Cast) -> None:
    client = _bearer(cast.member)
    body = {
        "aspect": "My questioning",
        "questions": [{"text": "What works?"}],
        "closes_at": (timezone.now() + timedelta(days=3)).isoformat(),
        "k": 2,
    }
    url = f"{API}/communities/{cast.org_community.slug}/feedback"
    for invitees in ([cast.expert.pk, cast.org_member.pk], [cast.expert.pk, cast.member.pk]):
        response = client.post(url, {**body, "invitees": invitees}, content_type="application/json")
        assert response.status_code == 422, response.content
        assert response.json()["code"] == "invalid"
    assert not FeedbackRequest.objects.exists()
    ok = client.post(
        url,
        {**body, "invitees": [cast.expert.pk, cast.facilitator.pk]},
        content_type="application/json",
    )
    assert ok.status_code == 201
    assert ok.json()["progress"] == "fewer than 2 answers so far"


def test_only_those_asked_answer_and_only_once(cast: Cast) -> None:
    request = _ask(cast)
    assert _answer(cast, "expert", request, "Clear agendas.").status_code == 302
    assert Receipt.objects.count() == 1
    again = _answer(cast, "expert", request, "Second thoughts.")
    assert again.status_code == 422
    assert "already answered" in again.content.decode()
    # Someone not asked can't even see the request.
    assert _answer(cast, "org_admin", request, "Hi").status_code == 404
    request.refresh_from_db()
    assert request.response_count == 1
    assert sum(len(v) for v in request.pool.values()) == 2  # one answer per question, once


def test_nothing_is_shown_until_the_round_closes_with_k_answers(cast: Cast) -> None:
    request = _ask(cast)
    _answer(cast, "expert", request, "Clear agendas.")
    _answer(cast, "facilitator", request, "You listen well.")
    detail = cast.client("member").get(services.request_url(request)).content.decode()
    assert "fewer than 3 answers so far" in detail.lower()
    assert "Clear agendas." not in detail
    # The last person asked answers: everyone has, so it releases at once.
    _answer(cast, "coordinator", request, "Try a timekeeper.")
    request.refresh_from_db()
    assert request.status == FeedbackStatus.RELEASED
    detail = cast.client("member").get(services.request_url(request)).content.decode()
    for text in ("Clear agendas.", "You listen well.", "Try a timekeeper."):
        assert text in detail
    released = Notification.objects.get(recipient=cast.member, kind="feedback_released")
    assert released.actor is None


def test_a_round_that_closes_short_is_withheld_for_good(cast: Cast) -> None:
    request = _ask(cast)
    _answer(cast, "expert", request, "Clear agendas.")
    _answer(cast, "facilitator", request, "You listen well.")
    run_due(now=request.closes_at + timedelta(minutes=1))
    request.refresh_from_db()
    assert request.status == FeedbackStatus.WITHHELD
    page = cast.client("member").get(services.request_url(request)).content.decode()
    assert "Clear agendas." not in page and "fewer than 3 answers" in page
    api = _bearer(cast.member).get(f"{API}/feedback/{request.pk}").json()
    assert api["results"] is None
    # Late answers are refused, and the closing job is idempotent.
    assert "closed" in _answer(cast, "coordinator", request, "Late").content.decode()
    run_due(now=request.closes_at + timedelta(days=1))
    request.refresh_from_db()
    assert request.status == FeedbackStatus.WITHHELD


def test_signed_rounds_show_names_and_reflection_can_be_shared(cast: Cast) -> None:
    request = _ask(cast, anonymous=False, k=2, invitees=[cast.expert.pk, cast.facilitator.pk])
    _answer(cast, "expert", request, "Start on time.")
    _answer(cast, "facilitator", request, "Invite quieter voices.")
    page = cast.client("member").get(services.request_url(request)).content.decode()
    assert cast.expert.display_name in page and "Start on time." in page
    client = _bearer(cast.member)
    body = {"reflection": "I talk too much.", "will_change": "A round first.", "shared": True}
    response = client.put(
        f"{API}/feedback/{request.pk}/reflection", body, content_type="application/json"
    )
    assert response.status_code == 200
    # Shared: another member (not asked) now sees it.
    assert cast.client("coordinator").get(services.request_url(request)).status_code == 200


def test_reflecting_before_release_and_reminding_twice_are_refused(cast: Cast) -> None:
    request = _ask(cast)
    client = _bearer(cast.member)
    response = client.put(
        f"{API}/feedback/{request.pk}/reflection",
        {"reflection": "x"},
        content_type="application/json",
    )
    assert response.status_code == 409
    assert client.post(f"{API}/feedback/{request.pk}/remind").status_code == 200
    assert Notification.objects.filter(kind="feedback_reminder").count() == 3
    assert client.post(f"{API}/feedback/{request.pk}/remind").json()["code"] == "too_soon"
    assert _bearer(cast.expert).post(f"{API}/feedback/{request.pk}/remind").status_code == 403


def test_answers_outside_the_form_are_refused(cast: Cast) -> None:
    request = _ask(cast)
    client = _bearer(cast.expert)
    q1, q2 = FeedbackQuestion.objects.filter(request=request)
    url = f"{API}/feedback/{request.pk}/answers"
    for answers in (
        [{"question_id": q1.pk, "text": "", "scale": None}],  # nothing said
        [{"question_id": q1.pk, "text": "ok", "scale": 3}],  # no scale on this question
        [{"question_id": q2.pk, "text": "ok", "scale": 6}],
        [{"question_id": 999_999, "text": "ok"}],
    ):
        response = client.post(url, {"answers": answers}, content_type="application/json")
        assert response.status_code == 422, answers
    assert not Receipt.objects.exists()
    request.refresh_from_db()
    assert request.response_count == 0 and request.pool == {}


def test_the_list_shows_my_rounds_and_those_asking_me(cast: Cast) -> None:
    request = _ask(cast)
    for who, visible in (("member", True), ("expert", True), ("coordinator", True)):
        page = cast.client(who).get(reverse("feedback:index", args=[cast.org_community.slug]))
        assert (request.aspect in page.content.decode()) is visible
    assert Invitee.objects.filter(request=request).count() == 3
    data = json.loads(
        _bearer(cast.expert).get(f"{API}/communities/{cast.org_community.slug}/feedback").content
    )
    assert [i["id"] for i in data["items"]] == [request.pk]
