"""The notification pages in a real browser (Django's live server: pages only, no event
stream — which also shows the pages degrade cleanly when the stream is unavailable)."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page, expect

from practica.lib.testing import load_cast
from practica.notifications.services import email_choice, notify, settings_for
from tests.conftest import log_in, screenshot


def test_settings_inbox_and_watching(page: Page, live_server: Any) -> None:
    cast = load_cast()
    base = live_server.url
    notify(cast.member, kind="mention", message="Ethan mentioned you in “Exit tickets”",
           url=f"/c/{cast.org_community.slug}/")  # fmt: skip
    notify(cast.member, kind="norms.proposed", message="A norm was proposed: we start on time")
    log_in(page, base, cast.member.email)
    expect(page.locator("#bell-count .count")).to_have_text("2")

    page.goto(f"{base}/notifications/")
    expect(page.get_by_text("Ethan mentioned you")).to_be_visible()
    screenshot(page, "notifications-inbox")
    page.get_by_role("button", name="Mark all read").click()
    expect(page.locator("#bell-count .count")).to_have_count(0)

    page.goto(f"{base}/notifications/settings")
    page.get_by_label("Someone @mentioned you").select_option("daily")
    page.get_by_role("button", name="Save e-mail choices").click()
    expect(page.get_by_text("Saved.", exact=True)).to_be_visible()
    assert email_choice(settings_for(cast.member), "qa.mention") == "daily"
    page.get_by_label("Pause for").select_option("1d")
    page.get_by_role("button", name="Save pause").click()
    expect(page.get_by_text("Paused until")).to_be_visible()
    screenshot(page, "notifications-settings")
