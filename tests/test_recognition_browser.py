"""A real browser: Ethan's progress bars move after Mia rates his answer on the question page.

Ethan (expert) answered Mia's question. His profile shows Newcomer with bars toward Member;
Mia rates the answer 5 through the Q&A page (the real form), and Ethan's profile then shows
more reputation, one person helped and the new bar values; the badge he earned is listed.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from practica.lib.testing import load_cast
from practica.qa import services as qa
from practica.recognition import services
from practica.recognition.sources import RATING_POINTS
from tests.conftest import log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REPUTATION_BAR = ".rc-standing .rc-bar[aria-label='Reputation']"
HELPED_BAR = ".rc-standing .rc-bar[aria-label='People helped']"


def test_progress_bars_move_after_an_answer_is_rated(page: Page, live_server: Any) -> None:
    cast = load_cast()
    base = live_server.url
    post = qa.create_post(
        cast.member, cast.org_community, title="How do you make exit tickets useful?",
        body="Mine tell me who was awake, not who understood.",
    )  # fmt: skip
    answer = qa.post_answer(
        cast.expert, post, body="Ask for the most likely misconception, not a summary."
    )
    profile = f"{base}/people/{cast.expert.pk}/"

    log_in(page, base, cast.expert.email)
    page.goto(profile)
    expect(page.get_by_role("heading", name="Recognition")).to_be_visible()
    expect(page.locator("#rc-total")).to_have_text("0")
    before = page.locator(REPUTATION_BAR).first.get_attribute("aria-valuenow")
    expect(page.locator(HELPED_BAR).first).to_have_attribute("aria-valuenow", "0")
    screenshot(page, "recognition-profile-before")

    # Mia rates the answer on the question page.
    log_in(page, base, cast.member.email)
    page.goto(f"{base}/c/{cast.org_community.slug}/questions/{post.pk}/")
    rate = page.locator(f"form[action$='/answers/{answer.pk}/rate/']")
    rate.get_by_label("5").check()
    rate.get_by_label("What I learned").fill("Misconception tickets tell me what to reteach.")
    rate.get_by_role("button", name="Rate").click()
    expect(page.get_by_text("You rated it 5/5").first).to_be_attached()

    # Ethan's bars moved.
    log_in(page, base, cast.expert.email)
    page.goto(profile)
    expect(page.locator("#rc-total")).to_have_text(str(RATING_POINTS[5]))
    after = page.locator(REPUTATION_BAR).first.get_attribute("aria-valuenow")
    assert int(after or 0) > int(before or 0)
    expect(page.locator(HELPED_BAR).first).not_to_have_attribute("aria-valuenow", "0")
    expect(page.get_by_role("link", name="Taught Something")).to_be_visible()
    screenshot(page, "recognition-profile-after")

    # The full standing page shows the ledger row that moved them.
    page.get_by_role("link", name="Standing in every community").click()
    expect(page.get_by_role("cell", name="answer rated")).to_be_visible()
    screenshot(page, "recognition-standing")


def test_goal_progress_on_the_community_home_and_publishing_a_badge(
    page: Page, live_server: Any
) -> None:
    cast = load_cast()
    base = live_server.url
    community = cast.org_community
    today = timezone.now().date()
    services.create_goal(
        cast.coordinator, community, title="Thank three colleagues this month", metric="kudos",
        target=3, starts_on=today, ends_on=today + timedelta(days=20),
    )  # fmt: skip
    services.give_kudos(cast.member, cast.expert, community, note="The fraction walls worked!")
    services.give_kudos(cast.expert, cast.member, community, note="Thanks for the seating plan.")
    log_in(page, base, cast.facilitator.email)
    page.goto(f"{base}/c/{community.slug}/")
    bar = page.locator(".rc-goals-panel .rc-bar")
    expect(bar).to_have_attribute("aria-valuenow", "66")
    screenshot(page, "recognition-community-goal")

    # Without JavaScript-only controls: a plain form thanks Mia, and the goal is reached.
    page.goto(f"{base}/people/{cast.member.pk}/kudos/")
    page.get_by_label("Your thanks").fill("Your warm-up routine calmed my last period.")
    page.get_by_role("button", name="Send kudos").click()
    expect(page.get_by_text("Your warm-up routine calmed my last period.")).to_be_visible()
    page.goto(f"{base}/c/{community.slug}/")
    expect(page.locator(".rc-goals-panel")).to_contain_text("Reached")
    screenshot(page, "recognition-goal-reached")

    # Ethan publishes the badge his rated answer earned, and its assertion resolves.
    post = qa.create_post(cast.member, community, title="Warm-ups that work?", body="Ideas?")
    answer = qa.post_answer(cast.expert, post, body="Which one doesn't belong, every day.")
    qa.rate_answer(cast.member, answer, value=4)
    log_in(page, base, cast.expert.email)
    page.goto(f"{base}/profile/recognition/")
    screenshot(page, "recognition-preferences")
    page.get_by_role("button", name="Publish").first.click()
    expect(page.get_by_text("Published: anyone with the link can verify it.")).to_be_visible()
    page.goto(f"{base}/profile/recognition/")
    page.get_by_role("link", name="Taught Something").click()
    expect(page.get_by_text("It is public")).to_be_visible()
    # The baked image (the assertion inside the SVG) renders as an image.
    page.wait_for_function("document.querySelector('.rc-badge-detail img').naturalWidth > 0")
    screenshot(page, "recognition-award")
    assertion = page.get_by_role("link", name="/badges/assertions/").get_attribute("href")
    response = page.request.get(assertion or "")
    assert response.ok and response.json()["type"] == "Assertion"
    page.goto(f"{base}/badges/")
    expect(page.get_by_role("heading", name="Open Door")).to_be_visible()
    screenshot(page, "recognition-badges")
