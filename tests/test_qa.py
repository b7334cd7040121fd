"""Q&A through HTTP: asking, answering, comments, helpful votes, educational-value ratings and
the ranking, accepting, revisions and history, deletion, duplicates, lists, similar posts, tags,
settings, events, notifications, bad input and constant query counts."""

from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from practica.accounts.models import User
from practica.communities.models import Membership, Role
from practica.lib.testing import Cast
from practica.notifications.models import Notification
from practica.qa import jobs, ranking, services
from practica.qa.models import Answer, Comment, Post, QASettings, Rating, Revision, Vote
from practica.qa.stamps import list_stamp
from practica.realtime.bus import Event
from practica.scheduling.services import run_due
from practica.tags.models import Tag

API = "/api/v1"
Capture = Callable[[], AbstractContextManager[list[Event]]]


def api(client: Client, method: str, path: str, body: Any = None) -> Any:
    if method == "get":
        return client.get(f"{API}{path}")
    data = json.dumps(body if body is not None else {})
    return getattr(client, method)(f"{API}{path}", data=data, content_type="application/json")


def ask(cast: Cast, who: str = "member", **fields: Any) -> Post:
    community = fields.pop("community", cast.org_community)
    fields.setdefault("title", "How do I help students see that 3/4 is bigger than 2/3?")
    return services.create_post(getattr(cast, who), community, **fields)


def members(cast: Cast, n: int, community: Any = None) -> list[User]:
    """``n`` extra members of the community (cheap: no password hashing)."""
    community = community or cast.org_community
    start = User.objects.count()
    users = User.objects.bulk_create(
        [User(email=f"rater{start + i}@riverside.test", name=f"Rater {i}") for i in range(n)]
    )
    Membership.objects.bulk_create(
        [Membership(community=community, user=u, role=Role.MEMBER) for u in users]
    )
    return users


def counts() -> dict[str, int]:
    return {
        m.__name__: m.objects.count()
        for m in (Post, Answer, Comment, Vote, Rating, Revision, Tag, Notification)
    }


def q_url(post: Post) -> str:
    return reverse("qa:question", args=[post.community.slug, post.pk])


# --- Asking -------------------------------------------------------------------------------------


def test_member_asks_through_the_page(cast: Cast, capture_events: Capture) -> None:
    Tag.objects.create(
        community=cast.org_community,
        name="fractions",
        slug="fractions",
        description="Parts of a whole, and beyond.",
    )
    client = cast.client("member")
    url = reverse("qa:ask", args=[cast.org_community.slug])
    with capture_events() as events:
        response = client.post(
            url,
            {
                "kind": "struggle",
                "title": "My fractions lesson flopped",
                "body": "They **froze**.",
                "tags": "fractions",
            },
        )
    post = Post.objects.get()
    assert response.status_code == 302 and response["Location"] == q_url(post)
    assert post.kind == "struggle" and post.body_html == "<p>They <strong>froze</strong>.</p>\n"
    assert [t.slug for t in post.tags.all()] == ["fractions"]
    assert list(post.revisions.values_list("number", flat=True)) == [1]
    created = [e for e in events if e.name == "qa.post_created"]
    assert created[0].payload == {
        "community_id": cast.org_community.pk,
        "post_id": post.pk,
        "kind": "struggle",
        "author_id": cast.member.pk,
        "tag_ids": [post.tags.get().pk],
    }
    page = client.get(q_url(post)).content.decode()
    assert "My fractions lesson flopped" in page and "Struggle" in page


def test_the_ask_form_makes_sharing_a_struggle_feel_safe(cast: Cast) -> None:
    page = cast.client("member").get(reverse("qa:ask", args=[cast.org_community.slug]))
    text = page.content.decode()
    assert "never to judge" in text and "a struggle shared is how the rest of us learn" in text


def test_who_may_post(cast: Cast) -> None:
    url = f"/communities/{cast.org_community.slug}/questions"
    body = {"title": "Exit tickets that work?", "type": "question"}
    assert api(cast.client("org_member"), "post", url, body).status_code == 403
    assert api(cast.client("outsider"), "post", url, body).status_code == 404
    assert api(Client(), "post", url, body).status_code == 401
    response = api(cast.client("member"), "post", url, body)
    assert response.status_code == 201 and Post.objects.get().pk == response.json()["id"]


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"title": "   "}, "title", "Title is required."),
        ({"title": "Fine", "body": "x" * 1_048_576}, "body", "too long: at most 30,000"),
        ({"title": "Fine", "tags": ["no-such-tag"]}, "tags", "No such tag here: no-such-tag"),
        ({"title": "Fine", "type": "rant"}, "type", ""),
        ({"title": "x" * 201}, "title", "at most 200 characters"),
    ],
)
def test_bad_posts_are_refused_and_change_nothing(
    cast: Cast, body: dict[str, Any], field: str, message: str
) -> None:
    before = counts()
    response = api(
        cast.client("member"), "post", f"/communities/{cast.org_community.slug}/questions", body
    )
    assert response.status_code == 422
    assert message in response.json()["errors"][field]
    assert counts() == before


