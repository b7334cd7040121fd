"""A real browser through the wiki: a member edits a page, sees the diff (inline, side by side,
and on a phone-sized screen), and reverts to the first revision."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from practica.lib.testing import load_cast
from practica.notifications.models import Notification
from practica.wiki import services, spaces
from practica.wiki.models import Page as WikiPage
from tests.conftest import log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BODY = """Welcome to the math circle.

## Before your first meeting

Read the [[Glossary]] and bring one piece of student work.

## At the meeting

We start at 3:30 in room 114 and end on time.
"""
OVERFLOWING = """() => [...document.querySelectorAll('#main *')]
    .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
    .map(e => e.tagName + '.' + e.className)"""


def test_edit_see_the_diff_and_revert(page: Page, live_server) -> None:
    cast = load_cast()
    ref = spaces.for_community(cast.org_community)
    services.save_page(cast.member, ref, page=None, title="Glossary", body="**PLC**: us.\n")
    services.save_page(cast.member, ref, page=None, title="Newcomers", body=BODY)
    base = live_server.url
    page_url = f"{base}/c/{cast.org_community.slug}/wiki/newcomers/"

    log_in(page, base, cast.expert.email)
    page.goto(page_url)
    expect(page.get_by_role("heading", level=2, name="Newcomers")).to_be_visible()
    expect(page.get_by_role("navigation", name="Community")).to_contain_text("Wiki")
    expect(page.locator("#toc")).to_be_hidden()  # two headings: no table of contents needed
    screenshot(page, "wiki-page")

    # Edit: change the room and add a line.
    page.get_by_role("link", name="Edit", exact=True).click()
    editor = page.get_by_label("Text")
    editor.fill(BODY.replace("room 114", "the library") + "\nCoffee is on Priya.\n")
    page.get_by_label("Edit summary").fill("We moved to the library")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".flash")).to_contain_text("Saved.")
    expect(page.locator("#page-body")).to_contain_text("in the library")
    expect(page.locator("#backlinks")).to_have_count(0)
    # The creator watches the page, so Mia heard about Ethan's edit.
    assert Notification.objects.filter(recipient=cast.member, kind="wiki_edited").exists()

    # History, then the diff: words highlighted.
    page.get_by_role("link", name="History").click()
    expect(page.locator("table.wiki-history")).to_contain_text("We moved to the library")
    page.get_by_role("button", name="Compare selected revisions").click()
    diff = page.locator(".wiki-diff-inline")
    expect(diff.locator("del")).to_have_text(["room 114"])
    expect(diff.locator("ins").first).to_have_text("the library")
    expect(diff).to_contain_text("Coffee is on Priya.")
    screenshot(page, "wiki-diff-inline")
    page.get_by_role("link", name="Side by side").click()
    expect(page.locator(".wiki-diff-side")).to_be_visible()
    screenshot(page, "wiki-diff-side")

    # On a phone: both views fit the screen (no sideways scrolling).
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    assert page.evaluate(OVERFLOWING) == []
    screenshot(page, "wiki-diff-side-phone")
    page.get_by_role("link", name="Inline").click()
    assert page.evaluate(OVERFLOWING) == []
    screenshot(page, "wiki-diff-inline-phone")
    page.set_viewport_size({"width": 1200, "height": 900})

    # Revert to the first revision: a new revision, the old text back.
    page.get_by_role("button", name="Revert to revision 1").click()
    expect(page.locator(".flash")).to_contain_text("Reverted")
    expect(page.locator("#page-body")).to_contain_text("room 114")
    expect(page.locator("#page-body")).not_to_contain_text("Coffee")
    stored = WikiPage.objects.get(slug="newcomers")
    assert stored.revision_count == 3 and stored.body == BODY
    page.get_by_role("link", name="History").click()
    expect(page.locator("table.wiki-history tbody tr")).to_have_count(3)
    screenshot(page, "wiki-history")

    # A conflict: Mia saves the same line while Ethan is editing; his text is kept.
    page.goto(page_url)
    page.get_by_role("link", name="Edit", exact=True).click()
    stored.refresh_from_db()
    services.save_page(cast.member, ref, page=stored, title="Newcomers",
                       body=BODY.replace("3:30", "3:45"),
                       base_revision_id=stored.current_revision_id)  # fmt: skip
    page.get_by_label("Text").fill(BODY.replace("3:30", "4:00"))
    page.get_by_role("button", name="Save").click()
    expect(
        page.get_by_role("heading", name="Someone saved this page while you were editing")
    ).to_be_visible()
    expect(page.locator("#yours")).to_contain_text("We start at 4:00")
    expect(page.locator("#theirs")).to_contain_text("We start at 3:45")
    merged = page.get_by_label("Text").input_value()
    assert "<<<<<<< your version\nWe start at 4:00" in merged and "We start at 3:45" in merged
    screenshot(page, "wiki-conflict")
    page.get_by_label("Text").fill(BODY.replace("3:30", "3:45 (4:00 on Fridays)"))
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#page-body")).to_contain_text("3:45 (4:00 on Fridays)")

    # The glossary shows where it is linked from.
    page.goto(f"{base}/c/{cast.org_community.slug}/wiki/glossary/")
    expect(page.locator("#backlinks")).to_contain_text("Newcomers")

    # The district's wiki, read from a school below it (a tab on the organization's pages).
    district = spaces.for_organization(cast.district)
    services.save_page(cast.org_admin, district, page=None, title="Calendar", body=BODY)
    page.goto(f"{base}/orgs/{cast.district.slug}/")
    page.get_by_role("navigation", name="Organization").get_by_role("link", name="Wiki").click()
    expect(page.get_by_role("link", name="Calendar").first).to_be_visible()
    expect(page.get_by_role("link", name="New page")).to_have_count(0)  # reads, doesn't edit
    screenshot(page, "wiki-org-index")
