from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from practica.lib.testing import PASSWORD, Cast, load_cast, make_cast
from practica.realtime import bus
from practica.realtime.bus import Event

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page


@pytest.fixture
def capture_events(
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> Callable[[], AbstractContextManager[list[Event]]]:
    """``with capture_events() as events:`` runs the block, commits (tests run inside a
    transaction, so on-commit delivery is simulated) and collects the events delivered."""

    @contextmanager
    def capture() -> Iterator[list[Event]]:
        with bus.capture_events() as events, django_capture_on_commit_callbacks(execute=True):
            yield events

    return capture


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run tests that commit (live server, transactional) last: they flush the database, and
    every plain test after them would have to rebuild the shared cast."""
    committing = {"transactional_db", "live_server"}

    def commits(item: pytest.Item) -> bool:
        names = set(getattr(item, "fixturenames", ()))
        marker = item.get_closest_marker("django_db")
        return bool(names & committing) or bool(marker and marker.kwargs.get("transaction"))

    items.sort(key=commits)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> None:
    """Build the cast once per test database; each test then runs in a transaction that is
    rolled back, so every test sees the same pristine cast (and building it is not paid for
    every one of the hundreds of matrix cells)."""
    with django_db_blocker.unblock():
        make_cast()


@pytest.fixture
def cast(db: None) -> Cast:
    """The named cast (see practica/lib/testing.py), loaded fresh for this test."""
    return load_cast()


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parent.parent / "var" / "screenshots"


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium driven by Playwright (never Playwright's own browser download)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make chromium` (apt-get install chromium)")
    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
    # between page actions are still plain synchronous calls.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def log_in(page: Page, base: str, email: str, password: str = PASSWORD) -> None:
    """Sign in through the real login form as ``email`` (signing out whoever was in)."""
    from playwright.sync_api import expect

    # Leave the last page first: its live updates still in flight would come back without
    # cookies and set a new CSRF cookie under the login form (a flaky 403).
    page.goto("about:blank")
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.locator("#id_password").fill(password)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")


def screenshot(page: Page, name: str) -> Path:
    """Save a full-page screenshot under var/screenshots/ (for people to look at)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


class _Mailbox:
    """What the test SMTP server received: parsed ``email.message.EmailMessage`` objects."""

    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        from email import message_from_bytes, policy

        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server(settings: Any) -> Iterator[_Mailbox]:
    """A real SMTP server (aiosmtpd) on a free loopback port; Django's SMTP backend points at
    it for the test. ``smtp_server.messages`` holds every message received, parsed."""
    import socket

    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    import logging

    logging.getLogger("mail.log").setLevel(logging.WARNING)
    mailbox = _Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    try:
        yield mailbox
    finally:
        controller.stop()