def test_a_1mb_body_on_the_page_gets_a_clear_limit_message(cast: Cast) -> None:
    before = counts()
    url = reverse("qa:ask", args=[cast.org_community.slug])
    response = cast.client("member").post(
        url, {"kind": "question", "title": "Long", "body": "y" * 1_048_576, "tags": ""}
    )
    assert response.status_code == 200
    assert "too long: at most 30,000 characters" in response.content.decode()
    assert counts() == before


def test_only_members_with_standing_create_tags_inline(cast: Cast) -> None:
    url = f"/communities/{cast.org_community.slug}/questions"
    body = {"title": "Number talks in grade 9?", "tags": ["number-talks"]}
    assert api(cast.client("member"), "post", url, body).status_code == 422
    assert not Tag.objects.exists()
    assert api(cast.client("expert"), "post", url, body).status_code == 201
    assert Tag.objects.get().slug == "number-talks"
    # Now that it exists, a member may use it.
    assert api(cast.client("member"), "post", url, body).status_code == 201


def test_tags_page_creates_and_describes_tags(cast: Cast) -> None:
    slug = cast.org_community.slug
    url = reverse("qa:tags", args=[slug])
    assert (
        cast.client("member").post(url, {"name": "Fractions", "description": "x"}).status_code
        == 403
    )
    response = cast.client("expert").post(url, {"name": "Fractions", "description": "Parts."})
    assert response.status_code == 302
    tag = Tag.objects.get()
    assert (tag.slug, tag.description, tag.created_by) == ("fractions", "Parts.", cast.expert)
    again = cast.client("expert").post(url, {"name": "fractions", "description": ""})
    assert "already exists" in again.content.decode()
    tag_url = reverse("qa:tag", args=[slug, "fractions"])
    cast.client("expert").post(tag_url, {"description": "Parts of a whole."})
    tag.refresh_from_db()
    assert tag.description == "Parts of a whole."
    assert "Parts of a whole." in cast.client("member").get(url).content.decode()


def test_mentions_link_and_notify_those_who_may_see(cast: Cast) -> None:
    post = ask(cast, body="What do @ethan and @olive think? Mail mia@riverside.test")
    assert f'href="/people/{cast.expert.pk}/"' in post.body_html
    assert "@Ethan Expert" in post.body_html
    assert "mia@riverside.test" in post.body_html  # e-mail addresses are left alone
    mention = Notification.objects.filter(kind="mention")
    # Olive (outsider) cannot see the organization community: not told.
    assert list(mention.values_list("recipient", flat=True)) == [cast.expert.pk]


# --- Answers, comments --------------------------------------------------------------------------


def test_answer_and_comment(cast: Cast, capture_events: Capture) -> None:
    post = ask(cast)
    client = cast.client("expert")
    with capture_events() as events:
        response = client.post(
            reverse("qa:answer", args=[post.community.slug, post.pk]),
            {"body": "Use a number line."},
        )
    answer = Answer.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"#answer-{answer.pk}")
    post.refresh_from_db()
    assert post.answer_count == 1 and post.version > 1
    assert [e.payload for e in events if e.name == "qa.answer_posted"] == [
        {
            "community_id": post.community_id,
            "post_id": post.pk,
            "answer_id": answer.pk,
            "author_id": cast.expert.pk,
            "post_author_id": cast.member.pk,
        }
    ]
    assert Notification.objects.filter(recipient=cast.member, kind="answer").exists()
    with capture_events() as events:
        api(cast.client("member"), "post", f"/answers/{answer.pk}/comments", {"body": "Thanks!"})
        api(cast.client("facilitator"), "post", f"/questions/{post.pk}/comments", {"body": "+1"})
    assert [e.payload["answer_id"] for e in events if e.name == "qa.comment_posted"] == [
        answer.pk,
        None,
    ]
    page = cast.client("member").get(q_url(post)).content.decode()
    assert "Thanks!" in page and "+1" in page and "Use a number line." in page
    assert (
        api(
            cast.client("org_member"), "post", f"/questions/{post.pk}/answers", {"body": "Me too"}
        ).status_code
        == 403
    )
    empty = api(cast.client("expert"), "post", f"/questions/{post.pk}/answers", {"body": " "})
    assert empty.status_code == 422 and Answer.objects.count() == 1


