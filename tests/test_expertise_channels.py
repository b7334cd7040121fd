"""Expert channels: who creates them, expert-only posting, following, the feed, search."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from practica.accounts.models import User
from practica.communities.models import Membership
from practica.expertise import services
from practica.expertise.models import Channel, ChannelFollow, ChannelPost
from practica.expertise.testing import tag
from practica.lib.testing import Cast
from practica.search import registry

API = "/api/v1"


def _api(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _post_json(user: User, path: str, body: dict[str, Any], method: str = "post") -> Any:
    return getattr(_api(user), method)(path, data=json.dumps(body), content_type="application/json")


@pytest.fixture
def channel(cast: Cast) -> Channel:
    return services.create_channel(
        cast.facilitator,
        cast.org_community,
        name="Tips from our experts",
        description="Short, classroom-tested ideas.",
    )


def test_facilitators_create_channels_members_may_not(cast: Cast) -> None:
    c = cast.org_community
    path = f"{API}/communities/{c.slug}/channels"
    made = _post_json(cast.coordinator, path, {"name": "Assessment corner"})
    assert made.status_code == 201, made.content
    assert made.json()["slug"] == "assessment-corner" and made.json()["kind"] == "expert"
    denied = _post_json(cast.member, path, {"name": "Mine"})
    assert denied.status_code == 403 and "facilitators" in denied.json()["detail"]
    taken = _post_json(cast.facilitator, path, {"name": "Assessment corner"})
    assert taken.status_code == 409 and taken.json()["code"] == "slug_taken"
    empty = _post_json(cast.facilitator, path, {"name": "  "})
    assert empty.status_code == 422 and "name" in empty.json()["errors"]
    assert Channel.objects.filter(community=c).count() == 1
    # The form page does the same.
    response = cast.client("facilitator").post(
        reverse("expertise:channel-new", args=[c.slug]), {"name": "Lesson study", "kind": "expert"}
    )
    assert response.status_code == 302
    assert Channel.objects.filter(community=c, slug="lesson-study").exists()


def test_only_experts_and_stewards_post_in_an_expert_channel(
    cast: Cast, channel: Channel, capture_events: Any
) -> None:
    c = cast.org_community
    tag(c, "fractions")
    path = f"{API}/communities/{c.slug}/channels/{channel.slug}/posts"
    tip = {"kind": "tip", "title": "Fraction strips first", "body": "Fold *before* you compute.",
           "tags": ["fractions"]}  # fmt: skip
    with capture_events() as events:
        made = _post_json(cast.expert, path, tip)
    assert made.status_code == 201, made.content
    assert made.json()["body_html"] == "<p>Fold <em>before</em> you compute.</p>\n"
    assert made.json()["tags"] == ["fractions"]
    assert [e.name for e in events if e.name.startswith("expertise.")] == [
        "expertise.channel_posted"
    ]
    for who in (cast.member, cast.org_member):
        denied = _post_json(who, path, tip)
        assert denied.status_code in (403, 404)
        assert denied.status_code == 403 or who is cast.org_member
    assert _post_json(cast.member, path, tip).json()["detail"].startswith("Only")
    assert _post_json(cast.coordinator, path, {**tip, "title": "From a steward"}).status_code == 201
    channel.refresh_from_db()
    assert channel.post_count == 2


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "tip", "title": "", "body": "x"}, "title"),
        ({"kind": "article", "title": "No body", "body": ""}, "body"),
        ({"kind": "video", "title": "No link"}, "video_url"),
        ({"kind": "video", "title": "Bad link", "video_url": "javascript:alert(1)"}, "video_url"),
        ({"kind": "tip", "title": "Big", "body": "x" * 20_001}, "body"),
        ({"kind": "tip", "title": "Tagged", "body": "x", "tags": ["nope"]}, "tags"),
    ],
)
def test_bad_channel_posts_get_a_clear_message_and_change_nothing(
    cast: Cast, channel: Channel, body: dict[str, Any], field: str
) -> None:
    path = f"{API}/communities/{cast.org_community.slug}/channels/{channel.slug}/posts"
    response = _post_json(cast.expert, path, body)
    assert response.status_code == 422, response.content
    assert field in response.json()["errors"]
    assert not ChannelPost.objects.exists()


def test_video_post_through_the_form(cast: Cast, channel: Channel) -> None:
    url = reverse("expertise:post", args=[cast.org_community.slug, channel.slug])
    data = {"kind": "video", "title": "Number talk in 4 minutes",
            "video_url": "https://video.example/nt", "body": "", "tags": ""}  # fmt: skip
    assert cast.client("expert").post(url, data).status_code == 302
    bad = cast.client("expert").post(url, {**data, "video_url": ""})
    assert bad.status_code == 422 and "needs the video" in bad.content.decode()
    assert cast.client("member").post(url, data).status_code == 403
    assert ChannelPost.objects.count() == 1


def test_follow_unfollow_and_the_feed(cast: Cast, channel: Channel) -> None:
    c = cast.org_community
    base = f"{API}/communities/{c.slug}/channels/{channel.slug}/follow"
    assert _api(cast.member).put(base).json() == {"following": True, "follower_count": 1}
    assert _api(cast.member).put(base).json()["follower_count"] == 1  # idempotent
    assert _api(cast.org_member).put(base).status_code == 403  # not a member
    other = services.create_channel(cast.facilitator, c, name="Not followed")
    services.post_to_channel(cast.expert, other, kind="tip", title="Elsewhere", body="x")
    for i in range(3):
        services.post_to_channel(cast.expert, channel, kind="tip", title=f"Tip {i}", body="x")
    feed = _api(cast.member).get(f"{API}/channels/feed").json()
    assert [p["title"] for p in feed["items"]] == ["Tip 2", "Tip 1", "Tip 0"]
    page = cast.client("member").get(reverse("expertise:feed"))
    assert "Tip 2" in page.content.decode() and "Elsewhere" not in page.content.decode()
    # Leaving a private community hides its channels from the feed.
    private = services.create_channel(cast.facilitator, cast.private_community, name="Secret")
    services.follow(cast.member, private)
    services.post_to_channel(cast.expert, private, kind="tip", title="Private tip", body="x")
    assert "Private tip" in [
        p["title"] for p in _api(cast.member).get(f"{API}/channels/feed").json()["items"]
    ]
    Membership.objects.filter(community=cast.private_community, user=cast.member).delete()
    titles = [p["title"] for p in _api(cast.member).get(f"{API}/channels/feed").json()["items"]]
    assert "Private tip" not in titles
    assert _api(cast.member).delete(base).json() == {"following": False, "follower_count": 0}
    assert not ChannelFollow.objects.filter(channel=channel, user=cast.member).exists()
    # The page's follow button does the same.
    url = reverse("expertise:follow", args=[c.slug, channel.slug])
    assert cast.client("member").post(url).status_code == 302
    channel.refresh_from_db()
    assert channel.follower_count == 1


def test_channel_pages_and_feed_cost_constant_queries(cast: Cast, channel: Channel) -> None:
    c = cast.org_community
    services.follow(cast.member, channel)
    fractions = tag(c, "fractions")

    def add(n: int) -> None:
        for i in range(n):
            services.post_to_channel(
                cast.expert, channel, kind="tip", title=f"T{i}", body="x", tags=[fractions.slug]
            )

    def cost() -> list[int]:
        client = cast.client("member")
        counts = []
        for url in (
            reverse("expertise:feed"),
            reverse("expertise:channel", args=[c.slug, channel.slug]),
            reverse("expertise:channels", args=[c.slug]),
            f"{API}/channels/feed",
            f"{API}/communities/{c.slug}/channels/{channel.slug}",
        ):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            counts.append(len(queries))
        return counts

    add(2)
    small = cost()
    add(15)
    assert cost() == small


def test_channel_posts_are_a_search_type(cast: Cast, channel: Channel) -> None:
    kind = registry.types()["channel_post"]
    post = services.post_to_channel(
        cast.expert, channel, kind="tip", title="Wait time", body="Count to five."
    )
    doc = kind.document(post)
    assert doc is not None
    assert doc.community_id == cast.org_community.pk
    assert doc.title == "Wait time" and doc.url.endswith(f"#post-{post.pk}")


def test_channel_posts_are_found_only_by_those_who_may_see_them(cast: Cast) -> None:
    secret = services.create_channel(cast.facilitator, cast.private_community, name="Secret")
    services.post_to_channel(
        cast.expert, secret, kind="tip", title="Trapezoid dissection", body="Cut and rotate."
    )
    params = {"q": "trapezoid", "type": "channel_post"}
    found = _api(cast.member).get(f"{API}/search", params).json()
    assert [i["title"] for i in found["items"]] == ["Trapezoid dissection"]
    assert found["items"][0]["type"] == "channel_post"
    for outsider in (cast.outsider, cast.org_admin, None):
        hidden = _api(outsider).get(f"{API}/search", params).json()
        assert hidden["items"] == [] and hidden["count"] == 0


def test_nul_characters_are_refused_cleanly(cast: Cast, channel: Channel) -> None:
    c = cast.org_community
    assert _api(cast.member).get(f"{API}/communities/{c.slug}/channels/a%00b").status_code == 404
    experts = _api(cast.member).get(f"{API}/communities/{c.slug}/experts", {"q": "a\x00b"})
    assert experts.status_code == 200
