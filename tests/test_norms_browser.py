"""A real browser through a consent round: a member proposes a norm, two colleagues respond
(one objects), the proposer revises, the objector agrees and the norm is adopted."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from practica.communities.models import Community
from practica.lib.testing import load_cast
from practica.practice.norms import services
from practica.practice.norms.models import Norm, Proposal, ProposalStatus
from tests.conftest import log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STATEMENT = "We bring real student work, not only our best examples."
WHY = "We learn most from the lessons that did not go as planned."
OVERFLOWING_IN_MAIN = """() => [...document.querySelectorAll('#main *')]
    .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
    .map(e => e.tagName + '.' + e.className)"""
OBJECTION = "Sharing unpolished work is frightening for new teachers; it needs a safety line."


def test_propose_object_revise_and_adopt(page: Page, live_server) -> None:
    cast = load_cast()
    base = live_server.url
    norms_url = f"{base}/c/{cast.org_community.slug}/norms/"

    # Mia proposes a norm.
    log_in(page, base, cast.member.email)
    page.goto(norms_url)
    expect(page.get_by_text("No norms adopted yet")).to_be_visible()
    page.get_by_role("link", name="Propose a norm").click()
    page.get_by_label("The norm").fill(STATEMENT)
    page.get_by_label("Why").fill(WHY)
    screenshot(page, "norms-propose")
    page.get_by_role("button", name="Propose", exact=True).click()
    expect(page.get_by_role("heading", level=2, name=STATEMENT)).to_be_visible()
    expect(page.locator("#respond")).to_contain_text("0 of 4 members have responded")
    proposal_url = page.url
    proposal = Proposal.objects.get()

    # Ethan objects, without signing; the block updates in place (htmx).
    log_in(page, base, cast.expert.email)
    page.goto(proposal_url)
    page.get_by_label("Object").check()
    page.get_by_role("textbox", name="Reason").fill(OBJECTION)
    page.get_by_role("button", name="Send my response").click()
    expect(page.locator("#respond")).to_contain_text("1 objection")
    expect(page.locator("#respond")).to_contain_text("Thank you: your response is in.")
    assert page.url == proposal_url  # no reload

    # Fatima, the facilitator, agrees; she sees who has not been heard, never who objected.
    log_in(page, base, cast.facilitator.email)
    page.goto(proposal_url)
    page.get_by_label("Agree").check()
    page.get_by_role("button", name="Send my response").click()
    expect(page.locator("#respond")).to_contain_text("2 of 4 members have responded")
    expect(page.locator("#respond")).to_contain_text("An objection stands")
    page.reload()
    waiting = page.locator("#waiting")
    expect(waiting).to_contain_text("Mia Member")
    expect(waiting).to_contain_text("Cora Coordinator")
    expect(page.locator("body")).not_to_contain_text("Ethan Expert")
    screenshot(page, "norms-proposal-objection")
    assert proposal.responses.count() == 2

    # Mia revises to meet the objection.
    log_in(page, base, cast.member.email)
    page.goto(proposal_url)
    expect(page.locator("#respond")).to_contain_text(OBJECTION)
    page.get_by_role("link", name="Revise the proposal").click()
    page.get_by_label("Why").fill(WHY + " Anyone may share anonymously through the facilitator.")
    page.get_by_label("What changed").fill("Added a way to share without being named.")
    screenshot(page, "norms-revise")
    page.get_by_role("button", name="Publish the new version").click()
    expect(page.get_by_text("Version 2 is up")).to_be_visible()
    expect(page.locator("#respond")).to_contain_text("1 of 4 members has responded")

    # Ethan looks at the new version and agrees: consent is reached, the norm is adopted.
    log_in(page, base, cast.expert.email)
    page.goto(proposal_url)
    expect(page.locator("#respond")).to_contain_text("the text has changed since")
    page.get_by_label("Agree").check()
    page.get_by_role("button", name="Change my response").click()
    expect(page.get_by_text("Consent reached: the norm is adopted.")).to_be_visible()
    expect(page.locator(".norm-status")).to_have_text("Adopted")
    screenshot(page, "norms-adopted")
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ADOPTED
    assert Norm.objects.get().why.endswith("through the facilitator.")

    page.goto(norms_url)
    expect(page.locator(".norm-list-full")).to_contain_text(STATEMENT)
    screenshot(page, "norms-index")


def test_the_demo_norms_read_well(page: Page, live_server) -> None:
    from practica.demo import DEMO_PASSWORD, load_demo
    from practica.practice.norms.demo import load_demo_norms

    load_demo()
    load_demo_norms()
    base = live_server.url
    log_in(page, base, "priya.raman@cedarcreek.test", DEMO_PASSWORD)
    page.goto(f"{base}/c/secondary-math/norms/")
    expect(page.locator(".norm-list-full > li")).to_have_count(5)
    screenshot(page, "norms-demo-index")
    page.get_by_role("link", name="We try a colleague's task").first.click()
    expect(page.locator("#respond")).to_contain_text("1 objection")
    expect(page.locator("#respond")).to_contain_text("Grace Kim")  # she signed it
    expect(page.locator("#waiting")).to_contain_text("nudged today")
    screenshot(page, "norms-demo-proposal")
    proposal_url = page.url
    page.goto(f"{base}/c/secondary-math/norms/history/")
    expect(page.locator(".norm-history > li")).to_have_count(8)
    screenshot(page, "norms-demo-history")

    # The revisit round: reaffirm one norm in place (htmx), then the rest at once.
    community = Community.objects.get(slug="secondary-math")
    revisit = services.open_revisit_job(community.pk, timezone.now().date())
    assert revisit is not None
    page.goto(f"{base}/c/secondary-math/norms/")
    page.get_by_role("link", name="Revisit the norms").click()
    page.get_by_role("button", name="Reaffirm").first.click()
    expect(page.locator("#round")).to_contain_text("1 of 7 members took part")
    expect(page.locator("#round")).to_contain_text("you reaffirmed it")
    page.get_by_role("button", name="Reaffirm every norm I have not answered").click()
    expect(page.locator("#round")).to_contain_text("Reaffirmed 4 norm(s).")
    screenshot(page, "norms-demo-revisit")

    # Nothing of ours overflows sideways on a phone. (The site's top navigation, outside
    # <main>, is left to the page shell.)
    page.set_viewport_size({"width": 390, "height": 844})
    for url in (proposal_url, f"{base}/c/secondary-math/norms/"):
        page.goto(url)
        assert page.evaluate(OVERFLOWING_IN_MAIN) == [], url
    screenshot(page, "norms-demo-proposal-phone")
