"""Real browsers on a real server: two people on one question; one answers, the other sees
the answer appear within 2 s, without reloading; "N people are viewing" counts both.

The server runs in subprocesses, as ``practica serve`` runs it (pages on granian WSGI, the
stream on its own granian ASGI process on another port) and on one port (``practica.asgi``):
the SSE stream needs a real ASGI server, never Django's WSGI live server. It must share the
test database: this runs
in the PostgreSQL pass of ``make test`` and is skipped on SQLite, whose test database lives
inside this process.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from practica.lib.testing import Cast
from practica.qa import services as qa_services
from tests.conftest import log_in, screenshot
from tests.realtime_support import Server, postgres_url_of_test_database

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(params=["split", "one-port"])
def server(request: pytest.FixtureRequest, transactional_db: None) -> Iterator[Server]:
    """As ``practica serve`` runs it (pages on WSGI, the stream in its own process on another
    port of the same host: the browser opens it cross-port with credentials), and on one port
    (``practica.asgi``)."""
    database = postgres_url_of_test_database()
    if database is None:
        pytest.skip("needs PostgreSQL (PRACTICA_TEST_DATABASE_URL): the server shares the database")
    var = tempfile.mkdtemp(prefix="practica-live-")
    env = {**os.environ, "PRACTICA_VAR_DIR": var, "PRACTICA_ENV": "test",
           "PRACTICA_TEST_DATABASE_URL": database}  # fmt: skip
    subprocess.run(
        [sys.executable, "-m", "django", "collectstatic", "--noinput", "-v0",
         "--settings", "practica.settings"],
        cwd=ROOT, env=env, check=True,
    )  # fmt: skip
    running = Server(database, split=request.param == "split", PRACTICA_VAR_DIR=var)
    try:
        running.wait_healthy()
        yield running
    finally:
        running.stop()


def _signed_in(browser: Browser, base: str, email: str) -> Page:
    page = browser.new_context(viewport={"width": 1200, "height": 900}).new_page()
    page.set_default_timeout(15_000)
    log_in(page, base, email)
    return page


def test_an_answer_appears_live_for_another_reader(
    browser: Browser, server: Server, cast: Cast
) -> None:
    post = qa_services.create_post(
        cast.member, cast.org_community, kind="question",
        title="How do you get quiet students talking in a number talk?",
        body="Mine go silent the moment I ask *why*.", tags=[],
    )  # fmt: skip
    url = f"{server.url}/c/{cast.org_community.slug}/questions/{post.pk}/"
    reader = _signed_in(browser, server.url, cast.member.email)
    writer = _signed_in(browser, server.url, cast.expert.email)
    reader.goto(url)
    reader.wait_for_function("() => window.practicaLive && window.practicaLive.connected")
    if server.stream_port != server.port:  # the stream is another process: reached cross-port
        assert reader.locator("body").get_attribute("data-stream-port") == str(server.stream_port)
    writer.goto(url)
    writer.wait_for_function("() => window.practicaLive && window.practicaLive.connected")
    expect(reader.locator("[data-presence-count]")).to_have_text("2", timeout=5_000)
    expect(reader.locator(".presence-label")).to_have_text("people viewing")

    writer.locator("#your-answer textarea").fill(
        "Start with a *which one doesn't belong* image: every answer is defensible, "
        "so nobody risks being wrong."
    )
    writer.get_by_role("button", name="Post your answer").click()
    answer = reader.get_by_text("which one doesn't belong", exact=False)
    expect(answer).to_be_visible(timeout=2_000)
    expect(reader.locator(".qa-answer")).to_have_count(1)  # once, not twice
    screenshot(reader, "realtime-live-answer")
    writer.context.close()
    expect(reader.locator("[data-presence-count]")).to_have_text("1", timeout=5_000)
    expect(reader.locator(".presence-label")).to_have_text("person viewing")
    reader.context.close()
