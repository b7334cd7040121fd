"""Real-browser journeys: Chromium through Playwright against a live server."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from practica.accounts.models import OrgInvitation, OrgMembership, User
from practica.communities.models import Community, Membership, Role
from practica.lib.testing import PASSWORD, load_cast
from tests.conftest import log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_up_create_a_community_and_a_colleague_joins(page: Page, live_server) -> None:
    cast = load_cast()
    base = live_server.url
    # An admin invited Nadia to Riverside High; she signs up with that address.
    OrgInvitation.objects.create(
        organization=cast.school,
        email="nadia@riverside.test",
        name="Nadia",
        invited_by=cast.org_admin,
    )

    page.goto(f"{base}/accounts/signup/")
    page.get_by_label("Your name").fill("Nadia Novak")
    page.get_by_label("Email").fill("nadia@riverside.test")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    screenshot(page, "signup")
    page.get_by_role("button", name="Sign Up").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Verify")

    # The verification e-mail carries the link; following it and confirming signs her in.
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[-1].body)
    assert link is not None, mail.outbox[-1].body
    page.goto(link.group(0))
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome, Nadia Novak")
    nadia = User.objects.get(email="nadia@riverside.test")
    assert OrgMembership.objects.filter(user=nadia, organization=cast.school).exists()

    # She starts a community of practice.
    page.get_by_role("link", name="Start a community").first.click()
    page.get_by_label("Name", exact=True).fill("Restorative Circles")
    page.get_by_label("URL name").fill("restorative-circles")
    page.get_by_label("Organization", exact=True).select_option("riverside-high")
    page.get_by_label("Domain").fill("Restorative practices in the classroom")
    page.get_by_label("Purpose").fill("Learn together how to run circles that repair harm.")
    page.get_by_label("Open: anyone who can see it may join").check()
    screenshot(page, "create-community")
    page.get_by_role("button", name="Create community").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Restorative Circles")
    expect(page.locator("#membership")).to_contain_text("coordinator")
    screenshot(page, "community-home-coordinator")
    community = Community.objects.get(slug="restorative-circles")
    assert community.memberships.get().role == Role.COORDINATOR

    # A colleague from the same school finds it and joins with one click (htmx, no reload).
    # Leave the last page first: its live updates still in flight would come back
    # without cookies and set a new CSRF cookie under the login form (a flaky 403).
    page.goto("about:blank")
    page.context.clear_cookies()
    log_in(page, base, cast.org_member.email)
    page.get_by_role("link", name="Restorative Circles").click()
    page.get_by_role("button", name="Join community").click()
    expect(page.locator("#membership")).to_contain_text("You are a member here")
    expect(page.locator("#membership")).to_contain_text("Welcome to Restorative Circles")
    screenshot(page, "community-home-joined")
    assert Membership.objects.filter(community=community, user=cast.org_member).exists()
    community.refresh_from_db()
    assert community.member_count == 2
    expect(page.locator("#member-count")).to_have_text("2 members")


def test_pages_are_usable_at_phone_width(page: Page, live_server) -> None:
    cast = load_cast()
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, live_server.url, cast.coordinator.email)
    page.goto(f"{live_server.url}/c/{cast.org_community.slug}/members/")
    # Nothing may overflow sideways on a phone.
    overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1")
    screenshot(page, "members-phone")
    assert not overflow
    expect(page.get_by_role("heading", name="Member directory")).to_be_visible()


def test_the_header_logs_out_from_every_kind_of_page(page: Page, live_server) -> None:
    """The person's menu logs out from a Jinja page and from allauth's e-mail page (Django
    templates), which shows the same header."""
    cast = load_cast()
    for path in ("/c/", "/accounts/email/"):
        log_in(page, live_server.url, cast.member.email)
        page.goto(f"{live_server.url}{path}")
        expect(page.get_by_role("searchbox", name="Search")).to_be_visible()
        expect(page.get_by_role("link", name="Notifications")).to_be_visible()
        page.locator(".nav-user summary").click()
        screenshot(page, f"header-menu-{path.strip('/').replace('/', '-')}")
        page.get_by_role("button", name="Log out").click()
        expect(
            page.get_by_role("navigation", name="Main").get_by_role("link", name="Log in")
        ).to_be_visible()
