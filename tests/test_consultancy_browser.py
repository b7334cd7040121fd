"""A real browser through a whole consultancy session, with three people in their own browser
contexts: the facilitator advances the steps, the participant's page follows by itself (htmx
polling) within a few seconds, and in the listening step the presenter's box is closed."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from practica.lib.testing import load_cast
from practica.practice.consultancy import services
from practica.practice.consultancy.loader import load_library
from practica.practice.consultancy.models import Contribution, Protocol, Session, SessionStatus
from tests.conftest import log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FOLLOW = 8_000  # ms: a page polls every 3 s (5 s before the start)
STEPS = [
    "Overview and focusing question",
    "Clarifying questions",
    "Probing questions",
    "Discussion while the presenter listens",
    "Presenter reflection",
    "Debrief",
]


def _signed_in(browser: Browser, base: str, email: str) -> tuple[BrowserContext, Page]:
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    log_in(page, base, email)
    return context, page


def _heading(page: Page) -> object:
    return expect(page.locator("#live-h"))


def test_a_session_runs_through_all_its_steps(browser: Browser, live_server) -> None:
    cast = load_cast()
    load_library()  # a transactional test before this one may have flushed the library
    base = live_server.url
    session = services.create_session(
        cast.member,
        cast.org_community,
        title="A schedule change nobody asked for",
        context="We moved to a block schedule; three departments pushed back.",
        dilemma="I believe in the change but I am losing my most experienced teachers.",
        focusing_question="How can I keep the change and rebuild trust with the veterans?",
        protocol=Protocol.objects.get(slug="consultancy", community__isnull=True),
        facilitator_id=cast.facilitator.pk,
        participant_ids=[cast.expert.pk],
    )
    path = f"{base}/c/{cast.org_community.slug}/consultancy/{session.pk}/"
    contexts = []
    try:
        ctx, facilitator = _signed_in(browser, base, cast.facilitator.email)
        contexts.append(ctx)
        ctx, participant = _signed_in(browser, base, cast.expert.email)
        contexts.append(ctx)
        ctx, presenter = _signed_in(browser, base, cast.member.email)
        contexts.append(ctx)
        for page in (facilitator, participant, presenter):
            page.goto(path)
            expect(page.locator("#live-h")).to_contain_text("Not started yet")

        # The facilitator starts; the others follow without reloading.
        facilitator.get_by_role("button", name="Start the session").click()
        expect(facilitator.locator("#live-h")).to_have_text(STEPS[0])
        expect(participant.locator("#live-h")).to_have_text(STEPS[0], timeout=FOLLOW)
        expect(participant.locator("#contribute")).to_contain_text("Nothing is written down")
        # The countdown counts from the server's clock (m:ss left).
        expect(participant.locator("[data-remaining]")).to_have_text(
            re.compile(r"^(9|10):\d\d left$")
        )
        screenshot(participant, "consultancy-live-overview")

        # Clarifying questions: the participant asks one; the facilitator's page shows it.
        facilitator.get_by_role("button", name=f"Next step: {STEPS[1]} →").click()
        expect(participant.locator("#live-h")).to_have_text(STEPS[1], timeout=FOLLOW)
        participant.get_by_role("textbox", name="Clarifying question").fill(
            "How many teachers teach in blocks?"
        )
        participant.get_by_role("button", name="Add", exact=True).click()
        expect(participant.locator("#live")).to_contain_text("How many teachers teach in blocks?")
        expect(participant.get_by_role("textbox", name="Clarifying question")).to_have_value("")
        expect(facilitator.locator("#live")).to_contain_text(
            "How many teachers teach in blocks?", timeout=FOLLOW
        )

        # Probing questions; then the facilitator goes back one step and forward again.
        facilitator.get_by_role("button", name=f"Next step: {STEPS[2]} →").click()
        expect(participant.locator("#live-h")).to_have_text(STEPS[2], timeout=FOLLOW)
        facilitator.get_by_role("button", name="← Back one step").click()
        expect(facilitator.locator("#live-h")).to_have_text(STEPS[1])
        facilitator.get_by_role("button", name=f"Next step: {STEPS[2]} →").click()
        participant.get_by_role("textbox", name="Probing question").fill(
            "What would trust look like in June?"
        )
        participant.get_by_role("button", name="Add", exact=True).click()
        expect(participant.locator("#live")).to_contain_text("What would trust look like")

        # The listening step: the presenter's box is closed and the page says why.
        facilitator.get_by_role("button", name=f"Next step: {STEPS[3]} →").click()
        expect(presenter.locator("#live-h")).to_have_text(STEPS[3], timeout=FOLLOW)
        expect(presenter.locator("#contribute")).to_contain_text("the presenter listens silently")
        expect(presenter.locator("#contribute textarea[name=body]")).to_have_count(0)
        expect(presenter.locator("#contribute textarea")).to_be_disabled()
        screenshot(presenter, "consultancy-presenter-silent")
        expect(participant.locator("#live-h")).to_have_text(STEPS[3], timeout=FOLLOW)
        participant.get_by_role("textbox", name="Discussion note").fill(
            "I wonder what the veterans fear losing."
        )
        participant.get_by_role("button", name="Add", exact=True).click()
        expect(participant.locator("#live")).to_contain_text("fear losing")
        screenshot(participant, "consultancy-live-discussion")

        # The presenter's turn.
        facilitator.get_by_role("button", name=f"Next step: {STEPS[4]} →").click()
        expect(presenter.locator("#live-h")).to_have_text(STEPS[4], timeout=FOLLOW)
        presenter.get_by_role("textbox", name="Reflection", exact=True).fill(
            "I have been defending, not listening."
        )
        presenter.get_by_role("button", name="Add", exact=True).click()
        expect(presenter.locator("#live")).to_contain_text("defending, not listening")
        expect(participant.locator("#contribute")).to_contain_text("This step is the presenter's")

        facilitator.get_by_role("button", name=f"Next step: {STEPS[5]} →").click()
        expect(participant.locator("#live-h")).to_have_text(STEPS[5], timeout=FOLLOW)
        screenshot(facilitator, "consultancy-facilitator-last-step")

        # Finishing: every page shows the end (the followers reload by themselves).
        facilitator.get_by_role("button", name="Finish the session").click()
        expect(facilitator.locator("#live-h")).to_contain_text("The session is over")
        expect(participant.locator("#live-h")).to_contain_text(
            "The session is over", timeout=FOLLOW
        )
        expect(presenter.locator("#live-h")).to_contain_text("The session is over", timeout=FOLLOW)

        # The presenter reflects and, later, records the follow-up.
        presenter.get_by_role("textbox", name="Your reflection").fill(
            "Start with the veterans' questions."
        )
        presenter.get_by_role("button", name="Save my reflection").click()
        expect(presenter.locator("#reflection")).to_contain_text("Start with the veterans")
        presenter.get_by_role("textbox", name="What I tried").fill(
            "One-to-one conversations with each veteran."
        )
        presenter.get_by_role("textbox", name="What happened").fill(
            "Two of them now co-plan the block lessons."
        )
        presenter.get_by_role("button", name="Record the follow-up").click()
        expect(presenter.locator("#followup")).to_contain_text("co-plan the block lessons")
        screenshot(presenter, "consultancy-completed")

        row = Session.objects.get(pk=session.pk)
        assert row.status == SessionStatus.COMPLETED
        assert row.followup_recorded_at is not None
        kinds = list(Contribution.objects.order_by("id").values_list("step", "kind"))
        assert kinds == [
            (1, "clarifying"),
            (2, "probing"),
            (3, "discussion"),
            (4, "reflection"),
        ]
    finally:
        for ctx in contexts:
            ctx.close()


def test_the_page_works_without_javascript(browser: Browser, live_server) -> None:
    cast = load_cast()
    load_library()  # a transactional test before this one may have flushed the library
    session = services.create_session(
        cast.member,
        cast.org_community,
        title="Lunch duty",
        context="c",
        dilemma="d",
        focusing_question="How do I share lunch duty fairly?",
        protocol=Protocol.objects.get(slug="tuning", community__isnull=True),
        facilitator_id=cast.facilitator.pk,
        participant_ids=[cast.expert.pk],
    )
    services.start_session(cast.facilitator, session)
    services.advance_step(cast.facilitator, session)
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        log_in(page, live_server.url, cast.expert.email)
        page.goto(f"{live_server.url}/c/{cast.org_community.slug}/consultancy/{session.pk}/")
        expect(page.locator("#live-h")).to_have_text("Presenting the work")
        expect(page.locator(".cs-countdown")).to_contain_text("ends at")
        expect(page.locator(".cs-countdown")).to_contain_text("min left")
    finally:
        context.close()
