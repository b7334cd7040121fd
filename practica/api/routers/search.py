"""API v1 endpoints of the search feature (see docs/api.md and docs/search.md).

``GET /api/v1/search?q=&community=&type=&tag=`` answers what the caller may see, and nothing
else: the access gate is part of the query (practica.search.query). Signed-out callers get
public content; a community they may not see is a 404 (signed out: 401), like a missing one.
"""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from practica.api.auth import OPTIONAL_AUTH, OPTIONAL_AUTH_OPENAPI, viewer
from practica.api.schemas import ErrorOut
from practica.search import query

router = Router(tags=["search"])


class SearchParams(Schema):
    q: str = Field("", max_length=query.QUERY_MAX, description='Words, "phrases", prefix*.')
    community: str = Field("", max_length=60, description="A community slug to search within.")
    type: str = Field("", max_length=30, description="One registered type, e.g. question.")
    tag: str = Field("", max_length=100, description="A tag slug the results must carry.")
    page: int = Field(1, ge=1, le=query.PAGE_MAX, description="1-based page number.")
    page_size: int = Field(query.PAGE_SIZE, ge=1, le=50, description="Results per page.")


class SearchCommunityOut(Schema):
    id: int
    slug: str
    name: str


class SearchItemOut(Schema):
    type: str
    id: int = Field(..., description="The object's id within its type.")
    title: str
    title_html: str = Field(..., description="The title, escaped, matches in <mark>.")
    snippet: str = Field(..., description="An excerpt, escaped, matches in <mark>.")
    url: str
    community: SearchCommunityOut | None
    created_at: datetime | None


class SearchPage(Schema):
    items: list[SearchItemOut]
    count: int = Field(..., description="Results, capped: 1001 means more than 1,000.")
    count_capped: bool = Field(..., description="True when there are more than 1,000.")
    page: int
    page_size: int


def _item(hit: query.Hit) -> dict[str, object]:
    community = hit.community
    return {
        "type": hit.type,
        "id": hit.object_id,
        "title": hit.title,
        "title_html": str(hit.title_html),
        "snippet": str(hit.snippet_html),
        "url": hit.url,
        "community": (
            {"id": community.pk, "slug": community.slug, "name": community.name}
            if community
            else None
        ),
        "created_at": hit.created_at,
    }


@router.get(
    "/search",
    auth=OPTIONAL_AUTH,
    response={200: SearchPage, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    openapi_extra=OPTIONAL_AUTH_OPENAPI,
)
def search(request: HttpRequest, params: Query[SearchParams]) -> dict[str, object]:
    """Full-text search over questions, answers, channel posts, people, wiki pages and
    resources the caller may see, ranked by relevance, with highlighted snippets."""
    results, _ = query.search_for(
        viewer(request),
        params.q,
        community=params.community,
        type=params.type,
        tag=params.tag,
        page=params.page,
        page_size=params.page_size,
    )
    return {
        "items": [_item(h) for h in results.hits],
        "count": results.count,
        "count_capped": results.capped,
        "page": results.page,
        "page_size": results.page_size,
    }
