"""Search end to end with the real registrations: questions and answers (Q&A services), expert
channel posts (expertise services) and people are found through the page and the API by those
who may see them, and disappear when deleted."""

from __future__ import annotations

from typing import Any

from practica.expertise import services as expertise
from practica.lib.testing import Cast
from practica.qa import services as qa
from practica.search.query import Filters, search


def _types(user: Any, q: str, **filters: Any) -> list[tuple[str, str]]:
    return sorted((h.type, h.title) for h in search(user, q, filters=Filters(**filters)).hits)


def test_questions_answers_and_channel_posts_are_found(cast: Cast) -> None:
    community = cast.private_community
    post = qa.create_post(
        cast.member, community, title="Seating charts for group work",
        body="How do you rotate groups without losing a week?",
    )  # fmt: skip
    answer = qa.post_answer(cast.expert, post, body="We rotate every fortnight by interest.")
    channel = expertise.create_channel(cast.facilitator, community, name="Group work tips")
    expertise.post_to_channel(
        cast.expert, channel, kind="tip", title="Rotating groups fortnightly",
        body="A simple rotation grid.",
    )  # fmt: skip

    found = _types(cast.member, "rotate")
    assert ("question", "Seating charts for group work") in found
    assert ("answer", "Seating charts for group work") in found
    assert ("channel_post", "Rotating groups fortnightly") in found
    assert _types(cast.member, "fortnight", type="answer") == [
        ("answer", "Seating charts for group work")
    ]
    for outsider in (None, cast.outsider, cast.org_member, cast.org_admin):
        assert search(outsider, "rotate").count == 0

    client = cast.client("member")
    page = client.get("/search/", {"q": "rotate"}).content.decode()
    assert qa.post_url(post) in page and "channel_post" in page
    api = client.get("/api/v1/search", {"q": "fortnight", "type": "answer"}).json()
    assert api["count"] == 1 and api["items"][0]["id"] == answer.pk

    qa.delete_post(cast.member, post)
    assert ("question", "Seating charts for group work") not in _types(cast.member, "rotate")
