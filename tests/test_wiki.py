"""The wiki through HTTP: pages, revisions, history, diffs, reverts, links and backlinks,
renames, the trash, protection, watching, concurrent edits merged (or a conflict that keeps the
editor's text), organization wikis, promotion from Q&A, the API, bad input, and query counts.

The truly concurrent saves (two threads, committing) are in tests/test_wiki_concurrency.py.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from practica.accounts.services import create_api_token
from practica.communities import access
from practica.communities.models import Community
from practica.lib.errors import Conflict, Forbidden, Invalid
from practica.lib.testing import Cast
from practica.notifications.models import Notification
from practica.wiki import promotion, services, spaces
from practica.wiki.models import Contributor, Link, Page, Promotion, Redirect, Revision
from practica.wiki.search import page_document

API = "/api/v1"
FIRST_WEEK = """# New teacher's first week

## Before day one

Pick up your keys from the front office.

## Day one

Meet your mentor at 7:30 in the library.

See [[Glossary]] for the words we use.
"""


# --- helpers ------------------------------------------------------------------------------------


def _ref(community: Community) -> spaces.SpaceRef:
    return spaces.for_community(community)


def _create(cast: Cast, title: str = "First week", body: str = FIRST_WEEK, who: str = "member",
            community: Community | None = None) -> Page:  # fmt: skip
    community = community or cast.org_community
    return services.save_page(
        getattr(cast, who), _ref(community), page=None, title=title, body=body
    ).page


def _edit(cast: Cast, page: Page, body: str, who: str = "expert", base: int | None = None,
          title: str | None = None) -> services.Saved:  # fmt: skip
    page.refresh_from_db()
    return services.save_page(
        getattr(cast, who),
        _ref(cast.org_community),
        page=page,
        title=title or page.title,
        body=body,
        base_revision_id=base or page.current_revision_id,
    )


def _url(name: str, community: Community, *args: object) -> str:
    return reverse(f"wiki:{name}", args=[community.slug, *args])


def _api(cast: Cast, who: str) -> Client:
    _, raw = create_api_token(getattr(cast, who), "wiki tests")
    return Client(headers={"Authorization": f"Bearer {raw}"})


def _put(client: Client, path: str, body: dict[str, Any]) -> Any:
    return client.put(path, data=json.dumps(body), content_type="application/json")


# --- Pages and revisions ------------------------------------------------------------------------


def test_a_member_creates_a_page_cooked_with_a_table_of_contents(
    cast: Cast, capture_events
) -> None:
    client = cast.client("member")
    with capture_events() as events:
        response = client.post(
            _url("new", cast.org_community),
            {"title": "New teacher's first week", "body": FIRST_WEEK + "<script>alert(1)</script>",
             "summary": "A start"},
        )  # fmt: skip
    page = Page.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _url("page", cast.org_community, "new-teachers-first-week")
    assert page.revision_count == 1 and page.current_revision is not None
    assert '<h2 id="before-day-one">Before day one</h2>' in page.html
    assert "<script>" not in page.html
    assert [h["anchor"] for h in page.toc] == [
        "new-teachers-first-week",
        "before-day-one",
        "day-one",
    ]
    assert 'class="wiki-link wiki-missing"' in page.html  # [[Glossary]] does not exist yet
    [event] = [e for e in events if e.name == "wiki.revision_saved"]
    assert event.payload == {
        "page_id": page.pk, "revision_id": page.current_revision_id, "author_id": cast.member.pk,
        "community_id": cast.org_community.pk, "organization_id": None, "reverted_to": None,
    }  # fmt: skip
    shown = client.get(response["Location"])
    assert shown.status_code == 200
    html = shown.content.decode()
    assert 'href="#day-one"' in html and "Mia Member" in html


def test_every_save_is_a_revision_with_size_change_and_the_history_lists_them(cast: Cast) -> None:
    page = _create(cast)
    _edit(cast, page, FIRST_WEEK + "\nBring a water bottle.\n")
    client = cast.client("member")
    response = client.post(
        _url("edit", cast.org_community, page.slug),
        {"title": page.title, "body": FIRST_WEEK, "summary": "Too much",
         "base_revision": Page.objects.get().current_revision_id},
    )  # fmt: skip
    assert response.status_code == 302
    revisions = list(Revision.objects.order_by("number"))
    assert [r.number for r in revisions] == [1, 2, 3]
    assert revisions[1].size_delta == len("\nBring a water bottle.\n")
    assert revisions[2].size_delta == -len("\nBring a water bottle.\n")
    assert revisions[2].summary == "Too much"
    history = client.get(_url("history", cast.org_community, page.slug)).content.decode()
    assert "Too much" in history and "Ethan Expert" in history
    contributors = dict(Contributor.objects.values_list("user__email", "edits"))
    assert contributors == {cast.member.email: 2, cast.expert.email: 1}


def test_revisions_are_append_only(cast: Cast) -> None:
    revision = Revision.objects.get(page=_create(cast))
    revision.body = "rewritten history"
    with pytest.raises(ValueError, match="append-only"):
        revision.save()


def test_diff_inline_and_side_by_side_highlight_words(cast: Cast) -> None:
    page = _create(cast)
    saved = _edit(cast, page, FIRST_WEEK.replace("at 7:30 in the library", "at 7:45 in room 12"))
    first = Revision.objects.get(page=page, number=1)
    client = cast.client("org_member")
    url = _url("diff", cast.org_community, page.slug)
    inline = client.get(url, {"from": first.pk, "to": saved.revision.pk}).content.decode()
    assert "<del>30</del>" in inline and "<ins>45</ins>" in inline
    # Words changed next to each other read as one change.
    assert "<del>the library</del>" in inline and "<ins>room 12</ins>" in inline
    side = client.get(url, {"from": first.pk, "to": saved.revision.pk, "view": "side"})
    assert 'class="wiki-diff wiki-diff-side"' in side.content.decode()
    # Default: the newest revision against the one before it.
    assert "<ins>45</ins>" in client.get(url).content.decode()


def test_revert_is_a_new_revision_and_refuses_another_pages_revision(
    cast: Cast, capture_events
) -> None:
    page = _create(cast)
    _edit(cast, page, "Vandalized.\n")
    first = Revision.objects.get(page=page, number=1)
    other = Revision.objects.get(page=_create(cast, title="Glossary", body="Words.\n"))
    client = cast.client("member")
    bad = client.post(_url("revert", cast.org_community, page.slug), {"revision": other.pk})
    assert bad.status_code == 302
    assert Page.objects.get(pk=page.pk).revision_count == 2  # nothing changed
    with capture_events() as events:
        client.post(_url("revert", cast.org_community, page.slug), {"revision": first.pk})
    page.refresh_from_db()
    assert page.revision_count == 3 and page.body == FIRST_WEEK
    latest = Revision.objects.get(page=page, number=3)
    assert latest.kind == "revert" and latest.reverted_to_id == first.pk
    assert [e.payload["reverted_to"] for e in events if e.name == "wiki.revision_saved"] == [
        first.pk
    ]
    with pytest.raises(Conflict, match="already reads exactly like"):
        services.revert(cast.member, _ref(cast.org_community), page, first.pk)


# --- Concurrent edits from the same base --------------------------------------------------------

BASE = "Line one.\nLine two.\nLine three.\nLine four.\nLine five.\n"


def test_edits_from_the_same_base_that_do_not_overlap_are_merged(cast: Cast) -> None:
    page = _create(cast, body=BASE)
    base = page.current_revision_id
    assert base is not None
    _edit(cast, page, BASE.replace("Line one.", "Line one, by Ethan."), base=base)
    client = cast.client("facilitator")
    response = client.post(
        _url("edit", cast.org_community, page.slug),
        {"title": page.title, "base_revision": base,
         "body": BASE.replace("Line five.", "Line five, by Fatima.")},
    )  # fmt: skip
    assert response.status_code == 302
    page.refresh_from_db()
    assert "Line one, by Ethan." in page.body and "Line five, by Fatima." in page.body
    assert Revision.objects.get(page=page, number=3).kind == "merge"


def test_overlapping_edits_show_a_conflict_page_that_keeps_the_editors_text(cast: Cast) -> None:
    page = _create(cast, body=BASE)
    base = page.current_revision_id
    _edit(cast, page, BASE.replace("Line three.", "Line three, Ethan's way."), base=base)
    client = cast.client("facilitator")
    mine = BASE.replace("Line three.", "Line three, Fatima's way.")
    response = client.post(
        _url("edit", cast.org_community, page.slug),
        {"title": page.title, "base_revision": base, "body": mine},
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "Line three, Fatima&#39;s way." in html and "Line three, Ethan&#39;s way." in html
    assert "&lt;&lt;&lt;&lt;&lt;&lt;&lt; your version" in html  # in the editor's textarea
    page.refresh_from_db()
    assert page.revision_count == 2 and "Fatima" not in page.body  # nothing saved
    # Saving the resolved text from the conflict page is an ordinary edit.
    current = page.current_revision_id
    resolved = BASE.replace("Line three.", "Line three, both ways.")
    again = client.post(
        _url("edit", cast.org_community, page.slug),
        {"title": page.title, "base_revision": current, "body": resolved},
    )
    assert again.status_code == 302
    page.refresh_from_db()
    assert page.body == resolved


def test_three_way_merge_rules() -> None:
    merged, conflicted = services.three_way("a\nb\nc\n", "a\nB\nc\n", "a\nb\nc\nd\n", "theirs")
    assert (merged, conflicted) == ("a\nB\nc\nd\n", False)
    merged, conflicted = services.three_way("a\nb\nc\n", "a\nX\nc\n", "a\nY\nc\n", "theirs")
    assert conflicted and "<<<<<<< your version\nY\n=======\nX\n>>>>>>> theirs\n" in merged


# --- Bad input ----------------------------------------------------------------------------------


def test_bad_input_is_refused_clearly_and_changes_nothing(cast: Cast) -> None:
    page = _create(cast)
    other = _create(cast, title="Glossary", body="Words.\n")
    ref = _ref(cast.org_community)
    before = (Revision.objects.count(), Page.objects.count())
    with pytest.raises(Invalid) as empty:
        services.save_page(cast.member, ref, page=None, title="  ", body="x")
    assert empty.value.errors["title"] == "Title is required."
    with pytest.raises(Conflict, match="taken by the page “First week”"):
        services.save_page(cast.member, ref, page=None, title="First week", body="x")
    with pytest.raises(Invalid) as big:
        services.save_page(cast.member, ref, page=page, title=page.title, body="a" * 2_000_000,
                           base_revision_id=page.current_revision_id)  # fmt: skip
    assert "at most 200,000 characters" in big.value.errors["body"]
    with pytest.raises(Invalid) as foreign:
        services.save_page(cast.member, ref, page=page, title=page.title, body="x",
                           base_revision_id=other.current_revision_id)  # fmt: skip
    assert "is not a revision of “First week”" in foreign.value.errors["base_revision"]
    with pytest.raises(Invalid) as wrong:
        services.revert(cast.member, ref, page, other.current_revision_id or 0)
    assert "is not a revision of" in wrong.value.errors["revision"]
    with pytest.raises(Invalid, match="reserved"):
        services.save_page(cast.member, ref, page=None, title="Changes", body="x")
    assert (Revision.objects.count(), Page.objects.count()) == before
    page.refresh_from_db()
    assert page.body == FIRST_WEEK


def test_the_edit_form_shows_errors_and_keeps_the_text(cast: Cast) -> None:
    _create(cast)
    response = cast.client("member").post(
        _url("new", cast.org_community), {"title": "First week", "body": "My careful text."}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "The URL name &#39;first-week&#39; is taken" in html and "My careful text." in html
    assert Page.objects.count() == 1


# --- Links, backlinks, renames ------------------------------------------------------------------


def test_links_create_links_backlinks_and_renames(cast: Cast) -> None:
    first = _create(cast)
    link = Link.objects.get(source=first)
    assert link.target_key == "glossary" and link.target is None
    glossary = _create(cast, title="Glossary", body="**PLC**: professional learning community.\n")
    first.refresh_from_db()
    # Creating the page turned the "create" link into a real one.
    assert 'href="/c/organization-math/wiki/glossary/"' in first.html
    assert "wiki-missing" not in first.html
    assert Link.objects.get(source=first).target == glossary
    page_html = cast.client("member").get(_url("page", cast.org_community, "glossary")).content
    assert b"First week" in page_html.split(b'id="backlinks"')[1]
    # Rename: a new title and slug; the old slug redirects and the old link still works.
    services.save_page(cast.facilitator, _ref(cast.org_community), page=glossary,
                       title="Words we use", body=glossary.body, slug="words-we-use",
                       base_revision_id=glossary.current_revision_id)  # fmt: skip
    assert Redirect.objects.filter(slug="glossary", page=glossary).exists()
    old = cast.client("member").get(_url("page", cast.org_community, "glossary"))
    assert old.status_code == 302
    assert old["Location"] == _url("page", cast.org_community, "words-we-use")
    first.refresh_from_db()
    assert 'href="/c/organization-math/wiki/words-we-use/"' in first.html
    assert Link.objects.get(source=first).target == glossary


def test_links_in_code_are_not_links(cast: Cast) -> None:
    page = _create(cast, body="Write `[[Page title]]` to link.\n\n```\n[[Also not]]\n```\n")
    assert not Link.objects.filter(source=page).exists()
    assert "[[Page title]]" in page.html


# --- Trash, protection, watching ----------------------------------------------------------------


def test_delete_to_trash_and_restore_by_a_facilitator(cast: Cast, capture_events) -> None:
    page = _create(cast)
    member, facilitator = cast.client("member"), cast.client("facilitator")
    assert member.post(_url("delete", cast.org_community, page.slug)).status_code == 403
    with capture_events() as events:
        assert facilitator.post(_url("delete", cast.org_community, page.slug)).status_code == 302
    assert member.get(_url("page", cast.org_community, page.slug)).status_code == 404
    trash = facilitator.get(_url("trash", cast.org_community)).content.decode()
    assert "First week" in trash
    assert Revision.objects.filter(page=page).count() == 1  # the history stays
    assert page_document(Page.objects.get(pk=page.pk)) is None  # not findable in the trash
    with capture_events() as restored:
        facilitator.post(_url("restore", cast.org_community, page.slug))
    assert member.get(_url("page", cast.org_community, page.slug)).status_code == 200
    payload = {"page_id": page.pk, "actor_id": cast.facilitator.pk,
               "community_id": cast.org_community.pk, "organization_id": None}  # fmt: skip
    assert [e.payload for e in events if e.name == "wiki.page_deleted"] == [payload]
    assert [e.payload for e in restored if e.name == "wiki.page_restored"] == [payload]


def test_protected_pages_are_edited_by_facilitators_only(cast: Cast) -> None:
    page = _create(cast)
    cast.client("facilitator").post(
        _url("protect", cast.org_community, page.slug), {"protected": "1"}
    )
    page.refresh_from_db()
    assert page.protected
    assert cast.client("member").get(_url("edit", cast.org_community, page.slug)).status_code == 403
    with pytest.raises(Forbidden, match="protected"):
        _edit(cast, page, "Changed.\n", who="member")
    assert _edit(cast, page, "Changed.\n", who="coordinator").revision.number == 2


def test_watchers_are_notified_of_edits(cast: Cast) -> None:
    page = _create(cast)  # the creator watches automatically
    cast.client("org_member").post(_url("watch", cast.org_community, page.slug), {"watch": "1"})
    _edit(cast, page, FIRST_WEEK + "More.\n")
    kinds = dict(Notification.objects.values_list("recipient__email", "kind"))
    assert kinds == {cast.member.email: "wiki_edited", cast.org_member.email: "wiki_edited"}
    cast.client("member").post(_url("watch", cast.org_community, page.slug), {"watch": "0"})
    _edit(cast, page, FIRST_WEEK + "More and more.\n")
    assert Notification.objects.filter(recipient=cast.member).count() == 1


def test_recent_changes_page(cast: Cast) -> None:
    page = _create(cast)
    _edit(cast, page, FIRST_WEEK + "More.\n")
    response = cast.client("org_member").get(_url("changes", cast.org_community), {"days": 7})
    html = response.content.decode()
    assert response.status_code == 200 and html.count('class="wiki-delta') >= 2


# --- Organizations ------------------------------------------------------------------------------


def test_an_organizations_wiki_is_read_below_it_and_edited_by_its_own_members(cast: Cast) -> None:
    district = spaces.for_organization(cast.district)
    page = services.save_page(cast.org_admin, district, page=None, title="District calendar",
                              body="Staff days.\n").page  # fmt: skip
    url = reverse("wiki:org-page", args=[cast.district.slug, page.slug])
    assert cast.client("org_member").get(url).status_code == 200  # a school below the district
    assert cast.client("outsider").get(url).status_code == 404
    assert cast.client("anonymous").get(url).status_code == 302
    edit = reverse("wiki:org-edit", args=[cast.district.slug, page.slug])
    assert cast.client("org_member").get(edit).status_code == 403
    school = spaces.for_organization(cast.school)
    saved = services.save_page(
        cast.org_member, school, page=None, title="Bell schedule", body="8:05\n"
    )
    assert saved.created
    assert access.is_org_member(cast.org_member, cast.school)
    assert not access.is_org_member(cast.org_member, cast.district)
    assert access.is_org_member(cast.org_admin, cast.school)  # administration flows down
    assert not access.is_org_member(cast.outsider, cast.school)


# --- The API ------------------------------------------------------------------------------------


def test_api_create_edit_conflict_and_revert(cast: Cast) -> None:
    path = f"{API}/communities/{cast.org_community.slug}/wiki/first-week"
    member, expert = _api(cast, "member"), _api(cast, "expert")
    created = _put(member, path, {"title": "First week", "body": BASE, "summary": "Start"})
    assert created.status_code == 201, created.content
    base = created.json()["revision"]
    ok = _put(expert, path, {"title": "First week", "body": BASE.replace("one.", "one!"),
                              "base_revision": base})  # fmt: skip
    assert ok.status_code == 200 and ok.json()["revision"] != base
    merged = _put(member, path, {"title": "First week", "body": BASE.replace("five.", "five!"),
                                 "base_revision": base})  # fmt: skip
    assert merged.status_code == 200 and merged.json()["merged"] is True
    assert "one!" in merged.json()["body"] and "five!" in merged.json()["body"]
    clash = _put(member, path, {"title": "First week", "body": BASE.replace("one.", "one?"),
                                "base_revision": base})  # fmt: skip
    assert clash.status_code == 409
    body = clash.json()
    assert body["code"] == "edit_conflict" and {"detail", "merged", "theirs", "yours"} <= set(body)
    assert "one?" in body["yours"] and "one!" in body["theirs"] and "<<<<<<<" in body["merged"]
    revisions = member.get(path + "/revisions").json()["items"]
    assert [r["number"] for r in revisions] == [3, 2, 1] and all("id" in r for r in revisions)
    diff = member.get(path + "/diff", {"from": revisions[2]["id"], "to": revisions[0]["id"]})
    assert diff.status_code == 200 and "+Line one!" in diff.json()["unified"]
    reverted = member.post(path + "/revert", data=json.dumps({"revision": revisions[2]["id"]}),
                           content_type="application/json")  # fmt: skip
    assert reverted.status_code == 200 and reverted.json()["body"] == BASE
    got = member.get(path).json()
    assert got["revision"] == reverted.json()["revision"] and got["html"].startswith("<p>Line one.")
    listing = member.get(f"{API}/communities/{cast.org_community.slug}/wiki").json()
    assert [p["slug"] for p in listing["items"]] == ["first-week"]
    changes = member.get(f"{API}/communities/{cast.org_community.slug}/wiki/changes?days=7").json()
    assert changes["count"] == 4


def test_api_bad_input(cast: Cast) -> None:
    prefix = f"{API}/communities/{cast.org_community.slug}/wiki"
    member = _api(cast, "member")
    base = _put(member, prefix + "/first-week", {"title": "First week", "body": "x"}).json()
    other = _put(member, prefix + "/glossary", {"title": "Glossary", "body": "y"}).json()
    cases = [
        (prefix + "/new-page", {"title": "", "body": "x"}, 422, "title"),
        (prefix + "/new-page", {"title": "T", "body": "a" * 2_000_000}, 422, "body"),
        (prefix + "/first-week", {"title": "First week", "body": "z"}, 422, "base_revision"),
        (prefix + "/first-week", {"title": "First week", "body": "z",
                                  "base_revision": other["revision"]}, 422, "base_revision"),
        (prefix + "/first-week", {"title": "First week", "body": "z", "slug": "glossary",
                                  "base_revision": base["revision"]}, 409, None),
    ]  # fmt: skip
    for path, payload, status, field in cases:
        response = _put(member, path, payload)
        assert response.status_code == status, (payload.get("title"), response.content[:200])
        if field:
            assert field in response.json()["errors"]
    wrong = member.post(
        prefix + "/first-week/revert",
        data=json.dumps({"revision": other["revision"]}),
        content_type="application/json",
    )
    assert wrong.status_code == 422 and "revision" in wrong.json()["errors"]
    # A reserved word is the wiki's own (read-only) endpoint, never a page: 405, documented.
    reserved = _put(member, prefix + "/changes", {"title": "Changes", "body": "x"})
    assert reserved.status_code == 405 and reserved.json()["code"] == "method_not_allowed"
    schema = member.get(f"{API}/openapi.json").json()
    put = schema["paths"]["/api/v1/communities/{slug}/wiki/{page}"]["put"]
    assert "405" in put["responses"]
    assert Revision.objects.count() == 2 and Page.objects.count() == 2
    assert Page.objects.get(slug="first-week").body == "x\n"


def test_api_organization_wiki(cast: Cast) -> None:
    path = f"{API}/organizations/{cast.district.slug}/wiki/calendar"
    assert (
        _put(_api(cast, "org_admin"), path, {"title": "Calendar", "body": "x"}).status_code == 201
    )
    assert _api(cast, "org_member").get(path).status_code == 200
    assert _put(_api(cast, "org_member"), path, {"title": "C", "body": "y"}).status_code == 403
    assert _api(cast, "outsider").get(path).status_code == 404
    assert Client().get(path).status_code == 401


# --- Promotion from Q&A -------------------------------------------------------------------------


def _question(cast: Cast) -> tuple[Any, list[Any]]:
    from practica.qa.models import Answer, Post

    post = Post.objects.create(
        community=cast.org_community,
        title="How do you start a PLC?",
        body="Our first meeting is next week.",
        author=cast.member,
    )
    answers = [
        Answer.objects.create(post=post, author=cast.expert, body="Start with norms.", ev_score=4),
        Answer.objects.create(
            post=post, author=cast.coordinator, body="Bring student work.", ev_score=3
        ),
    ]
    return post, answers


def test_promote_an_answer_credits_its_author_and_links_back(cast: Cast, capture_events) -> None:
    post, answers = _question(cast)
    url = reverse("wiki:promote", args=[cast.org_community.slug, post.pk])
    assert cast.client("member").get(url, {"answer": answers[0].pk}).status_code == 403
    expert = cast.client("expert")
    assert expert.get(url, {"answer": answers[0].pk}).status_code == 200
    with capture_events() as events:
        response = expert.post(url, {"title": "Starting a PLC", "answer": answers[0].pk})
    assert response.status_code == 302
    page = Page.objects.get()
    assert "Start with norms." in page.body and "Ethan Expert" in page.body
    assert f"/questions/{post.pk}/" in page.html or "qa" in page.html
    assert Revision.objects.get(page=page).kind == "promote"
    [event] = [e for e in events if e.name == "wiki.answer_promoted"]
    assert event.payload == {
        "page_id": page.pk, "answer_id": answers[0].pk, "post_id": post.pk,
        "actor_id": cast.expert.pk, "answer_author_id": cast.expert.pk,
        "community_id": cast.org_community.pk,
    }  # fmt: skip
    shown = expert.get(response["Location"]).content.decode()
    assert "Promoted from the question" in shown and "How do you start a PLC?" in shown


def test_the_answer_extra_says_now_on_the_wiki_in_one_query(
    cast: Cast, django_assert_max_num_queries: Any, rf: Any
) -> None:
    post, answers = _question(cast)
    promotion.promote(cast.expert, post)  # the whole question with its best answers
    assert Promotion.objects.filter(page__title=post.title).count() == 3
    request = rf.get("/")
    request.user = cast.member
    access.viewer_for(cast.member)  # the gate's facts are loaded once per request anyway
    # One query for the promotions of all answers, one for the viewer's standing (privilege).
    with django_assert_max_num_queries(2):
        extras = promotion.answer_extras(request, post, answers)
    assert {a: e["wiki_page"].title for a, e in extras.items()} == {
        answers[0].pk: post.title,
        answers[1].pk: post.title,
    }
    assert all(e["promote_url"] == "" for e in extras.values())  # a member may not promote


def test_the_question_page_shows_now_on_the_wiki_and_promote_links(cast: Cast) -> None:
    post, answers = _question(cast)
    promotion.promote(cast.expert, post, answer=answers[0], title="Starting a PLC")
    url = reverse("qa:question", args=[cast.org_community.slug, post.pk])
    as_member = cast.client("member").get(url).content.decode()
    assert "Now on the wiki: Starting a PLC" in as_member
    assert "Promote to the wiki" not in as_member  # members lack the privilege
    as_expert = cast.client("expert").get(url).content.decode()
    promote = reverse("wiki:promote", args=[cast.org_community.slug, post.pk])
    assert f"{promote}?answer={answers[1].pk}" in as_expert  # the other answer
    assert f'href="{promote}"' in as_expert  # the whole question, beside it


# --- Query counts -------------------------------------------------------------------------------


def _many(cast: Cast, n: int) -> Page:
    target = _create(cast, title="Glossary", body="Words.\n")
    for i in range(n):
        _create(cast, title=f"Page {i}", body=f"See [[Glossary]] ({i}).\n",
                who=("member", "expert", "facilitator")[i % 3])  # fmt: skip
        _edit(cast, target, f"Words, round {i}.\n", who=("member", "expert", "coordinator")[i % 3])
    return target


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_page_views_do_not_query_per_row(cast: Cast) -> None:
    """The same pages cost the same queries with 2 and with 8 linking pages, revisions and
    contributors."""
    target = _many(cast, 2)
    client = cast.client("member")
    urls = [
        _url("page", cast.org_community, target.slug),
        _url("history", cast.org_community, target.slug),
        _url("index", cast.org_community),
        _url("changes", cast.org_community),
        _url("diff", cast.org_community, target.slug),
        f"{API}/communities/{cast.org_community.slug}/wiki/{target.slug}",
        f"{API}/communities/{cast.org_community.slug}/wiki/{target.slug}/revisions",
        f"{API}/communities/{cast.org_community.slug}/wiki/changes",
        f"{API}/communities/{cast.org_community.slug}/wiki",
    ]
    _queries(client, urls[0])  # warm the session
    few = {url: _queries(client, url) for url in urls}
    for i in range(2, 8):
        _create(cast, title=f"Page {i}", body=f"See [[Glossary]] ({i}).\n", who="coordinator")
        _edit(cast, target, f"Words, round {i}.\n", who=("member", "expert", "facilitator")[i % 3])
    many = {url: _queries(client, url) for url in urls}
    assert many == few
    assert max(few.values()) <= 20


# --- Search -------------------------------------------------------------------------------------


def test_pages_are_found_by_those_who_may_read_them(cast: Cast) -> None:
    from practica.search.query import search

    page = _create(cast, title="Mentor program", body="Weekly mentor meetings, zebrafish.\n",
                   community=cast.private_community)  # fmt: skip
    assert [h.title for h in search(cast.member, "zebrafish").hits] == ["Mentor program"]
    assert search(cast.org_admin, "zebrafish").hits == []  # private: members only
    assert search(cast.outsider, "zebrafish").hits == []
    ref = _ref(cast.private_community)
    services.delete_page(cast.facilitator, ref, page)
    assert search(cast.member, "zebrafish").hits == []  # not findable in the trash
    services.restore_page(cast.facilitator, ref, page)
    assert len(search(cast.member, "zebrafish").hits) == 1


# --- The demo -----------------------------------------------------------------------------------


def test_the_demo_has_an_onboarding_wiki_with_history_links_and_a_promoted_answer(db: None) -> None:
    from practica.demo import load_demo
    from practica.qa.models import Answer

    load_demo()
    district = Page.objects.filter(space__organization__slug="cedar-creek-usd")
    assert {"New teacher's first week", "How our PLC meetings run", "Glossary"} <= set(
        district.values_list("title", flat=True)
    )
    week = district.get(title="New teacher's first week")
    assert week.revision_count == 3
    authors = Revision.objects.filter(page__in=district).values_list("author__name", flat=True)
    assert len(set(authors)) >= 3
    assert Link.objects.filter(target__title="Glossary").count() >= 2  # backlinks
    assert "wiki-missing" not in week.html  # every demo link leads to a page
    has_answers = Answer.objects.filter(post__community__slug="secondary-math").exists()
    assert Promotion.objects.exists() == has_answers


def test_the_cached_wiki_panel_follows_promotions_renames_and_deletions(cast: Cast) -> None:
    """The wiki panel and answer extras are cached per post version; the promotion and page
    triggers bump it, so the question page never shows a stale wiki link."""
    post, _answers = _question(cast)
    url = reverse("qa:question", args=[cast.org_community.slug, post.pk])
    client = cast.client("member")
    assert "Now on the wiki" not in client.get(url).content.decode()  # cached: not promoted
    page = promotion.promote(cast.expert, post).page
    assert "Now on the wiki" in client.get(url).content.decode()
    Page.objects.filter(pk=page.pk).update(title="Renamed behind the services")
    assert "Renamed behind the services" in client.get(url).content.decode()
    Page.objects.filter(pk=page.pk).update(deleted_at=timezone.now())
    assert "Now on the wiki" not in client.get(url).content.decode()
