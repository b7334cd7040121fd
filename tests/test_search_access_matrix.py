"""The search access matrix: the search page and API × the cast × each visibility.

Each cell indexes one note (a test-only type) in the community of that visibility and asks
for it: with no filter the status is always 200 and the note is *found* only by those who may
read the community (the same rows as tests/test_access_matrix.py's READ), with no trace in the
count otherwise; filtered to the community, the status is the community's own (a 404 or a login
redirect/401 for those who may not see it). People follow the people rule. Same cast order as
the other matrices.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from django.test import Client
from django.utils import timezone

from practica.accounts.services import create_api_token
from practica.communities.models import Visibility
from practica.lib.testing import Cast
from practica.practice.norms.models import Norm
from practica.search import index, registry
from practica.search.registry import Document, SearchType

CAST = (
    "anonymous", "outsider", "org_member", "member", "expert", "facilitator", "coordinator",
    "org_admin", "staff",
)  # fmt: skip
VISIBILITIES = (Visibility.ORGANIZATION, Visibility.PRIVATE, Visibility.PUBLIC)
API = "/api/v1/search"
PAGE = "/search/"
WORD = "wombatology"

# 1 = the note is found (and counted), 0 = no trace of it.
FOUND = {
    "organization": "0 0 1 1 1 1 1 1 1",
    "private":      "0 0 0 1 1 1 1 0 1",
    "public":       "1 1 1 1 1 1 1 1 1",
}  # fmt: skip
PAGE_SCOPED = {
    "organization": "302 404 200 200 200 200 200 200 200",
    "private":      "302 404 404 200 200 200 200 404 200",
    "public":       "200 200 200 200 200 200 200 200 200",
}  # fmt: skip
API_SCOPED = {vis: row.replace("302", "401") for vis, row in PAGE_SCOPED.items()}
PEOPLE_FOUND = "0 0 1 1 1 1 1 1 1"  # who finds Mia Member (the people rule)

_DOCS: dict[int, Document] = {}


@pytest.fixture(autouse=True)
def note_type() -> Iterator[None]:
    registry.register(SearchType(name="t_note", model=Norm, document=lambda n: _DOCS.get(n.pk)))
    yield
    _DOCS.clear()
    registry._types.pop("t_note", None)


def _note(cast: Cast, visibility: str) -> None:
    community = cast.community(visibility)
    norm = Norm.objects.create(community=community, statement="x", position=1)
    _DOCS[norm.pk] = Document(
        title=f"A note on {WORD}",
        body=f"{WORD} in the {visibility} community.",
        url=f"/notes/{norm.pk}/",
        created_at=timezone.now(),
        community_id=community.pk,
    )
    index.update(norm)


def _api_client(cast: Cast, who: str) -> Client:
    if who == "anonymous":
        return Client()
    _, raw = create_api_token(getattr(cast, who), "matrix")
    return Client(headers={"Authorization": f"Bearer {raw}"})


def _cells(table: dict[str, str]) -> list[tuple[str, str, str]]:
    return [
        (vis, who, expected)
        for vis in VISIBILITIES
        for who, expected in zip(CAST, table[vis].split(), strict=True)
    ]


@pytest.mark.parametrize(("visibility", "who", "found"), _cells(FOUND))
def test_search_page_finds_only_what_may_be_seen(
    cast: Cast, visibility: str, who: str, found: str
) -> None:
    _note(cast, visibility)
    response = cast.client(who).get(PAGE, {"q": WORD})
    assert response.status_code == 200
    html = response.content.decode()
    assert (f"{visibility} community" in html) is (found == "1"), who
    assert ("1 result" in html) is (found == "1"), who
    assert ("No results" in html) is (found == "0"), who


@pytest.mark.parametrize(("visibility", "who", "found"), _cells(FOUND))
def test_search_api_finds_only_what_may_be_seen(
    cast: Cast, visibility: str, who: str, found: str
) -> None:
    _note(cast, visibility)
    response = _api_client(cast, who).get(API, {"q": WORD})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == int(found), who
    assert len(body["items"]) == int(found), who
    assert WORD not in json.dumps(body) or found == "1"


@pytest.mark.parametrize(("visibility", "who", "expected"), _cells(PAGE_SCOPED))
def test_search_page_within_a_community(
    cast: Cast, visibility: str, who: str, expected: str
) -> None:
    _note(cast, visibility)
    slug = cast.community(visibility).slug
    response = cast.client(who).get(PAGE, {"q": WORD, "community": slug})
    assert response.status_code == int(expected), who
    if expected == "302":
        assert "/accounts/login/" in response["Location"]
    if expected == "200":
        assert "1 result" in response.content.decode()
    else:  # no trace of the note (the query itself may be echoed in the search box)
        assert "A note on" not in response.content.decode()


@pytest.mark.parametrize(("visibility", "who", "expected"), _cells(API_SCOPED))
def test_search_api_within_a_community(
    cast: Cast, visibility: str, who: str, expected: str
) -> None:
    _note(cast, visibility)
    slug = cast.community(visibility).slug
    response = _api_client(cast, who).get(API, {"q": WORD, "community": slug})
    assert response.status_code == int(expected), who
    if expected == "200":
        assert response.json()["count"] == 1
    else:
        assert "A note on" not in response.content.decode()


@pytest.mark.parametrize(("who", "found"), list(zip(CAST, PEOPLE_FOUND.split(), strict=True)))
def test_people_found_by_those_who_may_see_them(cast: Cast, who: str, found: str) -> None:
    page = cast.client(who).get(PAGE, {"q": "mia", "type": "person"})
    assert page.status_code == 200
    assert (f'href="/people/{cast.member.pk}/"' in page.content.decode()) is (found == "1")
    api = _api_client(cast, who).get(API, {"q": "mia", "type": "person"})
    assert api.status_code == 200 and api.json()["count"] == int(found)


@pytest.mark.parametrize("who", CAST)
def test_bad_filters_are_clear_errors(cast: Cast, who: str) -> None:
    page = cast.client(who).get(PAGE, {"q": WORD, "type": "nope"})
    assert page.status_code == 200 and "Unknown type" in page.content.decode()
    api = _api_client(cast, who).get(API, {"q": WORD, "type": "nope"})
    assert api.status_code == 422 and "Unknown type" in api.json()["detail"]
    missing = _api_client(cast, who).get(API, {"q": WORD, "community": "no-such"})
    assert missing.status_code == (401 if who == "anonymous" else 404)
