"""A real browser: the header search box, ranked and highlighted results, live results while
typing (htmx), the type filter, and people linking to profiles."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from practica.lib.testing import load_cast
from practica.practice.norms.models import Norm
from practica.search import index, registry
from practica.search.registry import Document, SearchType
from tests.conftest import log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

_DOCS: dict[int, Document] = {}


@pytest.fixture
def note_type() -> Iterator[None]:
    registry.register(
        SearchType(name="t_note", model=Norm, document=lambda n: _DOCS.get(n.pk), label="Note")
    )
    yield
    _DOCS.clear()
    registry._types.pop("t_note", None)


def _note(community: Any, title: str, body: str) -> None:
    norm = Norm.objects.create(community=community, statement=title, position=1)
    _DOCS[norm.pk] = Document(
        title=title, body=body, url=f"/c/{community.slug}/", created_at=timezone.now(),
        community_id=community.pk, tags=["assessment"],
    )  # fmt: skip
    index.update(norm)


def test_search_from_the_header_then_live(page: Page, live_server: Any, note_type: None) -> None:
    cast = load_cast()
    _note(
        cast.public_community,
        "Exit tickets that tell you who to reteach",
        "Three quick questions at the door; sort the tickets into piles before planning.",
    )
    _note(
        cast.org_community,
        "Exit tickets for fractions",
        "We ask one fraction question and one about confidence.",
    )
    _note(cast.private_community, "Private: exit tickets struggle", "Only for members.")
    base = live_server.url

    log_in(page, base, cast.org_member.email)

    page.get_by_role("searchbox", name="Search").first.fill("exit tickets")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Search")
    expect(page.locator(".result-count")).to_contain_text("2 results")
    expect(page.locator(".search-hit").first).to_contain_text("Exit tickets")
    expect(page.locator(".search-hit mark").first).to_be_visible()
    expect(page.get_by_text("Private: exit tickets struggle")).to_have_count(0)
    screenshot(page, "search-results")

    # Typing updates the results in place (htmx), without a submit.
    box = page.locator("#search-q")
    box.fill("fraction")
    expect(page.locator(".result-count")).to_contain_text("1 result for “fraction”")
    expect(page).to_have_url(re.compile(r"/search/\?q=fraction"))  # shareable, back works

    # People: filter by type; results link to profiles.
    box.fill("mia")
    page.get_by_label("Type").select_option("person")
    expect(page.locator(".search-hit-person")).to_have_count(1)
    page.locator(".search-hit-person a").click()
    expect(page).to_have_url(f"{base}/people/{cast.member.pk}/")


def test_search_page_without_javascript(browser: Any, live_server: Any, note_type: None) -> None:
    cast = load_cast()
    _note(cast.public_community, "Warm-up routines", "A number talk every morning.")
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/search/")
    page.locator("#search-q").fill('"number talk"')
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.locator(".result-count")).to_contain_text("1 result")
    expect(page.locator(".search-hit")).to_contain_text("Warm-up routines")
    screenshot(page, "search-no-js")
    context.close()