# --- Votes --------------------------------------------------------------------------------------


def test_helpful_votes_up_down_clear_and_not_on_your_own(
    cast: Cast, capture_events: Capture
) -> None:
    post = ask(cast)
    answer = services.post_answer(cast.expert, post, body="Fraction strips.")
    fac = cast.client("facilitator")
    with capture_events() as events:
        assert api(fac, "post", f"/questions/{post.pk}/vote", {"value": 1}).json() == {
            "votes": 1,
            "my_vote": 1,
        }
        assert api(fac, "post", f"/questions/{post.pk}/vote", {"value": -1}).json()["votes"] == -1
        assert api(fac, "post", f"/questions/{post.pk}/vote", {"value": 0}).json()["votes"] == 0
        assert api(fac, "post", f"/answers/{answer.pk}/vote", {"value": 1}).json()["votes"] == 1
    changes = [(e.payload["old_value"], e.payload["new_value"]) for e in events]
    assert changes == [(0, 1), (1, -1), (-1, 0), (0, 1)]
    assert events[-1].payload["author_id"] == cast.expert.pk
    assert (
        api(cast.client("member"), "post", f"/questions/{post.pk}/vote", {"value": 1}).status_code
        == 403
    )
    assert (
        api(cast.client("expert"), "post", f"/answers/{answer.pk}/vote", {"value": 1}).status_code
        == 403
    )
    assert api(fac, "post", f"/answers/{answer.pk}/vote", {"value": 2}).status_code == 422
    post.refresh_from_db()
    answer.refresh_from_db()
    assert (post.vote_score, answer.vote_score, Vote.objects.count()) == (0, 1, 1)


