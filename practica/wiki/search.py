"""How a wiki page looks to search (the ``wiki_page`` type registered in ``WikiConfig.ready``).

Access is decided by the search app at query time from ``community_id``/``organization_id``,
the same rules as reading the wiki (``spaces.can_read``)."""

from __future__ import annotations

from practica.search.registry import Document
from practica.wiki import spaces
from practica.wiki.models import Page


def page_document(page: Page) -> Document | None:
    """The page's current text, or None for a page in the trash (not findable)."""
    if page.is_deleted:
        return None
    space = page.space
    ref = spaces.ref_for_space(space)
    return Document(
        title=page.title,
        body=page.body,
        url=ref.url("page", page.slug),
        created_at=page.created_at,
        community_id=space.community_id,
        organization_id=space.organization_id,
        author_id=page.created_by_id,
    )
