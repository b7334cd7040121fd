"""Expertise: who knows about X, routing of questions to experts, routing settings, expert
channels (list, create, detail, posts, follow) and the feed of followed channels.

Every lookup goes through ``access.get_community_for`` (a community the caller may not see is a
404, like a missing one; signed out, a 401) and every write through
``practica.expertise.services``. Lists of people (experts) need a signed-in caller, like the
members list; channels and their posts answer signed-out clients for public communities.
"""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from practica.accounts.models import User
from practica.api.auth import AUTH, OPTIONAL_AUTH, OPTIONAL_AUTH_OPENAPI, caller, viewer
from practica.api.pagination import paginate
from practica.api.schemas import ErrorOut, PageOut, PageParams, Text
from practica.communities import access
from practica.communities.models import Community
from practica.expertise import selectors, services
from practica.expertise.models import (
    Channel,
    ChannelKind,
    ChannelPost,
    ChannelPostKind,
    Routing,
    RoutingReason,
)
from practica.lib.errors import Invalid, NotFound
from practica.qa.models import Post

router = Router(tags=["expertise"])

ONE = "/communities/{slug:slug}"
CHANNEL = ONE + "/channels/{channel_slug}"
DB_INT_MAX = 2**63 - 1
READ = {200: None, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
WRITE = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


# --- Schemas ------------------------------------------------------------------------------------


class ExpertPersonOut(Schema):
    id: int
    name: str


class ExpertTagOut(Schema):
    slug: str
    name: str


class EarnedTagOut(Schema):
    tag: str = Field(..., description="The tag's slug.")
    score: float
    answers: int = Field(..., description="Answers with evidence in this tag.")
    ratings: int
    accepted: int


class EarnedExpertOut(Schema):
    id: int
    name: str
    role: str | None
    earned: float = Field(..., description="Earned expertise summed over the matched tags.")
    tags: list[EarnedTagOut]


class DeclaredExpertOut(Schema):
    id: int
    name: str
    role: str | None
    declared: list[str] = Field(..., description="Topics on their profile (not evidence).")


class EarnedPage(PageOut):
    items: list[EarnedExpertOut]


class DeclaredPage(PageOut):
    items: list[DeclaredExpertOut]


class ExpertsOut(Schema):
    tag: str
    q: str
    tags: list[ExpertTagOut] = Field(..., description="The community's tags that matched.")
    earned: EarnedPage = Field(..., description="Members with evidence, strongest first.")
    declared: DeclaredPage = Field(
        ..., description="Members who only declared the topic: always after the earned list."
    )


class RoutingOut(Schema):
    id: int
    expert: ExpertPersonOut
    reason: RoutingReason
    round: int = Field(..., description="1 when posted, 2+ when re-routed, 0 when asked by name.")
    score: float = Field(..., description="Their earned expertise in the question's tags then.")
    routed_at: datetime
    answered_at: datetime | None


class RoutingPage(PageOut):
    items: list[RoutingOut]


class AskExpertIn(Schema):
    expert_id: int | None = Field(None, ge=1, le=DB_INT_MAX)
    expert: Text = Field("", description="Or their full name or e-mail.")


class RoutingSettingsOut(Schema):
    reroute_after_hours: int


class RoutingSettingsIn(Schema):
    reroute_after_hours: int = Field(..., description="1 to 336 (two weeks).")


class ChannelIn(Schema):
    name: Text
    description: Text = ""
    slug: Text = Field("", description="URL name; from the name when empty.")
    kind: ChannelKind = ChannelKind.EXPERT


class ChannelOut(Schema):
    slug: str
    name: str
    description: str
    kind: ChannelKind
    post_count: int
    follower_count: int
    last_post_at: datetime | None
    following: bool = Field(..., description="Whether you follow it.")
    url: str


class ChannelPage(PageOut):
    items: list[ChannelOut]


class ChannelPostIn(Schema):
    kind: ChannelPostKind
    title: Text
    body: Text = Field("", description="Markdown; required for articles and tips.")
    video_url: Text = Field("", description="Required for a video: its https:// link.")
    tags: list[Text] = Field(default_factory=list, description="Existing tag slugs.")


class ChannelPostOut(Schema):
    id: int
    channel: str = Field(..., description="The channel's slug.")
    community: str
    kind: ChannelPostKind
    title: str
    body: str
    body_html: str
    video_url: str
    tags: list[str]
    author: ExpertPersonOut | None
    created_at: datetime


class ChannelPostPage(PageOut):
    items: list[ChannelPostOut]


class ChannelDetailOut(ChannelOut):
    may_post: bool
    posts: ChannelPostPage


class FollowOut(Schema):
    following: bool
    follower_count: int


# --- Converters (never query: lists load what they need up front) ------------------------------


def _person(user: User | None) -> ExpertPersonOut | None:
    return ExpertPersonOut(id=user.pk, name=user.display_name) if user is not None else None


def _routing_out(routing: Routing) -> RoutingOut:
    return RoutingOut(
        id=routing.pk,
        expert=ExpertPersonOut(id=routing.expert.pk, name=routing.expert.display_name),
        reason=RoutingReason(routing.reason),
        round=routing.round,
        score=routing.score,
        routed_at=routing.routed_at,
        answered_at=routing.answered_at,
    )


def _channel_out(channel: Channel, following: set[int]) -> ChannelOut:
    from django.urls import reverse

    return ChannelOut(
        slug=channel.slug,
        name=channel.name,
        description=channel.description,
        kind=ChannelKind(channel.kind),
        post_count=channel.post_count,
        follower_count=channel.follower_count,
        last_post_at=channel.last_post_at,
        following=channel.pk in following,
        url=reverse("expertise:channel", args=[channel.community.slug, channel.slug]),
    )


def _post_out(post: ChannelPost) -> ChannelPostOut:
    return ChannelPostOut(
        id=post.pk,
        channel=post.channel.slug,
        community=post.channel.community.slug,
        kind=ChannelPostKind(post.kind),
        title=post.title,
        body=post.body,
        body_html=post.body_html,
        video_url=post.video_url,
        tags=[t.slug for t in post.tags.all()],
        author=_person(post.author),
        created_at=post.created_at,
    )


# --- Lookups through the gate -------------------------------------------------------------------


def _community(request: HttpRequest, slug: str) -> tuple[Community, User | AnonymousUser]:
    user = viewer(request)
    return access.get_community_for(user, slug), user


def _channel(request: HttpRequest, slug: str, channel_slug: str) -> Channel:
    community, _ = _community(request, slug)
    return services.get_channel(community, channel_slug)


def _question(request: HttpRequest, post_id: int) -> Post:
    """A question the caller may see (through its community's gate); 404 otherwise."""
    user = caller(request)
    post = (
        Post.objects.select_related("community", "community__organization")
        .filter(pk=post_id, deleted_at__isnull=True)
        .first()
    )
    if post is None or not access.can_view_community(user, post.community):
        raise NotFound("No such question.")
    return post


# --- Who knows about X --------------------------------------------------------------------------


@router.get(ONE + "/experts", auth=AUTH, response={**READ, 200: ExpertsOut})
def find_experts(
    request: HttpRequest,
    slug: str,
    paging: Query[PageParams],
    tag: str = "",
    q: str = "",
) -> dict[str, object]:
    """Who knows about a tag (``?tag=slug``) or words (``?q=``): ``earned`` lists members with
    evidence (ratings and acceptances of their answers in the matched tags), strongest first;
    ``declared`` lists members who only declared it on their profile. Both are paged alike."""
    community = access.get_community_for(caller(request), slug)
    search = selectors.search_for(community, tag, q)
    earned = paginate(selectors.earned_experts(community, search.tags), paging, lambda u: u)
    users: list[User] = earned["items"]
    breakdown = selectors.earned_breakdown(community, users, search.tags)
    earned["items"] = [
        EarnedExpertOut(
            id=u.pk,
            name=u.display_name,
            role=u.role,  # type: ignore[attr-defined]
            earned=round(u.earned, 3),  # type: ignore[attr-defined]
            tags=[
                EarnedTagOut(
                    tag=t.slug,
                    score=round(r.score, 3),
                    answers=r.answers,
                    ratings=r.ratings,
                    accepted=r.accepted,
                )
                for t, r in breakdown.get(u.pk, [])
            ],
        )
        for u in users
    ]
    declared = paginate(selectors.declared_experts(community, search), paging, lambda u: u)
    topics = selectors.declared_labels(declared["items"])
    declared["items"] = [
        DeclaredExpertOut(
            id=u.pk,
            name=u.display_name,
            role=u.role,
            declared=topics.get(u.pk, []),
        )
        for u in declared["items"]
    ]
    return {
        "tag": search.tag,
        "q": search.q,
        "tags": [ExpertTagOut(slug=t.slug, name=t.name) for t in search.tags],
        "earned": earned,
        "declared": declared,
    }


@router.get(ONE + "/experts/settings", auth=AUTH, response={**READ, 200: RoutingSettingsOut})
def get_routing_settings(request: HttpRequest, slug: str) -> RoutingSettingsOut:
    """How long a question waits before it goes to the next experts."""
    community = access.get_community_for(caller(request), slug)
    return RoutingSettingsOut(
        reroute_after_hours=services.settings_for(community).reroute_after_hours
    )


@router.put(ONE + "/experts/settings", auth=AUTH, response={**WRITE, 200: RoutingSettingsOut})
def update_routing_settings(
    request: HttpRequest, slug: str, payload: RoutingSettingsIn
) -> RoutingSettingsOut:
    """Coordinators (and org admins, staff): change the re-routing delay (1-336 hours)."""
    user = caller(request)
    community = access.get_community_for(user, slug)
    row = services.update_settings(user, community, reroute_after_hours=payload.reroute_after_hours)
    return RoutingSettingsOut(reroute_after_hours=row.reroute_after_hours)


# --- Routing ------------------------------------------------------------------------------------


@router.get("/questions/{post_id}/routings", auth=AUTH, response={**WRITE, 200: RoutingPage})
def list_routings(
    request: HttpRequest, post_id: int, paging: Query[PageParams]
) -> dict[str, object]:
    """Who the question was put to, why and when, and whether they answered: for the asker and
    the community's facilitators and coordinators (403 for other readers)."""
    post = _question(request, post_id)
    access.require(
        selectors.may_see_routings(caller(request), post),
        "Only the asker and the community's facilitators see who a question was routed to.",
    )
    return paginate(selectors.routings_of(post), paging, _routing_out)


@router.post("/questions/{post_id}/routings", auth=AUTH, response={**WRITE, 201: RoutingOut})
def ask_expert(request: HttpRequest, post_id: int, payload: AskExpertIn) -> Status[RoutingOut]:
    """The asker asks one member by ``expert_id`` or by ``expert`` (full name or e-mail).
    422 when they are not a member or are the asker; 409 ``already_asked`` or ``expert_busy``
    (already holding 3 unanswered routed questions)."""
    post = _question(request, post_id)
    ref: str | int = payload.expert_id if payload.expert_id is not None else payload.expert
    if ref == "":
        raise Invalid({"expert": "Name the member you want to ask (expert_id or expert)."})
    routing = services.ask_expert(caller(request), post, ref)
    return Status(201, _routing_out(routing))


# --- Channels -----------------------------------------------------------------------------------


@router.get(
    ONE + "/channels",
    auth=OPTIONAL_AUTH,
    response={**READ, 200: ChannelPage},
    openapi_extra=OPTIONAL_AUTH_OPENAPI,
)
def list_channels(request: HttpRequest, slug: str, paging: Query[PageParams]) -> dict[str, object]:
    """The community's channels, most recently active first."""
    community, user = _community(request, slug)
    body = paginate(selectors.channels_of(community), paging, lambda c: c)
    for c in body["items"]:
        c.community = community
    following = selectors.followed_ids(user, body["items"])
    body["items"] = [_channel_out(c, following) for c in body["items"]]
    return body


@router.post(ONE + "/channels", auth=AUTH, response={**WRITE, 201: ChannelOut})
def create_channel(request: HttpRequest, slug: str, payload: ChannelIn) -> Status[ChannelOut]:
    """Facilitators, coordinators and moderators (and org admins, staff) open a channel; 409
    ``slug_taken`` when the URL name is in use."""
    user = caller(request)
    community = access.get_community_for(user, slug)
    channel = services.create_channel(
        user,
        community,
        name=payload.name,
        description=payload.description,
        slug=payload.slug,
        kind=payload.kind,
    )
    return Status(201, _channel_out(channel, set()))


@router.get(
    CHANNEL,
    auth=OPTIONAL_AUTH,
    response={**READ, 200: ChannelDetailOut},
    openapi_extra=OPTIONAL_AUTH_OPENAPI,
)
def get_channel(
    request: HttpRequest, slug: str, channel_slug: str, paging: Query[PageParams]
) -> ChannelDetailOut:
    """One channel with a page of its posts, newest first."""
    channel = _channel(request, slug, channel_slug)
    user = viewer(request)
    posts = paginate(selectors.channel_posts(channel), paging, _with_channel(channel))
    return ChannelDetailOut(
        **_channel_out(channel, selectors.followed_ids(user, [channel])).model_dump(),
        may_post=services.may_post_in(user if isinstance(user, User) else None, channel),
        posts=ChannelPostPage(**posts),
    )


def _with_channel(channel: Channel):  # type: ignore[no-untyped-def]
    def convert(post: ChannelPost) -> ChannelPostOut:
        post.channel = channel
        return _post_out(post)

    return convert


@router.get(
    CHANNEL + "/posts",
    auth=OPTIONAL_AUTH,
    response={**READ, 200: ChannelPostPage},
    openapi_extra=OPTIONAL_AUTH_OPENAPI,
)
def list_channel_posts(
    request: HttpRequest, slug: str, channel_slug: str, paging: Query[PageParams]
) -> dict[str, object]:
    """The channel's posts, newest first."""
    channel = _channel(request, slug, channel_slug)
    return paginate(selectors.channel_posts(channel), paging, _with_channel(channel))


@router.post(CHANNEL + "/posts", auth=AUTH, response={**WRITE, 201: ChannelPostOut})
def create_channel_post(
    request: HttpRequest, slug: str, channel_slug: str, payload: ChannelPostIn
) -> Status[ChannelPostOut]:
    """Post an article, a tip or a short video link. In an expert channel only the community's
    experts (and facilitators, coordinators, moderators) may post: 403 for others."""
    user = caller(request)
    channel = services.get_channel(access.get_community_for(user, slug), channel_slug)
    post = services.post_to_channel(
        user,
        channel,
        kind=payload.kind,
        title=payload.title,
        body=payload.body,
        video_url=payload.video_url,
        tags=list(payload.tags),
    )
    return Status(201, _post_out(post))


@router.put(CHANNEL + "/follow", auth=AUTH, response={**WRITE, 200: FollowOut})
def follow_channel(request: HttpRequest, slug: str, channel_slug: str) -> FollowOut:
    """Members follow a channel (idempotent)."""
    user = caller(request)
    channel = services.get_channel(access.get_community_for(user, slug), channel_slug)
    services.follow(user, channel)
    channel.refresh_from_db(fields=["follower_count"])
    return FollowOut(following=True, follower_count=channel.follower_count)


@router.delete(CHANNEL + "/follow", auth=AUTH, response={**WRITE, 200: FollowOut})
def unfollow_channel(request: HttpRequest, slug: str, channel_slug: str) -> FollowOut:
    """Stop following (idempotent)."""
    user = caller(request)
    channel = services.get_channel(access.get_community_for(user, slug), channel_slug)
    services.unfollow(user, channel)
    channel.refresh_from_db(fields=["follower_count"])
    return FollowOut(following=False, follower_count=channel.follower_count)


@router.get("/channels/feed", auth=AUTH, response={**READ, 200: ChannelPostPage})
def my_feed(request: HttpRequest, paging: Query[PageParams]) -> dict[str, object]:
    """Posts of the channels you follow (in communities you may still see), newest first."""
    return paginate(selectors.feed(caller(request)), paging, _post_out)
