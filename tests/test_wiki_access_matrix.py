"""The wiki access matrix: every wiki URL and API endpoint × the cast × each visibility (and an
organization's wiki) → the expected status. Same format and cast order as
tests/test_norms_access_matrix.py.

Each cell starts from a page "First week" with two revisions (by member, then expert) in the
community's wiki, and a page "Calendar" in Riverside District's wiki (by org_admin). Readers are
those who may see the community (the organization); editors are the community's members and
those who manage its members (the organization's own members and admins: belonging to a school
below the district lets you read the district's wiki, not edit it); curators (trash, protect,
restore) are facilitators, coordinators, org admins, staff; promoting from Q&A needs
``Privilege.PROMOTE_TO_WIKI``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from practica.communities.models import Visibility
from practica.lib.testing import Cast
from practica.wiki import services, spaces
from practica.wiki.models import Page, Revision
from tests.matrix import CAST, api_client, check_row, login_redirect, page_client

VISIBILITIES = (Visibility.ORGANIZATION, Visibility.PRIVATE, Visibility.PUBLIC)
API = "/api/v1"


@dataclass
class World:
    slug: str
    page: Page
    first: Revision
    post_id: int
    answer_id: int
    cast: Cast


def _world(cast: Cast, visibility: str) -> World:
    from practica.qa.models import Answer, Post

    community = cast.community(visibility)
    ref = spaces.for_community(community)
    page = services.save_page(cast.member, ref, page=None, title="First week",
                              body="Keys at the office.\n").page  # fmt: skip
    first = page.current_revision
    assert first is not None
    services.save_page(cast.expert, ref, page=page, title="First week",
                       body="Keys at the front office.\n", base_revision_id=first.pk)  # fmt: skip
    post = Post.objects.create(community=community, title="How do PLCs start?", author=cast.member)
    answer = Answer.objects.create(post=post, author=cast.expert, body="With norms.")
    return World(community.slug, page, first, post.pk, answer.pk, cast)


UrlFor = Callable[[World], str]
DataFor = Callable[[World], dict[str, Any]]


def space(name: str) -> UrlFor:
    return lambda w: reverse(f"wiki:{name}", args=[w.slug])


def on_page(name: str) -> UrlFor:
    return lambda w: reverse(f"wiki:{name}", args=[w.slug, w.page.slug])


def fixed(data: dict[str, Any]) -> DataFor:
    return lambda w: data


def _edit_data(w: World) -> dict[str, Any]:
    return {"title": "First week", "body": "Keys at the front desk.\n",
            "base_revision": Page.objects.get(pk=w.page.pk).current_revision_id}  # fmt: skip


READ = {
    "organization": "302 404 200 200 200 200 200 200 200",
    "private":      "302 404 404 200 200 200 200 404 200",
    "public":       "200 200 200 200 200 200 200 200 200",
}  # fmt: skip
EDITORS_GET = {
    "organization": "302 404 403 200 200 200 200 200 200",
    "private":      "302 404 404 200 200 200 200 404 200",
    "public":       "302 403 403 200 200 200 200 200 200",
}  # fmt: skip
EDITORS_POST = {vis: row.replace("200", "302") for vis, row in EDITORS_GET.items()}
CURATORS_GET = {
    "organization": "302 404 403 403 403 200 200 200 200",
    "private":      "302 404 404 403 403 200 200 404 200",
    "public":       "302 403 403 403 403 200 200 200 200",
}  # fmt: skip
CURATORS_POST = {vis: row.replace("200", "302") for vis, row in CURATORS_GET.items()}
READERS_POST = {
    "organization": "302 404 302 302 302 302 302 302 302",
    "private":      "302 404 404 302 302 302 302 404 302",
    "public":       "302 302 302 302 302 302 302 302 302",
}  # fmt: skip
PROMOTERS_GET = {
    "organization": "302 404 403 403 200 200 200 403 200",
    "private":      "302 404 404 403 200 200 200 404 200",
    "public":       "302 403 403 403 200 200 200 403 200",
}  # fmt: skip

# (name, method, url, data, {visibility: expected statuses in CAST order})
ROWS: list[tuple[str, str, UrlFor, DataFor, dict[str, str]]] = [
    ("index", "get", space("index"), fixed({}), READ),
    ("changes", "get", space("changes"), fixed({"days": "7"}), READ),
    ("page", "get", on_page("page"), fixed({}), READ),
    ("history", "get", on_page("history"), fixed({}), READ),
    ("diff", "get", on_page("diff"), fixed({"view": "side"}), READ),
    ("revision", "get", lambda w: reverse("wiki:revision", args=[w.slug, w.page.slug, w.first.pk]),
     fixed({}), READ),
    ("new", "get", space("new"), fixed({"title": "Glossary"}), EDITORS_GET),
    ("new-post", "post", space("new"), fixed({"title": "Glossary", "body": "Words."}),
     EDITORS_POST),
    ("edit", "get", on_page("edit"), fixed({}), EDITORS_GET),
    ("edit-post", "post", on_page("edit"), _edit_data, EDITORS_POST),
    ("revert", "post", on_page("revert"), lambda w: {"revision": w.first.pk}, EDITORS_POST),
    ("watch", "post", on_page("watch"), fixed({"watch": "1"}), READERS_POST),
    ("trash", "get", space("trash"), fixed({}), CURATORS_GET),
    ("protect", "post", on_page("protect"), fixed({"protected": "1"}), CURATORS_POST),
    ("delete", "post", on_page("delete"), fixed({}), CURATORS_POST),
    # Not in the trash: curators are told so (a message, 302).
    ("restore", "post", on_page("restore"), fixed({}), CURATORS_POST),
    ("promote", "get", lambda w: reverse("wiki:promote", args=[w.slug, w.post_id]),
     lambda w: {"answer": w.answer_id}, PROMOTERS_GET),
    ("promote-post", "post", lambda w: reverse("wiki:promote", args=[w.slug, w.post_id]),
     lambda w: {"answer": w.answer_id, "title": "Starting a PLC"},
     {vis: row.replace("200", "302") for vis, row in PROMOTERS_GET.items()}),
]  # fmt: skip


@pytest.mark.parametrize(("method", "url_for", "data_for", "visibility", "expected"), [
    pytest.param(method, url_for, data_for, vis, by_vis[vis], id=f"{name}-{vis}")
    for name, method, url_for, data_for, by_vis in ROWS
    for vis in VISIBILITIES
])  # fmt: skip
def test_wiki_matrix(
    cast: Cast, method: str, url_for: UrlFor, data_for: DataFor, visibility: str, expected: str
) -> None:
    world = _world(cast, visibility)
    check_row(
        page_client(cast),
        lambda client, who: getattr(client, method)(url_for(world), data_for(world)),
        expected,
        on_redirect=login_redirect,
    )


NOT_FOUND = "302 404 404 404 404 404 404 404 404"


def test_a_missing_community_or_page_looks_like_a_private_one(cast: Cast) -> None:
    missing = reverse("wiki:index", args=["no-such-community"])
    check_row(page_client(cast), lambda client, who: client.get(missing), NOT_FOUND)
    world = _world(cast, Visibility.PUBLIC)
    page = reverse("wiki:page", args=[world.slug, "no-such-page"])
    check_row(page_client(cast), lambda client, who: client.get(page), NOT_FOUND)


def test_a_trashed_page_is_gone_for_all_but_curators(cast: Cast) -> None:
    world = _world(cast, Visibility.ORGANIZATION)
    services.delete_page(cast.facilitator, spaces.for_community(cast.org_community), world.page)
    url = reverse("wiki:page", args=[world.slug, world.page.slug])
    got = {who: cast.client(who).get(url).status_code for who in CAST}
    assert got == {"anonymous": 302, "outsider": 404, "org_member": 404, "member": 404,
                   "expert": 404, "facilitator": 200, "coordinator": 200, "org_admin": 200,
                   "staff": 200}  # fmt: skip


# --- An organization's wiki (Riverside District; everyone but org_admin is at a school) ---------

ORG_READ = "302 404 200 200 200 200 200 200 200"
ORG_EDIT_GET = "302 404 403 403 403 403 403 200 200"
ORG_EDIT_POST = ORG_EDIT_GET.replace("200", "302")


def _org_page(cast: Cast) -> Page:
    ref = spaces.for_organization(cast.district)
    page = services.save_page(cast.org_admin, ref, page=None, title="Calendar", body="Days.\n")
    return page.page


def org(name: str, page: bool = True) -> Callable[[Cast, Page], str]:
    def url(cast: Cast, p: Page) -> str:
        args = [cast.district.slug, p.slug] if page else [cast.district.slug]
        return reverse(f"wiki:org-{name}", args=args)

    return url


ORG_ROWS: list[tuple[str, str, Callable[[Cast, Page], str], dict[str, Any], str]] = [
    ("index", "get", org("index", page=False), {}, ORG_READ),
    ("changes", "get", org("changes", page=False), {}, ORG_READ),
    ("page", "get", org("page"), {}, ORG_READ),
    ("history", "get", org("history"), {}, ORG_READ),
    ("diff", "get", org("diff"), {}, ORG_READ),
    ("watch", "post", org("watch"), {"watch": "1"}, ORG_READ.replace("200", "302")),
    ("new", "get", org("new", page=False), {}, ORG_EDIT_GET),
    ("new-post", "post", org("new", page=False), {"title": "Glossary", "body": "x"}, ORG_EDIT_POST),
    ("edit", "get", org("edit"), {}, ORG_EDIT_GET),
    ("trash", "get", org("trash", page=False), {}, ORG_EDIT_GET),
    ("protect", "post", org("protect"), {"protected": "1"}, ORG_EDIT_POST),
    ("delete", "post", org("delete"), {}, ORG_EDIT_POST),
]  # fmt: skip


@pytest.mark.parametrize(("method", "url_for", "data", "expected"), [
    pytest.param(method, url_for, data, row, id=f"org-{name}")
    for name, method, url_for, data, row in ORG_ROWS
])  # fmt: skip
def test_org_wiki_matrix(
    cast: Cast, method: str, url_for: Callable[[Cast, Page], str], data: dict[str, Any],
    expected: str,
) -> None:  # fmt: skip
    page = _org_page(cast)
    check_row(
        page_client(cast),
        lambda client, who: getattr(client, method)(url_for(cast, page), data),
        expected,
    )


def test_a_schools_own_members_edit_its_wiki(cast: Cast) -> None:
    url = reverse("wiki:org-new", args=[cast.school.slug])
    got = {who: cast.client(who).get(url).status_code for who in CAST}
    assert got == {"anonymous": 302, "outsider": 404, "org_member": 200, "member": 200,
                   "expert": 200, "facilitator": 200, "coordinator": 200, "org_admin": 200,
                   "staff": 200}  # fmt: skip


# --- The API ------------------------------------------------------------------------------------

PathFor = Callable[[World], str]


def api(suffix: str = "") -> PathFor:
    return lambda w: f"{API}/communities/{w.slug}/wiki{suffix}"


API_READ = {
    "organization": "401 404 200 200 200 200 200 200 200",
    "private":      "401 404 404 200 200 200 200 404 200",
    "public":       "200 200 200 200 200 200 200 200 200",
}  # fmt: skip


def _editors(ok: str) -> dict[str, str]:
    return {
        "organization": f"401 404 403 {ok} {ok} {ok} {ok} {ok} {ok}",
        "private":      f"401 404 404 {ok} {ok} {ok} {ok} 404 {ok}",
        "public":       f"401 403 403 {ok} {ok} {ok} {ok} {ok} {ok}",
    }  # fmt: skip


def _diff_path(w: World) -> str:
    current = Page.objects.get(pk=w.page.pk).current_revision_id
    return f"{API}/communities/{w.slug}/wiki/first-week/diff?from={w.first.pk}&to={current}"


API_ROWS: list[tuple[str, str, PathFor, DataFor | None, dict[str, str]]] = [
    ("list", "get", api(), None, API_READ),
    ("changes", "get", api("/changes"), None, API_READ),
    ("page", "get", api("/first-week"), None, API_READ),
    ("revisions", "get", api("/first-week/revisions"), None, API_READ),
    ("diff", "get", _diff_path, None, API_READ),
    ("create", "put", api("/glossary"), fixed({"title": "Glossary", "body": "Words."}),
     _editors("201")),
    ("edit", "put", api("/first-week"), _edit_data, _editors("200")),
    ("revert", "post", api("/first-week/revert"), lambda w: {"revision": w.first.pk},
     _editors("200")),
]  # fmt: skip


def _client(cast: Cast, who: str) -> Client:
    return api_client(cast)(who)


def _call(client: Client, method: str, path: str, data: dict[str, Any] | None) -> Any:
    if method == "get":
        return client.get(path)
    body = json.dumps(data or {})
    return getattr(client, method)(path, data=body, content_type="application/json")


@pytest.mark.parametrize(("method", "path_for", "data_for", "visibility", "expected"), [
    pytest.param(method, path_for, data_for, vis, by_vis[vis], id=f"{name}-{vis}")
    for name, method, path_for, data_for, by_vis in API_ROWS
    for vis in VISIBILITIES
])  # fmt: skip
def test_wiki_api_matrix(
    cast: Cast,
    method: str,
    path_for: PathFor,
    data_for: DataFor | None,
    visibility: str,
    expected: str,
) -> None:
    world = _world(cast, visibility)

    def call(client: Client, who: str) -> Any:
        response = _call(client, method, path_for(world), data_for(world) if data_for else None)
        if response.status_code >= 400:
            assert set(response.json()) >= {"detail", "code"}
        return response

    check_row(api_client(cast), call, expected)


ORG_API_READ = "401 404 200 200 200 200 200 200 200"
ORG_API_ROWS: list[tuple[str, str, str, dict[str, Any] | None, str]] = [
    ("list", "get", "", None, ORG_API_READ),
    ("changes", "get", "/changes", None, ORG_API_READ),
    ("page", "get", "/calendar", None, ORG_API_READ),
    ("revisions", "get", "/calendar/revisions", None, ORG_API_READ),
    ("create", "put", "/glossary", {"title": "Glossary", "body": "x"},
     "401 404 403 403 403 403 403 201 201"),
]  # fmt: skip


@pytest.mark.parametrize(("method", "suffix", "data", "expected"), [
    pytest.param(method, suffix, data, row, id=f"org-{name}")
    for name, method, suffix, data, row in ORG_API_ROWS
])  # fmt: skip
def test_org_wiki_api_matrix(
    cast: Cast, method: str, suffix: str, data: dict[str, Any] | None, expected: str
) -> None:
    page = _org_page(cast)
    path = f"{API}/organizations/{cast.district.slug}/wiki{suffix}"

    def call(client: Client, who: str) -> Any:
        response = _call(client, method, path, data)
        if method == "get" and response.status_code == 200 and suffix == "/calendar":
            assert response.json()["revision"] == page.current_revision_id
        return response

    check_row(api_client(cast), call, expected)


def test_org_api_edit_and_revert(cast: Cast) -> None:
    page = _org_page(cast)
    path = f"{API}/organizations/{cast.district.slug}/wiki/calendar"
    base = {"title": "Calendar", "body": "More days.", "base_revision": page.current_revision_id}
    for who, expected in (("org_member", 403), ("org_admin", 200)):
        assert _call(_client(cast, who), "put", path, base).status_code == expected
    revert = {"revision": page.current_revision_id}
    assert _call(_client(cast, "member"), "post", path + "/revert", revert).status_code == 403
    assert _call(_client(cast, "staff"), "post", path + "/revert", revert).status_code == 200
    diff = _client(cast, "org_member").get(
        path + f"/diff?from={page.current_revision_id}&to={page.current_revision_id}"
    )
    assert diff.status_code == 200 and diff.json()["added"] == 0
