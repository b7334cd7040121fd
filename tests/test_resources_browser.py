"""A real browser shares a short video and plays it: the clip is made in the test by Chromium's
own MediaRecorder (a canvas animation, WebM/VP8, no download and no ffmpeg), uploaded through
the page, then played — its currentTime advances, fed by 206 range responses — and a
colleague rates it and says how using it went."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, Response, expect

from practica.lib.testing import load_cast
from practica.resources.models import Resource
from tests.conftest import log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MAKE_CLIP = """async () => {
  const c = document.createElement('canvas'); c.width = 160; c.height = 90;
  document.body.appendChild(c);
  const g = c.getContext('2d');
  const rec = new MediaRecorder(c.captureStream(15), {mimeType: 'video/webm;codecs=vp8'});
  const chunks = [];
  rec.ondataavailable = e => chunks.push(e.data);
  const stopped = new Promise(r => rec.onstop = r);
  rec.start();
  const t0 = performance.now();
  await new Promise(done => {
    (function frame() {
      const t = (performance.now() - t0) / 1000;
      g.fillStyle = '#f4f1ea'; g.fillRect(0, 0, 160, 90);
      g.fillStyle = '#2f6f5e'; g.fillRect(10 + (t * 50) % 120, 30, 30, 30);
      t < 2 ? requestAnimationFrame(frame) : done();
    })();
  });
  rec.stop(); await stopped;
  const bytes = new Uint8Array(await new Blob(chunks).arrayBuffer());
  let s = ''; for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}"""
PLAY = """async () => {
  const v = document.querySelector('video');
  v.muted = true;
  await v.play();
  const start = v.currentTime;
  await new Promise(r => setTimeout(r, 700));
  return {start, now: v.currentTime, paused: v.paused, error: v.error && v.error.code};
}"""


def test_share_a_video_and_play_it(
    page: Page, live_server: Any, tmp_path: Path, settings: Any
) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    cast = load_cast()
    base = live_server.url
    log_in(page, base, cast.member.email)
    page.goto(f"{base}/c/{cast.org_community.slug}/resources/")
    expect(page.get_by_text("No resources shared yet.")).to_be_visible()
    clip = base64.b64decode(page.evaluate(MAKE_CLIP))
    assert clip[:4] == b"\x1a\x45\xdf\xa3"  # an EBML (WebM) header

    page.get_by_role("link", name="Share a resource").click()
    page.get_by_label("Title").fill("Turn and talk: the first two seconds")
    page.get_by_label("Description").fill("Watch how the **partner roles** are set up.")
    page.get_by_label("Grade band").select_option("6-8")
    page.get_by_label("File").set_input_files(
        {"name": "turn and talk.webm", "mimeType": "video/webm", "buffer": clip}
    )
    screenshot(page, "resources-share")
    page.get_by_role("button", name="Share").click()
    expect(page.get_by_text("Shared. Thank you")).to_be_visible()
    resource = Resource.objects.get()
    assert resource.kind == "video" and resource.file_name == "turn-and-talk.webm"

    partials: list[int] = []

    def on_response(response: Response) -> None:
        if response.url.endswith(f"/resources/{resource.pk}/file/"):
            partials.append(response.status)

    page.on("response", on_response)
    page.reload()
    played = page.evaluate(PLAY)
    assert played["error"] is None, played
    assert played["now"] > played["start"] + 0.2, played
    assert 206 in partials, partials
    screenshot(page, "resources-video")

    # A colleague rates it and says how it went; the signals block updates in place.
    log_in(page, base, cast.expert.email)
    page.goto(f"{base}/c/{cast.org_community.slug}/resources/{resource.pk}/")
    page.get_by_label("5", exact=True).check()
    page.get_by_role("button", name="Rate").click()
    expect(page.locator("#signals")).to_contain_text("from 1 rating")
    page.get_by_label("How did it go? (optional)").fill("Used it with my 7th graders; it worked.")
    page.get_by_role("button", name="I used this").click()
    expect(page.locator("#signals")).to_contain_text("Used by 1")
    page.reload()
    expect(page.locator(".res-notes")).to_contain_text("Used it with my 7th graders")
    screenshot(page, "resources-rated")
    page.goto(f"{base}/c/{cast.org_community.slug}/resources/")
    expect(page.locator(".res-list")).to_contain_text("Turn and talk")
    screenshot(page, "resources-list")

    # On a phone the player fits the screen.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base}/c/{cast.org_community.slug}/resources/{resource.pk}/")
    width = page.evaluate("document.querySelector('video').getBoundingClientRect().right")
    assert width <= 390
    screenshot(page, "resources-video-phone")
