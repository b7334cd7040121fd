"""Serving an uploaded file to someone the gate let through: streamed, with single HTTP byte
ranges so video and audio seek in the browser.

- ``Range: bytes=a-b`` / ``a-`` / ``-n`` → 206 with ``Content-Range``; a range starting past
  the end → 416 with ``Content-Range: bytes */size``; several ranges or a malformed header →
  the whole file (200), as RFC 9110 allows.
- ``Content-Type`` is the type found by content at upload; ``Content-Disposition`` is inline
  for video, audio, images and PDF, attachment otherwise; ``X-Content-Type-Options: nosniff``.
- Files are read in 64 KB blocks, never whole. Storage without local files (S3) answers with a
  short-lived signed URL instead (the bucket serves ranges itself), still only after the gate.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import IO

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils.http import content_disposition_header

from practica.resources.models import Resource
from practica.resources.uploads import is_inline

BLOCK = 64 * 1024
RANGE_RE = re.compile(r"^bytes=(\d*)-(\d*)$")


def parse_range(header: str, size: int) -> tuple[int, int] | bool | None:
    """(first, last) byte positions of a satisfiable single range; None to serve it all (no
    header, several ranges, malformed); False when unsatisfiable (416)."""
    match = RANGE_RE.match(header.strip()) if header else None
    if match is None:
        return None
    first_s, last_s = match.groups()
    if not first_s and not last_s:
        return None
    if not first_s:  # the last n bytes
        n = int(last_s)
        if n == 0 or size == 0:
            return False
        return max(size - n, 0), size - 1
    first = int(first_s)
    if first >= size:
        return False
    last = int(last_s) if last_s else size - 1
    if last < first:
        return None
    return first, min(last, size - 1)


def _blocks(handle: IO[bytes], first: int, length: int) -> Iterator[bytes]:
    try:
        handle.seek(first)
        left = length
        while left > 0:
            block = handle.read(min(BLOCK, left))
            if not block:
                break
            left -= len(block)
            yield block
    finally:
        handle.close()


def _has_local_files(resource: Resource) -> bool:
    try:
        resource.file.storage.path(resource.file.name)
    except NotImplementedError:
        return False
    return True


def serve(request: HttpRequest, resource: Resource) -> HttpResponseBase:
    """The file of ``resource`` (the caller has already checked access)."""
    if not _has_local_files(resource):
        return HttpResponseRedirect(resource.file.storage.url(resource.file.name))
    size = resource.file.storage.size(resource.file.name)
    wanted = parse_range(request.headers.get("Range", ""), size)
    if wanted is False:
        refused = HttpResponse(status=416)
        refused["Content-Range"] = f"bytes */{size}"
        return _headers(refused, resource)
    first, last = wanted if isinstance(wanted, tuple) else (0, size - 1)
    length = max(last - first + 1, 0)
    handle = resource.file.storage.open(resource.file.name, "rb")
    body = _blocks(handle, first, length) if request.method != "HEAD" else iter(())
    if request.method == "HEAD":
        handle.close()
    response = StreamingHttpResponse(
        body, status=206 if isinstance(wanted, tuple) else 200, content_type=resource.content_type
    )
    response["Content-Length"] = str(length)
    if isinstance(wanted, tuple):
        response["Content-Range"] = f"bytes {first}-{last}/{size}"
    return _headers(response, resource)


def _headers(response: HttpResponseBase, resource: Resource) -> HttpResponseBase:
    inline = is_inline(resource.kind, resource.content_type)
    response["Accept-Ranges"] = "bytes"
    response["X-Content-Type-Options"] = "nosniff"
    disposition = content_disposition_header(not inline, resource.file_name)
    if disposition:
        response["Content-Disposition"] = disposition
    # Private to the people who may see it: never stored by shared caches.
    response["Cache-Control"] = "private, max-age=3600"
    return response
