"""Resources through HTTP: contributing files and links (pages and API), upload limits enforced
while streaming (nothing left on disk), type checks by content, serving with access checks and
byte ranges, credibility signals, flags past the threshold and the review log, lists and their
query counts, search documents, the nightly refresh and the demo.

The ``media`` fixture points MEDIA_ROOT and the upload temp dir at a fresh tmp dir and makes
uploads over 64 KB spool to that temp dir, so "nothing left behind" is checked on disk.
"""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from practica.accounts.services import create_api_token
from practica.communities.models import Community
from practica.lib.errors import Conflict, Forbidden, Invalid
from practica.lib.testing import Cast
from practica.notifications.models import Notification
from practica.resources import credibility, selectors, services
from practica.resources.demo import ASSETS, minimal_pdf
from practica.resources.models import (
    Decision,
    ModerationEntry,
    Resource,
    ResourceRating,
    Status,
    UploadLimits,
)
from practica.resources.search import document
from practica.scheduling.models import DueJob
from practica.scheduling.services import run_due
from practica.tags.models import Tag

API = "/api/v1"
MB = 1024 * 1024
PNG_HEAD = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489")
MP4_HEAD = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom"


# --- Fixtures and helpers (imported by the other tests/test_resources_*.py) --------------------


@pytest.fixture
def media(tmp_path: Path, settings: Any) -> Path:
    """MEDIA_ROOT and the upload temp dir in tmp; uploads over 64 KB spool to disk there."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "upload-tmp")
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 64 * 1024
    (tmp_path / "upload-tmp").mkdir()
    return tmp_path


def files_under(path: Path) -> list[Path]:
    return [p for p in path.rglob("*") if p.is_file()] if path.exists() else []


def pdf_bytes(text: str = "Planning a discussion lesson") -> bytes:
    return minimal_pdf(text, ["Anticipate, monitor, select, sequence, connect."])


def png_bytes(size: int = 0) -> bytes:
    return PNG_HEAD + b"\x00" * max(size - len(PNG_HEAD), 0)


def docx_bytes(text: str = "Exit ticket ideas") -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr(
            "word/document.xml",
            f"<w:document><w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>",
        )
    return buf.getvalue()


def upload(name: str, data: bytes, mime: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, mime)


def make_file(
    cast: Cast, community: Community | None = None, who: str = "member", **kw: Any
) -> Resource:
    community = community or cast.org_community
    data = kw.pop("data", None) or pdf_bytes()
    name = kw.pop("name", "plan.pdf")
    return services.create_resource(
        getattr(cast, who), community, title=kw.pop("title", "Planning template"),
        upload=upload(name, data), **kw,
    )  # fmt: skip


def make_link(
    cast: Cast, community: Community | None = None, who: str = "member", **kw: Any
) -> Resource:
    return services.create_resource(
        getattr(cast, who),
        community or cast.org_community,
        title=kw.pop("title", "A useful article"),
        url=kw.pop("url", "https://example.org/article"),
        **kw,
    )


def _new_url(community: Community) -> str:
    return reverse("resources:new", args=[community.slug])


def _bearer(cast: Cast, who: str) -> Client:
    token = create_api_token(getattr(cast, who), "t")[1]
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


# --- Contributing through the page --------------------------------------------------------------


def test_a_member_shares_a_pdf_and_sees_its_preview(cast: Cast, media: Path) -> None:
    client = cast.client("member")
    response = client.post(
        _new_url(cast.org_community),
        {
            "title": "Discussion planning template",
            "description": "Use it **before** the lesson.",
            "grade_band": "6-8",
            "file": upload("Planning ÄÖ (v2).pdf", pdf_bytes("Five practices planner")),
        },
    )
    resource = Resource.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "resources:detail", args=[cast.org_community.slug, resource.pk]
    )
    assert resource.kind == "document" and resource.content_type == "application/pdf"
    assert resource.file_name == "Planning-AO-v2.pdf"  # sanitized, extension from the content
    assert resource.file.name.startswith(f"resources/{cast.org_community.pk}/")
    assert "Five practices planner" in resource.preview_text
    assert resource.description_html == "<p>Use it <strong>before</strong> the lesson.</p>\n"
    stored = files_under(media / "media")
    assert [p.name for p in stored] == ["Planning-AO-v2.pdf"]
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert b"Five practices planner" in page.content


def test_a_link_needs_http_or_https(cast: Cast, media: Path) -> None:
    client = cast.client("member")
    bad = client.post(_new_url(cast.org_community), {"title": "Bad", "url": "javascript:alert(1)"})
    assert bad.status_code == 422
    assert b"starting with http:// or https://" in bad.content
    assert not Resource.objects.exists()
    good = client.post(
        _new_url(cast.org_community), {"title": "Good", "url": "https://example.org/x"}
    )
    assert good.status_code == 302
    assert Resource.objects.get().kind == "link"


def test_a_file_or_a_link_not_both_nor_neither(cast: Cast, media: Path) -> None:
    with pytest.raises(Invalid) as neither:
        services.create_resource(cast.member, cast.org_community, title="x")
    assert "Choose a file" in neither.value.errors["file"]
    with pytest.raises(Invalid) as both:
        services.create_resource(
            cast.member, cast.org_community, title="x", url="https://a.org",
            upload=upload("a.pdf", pdf_bytes()),
        )  # fmt: skip
    assert "not both" in both.value.errors["url"]
    assert not Resource.objects.exists() and not files_under(media / "media")


def test_only_members_contribute(cast: Cast, media: Path) -> None:
    assert cast.client("org_member").get(_new_url(cast.org_community)).status_code == 403
    with pytest.raises(Forbidden):
        make_link(cast, who="org_member")


def test_new_tags_need_the_privilege(cast: Cast, media: Path) -> None:
    Tag.objects.create(community=cast.org_community, name="Fractions", slug="fractions")
    with pytest.raises(Invalid) as refused:
        make_link(cast, tags="fractions, brand new tag")
    assert "brand new tag" in refused.value.errors["tags"]
    ok = make_link(cast, tags="Fractions")
    assert [t.slug for t in ok.tags.all()] == ["fractions"]
    by_expert = make_link(cast, who="expert", tags="fractions, exit tickets")
    assert sorted(t.slug for t in by_expert.tags.all()) == ["exit-tickets", "fractions"]


# --- Upload limits while streaming --------------------------------------------------------------


def _set_limits(cast: Cast, media_mb: int, other_mb: int) -> None:
    services.set_upload_limits(
        cast.org_admin, cast.district, media_max_mb=media_mb, other_max_mb=other_mb
    )


def test_an_oversized_upload_is_refused_early_and_leaves_nothing(cast: Cast, media: Path) -> None:
    _set_limits(cast, media_mb=2, other_mb=1)
    client = cast.client("member")
    response = client.post(
        _new_url(cast.org_community),
        {"title": "Huge scan", "file": upload("scan.png", png_bytes(int(1.5 * MB)))},
    )
    assert response.status_code == 413
    assert b"larger than the 1 MB limit for documents and images in Riverside District" in (
        response.content
    )
    assert b"Nothing was saved" in response.content
    assert not Resource.objects.exists()
    assert files_under(media / "media") == []
    assert files_under(media / "upload-tmp") == []


def test_video_has_its_own_larger_limit(cast: Cast, media: Path) -> None:
    _set_limits(cast, media_mb=2, other_mb=1)
    client = cast.client("member")
    ok = client.post(
        _new_url(cast.org_community),
        {"title": "Routine", "file": upload("routine.mp4", MP4_HEAD + b"\x00" * int(1.5 * MB))},
    )
    assert ok.status_code == 302
    assert Resource.objects.get().kind == "video"
    too_big = client.post(
        _new_url(cast.org_community),
        {"title": "Long", "file": upload("long.mp4", MP4_HEAD + b"\x00" * int(2.5 * MB))},
    )
    assert too_big.status_code == 413
    assert b"2 MB limit for video and audio" in too_big.content
    assert Resource.objects.count() == 1
    assert len(files_under(media / "media")) == 1
    assert files_under(media / "upload-tmp") == []


def test_the_api_refuses_an_oversized_multipart_upload(cast: Cast, media: Path) -> None:
    _set_limits(cast, media_mb=1, other_mb=1)
    response = _bearer(cast, "member").post(
        f"{API}/communities/{cast.org_community.slug}/resources",
        {"title": "Huge", "file": upload("big.pdf", b"%PDF-1.4\n" + b"0" * (2 * MB))},
    )
    assert response.status_code == 413
    body = response.json()
    assert body["code"] == "too_large"
    assert "1 MB limit" in body["detail"]
    assert not Resource.objects.exists()
    assert files_under(media / "media") == [] and files_under(media / "upload-tmp") == []


def test_the_handler_stops_reading_into_files_past_the_limit(cast: Cast, media: Path) -> None:
    """The limit handler stops the upload at the first chunk past the limit: the rest of a
    10 MB body is never handed to the file handlers."""
    from django.core.files.uploadhandler import TemporaryFileUploadHandler

    seen: list[int] = []
    original = TemporaryFileUploadHandler.receive_data_chunk

    def spy(self: Any, raw_data: bytes, start: int) -> Any:
        seen.append(len(raw_data))
        return original(self, raw_data, start)

    _set_limits(cast, media_mb=1, other_mb=1)
    TemporaryFileUploadHandler.receive_data_chunk = spy  # type: ignore[method-assign]
    try:
        response = cast.client("member").post(
            _new_url(cast.org_community),
            {"title": "Huge", "file": upload("scan.png", png_bytes(10 * MB))},
        )
    finally:
        TemporaryFileUploadHandler.receive_data_chunk = original  # type: ignore[method-assign]
    assert response.status_code == 413
    assert sum(seen) <= 1 * MB + 64 * 1024


def test_limits_are_the_organizations_and_only_its_admins_change_them(cast: Cast) -> None:
    with pytest.raises(Forbidden):
        services.set_upload_limits(cast.coordinator, cast.district, media_max_mb=1, other_max_mb=1)
    with pytest.raises(Invalid) as bad:
        services.set_upload_limits(cast.org_admin, cast.district, media_max_mb=0, other_max_mb=5)
    assert "media_max_mb" in bad.value.errors
    assert not UploadLimits.objects.exists()


# --- Type by content ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("lesson.pdf", png_bytes(2000), "named “.pdf” but its content is a PNG image"),
        ("clip.mp4", pdf_bytes(), "named “.mp4” but its content is a PDF document"),
        ("notes.xlsx", docx_bytes(), "named “.xlsx” but its content is a Word document"),
        ("tool.pdf", b"MZ\x90\x00" + b"\x00" * 300, "not accepted"),
        ("archive.docx", b"PK\x03\x04" + b"\x00" * 300, "not accepted"),
        ("page.html", b"<html><script>alert(1)</script></html>", "not accepted"),
        ("empty.pdf", b"", "empty"),
    ],
)
def test_content_not_name_decides(
    cast: Cast, media: Path, name: str, data: bytes, message: str
) -> None:
    response = cast.client("member").post(
        _new_url(cast.org_community), {"title": "Mismatch", "file": upload(name, data)}
    )
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Resource.objects.exists()
    assert files_under(media / "media") == []


def test_zip_based_office_files_are_checked_by_their_structure(cast: Cast, media: Path) -> None:
    resource = make_file(cast, data=docx_bytes("Exit ticket ideas for ratios"), name="tickets.docx")
    assert resource.content_type.endswith("wordprocessingml.document")
    assert resource.file_name == "tickets.docx"
    assert "Exit ticket ideas for ratios" in resource.extracted_text
    no_name = make_file(cast, data=png_bytes(500), name="diagram")
    assert no_name.file_name == "diagram.png" and no_name.kind == "image"


def test_the_api_contributes_files_and_links(cast: Cast, media: Path) -> None:
    client = _bearer(cast, "member")
    url = f"{API}/communities/{cast.org_community.slug}/resources"
    made = client.post(url, {"title": "Template", "tags": "", "file": upload("t.pdf", pdf_bytes())})
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["id"] and body["kind"] == "document"
    assert body["file_url"] == f"{API}/resources/{body['id']}/file"
    link = client.post(url, {"title": "Article", "url": "https://example.org/a"})
    assert link.status_code == 201 and link.json()["file_url"] is None
    bad = client.post(url, {"title": "", "url": "ftp://x"})
    assert bad.status_code == 422
    assert set(bad.json()["errors"]) == {"title", "url"}
    assert Resource.objects.count() == 2
    got = client.get(body["file_url"])
    assert got.status_code == 200 and got["Content-Type"] == "application/pdf"


# --- Serving ------------------------------------------------------------------------------------


def _body(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def test_files_are_served_with_safe_headers(cast: Cast, media: Path) -> None:
    pdf = make_file(cast)
    docx = make_file(cast, data=docx_bytes(), name="plan.docx")
    client = cast.client("org_member")
    response = client.get(reverse("resources:file", args=[cast.org_community.slug, pdf.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == 'inline; filename="plan.pdf"'
    assert response["Accept-Ranges"] == "bytes"
    assert _body(response) == pdf.file.open("rb").read()
    office = client.get(reverse("resources:file", args=[cast.org_community.slug, docx.pk]))
    assert office["Content-Disposition"] == 'attachment; filename="plan.docx"'


def test_range_requests(cast: Cast, media: Path) -> None:
    data = (ASSETS / "turn-and-talk.webm").read_bytes()
    clip = make_file(cast, data=data, name="clip.webm")
    assert clip.kind == "video"
    url = reverse("resources:file", args=[cast.org_community.slug, clip.pk])
    client = cast.client("member")
    size = len(data)

    part = client.get(url, HTTP_RANGE="bytes=100-199")
    assert part.status_code == 206
    assert part["Content-Range"] == f"bytes 100-199/{size}"
    assert part["Content-Length"] == "100"
    assert _body(part) == data[100:200]

    tail = client.get(url, HTTP_RANGE="bytes=-10")
    assert tail.status_code == 206 and _body(tail) == data[-10:]
    assert tail["Content-Range"] == f"bytes {size - 10}-{size - 1}/{size}"

    open_end = client.get(url, HTTP_RANGE=f"bytes={size - 5}-")
    assert open_end.status_code == 206 and _body(open_end) == data[-5:]

    past = client.get(url, HTTP_RANGE=f"bytes={size}-")
    assert past.status_code == 416
    assert past["Content-Range"] == f"bytes */{size}"

    full = client.get(url)
    assert full.status_code == 200 and full["Content-Length"] == str(size)
    assert full["Content-Type"] == "video/webm"
    assert full["Content-Disposition"] == 'inline; filename="clip.webm"'
    assert _body(full) == data

    several = client.get(url, HTTP_RANGE="bytes=0-1,5-6")
    assert several.status_code == 200  # several ranges: the whole file, as RFC 9110 allows
    api = _bearer(cast, "member").get(f"{API}/resources/{clip.pk}/file", HTTP_RANGE="bytes=0-3")
    assert api.status_code == 206 and _body(api) == data[:4]


@pytest.mark.parametrize("who", ["outsider", "org_admin", "org_member"])
def test_guessing_a_private_file_url_is_a_404(cast: Cast, media: Path, who: str) -> None:
    resource = make_file(cast, community=cast.private_community)
    page_url = reverse("resources:file", args=[cast.private_community.slug, resource.pk])
    assert cast.client(who).get(page_url).status_code == 404
    assert _bearer(cast, who).get(f"{API}/resources/{resource.pk}/file").status_code == 404
    # The same id under a community they may see is no way in either.
    other = reverse("resources:file", args=[cast.public_community.slug, resource.pk])
    assert cast.client(who).get(other).status_code == 404


def test_an_outsider_gets_404_for_an_organization_file(cast: Cast, media: Path) -> None:
    resource = make_file(cast)
    url = reverse("resources:file", args=[cast.org_community.slug, resource.pk])
    assert cast.client("outsider").get(url).status_code == 404
    anonymous = cast.client(None).get(url)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]


# --- Credibility --------------------------------------------------------------------------------


def test_one_person_rating_many_times_counts_once(cast: Cast, media: Path) -> None:
    resource = make_link(cast)
    for value in (5, 5, 5, 2, 5):
        services.rate(cast.expert, resource, value)
    resource.refresh_from_db()
    once = make_link(cast, title="Twin")
    services.rate(cast.expert, once, 5)
    once.refresh_from_db()
    assert ResourceRating.objects.filter(resource=resource).count() == 1
    assert resource.rating_count == 1
    assert resource.credibility == pytest.approx(once.credibility)


def test_views_never_change_credibility(cast: Cast, media: Path) -> None:
    resource = make_link(cast)
    services.rate(cast.expert, resource, 4)
    resource.refresh_from_db()
    before = resource.credibility
    client = cast.client("org_member")
    url = reverse("resources:detail", args=[cast.org_community.slug, resource.pk])
    for _ in range(5):
        assert client.get(url).status_code == 200
    resource.refresh_from_db()
    assert resource.view_count == 5
    assert resource.credibility == before


def test_used_it_is_the_strongest_signal(cast: Cast, media: Path) -> None:
    rated = make_link(cast, title="Rated")
    used = make_link(cast, title="Used")
    services.rate(cast.expert, rated, 5)
    services.rate(cast.expert, used, 5)
    services.mark_used(cast.expert, used, "Worked in period 2.")
    rated.refresh_from_db()
    used.refresh_from_db()
    assert used.credibility > rated.credibility
    assert used.used_count == 1
    assert Notification.objects.filter(recipient=cast.member, kind="resource_used").exists()


def test_bad_ratings_and_own_resource(cast: Cast, media: Path) -> None:
    resource = make_link(cast)
    for value in (0, 6):
        with pytest.raises(Invalid):
            services.rate(cast.expert, resource, value)
    with pytest.raises(Forbidden):
        services.rate(cast.member, resource, 5)
    with pytest.raises(Forbidden):
        services.mark_used(cast.member, resource)
    client = _bearer(cast, "expert")
    bad = client.put(
        f"{API}/resources/{resource.pk}/rating", {"value": 6}, content_type="application/json"
    )
    assert bad.status_code == 422
    own = _bearer(cast, "member").put(
        f"{API}/resources/{resource.pk}/rating", {"value": 5}, content_type="application/json"
    )
    assert own.status_code == 403 and own.json()["code"] == "own_resource"
    assert not ResourceRating.objects.exists()


def test_expertise_weighs_ratings(cast: Cast, media: Path, monkeypatch: Any) -> None:
    """With earned expertise the expert's rating outweighs a member's (and with {} both weigh
    1, as the other tests show)."""
    Tag.objects.create(community=cast.org_community, name="Ratios", slug="ratios")
    resource = make_link(cast, who="coordinator", tags="ratios")
    services.rate(cast.expert, resource, 5)
    services.rate(cast.member, resource, 1)
    resource.refresh_from_db()
    equal = resource.credibility
    monkeypatch.setattr(
        credibility, "expertise_by_user", lambda c, users, tags: {cast.expert.pk: 20.0}
    )
    credibility.recompute(resource)
    resource.refresh_from_db()
    assert resource.credibility > equal


def test_the_nightly_refresh_decays_old_ratings(cast: Cast, media: Path) -> None:
    resource = make_link(cast)
    services.rate(cast.expert, resource, 5)
    resource.refresh_from_db()
    fresh = resource.credibility
    job = DueJob.objects.get(key=services.JOB_REFRESH)
    ResourceRating.objects.update(updated_at=timezone.now() - timedelta(days=730))
    assert run_due(now=job.due_at + timedelta(minutes=1)) >= 1
    resource.refresh_from_db()
    assert resource.credibility < fresh
    job.refresh_from_db()
    assert job.done_at is None and job.due_at > timezone.now()  # tomorrow night, rescheduled


def test_needs_review_marks(cast: Cast, media: Path) -> None:
    resource = make_link(cast)
    services.mark_needs_review(cast.expert, resource, "The district changed the standards.")
    with pytest.raises(Conflict):
        services.mark_needs_review(cast.expert, resource)
    resource.refresh_from_db()
    assert resource.needs_review_count == 1
    with pytest.raises(Forbidden):
        services.mark_reviewed(cast.expert, resource, "fine")
    services.mark_reviewed(cast.member, resource, "Updated for the new standards.")
    resource.refresh_from_db()
    assert resource.needs_review_count == 0
    assert ModerationEntry.objects.get().action == Decision.REVIEWED


# --- Flags and review ---------------------------------------------------------------------------


def test_flags_past_the_threshold_hide_and_a_restore_keeps_ratings(
    cast: Cast, media: Path, capture_events: Any
) -> None:
    resource = make_link(cast, title="Worksheet with student names")
    services.rate(cast.expert, resource, 4)
    services.mark_used(cast.facilitator, resource, "Good.")
    resource.refresh_from_db()
    score = resource.credibility
    services.update_settings(
        cast.coordinator, cast.org_community,
        flag_threshold=4, weight_member=1, weight_expert=2, weight_leader=3,
    )  # fmt: skip
    with capture_events() as events:
        services.flag(cast.expert, resource, "private_info", "Students' full names on page 2.")
    resource.refresh_from_db()
    assert resource.status == Status.VISIBLE and resource.flag_weight == 2
    with pytest.raises(Conflict):
        services.flag(cast.expert, resource, "spam")
    with capture_events() as events:
        services.flag(cast.facilitator, resource, "private_info")
    resource.refresh_from_db()
    assert resource.status == Status.HIDDEN and resource.flag_weight == 5
    names = [e.name for e in events]
    assert names[0] == "resources.flagged" and names[-1] == "resources.hidden"
    assert names.count("notifications.created") == 3  # the author, the two reviewers
    hidden = events[-1].payload
    assert hidden == {
        "community_id": cast.org_community.pk, "resource_id": resource.pk,
        "author_id": cast.member.pk,
    }  # fmt: skip
    told = Notification.objects.get(recipient=cast.member, kind="resource_hidden")
    assert "private information about students or colleagues (2)" in told.message
    assert document(resource) is None  # out of search while hidden

    # Hidden: gone for readers, still there for the author and reviewers.
    detail = reverse("resources:detail", args=[cast.org_community.slug, resource.pk])
    assert cast.client("org_member").get(detail).status_code == 404
    assert cast.client("member").get(detail).status_code == 200
    assert resource not in selectors.resources(cast.org_community)

    with pytest.raises(Forbidden):
        services.review(cast.expert, resource, action="restore", reason="ok")
    with pytest.raises(Invalid):
        services.review(cast.coordinator, resource, action="restore", reason="")
    services.review(
        cast.coordinator, resource, action="edit", reason="Names removed; fine now.",
        title="Worksheet (names removed)", description="Cleaned.",
    )  # fmt: skip
    resource.refresh_from_db()
    assert resource.status == Status.VISIBLE and resource.title == "Worksheet (names removed)"
    assert resource.credibility == score and resource.rating_count == 1
    log = list(ModerationEntry.objects.filter(resource=resource).order_by("created_at", "id"))
    assert [(e.action, e.actor_id) for e in log] == [
        (Decision.HIDE, None), (Decision.EDIT, cast.coordinator.pk),
    ]  # fmt: skip
    assert log[1].reason == "Names removed; fine now."
    assert cast.client("org_member").get(detail).status_code == 200
    # A new round of flags starts from zero.
    services.flag(cast.expert, resource, "inaccurate")
    resource.refresh_from_db()
    assert resource.status == Status.VISIBLE and resource.flag_weight == 2


def test_remove_through_the_api_and_the_review_log(cast: Cast, media: Path) -> None:
    resource = make_link(cast)
    services.update_settings(
        cast.coordinator, cast.org_community,
        flag_threshold=1, weight_member=1, weight_expert=1, weight_leader=1,
    )  # fmt: skip
    flagged = _bearer(cast, "expert").post(
        f"{API}/resources/{resource.pk}/flags", {"reason": "spam"}, content_type="application/json"
    )
    assert flagged.status_code == 201 and flagged.json()["resource_status"] == "hidden"
    queue = _bearer(cast, "facilitator").get(
        f"{API}/communities/{cast.org_community.slug}/resources/review"
    )
    assert [r["id"] for r in queue.json()["items"]] == [resource.pk]
    removed = _bearer(cast, "facilitator").post(
        f"{API}/resources/{resource.pk}/moderation",
        {"action": "remove", "reason": "An advertisement."},
        content_type="application/json",
    )
    assert removed.status_code == 200 and removed.json()["action"] == "remove"
    log = _bearer(cast, "member").get(f"{API}/resources/{resource.pk}/moderation")
    assert log.status_code == 404  # removed: only reviewers see it now
    log = _bearer(cast, "coordinator").get(f"{API}/resources/{resource.pk}/moderation")
    assert [e["action"] for e in log.json()["items"]] == ["remove", "hide"]
    assert log.json()["items"][0]["reason"] == "An advertisement."


def test_flag_weights_follow_standing(cast: Cast) -> None:
    row = selectors.settings_for(cast.org_community)
    assert services.flag_weight(cast.member, cast.org_community, row) == 1
    assert services.flag_weight(cast.expert, cast.org_community, row) == 2
    assert services.flag_weight(cast.facilitator, cast.org_community, row) == 3
    assert services.flag_weight(cast.coordinator, cast.org_community, row) == 3


def test_settings_refuse_bad_values(cast: Cast) -> None:
    with pytest.raises(Invalid) as bad:
        services.update_settings(
            cast.coordinator, cast.org_community,
            flag_threshold=0, weight_member=1, weight_expert=2, weight_leader=500,
        )  # fmt: skip
    assert set(bad.value.errors) == {"flag_threshold", "weight_leader"}
    with pytest.raises(Forbidden):
        services.update_settings(
            cast.facilitator, cast.org_community,
            flag_threshold=2, weight_member=1, weight_expert=2, weight_leader=3,
        )  # fmt: skip


# --- Lists --------------------------------------------------------------------------------------


def _many(cast: Cast, n: int) -> None:
    tag, _ = Tag.objects.get_or_create(
        community=cast.org_community, slug="routines", defaults={"name": "Routines"}
    )
    for i in range(n):
        r = make_link(cast, title=f"Link {i}", url=f"https://example.org/{i}")
        r.tags.add(tag)
        services.rate(cast.expert, r, 1 + i % 5)


@pytest.mark.parametrize("query", ["", "?sort=newest", "?sort=used&tag=routines", "?grade=6-8"])
def test_the_list_does_not_query_per_row(
    cast: Cast, media: Path, query: str, django_assert_max_num_queries: Any
) -> None:
    client = cast.client("facilitator")
    url = reverse("resources:index", args=[cast.org_community.slug]) + query
    _many(cast, 2)
    with django_assert_max_num_queries(40) as few:
        assert client.get(url).status_code == 200
    baseline = len(few.captured_queries)
    _many(cast, 10)
    with django_assert_max_num_queries(baseline):
        assert client.get(url).status_code == 200


def test_list_orders_and_filters(cast: Cast, media: Path) -> None:
    low = make_link(cast, title="Low", grade_band="9-12")
    high = make_link(cast, title="High", audience_role="coach")
    services.rate(cast.expert, low, 1)
    services.rate(cast.expert, high, 5)
    services.mark_used(cast.facilitator, low)
    services.mark_used(cast.coordinator, low)
    api = _bearer(cast, "org_member")
    url = f"{API}/communities/{cast.org_community.slug}/resources"
    titles = lambda q: [r["title"] for r in api.get(url + q).json()["items"]]  # noqa: E731
    assert titles("") == ["High", "Low"] or titles("")[0] == "Low"
    assert titles("?sort=newest") == ["High", "Low"]
    assert titles("?sort=used") == ["Low", "High"]
    assert titles("?grade_band=9-12") == ["Low"]
    assert titles("?audience_role=coach") == ["High"]
    assert api.get(url + "?sort=bogus").status_code == 422
    page = cast.client("org_member").get(
        reverse("resources:index", args=[cast.org_community.slug]) + "?sort=used"
    )
    assert page.content.index(b"Low") < page.content.index(b"High")


def test_detail_page_does_not_query_per_note(
    cast: Cast, media: Path, django_assert_max_num_queries: Any
) -> None:
    resource = make_link(cast)
    url = reverse("resources:detail", args=[cast.org_community.slug, resource.pk])
    client = cast.client("coordinator")
    services.mark_used(cast.expert, resource, "one")
    with django_assert_max_num_queries(50) as few:
        client.get(url)
    baseline = len(few.captured_queries)
    services.mark_used(cast.facilitator, resource, "two")
    services.flag(cast.expert, resource, "inaccurate")
    with django_assert_max_num_queries(baseline + 1):  # +1: the open-flags block appears
        assert client.get(url).status_code == 200


# --- Search, the question panel, htmx -----------------------------------------------------------


def test_the_search_document(cast: Cast, media: Path) -> None:
    Tag.objects.create(community=cast.org_community, name="Planning", slug="planning")
    resource = make_file(cast, data=pdf_bytes("Anticipating student strategies"), tags="planning")
    doc = document(resource)
    assert doc is not None
    assert doc.title == "Planning template" and doc.community_id == cast.org_community.pk
    assert "Anticipating student strategies" in doc.body and doc.tags == ["Planning"]


def test_rating_with_htmx_swaps_the_signals_block(cast: Cast, media: Path) -> None:
    resource = make_link(cast)
    url = reverse("resources:rate", args=[cast.org_community.slug, resource.pk])
    response = cast.client("expert").post(url, {"value": "4"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    text = response.content.decode()
    assert text.lstrip().startswith('<section id="signals"')
    assert "Thank you for rating it." in text and "from 1 rating" in text
    no_js = cast.client("facilitator").post(url, {"value": "9"})
    assert no_js.status_code == 302
    assert ResourceRating.objects.count() == 1


def test_the_demo_resources(cast: Cast, media: Path) -> None:
    """Our part of the demo on the demo network alone (tests/test_demo.py runs the whole)."""
    from practica import demo
    from practica.resources.demo import load_demo

    orgs = demo._create_organizations()
    people = {spec.key: demo._create_person(spec, orgs) for spec in demo.PEOPLE}
    for spec in demo.COMMUNITIES:
        demo._create_community(spec, orgs, people)
    load_demo()
    math = Resource.objects.filter(community__slug="secondary-math")
    assert {r.kind for r in math} == {"document", "video", "link"}
    template = math.get(kind="document")
    assert template.used_count == 2 and template.rating_count == 2
    assert "Planning a discussion-based math lesson" in template.preview_text
    assert Resource.objects.filter(community__slug="early-literacy").count() == 1


def test_related_question_and_wiki_page(cast: Cast, media: Path) -> None:
    from practica.qa.models import Post
    from practica.wiki.models import Page, Space

    post = Post.objects.create(
        community=cast.org_community, title="How do you launch a task?", author=cast.expert
    )
    elsewhere = Post.objects.create(community=cast.public_community, title="Other", author=None)
    space = Space.objects.create(community=cast.org_community)
    page = Page.objects.create(
        space=space, title="Launch routines", slug="launch-routines", title_key="launch-routines"
    )
    with pytest.raises(Invalid) as bad:
        make_link(cast, related_post_id=elsewhere.pk, wiki_page_id=page.pk + 1000)
    assert set(bad.value.errors) == {"related_post", "wiki_page"}
    resource = make_link(cast, related_post_id=post.pk, wiki_page_id=page.pk)
    html = (
        cast.client("org_member")
        .get(reverse("resources:detail", args=[cast.org_community.slug, resource.pk]))
        .content.decode()
    )
    assert "How do you launch a task?" in html
    assert f'href="/c/{cast.org_community.slug}/wiki/launch-routines/"' in html
    body = _bearer(cast, "member").get(f"{API}/resources/{resource.pk}").json()
    assert body["related_post_id"] == post.pk and body["wiki_page_id"] == page.pk


def test_the_question_page_lists_related_resources(cast: Cast, media: Path) -> None:
    from practica.qa.models import Post

    post = Post.objects.create(
        community=cast.org_community, title="Warm-ups that work?", author=cast.expert
    )
    make_link(cast, title="Which One Doesn't Belong", related_post_id=post.pk)
    url = reverse("qa:question", args=[cast.org_community.slug, post.pk])
    html = cast.client("org_member").get(url).content.decode()
    assert "Resources for this question" in html and "Which One Doesn" in html


def test_the_cached_related_panel_follows_every_resource_write(cast: Cast, media: Path) -> None:
    """The panel is cached per post version; the resources table's triggers bump that version on
    any write (a service, or a bulk update no Python code sees), so the page is never stale."""
    from practica.qa.models import Post

    post = Post.objects.create(
        community=cast.org_community, title="Warm-ups that work?", author=cast.expert
    )
    url = reverse("qa:question", args=[cast.org_community.slug, post.pk])
    client = cast.client("org_member")
    assert "Resources for this question" not in client.get(url).content.decode()  # cached
    resource = make_link(cast, title="Which One Doesn't Belong", related_post_id=post.pk)
    assert "Which One Doesn" in client.get(url).content.decode()
    Resource.objects.filter(pk=resource.pk).update(title="Estimation 180")
    html = client.get(url).content.decode()
    assert "Estimation 180" in html and "Which One Doesn" not in html
    Resource.objects.filter(pk=resource.pk).update(related_post=None)
    assert "Estimation 180" not in client.get(url).content.decode()
