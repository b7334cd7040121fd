"""The activity library in a real browser: browse, filter, search, adapt, see the lineage."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from practica.lib.testing import load_cast
from practica.practice.activities.loader import load_library
from practica.practice.activities.models import Activity
from tests.conftest import log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _cards(page: Page) -> Locator:
    return page.locator("#results .activity-card h3")


def test_browse_filter_adapt_and_see_the_lineage(page: Page, live_server) -> None:
    cast = load_cast()
    load_library()  # transactional tests flush the rows the data migration loaded
    base = live_server.url
    log_in(page, base, cast.member.email)

    page.get_by_role("link", name="Activities").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Activity library")
    expect(page.locator(".result-count")).to_contain_text(f"{Activity.objects.count()} activities")
    screenshot(page, "activities-library")

    # Filters apply as they change (htmx), and the URL follows so the page can be shared.
    page.get_by_label("Purpose", exact=True).select_option("appreciation")
    expect(_cards(page).first).to_be_visible()
    expect(page.locator("#results")).to_contain_text("Specific Thanks")
    expect(page.locator("#results")).not_to_contain_text("Draw What I Say")
    expect(page).to_have_url(
        f"{base}/activities/?q=&purpose=appreciation&max_duration=&setting=&group_size="
    )
    page.get_by_label("Setting").select_option("virtual")
    expect(_cards(page)).to_have_text(
        [
            "Appreciation Waterfall",
            "Specific Thanks",
            "Spotlight, Opt-In",
            "Strength Spotting",
            "Thank You Beyond the Room",
            "The Unsung Task",
        ]
    )
    screenshot(page, "activities-library-filtered")

    # Search looks in the steps too, whatever the case.
    page.goto(f"{base}/activities/")
    page.locator("#id_q").fill("STAPLER")
    expect(_cards(page)).to_have_text(["Desk Tour", "Scrap Paper Bridge"])

    # Open one, adapt it for a community.
    _cards(page).filter(has_text="Scrap Paper Bridge").get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Scrap Paper Bridge")
    expect(page.locator(".activity-steps li")).to_have_count(5)
    screenshot(page, "activities-detail")
    page.get_by_role("link", name="Adapt for your community").click()
    page.get_by_label("Adapt for").select_option(cast.org_community.slug)
    page.get_by_label("Title").fill("Graph Paper Bridge")
    page.get_by_label("Minutes").fill("20")
    steps = page.get_by_label("Steps")
    steps.fill(steps.input_value().replace("twelve minutes", "eight minutes"))
    page.get_by_label("What changed and why").fill(
        "Shorter build, so it fits before our data review; graph paper so the math shows."
    )
    screenshot(page, "activities-adapt")
    page.get_by_role("button", name="Save adaptation").click()

    # The adaptation links back to its source...
    expect(page.locator(".activity-title")).to_have_text("Graph Paper Bridge")
    lineage = page.locator(".activity-lineage")
    expect(lineage).to_contain_text("Adapted from Scrap Paper Bridge")
    expect(lineage).to_contain_text("graph paper so the math shows")
    expect(page.locator(".activity-steps")).to_contain_text("Give eight minutes to build.")
    screenshot(page, "activities-community-detail")
    adapted = Activity.objects.get(community=cast.org_community)
    assert adapted.adapted_from is not None and adapted.adapted_from.slug == "scrap-paper-bridge"
    assert adapted.duration_minutes == 20

    # ...and the source lists it.
    lineage.get_by_role("link", name="Scrap Paper Bridge").click()
    expect(page.locator(".activity-lineage .adaptations")).to_contain_text("Graph Paper Bridge")
    expect(page.locator(".activity-lineage .adaptations")).to_contain_text(cast.org_community.name)
    screenshot(page, "activities-detail-lineage")

    # The community's own list.
    page.goto(f"{base}/c/{cast.org_community.slug}/activities/")
    expect(_cards_in(page)).to_have_text(["Graph Paper Bridge"])
    screenshot(page, "activities-community")

    # On a phone the library's own content fits the width (cards stack, filters wrap).
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base}/activities/")
    fits = "document.querySelector('main').scrollWidth <= window.innerWidth"
    assert page.evaluate(fits)
    screenshot(page, "activities-library-phone")


def _cards_in(page: Page) -> Locator:
    return page.locator(".activity-card h3")


def test_filters_work_without_javascript(browser: Browser, live_server) -> None:
    cast = load_cast()
    load_library()
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 1200, "height": 900}
    )
    page = context.new_page()
    try:
        log_in(page, live_server.url, cast.facilitator.email)
        page.goto(f"{live_server.url}/activities/")
        page.get_by_label("Length").select_option("5")
        page.get_by_label("Setting").select_option("in_person")
        page.get_by_role("button", name="Filter").click()
        expect(_cards(page)).to_have_text(
            ["One-Word Story", "Rock-Paper-Scissors Cheer Squads", "Stand If You've Ever..."],
            timeout=5000,
        )
    finally:
        context.close()
