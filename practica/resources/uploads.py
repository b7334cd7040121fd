"""Uploaded files: what we accept (by content, never by name), how big, and under what name.

- :func:`sniff` reads the first bytes (magic numbers, via ``filetype``) and, for zip-based
  office files, the zip's table of contents; the name's extension must agree with the content.
- :class:`LimitedUploadHandler` (first in ``FILE_UPLOAD_HANDLERS``) enforces the owning
  organization's size limit *while the body streams in*, for the resource upload URLs only: past
  the limit it raises ``StopUpload``, so the rest of the body is discarded unread into any file,
  the partial temporary file is closed (and so deleted), and the view answers 413.
- :func:`safe_name` makes the stored file name.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import IO, Any

import filetype  # type: ignore[import-untyped]
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest

from practica.resources.models import (
    DEFAULT_MEDIA_MAX_MB,
    DEFAULT_OTHER_MAX_MB,
    Kind,
    UploadLimits,
)

MB = 1024 * 1024
SNIFF_BYTES = 8192
# The views whose POST carries a resource file (their URL has the community ``slug``).
UPLOAD_VIEWS = frozenset({"resources:new", "api:community_resources"})
REFUSAL_ATTR = "resource_upload_refusal"


@dataclass(frozen=True)
class FileType:
    kind: str
    mime: str
    extension: str  # the canonical one, used for the stored name
    extensions: frozenset[str]  # names we accept for this content
    label: str


def _t(kind: str, mime: str, ext: str, label: str, *more: str) -> FileType:
    return FileType(kind, mime, ext, frozenset({ext, *more}), label)


# filetype's extension -> what we accept it as.
ACCEPTED: dict[str, FileType] = {
    "mp4": _t(Kind.VIDEO, "video/mp4", "mp4", "an MP4 video", "m4v"),
    "m4v": _t(Kind.VIDEO, "video/mp4", "mp4", "an MP4 video", "m4v"),
    "webm": _t(Kind.VIDEO, "video/webm", "webm", "a WebM video"),
    "ogg": _t(Kind.AUDIO, "audio/ogg", "ogg", "an Ogg audio file", "oga", "opus"),
    "mp3": _t(Kind.AUDIO, "audio/mpeg", "mp3", "an MP3 audio file"),
    "m4a": _t(Kind.AUDIO, "audio/mp4", "m4a", "an M4A audio file"),
    "png": _t(Kind.IMAGE, "image/png", "png", "a PNG image"),
    "jpg": _t(Kind.IMAGE, "image/jpeg", "jpg", "a JPEG image", "jpeg"),
    "gif": _t(Kind.IMAGE, "image/gif", "gif", "a GIF image"),
    "webp": _t(Kind.IMAGE, "image/webp", "webp", "a WebP image"),
    "pdf": _t(Kind.DOCUMENT, "application/pdf", "pdf", "a PDF document"),
}
OGG_VIDEO = _t(Kind.VIDEO, "video/ogg", "ogv", "an Ogg video")
# The main part each OOXML format must contain (besides [Content_Types].xml).
OFFICE: dict[str, FileType] = {
    "word/document.xml": _t(
        Kind.DOCUMENT,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "docx",
        "a Word document",
    ),
    "xl/workbook.xml": _t(
        Kind.DOCUMENT,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xlsx",
        "an Excel spreadsheet",
    ),
    "ppt/presentation.xml": _t(
        Kind.DOCUMENT,
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "pptx",
        "a PowerPoint presentation",
    ),
}
ACCEPTED_NAMES = "PDF, Word, Excel, PowerPoint, MP4, WebM, Ogg, MP3, M4A, PNG, JPEG, GIF, WebP"
INLINE_KINDS = frozenset({Kind.VIDEO, Kind.AUDIO, Kind.IMAGE})


class Refused(Exception):
    """The file is not acceptable; the message says why, for the person who sent it."""


def extension_of(name: str) -> str:
    base = name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    return base.rsplit(".", 1)[-1].lower() if "." in base.strip(".") else ""


def _office_type(fileobj: IO[bytes]) -> FileType | None:
    """The OOXML type of a zip (docx/xlsx/pptx) from its table of contents, or None."""
    try:
        fileobj.seek(0)
        with zipfile.ZipFile(fileobj) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    for main_part, found in OFFICE.items():
        if main_part in names:
            return found
    return None


def sniff(fileobj: IO[bytes], name: str) -> FileType:
    """What ``fileobj`` is, judged by its content; Refused when it is not a type we accept or
    when ``name``'s extension says something else. Leaves the file at position 0."""
    fileobj.seek(0)
    head = fileobj.read(SNIFF_BYTES)
    fileobj.seek(0)
    if not head:
        raise Refused("The file is empty.")
    guess = filetype.guess(head)
    found: FileType | None = None
    if guess is not None and guess.extension in ACCEPTED:
        found = ACCEPTED[guess.extension]
    elif head[:4] == b"PK\x03\x04":
        found = _office_type(fileobj)
        fileobj.seek(0)
    if found is None:
        what = f" (it looks like {guess.mime})" if guess is not None else ""
        raise Refused(f"This type of file is not accepted{what}. Accepted: {ACCEPTED_NAMES}.")
    ext = extension_of(name)
    if found.extension == "ogg" and ext == "ogv":
        return OGG_VIDEO
    if ext and ext not in found.extensions:
        raise Refused(
            f"The file is named “.{ext}” but its content is {found.label}: "
            f"rename it to .{found.extension} if that is what you meant to share."
        )
    return found