def test_voting_on_the_page_with_htmx_returns_the_widget(cast: Cast) -> None:
    post = ask(cast)
    url = reverse("qa:vote", args=[post.community.slug, post.pk])
    response = cast.client("expert").post(url, {"value": "1"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and 'id="vote-post"' in html
    assert 'aria-pressed="true"' in html and ">1<" in html
    plain = cast.client("coordinator").post(url, {"value": "1"})
    assert plain.status_code == 302
    post.refresh_from_db()
    assert post.vote_score == 2


# --- Ratings and ranking ------------------------------------------------------------------------


def test_rating_rules(cast: Cast, capture_events: Capture) -> None:
    post = ask(cast)
    answer = services.post_answer(cast.expert, post, body="Compare to one half.")
    path = f"/answers/{answer.pk}/rating"
    before = counts()
    for bad in (0, 6):
        response = api(cast.client("member"), "put", path, {"educational_value": bad})
        assert response.status_code == 422
        assert "1 (taught me little) to 5" in response.json()["errors"]["educational_value"]
    own = api(cast.client("expert"), "put", path, {"educational_value": 5})
    assert own.status_code == 403 and own.json()["code"] == "forbidden"
    assert api(cast.client("org_member"), "put", path, {"educational_value": 5}).status_code == 403
    assert counts() == before
    with capture_events() as events:
        first = api(
            cast.client("member"),
            "put",
            path,
            {"educational_value": 4, "note": "Benchmarks beat algorithms."},
        )
        again = api(cast.client("member"), "put", path, {"educational_value": 5, "note": "Wow."})
    assert first.status_code == again.status_code == 200
    assert again.json()["answer"]["count"] == 1 and again.json()["answer"]["mean"] == 5.0
    rated = [e.payload for e in events if e.name == "qa.answer_rated"]
    assert [(r["old_value"], r["new_value"]) for r in rated] == [(0, 4), (4, 5)]
    assert rated[0] == {
        "community_id": post.community_id,
        "post_id": post.pk,
        "answer_id": answer.pk,
        "rater_id": cast.member.pk,
        "author_id": cast.expert.pk,
        "old_value": 0,
        "new_value": 4,
    }
    settings = QASettings.objects.get(community=post.community)
    assert (settings.rating_sum, settings.rating_count) == (5, 1)
    answer.refresh_from_db()
    prior = ranking.community_prior(5, 1)
    assert answer.ev_score == pytest.approx(ranking.score(5, 1, prior))
    page = cast.client("facilitator").get(q_url(post)).content.decode()
    assert "Wow." in page and "Mia Member" in page and "rated 5/5" in page


def test_one_five_star_ranks_below_forty_ratings_averaging_4_6(cast: Cast) -> None:
    post = ask(cast)
    popular = services.post_answer(cast.expert, post, body="Benchmarks and number lines.")
    lucky = services.post_answer(cast.facilitator, post, body="Cross-multiply.")
    raters = members(cast, 40)
    for i, rater in enumerate(raters):
        services.rate_answer(rater, popular, value=5 if i < 24 else 4)
    services.rate_answer(cast.coordinator, lucky, value=5)
    body = api(cast.client("member"), "get", f"/questions/{post.pk}").json()
    assert [a["id"] for a in body["answers"]] == [popular.pk, lucky.pk]
    top, second = body["answers"]
    assert top["educational_value"]["count"] == 40 and top["educational_value"]["mean"] == 4.6
    assert second["educational_value"] == {
        "score": second["educational_value"]["score"],
        "count": 1,
        "mean": 5.0,
    }
    assert top["educational_value"]["score"] > second["educational_value"]["score"]
    post.refresh_from_db()
    assert post.best_answer_score == pytest.approx(top["educational_value"]["score"], abs=1e-3)


def test_accepting_and_the_accepted_first_setting(cast: Cast, capture_events: Capture) -> None:
    post = ask(cast)
    strong = services.post_answer(cast.expert, post, body="Strong answer.")
    weak = services.post_answer(cast.facilitator, post, body="Weak answer.")
    services.rate_answer(cast.coordinator, strong, value=5)
    services.rate_answer(cast.coordinator, weak, value=1)

    def order() -> list[int]:
        return [
            a["id"]
            for a in api(cast.client("member"), "get", f"/questions/{post.pk}").json()["answers"]
        ]

    assert order() == [strong.pk, weak.pk]
    before = counts()
    denied = api(cast.client("expert"), "post", f"/answers/{weak.pk}/accept")
    assert denied.status_code == 403 and "Only the person who asked" in denied.json()["detail"]
    assert counts() == before and Post.objects.get().accepted_answer_id is None
    with capture_events() as events:
        assert api(cast.client("member"), "post", f"/answers/{weak.pk}/accept").json() == {
            "accepted_answer_id": weak.pk,
        }
        # A facilitator may change it.
        api(cast.client("facilitator"), "post", f"/answers/{strong.pk}/accept")
        api(cast.client("member"), "post", f"/answers/{weak.pk}/accept")
    assert order() == [weak.pk, strong.pk]
    accepted = [e.payload for e in events if e.name == "qa.answer_accepted"]
    assert accepted[1] == {
        "community_id": post.community_id,
        "post_id": post.pk,
        "answer_id": strong.pk,
        "previous_answer_id": weak.pk,
        "answer_author_id": cast.expert.pk,
        "previous_author_id": cast.facilitator.pk,
        "actor_id": cast.facilitator.pk,
    }
    page = cast.client("coordinator").post(
        reverse("qa:settings", args=[post.community.slug]), {}
    )  # unchecked box: accepted_first off
    assert page.status_code == 302
    assert order() == [strong.pk, weak.pk]
    with capture_events() as events:
        assert api(cast.client("member"), "delete", f"/answers/{weak.pk}/accept").json() == {
            "accepted_answer_id": None,
        }
    assert events[-1].payload["answer_id"] is None
    assert events[-1].payload["previous_answer_id"] == weak.pk


def test_the_nightly_refresh_follows_the_community_prior(cast: Cast) -> None:
    quiet = ask(cast, title="Seating charts for group work?")
    old = services.post_answer(cast.expert, quiet, body="Random groups.")
    old_score = old.ev_score
    busy = ask(cast, title="Homework policies", who="facilitator")
    answer = services.post_answer(cast.expert, busy, body="Less is more.")
    for rater in members(cast, 10):
        services.rate_answer(rater, answer, value=5)
    old.refresh_from_db()
    assert old.ev_score == old_score  # not touched by ratings elsewhere...
    assert run_due(now=jobs.next_night()) >= 1  # ...until the night
    old.refresh_from_db()
    prior = ranking.community_prior(50, 10)
    assert old.ev_score == pytest.approx(prior) and old.ev_score > old_score
    assert services.refresh_community_scores(cast.org_community) is False  # idempotent


# --- Edits, history, deletion, duplicates -------------------------------------------------------


def test_edits_keep_revisions_with_a_word_diff(cast: Cast, capture_events: Capture) -> None:
    post = ask(cast, body="My students think 1/3 is bigger than 1/2.")
    url = reverse("qa:edit", args=[post.community.slug, post.pk])
    with capture_events() as events:
        response = cast.client("member").post(
            url,
            {
                "title": post.title,
                "body": "My students think 1/8 is bigger than 1/2.",
                "tags": "",
                "reason": "",
            },
        )
    assert response.status_code == 302
    assert list(post.revisions.order_by("number").values_list("number", flat=True)) == [1, 2]
    assert events[-1].name == "qa.post_edited"
    assert events[-1].payload["editor_id"] == cast.member.pk
    history = (
        cast.client("facilitator")
        .get(reverse("qa:history", args=[post.community.slug, post.pk]))
        .content.decode()
    )
    assert "<del>1/3</del>" in history and "<ins>1/8</ins>" in history and "(original)" in history


def test_editing_others_needs_standing_and_a_reason(cast: Cast) -> None:
    post = ask(cast, body="Original words.")
    answer = services.post_answer(cast.coordinator, post, body="An answer.")
    before = counts()
    body = {"title": post.title, "body": "Improved words.", "tags": []}
    assert api(cast.client("facilitator"), "put", f"/questions/{post.pk}", body).status_code == 422
    assert api(cast.client("org_member"), "put", f"/questions/{post.pk}", body).status_code == 403
    member_edit = api(cast.client("member"), "put", f"/answers/{answer.pk}", {"body": "Mine now"})
    assert member_edit.status_code == 403
    assert counts() == before
    ok = api(cast.client("expert"), "put", f"/questions/{post.pk}", {**body, "reason": "Typo"})
    assert ok.status_code == 200 and ok.json()["body"] == "Improved words."
    revs = api(cast.client("member"), "get", f"/questions/{post.pk}/revisions").json()["items"]
    assert [(r["number"], r["reason"]) for r in revs] == [(2, "Typo"), (1, "")]
    unchanged = api(cast.client("expert"), "put", f"/questions/{post.pk}", {**body, "reason": "x"})
    assert unchanged.status_code == 422 and "Nothing changed" in unchanged.json()["detail"]


def test_soft_delete_and_restore(cast: Cast, capture_events: Capture) -> None:
    post = ask(cast)
    answer = services.post_answer(cast.expert, post, body="Try this.")
    list_url = reverse("qa:questions", args=[post.community.slug])
    assert api(cast.client("expert"), "delete", f"/questions/{post.pk}").status_code == 403
    with capture_events() as events:
        assert api(cast.client("member"), "delete", f"/questions/{post.pk}").status_code == 204
    assert events[-1].payload == {
        "community_id": post.community_id,
        "post_id": post.pk,
        "author_id": cast.member.pk,
        "actor_id": cast.member.pk,
    }
    assert post.title not in cast.client("expert").get(list_url).content.decode()
    assert cast.client("expert").get(q_url(post)).status_code == 404
    page = cast.client("member").get(q_url(post)).content.decode()
    assert "This post was deleted" in page and "Restore it" in page
    assert (
        cast.client("member")
        .post(reverse("qa:restore", args=[post.community.slug, post.pk]))
        .status_code
        == 302
    )
    assert cast.client("expert").get(q_url(post)).status_code == 200
    # Answers: a moderator deletes, the author may not restore what a moderator deleted.
    assert api(cast.client("facilitator"), "delete", f"/answers/{answer.pk}").status_code == 204
    post.refresh_from_db()
    assert post.answer_count == 0
    assert api(cast.client("expert"), "post", f"/answers/{answer.pk}/restore").status_code == 403
    assert (
        api(cast.client("facilitator"), "post", f"/answers/{answer.pk}/restore").status_code == 200
    )
    post.refresh_from_db()
    assert post.answer_count == 1


def test_a_deleted_answer_shows_only_to_its_author_and_moderators(cast: Cast) -> None:
    """The question page caches its thread (with who wrote the deleted answers) and each
    viewer's controls: a deletion changes what each reader sees at once, warmed caches or not."""
    post = ask(cast)
    answer = services.post_answer(cast.expert, post, body="A regrettable answer.")
    readers = {who: cast.client(who) for who in ("member", "expert", "facilitator")}
    for client in readers.values():  # warm every cache the page keeps
        assert "A regrettable answer." in client.get(q_url(post)).content.decode()
    assert api(readers["facilitator"], "delete", f"/answers/{answer.pk}").status_code == 204
    for _ in range(2):  # the second round from the caches the first one filled
        pages = {who: c.get(q_url(post)).content.decode() for who, c in readers.items()}
        for who in ("expert", "facilitator"):
            assert "Deleted answers" in pages[who] and "A regrettable answer." in pages[who]
        assert "Deleted answers" not in pages["member"]
        assert "A regrettable answer." not in pages["member"]


def test_close_as_duplicate_links_both_ways(cast: Cast) -> None:
    original = ask(cast, title="Teaching equivalent fractions")
    copy = ask(cast, title="Equivalent fractions: how to teach?", who="expert")
    response = cast.client("expert").post(
        reverse("qa:duplicate", args=[copy.community.slug, copy.pk]),
        {"duplicate_of": str(original.pk)},
    )
    assert response.status_code == 302
    copy.refresh_from_db()
    assert copy.duplicate_of_id == original.pk
    assert "Closed as a duplicate of" in cast.client("member").get(q_url(copy)).content.decode()
    assert "Also asked as" in cast.client("member").get(q_url(original)).content.decode()
    refused = api(cast.client("member"), "post", f"/questions/{copy.pk}/answers", {"body": "Hi"})
    assert refused.status_code == 409
    other = ask(cast, community=cast.public_community, title="Elsewhere")
    cross = api(
        cast.client("expert"), "put", f"/questions/{copy.pk}/duplicate", {"duplicate_of": other.pk}
    )
    assert cross.status_code == 422
    assert (
        api(cast.client("expert"), "delete", f"/questions/{copy.pk}/duplicate").json()[
            "duplicate_of"
        ]
        is None
    )


# --- Lists, similar, pages ----------------------------------------------------------------------


def test_lists_sort_filter_and_paginate(cast: Cast) -> None:
    Tag.objects.create(community=cast.org_community, name="reading", slug="reading")
    answered = ask(cast, title="Answered one", tags=["reading"])
    ask(cast, title="Unanswered one", kind="success")
    ans = services.post_answer(cast.expert, answered, body="Yes.")  # the latest activity
    services.rate_answer(cast.member, ans, value=5)
    path = f"/communities/{cast.org_community.slug}/questions"
    client = cast.client("member")

    def titles(query: str) -> list[str]:
        return [i["title"] for i in api(client, "get", f"{path}?{query}").json()["items"]]

    assert titles("sort=newest") == ["Unanswered one", "Answered one"]
    assert titles("sort=unanswered") == ["Unanswered one"]
    assert titles("sort=top")[0] == "Answered one"
    assert titles("sort=active")[0] == "Answered one"
    assert titles("tag=reading") == ["Answered one"]
    assert titles("type=success") == ["Unanswered one"]
    assert api(client, "get", f"{path}?sort=best").status_code == 422
    page = client.get(reverse("qa:questions", args=[cast.org_community.slug]) + "?sort=top")
    assert 'aria-current="page">Top by educational value' in page.content.decode()
    tag_page = client.get(reverse("qa:tag", args=[cast.org_community.slug, "reading"]))
    assert "Answered one" in tag_page.content.decode()
    assert "Unanswered one" not in tag_page.content.decode()


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_list_page_queries_do_not_grow_with_posts(cast: Cast) -> None:
    Tag.objects.create(community=cast.org_community, name="a", slug="a")
    Tag.objects.create(community=cast.org_community, name="b", slug="b")
    client = cast.client("member")
    url = reverse("qa:questions", args=[cast.org_community.slug])
    for i in range(3):
        ask(cast, title=f"Question {i}", tags=["a", "b"])
    few = _queries(client, url)
    for i in range(27):
        ask(cast, title=f"More {i}", tags=["a"], who="expert")
    assert _queries(client, url) == few
    assert _queries(client, url + "?sort=top&tag=a") <= few + 1


def test_list_stamp_moves_with_every_change_to_a_communitys_posts(cast: Cast) -> None:
    """The triggers bump the stamp for inserts, any update (even a bulk one no service sees),
    deletes, and both communities when a post moves."""
    home, other = cast.org_community, cast.public_community
    before = list_stamp(home.pk)
    post = ask(cast, title="Stamped")
    after_insert = list_stamp(home.pk)
    assert after_insert > before
    Post.objects.filter(pk=post.pk).update(title="Renamed in bulk")
    after_update = list_stamp(home.pk)
    assert after_update > after_insert
    other_before = list_stamp(other.pk)
    Post.objects.filter(pk=post.pk).update(community=other)
    assert list_stamp(home.pk) > after_update and list_stamp(other.pk) > other_before
    moved = list_stamp(other.pk)
    Post.objects.filter(pk=post.pk).delete()
    assert list_stamp(other.pk) > moved


def test_list_stamp_never_comes_back_after_a_rollback(cast: Cast) -> None:
    """A stamp seen inside a rolled-back transaction is never reused for another state."""
    post = ask(cast, title="Stamped")

    class Undo(Exception):
        """Raised to roll the transaction back."""

    with pytest.raises(Undo), transaction.atomic():
        Post.objects.filter(pk=post.pk).update(title="Rolled back")
        seen_then_undone = list_stamp(cast.org_community.pk)
        raise Undo
    Post.objects.filter(pk=post.pk).update(title="Kept")
    # Not "greater": within one millisecond SQLite's stamp differs by its random part only.
    assert list_stamp(cast.org_community.pk) != seen_then_undone


def test_cached_list_shows_every_change_at_once(cast: Cast) -> None:
    """The list's rows are cached, and no change to the posts is ever hidden by that cache."""
    client = cast.client("member")
    url = reverse("qa:questions", args=[cast.org_community.slug])
    post = ask(cast, title="Original title")
    assert "Original title" in client.get(url).content.decode()
    with CaptureQueriesContext(connection) as warm:
        client.get(url)
    assert not any('FROM "qa_post"' in q["sql"] for q in warm.captured_queries)  # from cache

    Post.objects.filter(pk=post.pk).update(title="Retitled behind the services' back")
    assert "Retitled behind the services" in client.get(url).content.decode()
    services.post_answer(cast.expert, post, body="An answer.")
    assert "<strong>1</strong> answer<" in client.get(url).content.decode()
    services.vote(cast.facilitator, post=post, value=1)
    assert "<strong>1</strong> helpful" in client.get(url).content.decode()
    services.delete_post(cast.member, post)
    assert "Retitled" not in client.get(url).content.decode()


def test_question_page_queries_do_not_grow_with_answers(cast: Cast) -> None:
    def build(n: int) -> Post:
        post = ask(cast, title=f"Thread with {n}")
        raters = members(cast, 2)
        for i in range(n):
            a = services.post_answer(cast.expert if i % 2 else cast.facilitator, post, body=f"A{i}")
            services.add_comment(cast.coordinator, post, body=f"c{i}", answer=a)
            services.rate_answer(raters[0], a, value=4, note=f"learned {i}")
            services.rate_answer(raters[1], a, value=3)
        services.add_comment(cast.coordinator, post, body="on the post")
        return post

    client = cast.client("member")
    small, large = build(1), build(8)
    cache.clear()
    cold_small = _queries(client, q_url(small))
    cold_large = _queries(client, q_url(large))
    assert cold_large == cold_small
    warm_large = _queries(client, q_url(large))
    assert warm_large < cold_large  # the cached block skips comments, notes, tags
    assert _queries(cast.client("coordinator"), q_url(large)) <= cold_large + 2


def test_cached_block_is_fresh_after_changes(cast: Cast) -> None:
    post = ask(cast)
    client = cast.client("member")
    client.get(q_url(post))
    services.post_answer(cast.expert, post, body="A fresh answer appears.")
    assert "A fresh answer appears." in client.get(q_url(post)).content.decode()


def test_a_vote_on_an_answer_shows_at_once_on_a_cached_page(cast: Cast) -> None:
    """The answers are cached per Post.version, so a vote must bump it: the score shown (and
    the order it ranks by) is never the one from before the vote."""
    post = ask(cast)
    answer = services.post_answer(cast.expert, post, body="Try a number talk.")
    client = cast.client("member")
    score = '<span class="qa-vote-score" aria-label="helpful score">{}</span>'
    assert score.format(0) in client.get(q_url(post)).content.decode()  # now cached
    services.vote(cast.facilitator, answer=answer, value=1)
    assert score.format(1) in client.get(q_url(post)).content.decode()
    services.vote(cast.member, answer=answer, value=1)  # the reader's own vote, too
    assert score.format(2) in client.get(q_url(post)).content.decode()
    Answer.objects.filter(pk=answer.pk).update(vote_score=7)  # a bulk write: the trigger bumps
    assert score.format(7) in client.get(q_url(post)).content.decode()


def test_viewer_controls_are_per_viewer(cast: Cast) -> None:
    post = ask(cast)
    answer = services.post_answer(cast.expert, post, body="Answer.")
    services.rate_answer(cast.facilitator, answer, value=3, note="")
    as_member = cast.client("member").get(q_url(post)).content.decode()
    as_facilitator = cast.client("facilitator").get(q_url(post)).content.decode()
    as_expert = cast.client("expert").get(q_url(post)).content.decode()
    assert "Accept this answer" in as_member and "Rate what it taught you" in as_member
    assert "You rated it 3/5" in as_facilitator
    assert "Accept this answer" not in as_expert and "Rate what it taught you" not in as_expert
    assert "<!--slot:" not in as_member


def test_remembered_controls_follow_the_viewer(cast: Cast) -> None:
    """A viewer's controls are cached per post version, role, standing and CSRF secret: their
    own vote or rating, a new role, and a second browser each get the controls that match."""
    post = ask(cast, who="expert")
    answer = services.post_answer(cast.facilitator, post, body="Answer.")
    client = cast.client("member")
    assert "Rate what it taught you" in client.get(q_url(post)).content.decode()  # cached now
    services.rate_answer(cast.member, answer, value=4, note="")
    assert "You rated it 4/5" in client.get(q_url(post)).content.decode()
    services.vote(cast.member, answer=answer, value=1)
    assert 'aria-pressed="true"' in client.get(q_url(post)).content.decode()
    delete_others = reverse("qa:delete", args=[cast.org_community.slug, post.pk])
    assert delete_others not in client.get(q_url(post)).content.decode()
    Membership.objects.filter(community=cast.org_community, user=cast.member).update(
        role=Role.MODERATOR
    )
    assert delete_others in client.get(q_url(post)).content.decode()  # a moderator now

    # Two browsers of the same person: each answer-vote form (inside the remembered slots)
    # must carry a token for that browser's own CSRF secret.
    vote_url = reverse("qa:answer-vote", args=[cast.org_community.slug, answer.pk])
    for _ in range(2):
        browser = Client(enforce_csrf_checks=True)
        browser.force_login(cast.member)
        html = browser.get(q_url(post)).content.decode()
        form = html.split(f'action="{vote_url}"', 1)[1]
        token = form.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
        voted = browser.post(vote_url, {"csrfmiddlewaretoken": token, "value": "0"})
        assert voted.status_code in (200, 302), voted.status_code


def test_similar_posts_as_you_type(cast: Cast) -> None:
    answered = ask(cast, title="Teaching fraction division with models")
    a = services.post_answer(cast.expert, answered, body="Use bar models.")
    services.rate_answer(cast.facilitator, a, value=5)
    ask(cast, title="Fraction division worksheets that are not boring")
    ask(cast, title="Parent conference tips")
    ask(cast, community=cast.public_community, title="Fraction division elsewhere")
    url = reverse("qa:similar", args=[cast.org_community.slug])
    html = cast.client("member").get(url, {"title": "fractions division"}).content.decode()
    assert "Teaching fraction division with models" in html
    assert "Parent conference" not in html and "elsewhere" not in html
    body = api(
        cast.client("member"),
        "get",
        f"/communities/{cast.org_community.slug}/similar?title=dividing%20fractions%20division",
    )
    items = body.json()["items"]
    assert items[0]["id"] == answered.pk and items[0]["best_answer_score"] > 0
    assert len(items) == 2
    empty = api(
        cast.client("member"), "get", f"/communities/{cast.org_community.slug}/similar?title=the"
    )
    assert empty.json() == {"items": []}


def test_tab_and_home_panel(cast: Cast) -> None:
    ask(cast, title="Our first question here")
    home = cast.client("member").get(reverse("communities:home", args=[cast.org_community.slug]))
    html = home.content.decode()
    assert f'href="/c/{cast.org_community.slug}/questions/"' in html
    assert "Our first question here" in html and "Waiting for an answer" in html


def test_search_documents(cast: Cast) -> None:
    from practica.qa.integration import answer_document, post_document

    Tag.objects.create(community=cast.org_community, name="fractions", slug="fractions")
    post = ask(cast, tags=["fractions"], body="Body text")
    answer = services.post_answer(cast.expert, post, body="Answer text")
    doc = post_document(post)
    assert doc is not None and doc.tags == ["fractions"] and doc.community_id == post.community_id
    answer_doc = answer_document(answer)
    assert answer_doc is not None and answer_doc.url.endswith(f"#answer-{answer.pk}")
    services.delete_post(cast.member, post)
    post.refresh_from_db()
    answer.refresh_from_db()
    assert post_document(post) is None and answer_document(answer) is None
