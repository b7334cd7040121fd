"""The trust pulse and the health page through HTTP: answering, results at k, statements
editable by stewards, the cadence, and participation summarized per week."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from practica.accounts.services import create_api_token
from practica.lib.testing import Cast
from practica.practice.feedback import health, trust
from practica.practice.feedback.models import HealthWeek, Pulse, TrustSettings
from practica.qa.models import Answer, Post
from practica.scheduling.models import DueJob
from practica.scheduling.services import run_due

pytestmark = pytest.mark.django_db
API = "/api/v1"


def _bearer(user: Any) -> Client:
    _, raw = create_api_token(user, name="t")
    return Client(headers={"Authorization": f"Bearer {raw}"})


def _five_answer(cast: Cast, values: list[int]) -> Pulse:
    """Open a pulse with k=3 and have members answer statement 0 and 2 with ``values``."""
    community = cast.org_community
    config = trust.settings_for(community)
    config.k = 3
    config.save()
    pulse = trust.open_pulse(community, actor=cast.coordinator)
    for who, v in zip(("member", "expert", "facilitator", "coordinator"), values, strict=False):
        trust.respond(getattr(cast, who), community, {0: v, 2: v})
    return pulse


def test_members_answer_through_the_page_once(cast: Cast) -> None:
    community = cast.org_community
    trust.open_pulse(community, actor=cast.coordinator)
    client = cast.client("member")
    url = reverse("feedback:trust", args=[community.slug])
    page = client.get(url).content.decode()
    assert "When I get something wrong here" in page and 'type="radio"' in page
    response = client.post(reverse("feedback:trust-respond", args=[community.slug]), {"s0": "6"})
    assert response.status_code == 302
    assert Pulse.objects.get().respondents == 1
    again = client.post(reverse("feedback:trust-respond", args=[community.slug]), {"s0": "6"})
    assert again.status_code == 302
    assert Pulse.objects.get().respondents == 1
    assert "You have answered this pulse" in client.get(url).content.decode()


@pytest.mark.parametrize("values", [{}, {0: 0}, {0: 8}, {99: 3}])
def test_bad_answers_change_nothing(cast: Cast, values: dict[int, int]) -> None:
    trust.open_pulse(cast.org_community, actor=cast.coordinator)
    response = _bearer(cast.member).post(
        f"{API}/communities/{cast.org_community.slug}/trust/answers",
        {"values": values},
        content_type="application/json",
    )
    assert response.status_code == 422
    pulse = Pulse.objects.get()
    assert pulse.respondents == 0 and all(sum(row) == 0 for row in pulse.histogram)


def test_non_members_cannot_answer_and_no_pulse_means_409(cast: Cast) -> None:
    url = f"{API}/communities/{cast.org_community.slug}/trust/answers"
    body = {"values": {"0": 4}}
    assert _bearer(cast.member).post(url, body, content_type="application/json").status_code == 409
    trust.open_pulse(cast.org_community, actor=cast.coordinator)
    outsider = _bearer(cast.org_member).post(url, body, content_type="application/json")
    assert outsider.status_code == 403


def test_results_flip_reverse_worded_statements_and_show_spread(cast: Cast) -> None:
    pulse = _five_answer(cast, [7, 5, 6])
    trust.close_job(pulse.pk)
    result = trust.result(Pulse.objects.get(pk=pulse.pk))
    assert result is not None
    plain, reverse_worded = result.statements[0], result.statements[2]
    assert plain.mean == pytest.approx(6.0)
    assert reverse_worded.reverse and reverse_worded.mean == pytest.approx(2.0)  # 8 - 6
    assert plain.spread == pytest.approx((2 / 3) ** 0.5)
    assert result.overall == pytest.approx(4.0)
    body = _bearer(cast.member).get(f"{API}/communities/{cast.org_community.slug}/trust").json()
    assert body["results"][0]["respondents"] == 3
    assert body["results"][0]["overall"] == pytest.approx(4.0)


def test_only_stewards_edit_statements_and_bad_settings_say_why(cast: Cast) -> None:
    url = reverse("feedback:trust-settings", args=[cast.org_community.slug])
    assert cast.client("member").get(url).status_code == 403
    client = cast.client("coordinator")
    bad = client.post(url, {"statements": "Only one", "cadence_days": "42", "k": "5"})
    assert bad.status_code == 422 and "between 3 and 9" in bad.content.decode()
    good = client.post(
        url,
        {"statements": "We help.\nWe listen.\n(reverse) We blame.", "cadence_days": "30", "k": "4"},
    )
    assert good.status_code == 302
    config = TrustSettings.objects.get(community=cast.org_community)
    assert config.statements[2] == {"text": "We blame.", "reverse": True}
    assert (config.cadence_days, config.k) == (30, 4)


def test_the_cadence_opens_pulses_and_closing_schedules_the_next(cast: Cast) -> None:
    community = cast.org_community
    trust.cadence_job(community.pk)
    pulse = Pulse.objects.get(community=community)
    assert DueJob.objects.filter(key=f"{trust.JOB_OPEN}:{community.pk}", done_at=None).exists()
    trust.cadence_job(community.pk)  # idempotent: one open pulse only
    assert Pulse.objects.filter(community=community).count() == 1
    run_due(now=pulse.closes_at + timedelta(minutes=1))
    assert Pulse.objects.get(pk=pulse.pk).closed


def test_health_weeks_summarize_participation(cast: Cast) -> None:
    community = cast.org_community
    now = timezone.now()
    week = health.week_start(now.date())
    answered = Post.objects.create(community=community, title="Fractions?", author=cast.member)
    Post.objects.create(community=community, title="Unanswered", author=cast.member)
    Answer.objects.create(
        post=answered, author=cast.expert, body="Try area models.",
        created_at=answered.created_at + timedelta(hours=3),
    )  # fmt: skip
    row = health.compute_week(community, week)
    assert (row.posts, row.answered, row.active_members) == (2, 1, 2)
    assert row.median_first_answer_hours == pytest.approx(3.0, abs=0.01)
    health.compute_week(community, week)  # idempotent
    assert HealthWeek.objects.filter(community=community, week=week).count() == 1


def test_the_health_page_draws_charts_in_constant_queries(
    cast: Cast, django_assert_max_num_queries: Any
) -> None:
    community = cast.org_community
    today = timezone.now().date()
    for n in range(12):
        HealthWeek.objects.create(
            community=community, week=health.week_start(today) - timedelta(weeks=n),
            posts=10, answered=8, median_first_answer_hours=5, active_members=6,
        )  # fmt: skip
    client = cast.client("member")
    url = reverse("feedback:health", args=[community.slug])
    with django_assert_max_num_queries(20):
        page = client.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert body.count("<svg") >= 3 and "Questions answered" in body
    api = _bearer(cast.member).get(f"{API}/communities/{community.slug}/health").json()
    assert len(api["weeks"]) == 12
