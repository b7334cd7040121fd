"""A real browser: a member asks three colleagues for anonymous feedback through the form; they
answer; the round releases; the requester reads the shuffled answers and reflects. Then the
trust pulse is answered in the page and the health page shows its charts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from practica.lib.testing import load_cast
from practica.practice.feedback import health, services, trust
from practica.practice.feedback.models import FeedbackRequest, HealthWeek, Pulse
from tests.conftest import log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_ask_answer_release_reflect_and_see_health(page: Page, live_server) -> None:
    cast = load_cast()
    base = live_server.url
    slug = cast.org_community.slug
    log_in(page, base, cast.member.email)
    page.goto(f"{base}/c/{slug}/feedback/")
    page.get_by_role("link", name="Ask for feedback").click()
    page.get_by_label("What would you like feedback on?").fill("How I run our data meetings")
    page.locator("#id_question_1").fill("What should I keep doing?")
    page.locator("#id_question_2").fill("How much do you get to speak?")
    page.locator("#id_scale_2").check()
    for person in (cast.expert, cast.facilitator, cast.coordinator):
        page.get_by_role("checkbox", name=person.display_name, exact=True).check()
    screenshot(page, "feedback-ask")
    page.get_by_role("button", name="Send the request").click()
    expect(page.locator(".feedback-progress")).to_contain_text("Fewer than 3 answers so far")

    request = FeedbackRequest.objects.get()
    q1, q2 = request.questions.all()
    for who, text in ((cast.expert, "Your summaries."), (cast.facilitator, "The warm-up.")):
        services.respond(who, request, {q1.pk: (text, None), q2.pk: ("", 3)})

    # The third answers in the browser: the round releases at once (everyone asked answered).
    log_in(page, base, cast.coordinator.email)
    page.goto(f"{base}{services.request_url(request)}")
    page.get_by_label("What should I keep doing?").fill("Ending on time.")
    page.get_by_label("Rating (1–5)").select_option("4")
    screenshot(page, "feedback-answer")
    page.get_by_role("button", name="Send my answer").click()
    expect(page.get_by_text("You have answered. Thank you.")).to_be_visible()

    log_in(page, base, cast.member.email)
    page.goto(f"{base}{services.request_url(request)}")
    results = page.locator(".feedback-results")
    for text in ("Your summaries.", "The warm-up.", "Ending on time."):
        expect(results).to_contain_text(text)
    expect(results).to_contain_text("Average rating 3.3 of 5")
    page.get_by_label("What I take from this").fill("People value structure.")
    page.get_by_label("Share the result with the community").check()
    page.get_by_role("button", name="Save reflection").click()
    expect(page.locator(".flash")).to_contain_text("Reflection saved.")
    screenshot(page, "feedback-released")

    # The trust pulse, answered in the page; the health page draws the trend.
    now = timezone.now()
    for weeks_ago, counts in ((12, [0, 0, 1, 2, 2, 0, 0]), (6, [0, 0, 0, 1, 2, 2, 0])):
        Pulse.objects.create(
            community=cast.org_community, statements=trust.DEFAULT_STATEMENTS,
            opened_at=now - timedelta(weeks=weeks_ago),
            closes_at=now - timedelta(weeks=weeks_ago - 1),
            closed=True, k=5, respondents=5, histogram=[counts] * len(trust.DEFAULT_STATEMENTS),
        )  # fmt: skip
    for n in range(8):
        HealthWeek.objects.create(
            community=cast.org_community, week=health.week_start(now.date()) - timedelta(weeks=n),
            posts=6 + n % 3, answered=4 + n % 2, median_first_answer_hours=20 - n, active_members=5,
        )  # fmt: skip
    trust.open_pulse(cast.org_community, actor=cast.coordinator)
    page.goto(f"{base}/c/{slug}/trust/")
    for index in range(len(trust.DEFAULT_STATEMENTS)):
        page.locator(f"input[name='s{index}'][value='6']").check()
    page.get_by_role("button", name="Send anonymously").click()
    expect(page.get_by_text("You have answered this pulse.")).to_be_visible()
    assert Pulse.objects.get(closed=False).respondents == 1
    page.goto(f"{base}/c/{slug}/health/")
    expect(page.locator("svg.chart")).to_have_count(4)
    screenshot(page, "health")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "health-phone")
