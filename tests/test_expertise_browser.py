"""A real browser: "who knows about fractions?" (earned before declared, found as you type), an
expert posting a tip to an expert channel, and a member following it and reading the feed."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from practica.accounts.models import DeclaredExpertise
from practica.expertise import services
from practica.expertise import testing as qa
from practica.expertise.models import ChannelPost
from practica.lib.testing import load_cast
from tests.conftest import log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OVERFLOWING_IN_MAIN = """() => [...document.querySelectorAll('#main *')]
    .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
    .map(e => e.tagName + '.' + e.className)"""


def test_find_an_expert_and_post_to_a_channel(page: Page, live_server) -> None:  # type: ignore[no-untyped-def]
    cast = load_cast()
    c = cast.org_community
    base = live_server.url
    fractions = qa.tag(c, "fractions", "Fraction sense, operations and models")
    # Transactional test: each helper commits, so the events are delivered as in production.
    post = qa.ask(cast.member, c, "Dividing fractions with area models?", [fractions])
    answer = qa.answer(cast.expert, post)
    qa.rate(cast.member, answer, 5)
    qa.rate(cast.coordinator, answer, 4)
    qa.accept(cast.member, post, answer)
    DeclaredExpertise.objects.create(user=cast.coordinator, slug="fractions", label="Fractions")
    channel = services.create_channel(cast.facilitator, c, name="Tips from our experts")

    # Mia asks who knows about fractions; results arrive as she types (htmx).
    log_in(page, base, cast.member.email)
    page.goto(f"{base}/c/{c.slug}/experts/")
    expect(page.get_by_role("link", name="Experts", exact=True)).to_have_attribute(
        "aria-current", "page"
    )
    page.get_by_label("A tag or a few words").fill("fraction")
    results = page.locator("#xp-results")
    expect(results).to_contain_text("Ethan Expert")
    earned = page.locator("#xp-results section").nth(0)
    declared = page.locator("#xp-results section").nth(1)
    expect(earned).to_contain_text("Ethan Expert")
    expect(earned).to_contain_text("1 accepted")
    expect(declared).to_contain_text("Cora Coordinator")
    expect(declared).to_contain_text("declared")
    assert page.evaluate(OVERFLOWING_IN_MAIN) == []
    screenshot(page, "expertise-who-knows")

    # Her next fractions question is routed to Ethan; she also asks Fatima by name.
    question = qa.ask(cast.member, c, "Why does invert-and-multiply work?", [fractions])
    page.goto(f"{base}/c/{c.slug}/questions/{question.pk}/")
    panel = page.locator(".xp-routing")
    expect(panel).to_contain_text("Ethan Expert")
    expect(panel).to_contain_text("earned expertise")
    panel.get_by_label("Ask a member by name").fill("Fatima Facilitator")
    panel.get_by_role("button", name="Ask").click()
    expect(page.get_by_text("Asked Fatima Facilitator: they have been told.")).to_be_visible()
    expect(page.locator(".xp-routing")).to_contain_text("asked by name")
    screenshot(page, "expertise-routing-panel")

    # Ethan, the community's expert, posts a tip to the expert channel.
    log_in(page, base, cast.expert.email)
    page.goto(f"{base}/c/{c.slug}/channels/")
    page.get_by_role("link", name="Tips from our experts").click()
    page.get_by_text("Post to Tips from our experts").click()
    page.get_by_label("Kind").select_option("tip")
    page.get_by_label("Title").fill("Fold the strip before you compute")
    page.get_by_label("Text").fill("Ask *which is bigger* before any algorithm.")
    page.get_by_label("Tags").fill("fractions")
    screenshot(page, "expertise-channel-compose")
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("Posted. Followers will see it in their feed.")).to_be_visible()
    expect(page.get_by_role("heading", name="Fold the strip before you compute")).to_be_visible()
    assert ChannelPost.objects.filter(channel=channel, author=cast.expert).count() == 1

    # Mia follows the channel and finds the tip in her feed; she cannot post there.
    log_in(page, base, cast.member.email)
    page.goto(f"{base}/c/{c.slug}/channels/{channel.slug}/")
    expect(page.get_by_text("Post to Tips from our experts")).to_have_count(0)
    page.get_by_role("button", name="Follow").click()
    expect(page.locator("#follower-count")).to_have_text("1 follower")
    page.goto(f"{base}/channels/feed/")
    expect(page.get_by_role("heading", name="Fold the strip before you compute")).to_be_visible()
    screenshot(page, "expertise-feed")
