"""A real browser through Q&A: a member asks (similar posts appear as the title is typed), two
colleagues answer, a third rates, the asker accepts, and the order of answers changes."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from practica.lib.testing import load_cast
from practica.qa import services
from practica.qa.models import Answer, Post
from tests.conftest import log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "How do I get students to compare fractions without cross-multiplying?"
OVERFLOWING_IN_MAIN = """() => [...document.querySelectorAll('#main *')]
    .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
    .map(e => e.tagName + '.' + e.className)"""


def _answer_ids(page: Page) -> list[str]:
    return page.locator("article.qa-answer").evaluate_all("els => els.map(e => e.id)")


def test_ask_answer_rate_accept(page: Page, live_server: Any) -> None:
    cast = load_cast()
    community = cast.org_community
    base = live_server.url
    earlier = services.create_post(
        cast.expert, community, title="Comparing fractions with benchmarks like one half"
    )
    old = services.post_answer(cast.facilitator, earlier, body="Use 1/2 and 1 as anchors.")
    services.rate_answer(cast.coordinator, old, value=5)

    # Mia asks; a similar, answered post appears while she types the title.
    log_in(page, base, cast.member.email)
    page.goto(f"{base}/c/{community.slug}/questions/")
    page.get_by_role("link", name="Ask or share").click()
    page.get_by_label("Title").press_sequentially("comparing fractions", delay=20)
    similar = page.locator("#similar")
    expect(similar).to_contain_text("Comparing fractions with benchmarks like one half")
    expect(similar).to_contain_text("best 3.")
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Details").fill("My 7th graders cross-multiply but can't say **why**.")
    screenshot(page, "qa-ask-similar")
    page.get_by_role("button", name="Post", exact=True).click()
    expect(page.get_by_role("heading", level=2, name=TITLE)).to_be_visible()
    question_url = page.url
    post = Post.objects.get(title=TITLE)

    # Ethan and Fatima answer.
    for person, text in (
        (cast.expert, "Compare the distance to one whole."),
        (cast.facilitator, "Draw both on one number line."),
    ):
        log_in(page, base, person.email)
        page.goto(question_url)
        page.get_by_label("Your answer").fill(text)
        page.get_by_role("button", name="Post your answer").click()
        expect(page.locator("article.qa-answer").filter(has_text=text)).to_be_visible()
    ethan = Answer.objects.get(post=post, author=cast.expert)
    fatima = Answer.objects.get(post=post, author=cast.facilitator)

    # Cora rates: Fatima's taught her more.
    log_in(page, base, cast.coordinator.email)
    page.goto(question_url)
    for answer, value, note in ((ethan, "2", ""), (fatima, "5", "One number line for both.")):
        card = page.locator(f"#answer-{answer.pk}")
        card.get_by_label(value, exact=True).check()
        if note:
            card.get_by_label("What I learned").fill(note)
        card.get_by_role("button", name="Rate").click()
        expect(page.get_by_text("Thank you: your rating is saved.")).to_be_visible()
    assert _answer_ids(page) == [f"answer-{fatima.pk}", f"answer-{ethan.pk}"]
    expect(page.locator(f"#answer-{fatima.pk}")).to_contain_text("One number line for both.")
    screenshot(page, "qa-rated")

    # Mia accepts Ethan's answer: accepted first.
    log_in(page, base, cast.member.email)
    page.goto(question_url)
    page.locator(f"#answer-{ethan.pk}").get_by_role("button", name="Accept this answer").click()
    expect(page.get_by_text("Answer accepted.")).to_be_visible()
    assert _answer_ids(page) == [f"answer-{ethan.pk}", f"answer-{fatima.pk}"]
    expect(page.locator(f"#answer-{ethan.pk}")).to_contain_text("Accepted")
    # A helpful vote through htmx, in place.
    fatima_card = page.locator(f"#answer-{fatima.pk}")
    fatima_card.get_by_role("button", name="Helpful", exact=True).click()
    expect(fatima_card.locator(".qa-vote-score")).to_have_text("1")
    assert page.url.startswith(question_url)
    screenshot(page, "qa-accepted")

    # The history reads on a phone.
    services.edit_post(
        cast.member,
        post,
        title=TITLE,
        body="My 7th graders cross-multiply but can't explain **why** it works.",
    )
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(f"{question_url}history/")
    expect(page.locator(".qa-history ins").first).to_be_visible()
    assert page.evaluate(OVERFLOWING_IN_MAIN) == []
    screenshot(page, "qa-history-phone")
