"""What we can show or index from a file without heavy dependencies (docs/resources.md):

- PDF: the first page's text as a preview excerpt, and the text of the first pages (capped)
  for search, with pypdf. A PDF that pypdf cannot read simply gets neither.
- Word (.docx): the document's text for search, read from ``word/document.xml`` in the zip.
- Images are shown as they are (the browser scales them); videos show their first frame with
  ``<video preload="metadata">``; no poster image, thumbnail or transcode is generated.
"""

from __future__ import annotations

import logging
import re
import zipfile
from html import unescape
from typing import IO

from practica.resources.models import EXTRACT_MAX, PREVIEW_MAX

logger = logging.getLogger(__name__)
MAX_PDF_PAGES = 20
MAX_XML_BYTES = 5 * 1024 * 1024


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def pdf_text(fileobj: IO[bytes]) -> tuple[str, str]:
    """(first-page excerpt, text of the first pages), both capped; empty when unreadable."""
    try:
        from pypdf import PdfReader

        fileobj.seek(0)
        reader = PdfReader(fileobj)
        pages: list[str] = []
        size = 0
        for page in reader.pages[:MAX_PDF_PAGES]:
            text = _squash(page.extract_text() or "")
            pages.append(text)
            size += len(text)
            if size > EXTRACT_MAX:
                break
    except Exception:  # a malformed PDF is still a PDF people may download
        logger.info("could not read text from a PDF", exc_info=True)
        return "", ""
    finally:
        fileobj.seek(0)
    excerpt = pages[0][:PREVIEW_MAX] if pages else ""
    return excerpt, " ".join(pages)[:EXTRACT_MAX]


def docx_text(fileobj: IO[bytes]) -> str:
    """The text of a Word document's body (capped), or ""."""
    try:
        fileobj.seek(0)
        with zipfile.ZipFile(fileobj) as archive:
            info = archive.getinfo("word/document.xml")
            if info.file_size > MAX_XML_BYTES:
                return ""
            xml = archive.read(info).decode("utf-8", "ignore")
    except (KeyError, zipfile.BadZipFile, OSError, ValueError):
        return ""
    finally:
        fileobj.seek(0)
    text = re.sub(r"</w:p>", "\n", xml)
    text = re.sub(r"<[^>]+>", " ", text)
    return _squash(unescape(text))[:EXTRACT_MAX]


def extract(fileobj: IO[bytes], mime: str) -> tuple[str, str]:
    """(preview excerpt, searchable text) for a file of type ``mime``."""
    if mime == "application/pdf":
        return pdf_text(fileobj)
    if mime.endswith("wordprocessingml.document"):
        text = docx_text(fileobj)
        return text[:PREVIEW_MAX], text
    return "", ""