def safe_name(name: str, extension: str) -> str:
    """A plain ASCII file name (letters, digits, ``-_.``), at most 80 characters, with the
    extension the content deserves."""
    base = name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    if "." in base.strip("."):
        base = base.rsplit(".", 1)[0]
    ascii_name = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode()
    cleaned = re.sub(r"[^A-Za-z0-9_-]+", "-", ascii_name).strip("-._")[:70]
    return f"{cleaned or 'file'}.{extension}"


# --- Limits -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Limits:
    media_max_mb: int = DEFAULT_MEDIA_MAX_MB
    other_max_mb: int = DEFAULT_OTHER_MAX_MB
    organization: str = ""

    def max_bytes(self, kind: str) -> int:
        return (self.media_max_mb if kind in (Kind.VIDEO, Kind.AUDIO) else self.other_max_mb) * MB

    def too_large(self, kind: str) -> str:
        where = f" in {self.organization}" if self.organization else ""
        if kind in (Kind.VIDEO, Kind.AUDIO):
            return (
                f"The file is larger than the {self.media_max_mb} MB limit for video and audio"
                f"{where}. Nothing was saved: shorten or compress it, or share a link instead."
            )
        return (
            f"The file is larger than the {self.other_max_mb} MB limit for documents and images"
            f"{where} (video and audio: {self.media_max_mb} MB). Nothing was saved."
        )


def limits_for_organization(organization_id: int, name: str = "") -> Limits:
    row = UploadLimits.objects.filter(organization_id=organization_id).first()
    if row is None:
        return Limits(organization=name)
    return Limits(row.media_max_mb, row.other_max_mb, name)


def _limits_for_slug(slug: str) -> Limits:
    from practica.communities.models import Community

    found = (
        Community.objects.filter(slug=slug)
        .values_list("organization_id", "organization__name")
        .first()
    )
    return limits_for_organization(found[0], found[1]) if found else Limits()


def _kind_of_head(head: bytes) -> str:
    guess = filetype.guess(head)
    found = ACCEPTED.get(guess.extension) if guess is not None else None
    return found.kind if found is not None else Kind.DOCUMENT


class LimitedUploadHandler(FileUploadHandler):
    """Counts each file's bytes as they arrive and stops the upload past the limit.

    Active only for POSTs to :data:`UPLOAD_VIEWS` (other uploads pass through untouched). The
    kind, and so the limit, is judged from the file's first chunk; the real type check is
    :func:`sniff`, after the upload. On refusal the message is left on the request under
    :data:`REFUSAL_ATTR` for the view.
    """

    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.limits: Limits | None = None
        self.max_bytes = 0
        self.received = 0

    def handle_raw_input(
        self,
        input_data: Any,
        META: dict[str, Any],
        content_length: int,
        boundary: str,
        encoding: str | None = None,
    ) -> None:
        request = self.request
        match = getattr(request, "resolver_match", None)
        if request is None or request.method != "POST" or match is None:
            return
        if match.view_name in UPLOAD_VIEWS:
            self.limits = _limits_for_slug(str(match.kwargs.get("slug", "")))

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0
        self.max_bytes = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        if self.limits is None:
            return raw_data
        if start == 0:
            self.kind = _kind_of_head(raw_data[:SNIFF_BYTES])
            self.max_bytes = self.limits.max_bytes(self.kind)
        self.received += len(raw_data)
        if self.received > self.max_bytes:
            setattr(self.request, REFUSAL_ATTR, self.limits.too_large(self.kind))
            # Not a connection reset: the rest of the body is read and discarded, so the
            # client (a browser form too) gets our answer instead of a broken connection.
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def refusal(request: HttpRequest) -> str | None:
    """The size refusal recorded while this request's body streamed in, if any."""
    value = getattr(request, REFUSAL_ATTR, None)
    return str(value) if value else None


def is_inline(kind: str, mime: str) -> bool:
    """Shown in the browser (media, images, PDF) rather than downloaded."""
    return kind in INLINE_KINDS or mime == "application/pdf"
