"""A real browser: a coordinator schedules a series, opens the next meeting's agenda and sees who
opens it at the top; the agenda works at phone width."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from practica.lib.testing import load_cast
from practica.practice.activities.models import Activity
from practica.practice.meetings.models import Occurrence, Series
from practica.practice.norms import services as norm_services
from practica.practice.norms.selectors import current_norms
from tests.conftest import log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


# The page's own content must fit a phone (the site header is the shell's business).
CONTENT_OVERFLOWS = """
() => Math.max(...[...document.querySelectorAll('main *')]
    .map(e => e.getBoundingClientRect().right)) > window.innerWidth + 1
"""


def test_schedule_a_series_and_the_agenda_opens_with_the_opener(page: Page, live_server) -> None:
    cast = load_cast()
    base = live_server.url
    Activity.objects.create(
        title="Riverside Appreciation Circle",
        slug="riverside-appreciation-circle",
        purpose="appreciation",
        summary="Each person names something a colleague did this month that helped them.",
        duration_minutes=15,
        steps=["Sit in a circle.", "Each person appreciates someone.", "Close with a word."],
    )
    slug = cast.org_community.slug
    # The group has adopted a norm by consent (the norms browser test walks through that flow);
    # every agenda opens with the group's norms right after the opener.
    proposal = norm_services.propose(
        cast.member,
        cast.org_community,
        statement="We start and end on time.",
        why="Respect for everyone's afternoon.",
    )
    for who in (cast.expert, cast.facilitator):
        norm_services.respond(who, proposal, stance="agree")
    assert [n.statement for n in current_norms(cast.org_community)] == ["We start and end on time."]

    log_in(page, base, cast.coordinator.email)
    page.goto(f"{base}/c/{slug}/meetings/")
    expect(page.get_by_text("No meetings scheduled yet.")).to_be_visible()
    page.get_by_role("link", name="New meeting series").click()
    page.get_by_label("Title").fill("Tuesday math circle")
    page.get_by_label("Repeats").select_option("weekly")
    page.get_by_label("On", exact=True).select_option("1")
    page.get_by_label("Starts at").fill("15:30")
    page.get_by_label("Time zone").fill("America/Los_Angeles")
    page.get_by_label("Length (minutes)").fill("60")
    page.get_by_label("Place").fill("Riverside High, Room 214")
    screenshot(page, "meetings-new-series")
    page.get_by_role("button", name="Schedule the series").click()

    expect(page.get_by_role("heading", name="Tuesday math circle")).to_be_visible()
    expect(page.get_by_role("heading", name="Schedule: the next 8 meetings")).to_be_visible()
    screenshot(page, "meetings-series")
    series = Series.objects.get(title="Tuesday math circle")
    first = Occurrence.objects.filter(series=series).order_by("starts_at").first()
    assert first is not None
    assert first.opener == cast.member

    page.get_by_role("navigation", name="Community").get_by_role("link", name="Meetings").click()
    expect(page.locator(".meetings-list")).to_contain_text("Mia Member")
    screenshot(page, "meetings-index")

    # The first meeting's agenda: the opener block comes first, with who leads it.
    page.get_by_role("link", name=first.when).first.click()
    opener = page.locator(".opener-block")
    expect(opener).to_contain_text("Community building")
    expect(opener).to_contain_text("Opened by Mia Member")
    expect(opener).to_contain_text("15:30–15:50")

    # Pick the activity and add an item.
    page.get_by_role("link", name="Pick an activity").click()
    expect(page.get_by_role("heading", name="Pick the community-building opener")).to_be_visible()
    screenshot(page, "meetings-picker")
    page.get_by_label("Search activities").fill("Riverside")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name="Riverside Appreciation Circle")).to_be_visible()
    page.get_by_role("button", name="Pick: Riverside Appreciation Circle").click()
    expect(page.locator(".flash-success")).to_contain_text("Activity chosen.")
    page.get_by_text("Add an agenda item").click()
    page.get_by_label("Title").fill("Student work: exit tickets")
    page.get_by_label("Minutes", exact=True).fill("25")
    page.get_by_role("button", name="Add to the agenda").click()
    expect(page.locator(".agenda-items")).to_contain_text("Student work: exit tickets")
    expect(opener).to_contain_text("Riverside Appreciation Circle")

    top = opener.bounding_box()
    norms = page.locator(".norm-set")
    expect(norms).to_contain_text("We start and end on time.")
    norms_box = norms.bounding_box()
    item = page.locator(".agenda-item").first.bounding_box()
    assert top is not None
    assert norms_box is not None
    assert item is not None
    # The opener is at the top of the agenda, then the norms, then the timed items.
    assert top["y"] < norms_box["y"] < item["y"]
    expect(page.locator(".agenda-item").first).to_contain_text("15:50")
    screenshot(page, "meetings-agenda")

    # On a phone: still the opener first, nothing overflowing sideways.
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    expect(page.locator(".opener-block")).to_contain_text("Opened by Mia Member")
    overflow = page.evaluate(CONTENT_OVERFLOWS)
    screenshot(page, "meetings-agenda-phone")
    assert not overflow
    page.goto(f"{base}/c/{slug}/meetings/series/{series.pk}/")
    overflow = page.evaluate(CONTENT_OVERFLOWS)
    screenshot(page, "meetings-series-phone")
    assert not overflow


def test_the_demo_record_of_meetings(page: Page, live_server) -> None:
    """The demo's math collaborative: the next agenda carries open action items; a past meeting
    shows its notes, attendance and how the opener landed."""
    from django.utils import timezone

    from practica.demo import DEMO_PASSWORD, load_demo
    from practica.practice.meetings.demo import load_demo_meetings

    load_demo()
    load_demo_meetings()
    series = Series.objects.get(community__slug="secondary-math")
    nxt = Occurrence.objects.filter(series=series, starts_at__gt=timezone.now()).first()
    held = Occurrence.objects.filter(series=series, starts_at__lte=timezone.now()).last()
    assert nxt is not None
    assert held is not None
    base = live_server.url
    log_in(page, base, "hannah.liu@cedarcreek.test", DEMO_PASSWORD)

    page.goto(f"{base}/c/secondary-math/meetings/{nxt.pk}/")
    expect(page.locator(".opener-block")).to_contain_text("Opened by")
    expect(page.locator(".carried")).to_contain_text("Write the family explainer")
    screenshot(page, "meetings-demo-next-agenda")
    page.goto(f"{base}/c/secondary-math/meetings/{held.pk}/")
    expect(page.locator("#notes")).to_contain_text("Student work protocol")
    expect(page.locator("#feedback")).to_contain_text("/ 5")
    screenshot(page, "meetings-demo-held")
    page.goto(f"{base}/c/secondary-math/meetings/")
    screenshot(page, "meetings-demo-index")
