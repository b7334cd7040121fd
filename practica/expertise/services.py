"""Verbs of the expertise feature: routing questions to experts (automatically, on re-routing,
by name), the routing settings, and expert channels (create, post, follow, unfollow).

Each verb takes the actor first (jobs and event handlers have none), asks
``communities.access`` whether they may, validates, writes in one transaction and emits an event
delivered after commit (docs/events.md, "Expertise"). Routing rules (docs/experts.md):

- at most ``ROUTE_COUNT`` experts per round, strongest earned expertise in the post's tags first
  (on re-routing, once nobody with evidence is left, members who declared one of its tags);
- never the asker, only current members of the community, never someone routed this post
  before, never someone already holding ``FAIR_SHARE`` open routings (fairness cap);
- an open routing: the expert has not answered and the question has no answer, is not deleted.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q, QuerySet, Sum
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from practica.accounts.models import DeclaredExpertise, User
from practica.communities import access
from practica.communities.models import Community, Membership, Role
from practica.expertise.models import (
    CHANNEL_DESCRIPTION_MAX,
    CHANNEL_NAME_MAX,
    POST_BODY_MAX,
    POST_TITLE_MAX,
    VIDEO_URL_MAX,
    Channel,
    ChannelFollow,
    ChannelKind,
    ChannelPost,
    ChannelPostKind,
    EarnedExpertise,
    Routing,
    RoutingReason,
    RoutingSettings,
)
from practica.lib.errors import Conflict, Invalid, NotFound
from practica.lib.markdown import cook
from practica.lib.validation import clean_choice, clean_slug, clean_text, raise_if, suggest_slug
from practica.notifications.services import notify
from practica.qa.models import Post, PostKind
from practica.realtime.bus import emit
from practica.scheduling.services import schedule
from practica.search import index
from practica.tags.models import Tag

ROUTE_COUNT = 3
FAIR_SHARE = 3
MAX_ROUNDS = 5
MIN_REROUTE_HOURS, MAX_REROUTE_HOURS = 1, 24 * 14
ROUTABLE_KINDS = frozenset({PostKind.QUESTION, PostKind.STRUGGLE})
JOB_REROUTE = "expertise.reroute"
# Who may create channels, and post in an expert channel besides experts.
CHANNEL_STEWARD_ROLES = frozenset({Role.FACILITATOR, Role.COORDINATOR, Role.MODERATOR})
MAX_CHANNEL_TAGS = 5


# --- Small helpers ------------------------------------------------------------------------------


def post_url(post: Post) -> str:
    """The question page (the Q&A app's ``qa:question`` URL; a stable path if it isn't named)."""
    try:
        return reverse("qa:question", args=[post.community.slug, post.pk])
    except NoReverseMatch:
        return f"/c/{post.community.slug}/questions/{post.pk}/"


def settings_for(community: Community) -> RoutingSettings:
    """The community's routing settings (defaults until a steward changes them; not saved)."""
    row = RoutingSettings.objects.filter(community=community).first()
    return row or RoutingSettings(community=community)


def open_routings() -> QuerySet[Routing]:
    """Routings still waiting on their expert: not answered by them, the question has no
    answer yet and is not deleted (the fairness cap counts these)."""
    return Routing.objects.filter(
        answered_at__isnull=True, post__answer_count=0, post__deleted_at__isnull=True
    )


def _capped_experts() -> QuerySet[Any]:
    """Expert ids at or above the fairness cap, as a subquery."""
    return (
        open_routings()
        .values("expert_id")
        .annotate(open_count=Count("id"))
        .filter(open_count__gte=FAIR_SHARE)
        .values("expert_id")
    )


def _lock_post(post_id: int) -> Post | None:
    """The post, locked (routing decisions for one post are serialized), with its community."""
    return (
        Post.objects.select_for_update(of=("self",))
        .select_related("community", "author")
        .filter(pk=post_id)
        .first()
    )


# --- Routing ------------------------------------------------------------------------------------


def _eligible(post: Post) -> Q:
    """Current members of the post's community, minus the asker, those already routed this
    post and those at the fairness cap (a ``user_id`` filter, subqueries only)."""
    members = Membership.objects.filter(community_id=post.community_id).values("user_id")
    routed = Routing.objects.filter(post=post).values("expert_id")
    q = Q(user_id__in=members) & ~Q(user_id__in=routed) & ~Q(user_id__in=_capped_experts())
    if post.author_id:
        q &= ~Q(user_id=post.author_id)
    return q


def candidates(post: Post, limit: int = ROUTE_COUNT) -> list[tuple[int, float]]:
    """(user_id, earned score) of the next experts for ``post``, strongest first, in one
    query: eligible members (see ``_eligible``) with evidence in its tags."""
    tag_ids = list(post.tags.values_list("pk", flat=True))
    if not tag_ids:
        return []
    rows = (
        EarnedExpertise.objects.filter(
            _eligible(post), community_id=post.community_id, tag_id__in=tag_ids
        )
        .values("user_id")
        .annotate(total=Sum("score"))
        .order_by("-total", "user_id")[:limit]
    )
    return [(r["user_id"], float(r["total"])) for r in rows]


def declared_candidates(post: Post, limit: int) -> list[tuple[int, float]]:
    """Eligible members who only *declared* one of the post's tags on their profile (score
    0): asked on re-routing once nobody with evidence is left, never before evidence."""
    slugs = list(post.tags.values_list("slug", flat=True))
    if not slugs or limit <= 0:
        return []
    ids = (
        DeclaredExpertise.objects.filter(_eligible(post), slug__in=slugs)
        .values_list("user_id", flat=True)
        .distinct()
        .order_by("user_id")[:limit]
    )
    return [(user_id, 0.0) for user_id in ids]


def _route_to(
    post: Post, picks: list[tuple[int, float]], reason: str, round_: int
) -> list[Routing]:
    experts = User.objects.in_bulk([user_id for user_id, _ in picks])
    now = timezone.now()
    made = Routing.objects.bulk_create(
        [
            Routing(post=post, expert_id=uid, reason=reason, round=round_, score=s, routed_at=now)
            for uid, s in picks
        ]
    )
    for routing in made:
        _tell_expert(post, experts[routing.expert_id], routing)
    return made


def _tell_expert(post: Post, expert: User, routing: Routing) -> None:
    asker = post.author.display_name if post.author else "A member"
    if routing.reason == RoutingReason.ASKED:
        message = f"{asker} asked you by name: “{post.title}”"
    else:
        message = f"{asker} needs someone who knows this: “{post.title}”"
    notify(expert, kind="question_routed", message=message, url=post_url(post), actor=post.author)
    emit(
        "expertise.question_routed",
        community_id=post.community_id,
        post_id=post.pk,
        routing_id=routing.pk,
        expert_id=expert.pk,
        reason=routing.reason,
    )


def _schedule_reroute(post: Post, round_: int, after: datetime | None = None) -> None:
    """Check ``post`` again once the community's delay has passed: counted from when the
    previous check was due (``after``) or from now, whichever is later, so the experts just
    asked always get the full delay."""
    start = max(after, timezone.now()) if after else timezone.now()
    hours = settings_for(post.community).reroute_after_hours
    due_at = start + timedelta(hours=hours)
    schedule(
        JOB_REROUTE,
        f"{JOB_REROUTE}:{post.pk}",
        due_at,
        post_id=post.pk,
        round=round_,
        check_at=due_at.isoformat(),
    )


def route_new_post(post_id: int) -> list[Routing]:
    """On ``qa.post_created``: route a question or struggle to up to 3 experts and schedule the
    re-routing check. Idempotent: a post that already has routings is left alone."""
    with transaction.atomic():
        post = _lock_post(post_id)
        if post is None or post.kind not in ROUTABLE_KINDS or post.deleted_at is not None:
            return []
        if post.answer_count > 0:  # answered already (an event replayed late): no one to ask
            return []
        if Routing.objects.filter(post=post).exclude(reason=RoutingReason.ASKED).exists():
            return []
        made = _route_to(post, candidates(post), RoutingReason.EARNED, 1)
        _schedule_reroute(post, 1)
        return made


def reroute_job(post_id: int, round_: int, due_at: datetime | None = None) -> list[Routing]:
    """Due-dated: if the question is still unanswered, route it to the next experts (round
    ``round_ + 1``) and check again after the delay. Idempotent: if that round already exists,
    or the question was answered or deleted, nothing happens."""
    with transaction.atomic():
        post = _lock_post(post_id)
        if post is None or post.deleted_at is not None or post.answer_count > 0:
            return []
        next_round = round_ + 1
        if (
            next_round > MAX_ROUNDS
            or Routing.objects.filter(post=post, round__gte=next_round).exists()
        ):
            return []
        picks = candidates(post)
        picks += declared_candidates(post, ROUTE_COUNT - len(picks))
        made = _route_to(post, picks, RoutingReason.REROUTED, next_round)
        if made:
            _schedule_reroute(post, next_round, due_at)
        return made


def ask_expert(actor: User, post: Post, expert_ref: str | int) -> Routing:
    """The asker puts their question to one member by name, e-mail or id. Clear errors: not
    the asker (403), not a member, themselves, already asked (409), at the fairness cap (409)."""
    community = post.community
    access.require(
        post.author_id == actor.pk, "Only the person who asked may ask an expert by name."
    )
    if post.kind not in ROUTABLE_KINDS:
        raise Invalid({"expert": "Experts are asked about questions and struggles only."})
    expert = _find_member(community, expert_ref)
    if expert.pk == actor.pk:
        raise Invalid({"expert": "You asked this question; choose someone else to ask."})
    with transaction.atomic():
        locked = _lock_post(post.pk)
        if locked is None or locked.deleted_at is not None:
            raise NotFound("No such question.")
        if Routing.objects.filter(post=locked, expert=expert).exists():
            raise Conflict(
                f"{expert.display_name} has already been asked about this question.",
                code="already_asked",
            )
        if open_routings().filter(expert=expert).count() >= FAIR_SHARE:
            raise Conflict(
                f"{expert.display_name} already has {FAIR_SHARE} unanswered questions waiting; "
                "ask someone else, or try again once they have answered.",
                code="expert_busy",
            )
        score = sum(
            EarnedExpertise.objects.filter(
                user=expert, tag__in=locked.tags.all(), community=community
            ).values_list("score", flat=True)
        )
        try:
            with transaction.atomic():
                routing = Routing.objects.create(
                    post=locked,
                    expert=expert,
                    reason=RoutingReason.ASKED,
                    round=0,
                    score=score,
                    asked_by=actor,
                )
        except IntegrityError as exc:  # a concurrent ask for the same person
            raise Conflict(
                f"{expert.display_name} has already been asked about this question.",
                code="already_asked",
            ) from exc
        _tell_expert(locked, expert, routing)
    return routing


def _find_member(community: Community, ref: str | int) -> User:
    """A current member by id, e-mail or exact name (case-insensitive); Invalid otherwise."""
    members = User.objects.filter(community_memberships__community=community)
    if isinstance(ref, int) or (isinstance(ref, str) and ref.strip().isdigit()):
        found = list(members.filter(pk=int(ref))[:2])
    else:
        text = (ref or "").strip()
        if not text:
            raise Invalid({"expert": "Name the member you want to ask."})
        found = list(members.filter(Q(email__iexact=text) | Q(name__iexact=text))[:2])
    if not found:
        raise Invalid(
            {"expert": f"No member of {community.name} matches “{ref}”: use their full name."}
        )
    if len(found) > 1:
        raise Invalid({"expert": f"Several members are called “{ref}”: use their e-mail."})
    return found[0]


def mark_answered(post_id: int, author_id: int | None) -> int:
    """On ``qa.answer_posted``: the author's routing for this post (if any) is answered."""
    if author_id is None:
        return 0
    return Routing.objects.filter(
        post_id=post_id, expert_id=author_id, answered_at__isnull=True
    ).update(answered_at=timezone.now())


def update_settings(
    actor: User, community: Community, *, reroute_after_hours: int
) -> RoutingSettings:
    """Stewards: how long a question waits before it goes to the next experts."""
    access.require(
        access.can_steward(actor, community),
        "Only coordinators may change how questions are routed.",
    )
    if not MIN_REROUTE_HOURS <= reroute_after_hours <= MAX_REROUTE_HOURS:
        raise Invalid(
            {
                "reroute_after_hours": f"Choose {MIN_REROUTE_HOURS} to {MAX_REROUTE_HOURS} hours "
                f"(two weeks); you gave {reroute_after_hours}."
            }
        )
    with transaction.atomic():
        row, _ = RoutingSettings.objects.update_or_create(
            community=community, defaults={"reroute_after_hours": reroute_after_hours}
        )
        emit("expertise.settings_updated", community_id=community.pk, actor_id=actor.pk)
    return row


# --- Channels -----------------------------------------------------------------------------------


def may_create_channel(user: User | None, community: Community) -> bool:
    if user is None:
        return False
    return access.role_in(user, community) in CHANNEL_STEWARD_ROLES or access.can_steward(
        user, community
    )


def may_post_in(user: User | None, channel: Channel) -> bool:
    """Expert channels: the community's experts and its stewards; open channels: any member."""
    if user is None or not user.is_authenticated:
        return False
    community = channel.community
    role = access.role_in(user, community)
    if channel.kind == ChannelKind.OPEN and role is not None:
        return True
    return role == Role.EXPERT or may_create_channel(user, community)


def create_channel(
    actor: User,
    community: Community,
    *,
    name: str,
    description: str = "",
    slug: str = "",
    kind: str = ChannelKind.EXPERT,
) -> Channel:
    access.require(
        may_create_channel(actor, community),
        "Only facilitators, coordinators and moderators may create channels.",
    )
    errors: dict[str, str] = {}
    name = clean_text(errors, "name", name, max_len=CHANNEL_NAME_MAX)
    description = clean_text(
        errors, "description", description, max_len=CHANNEL_DESCRIPTION_MAX, required=False
    )
    slug = clean_slug(errors, slug or suggest_slug(name))
    kind = clean_choice(errors, "kind", kind, list(ChannelKind.values))
    raise_if(errors)
    with transaction.atomic():
        if Channel.objects.filter(community=community, slug=slug).exists():
            raise Conflict(
                f"{community.name} already has a channel at “{slug}”; choose another name.",
                code="slug_taken",
            )
        channel = Channel.objects.create(
            community=community,
            name=name,
            slug=slug,
            description=description,
            kind=kind,
            created_by=actor,
        )
        emit(
            "expertise.channel_created",
            community_id=community.pk,
            channel_id=channel.pk,
            actor_id=actor.pk,
        )
    return channel


def _clean_video(errors: dict[str, str], kind: str, url: str) -> str:
    url = (url or "").strip()
    if kind == ChannelPostKind.VIDEO and not url:
        errors["video_url"] = "A video post needs the video's link."
    elif url and not url.lower().startswith(("https://", "http://")):
        errors["video_url"] = "Give the video's full web address, starting with https://."
    elif len(url) > VIDEO_URL_MAX:
        errors["video_url"] = f"The link must be at most {VIDEO_URL_MAX} characters."
    return url


def _clean_tags(errors: dict[str, str], community: Community, slugs: list[str]) -> list[Tag]:
    wanted = list(dict.fromkeys(s.strip().lower() for s in slugs if s and s.strip()))
    if len(wanted) > MAX_CHANNEL_TAGS:
        errors["tags"] = f"Use at most {MAX_CHANNEL_TAGS} tags."
        return []
    tags = list(Tag.objects.filter(community=community, slug__in=wanted))
    unknown = sorted(set(wanted) - {t.slug for t in tags})
    if unknown:
        errors["tags"] = f"No such tag in {community.name}: {', '.join(unknown)}."
    return tags


def post_to_channel(
    actor: User,
    channel: Channel,
    *,
    kind: str,
    title: str,
    body: str = "",
    video_url: str = "",
    tags: list[str] | None = None,
) -> ChannelPost:
    """An article, a tip or a short video link (title + Markdown body) in ``channel``."""
    community = channel.community
    access.require(
        may_post_in(actor, channel),
        f"Only {community.name}'s experts (and its facilitators, coordinators and moderators) "
        "may post in an expert channel.",
    )
    errors: dict[str, str] = {}
    kind = clean_choice(errors, "kind", kind, list(ChannelPostKind.values))
    title = clean_text(errors, "title", title, max_len=POST_TITLE_MAX)
    body = clean_text(
        errors, "body", body, max_len=POST_BODY_MAX, required=kind != ChannelPostKind.VIDEO
    )
    video_url = _clean_video(errors, kind, video_url)
    tag_rows = _clean_tags(errors, community, tags or [])
    raise_if(errors)
    with transaction.atomic():
        post = ChannelPost.objects.create(
            channel=channel,
            author=actor,
            kind=kind,
            title=title,
            body=body,
            body_html=cook(body),
            video_url=video_url,
        )
        if tag_rows:
            post.tags.set(tag_rows)
        Channel.objects.filter(pk=channel.pk).update(
            post_count=F("post_count") + 1, last_post_at=post.created_at
        )
        index.update(post)
        emit(
            "expertise.channel_posted",
            community_id=community.pk,
            channel_id=channel.pk,
            channel_post_id=post.pk,
            author_id=actor.pk,
        )
    return post


def follow(actor: User, channel: Channel) -> bool:
    """Members follow a channel; True if they were not following it yet."""
    community = channel.community
    access.require(
        access.is_member(actor, community), f"Join {community.name} to follow its channels."
    )
    with transaction.atomic():
        _, created = ChannelFollow.objects.get_or_create(channel=channel, user=actor)
        if created:
            Channel.objects.filter(pk=channel.pk).update(follower_count=F("follower_count") + 1)
            emit(
                "expertise.channel_followed",
                community_id=community.pk,
                channel_id=channel.pk,
                user_id=actor.pk,
            )
    return created


def unfollow(actor: User, channel: Channel) -> bool:
    """Stop following; True if they were following. Anyone may stop (even after leaving)."""
    with transaction.atomic():
        deleted, _ = ChannelFollow.objects.filter(channel=channel, user=actor).delete()
        if deleted:
            Channel.objects.filter(pk=channel.pk).update(follower_count=F("follower_count") - 1)
            emit(
                "expertise.channel_unfollowed",
                community_id=channel.community_id,
                channel_id=channel.pk,
                user_id=actor.pk,
            )
    return bool(deleted)


def get_channel(community: Community, channel_slug: str) -> Channel:
    """The community's channel by its URL name; NotFound otherwise."""
    if "\x00" in channel_slug:  # PostgreSQL refuses NUL; no slug contains one
        raise NotFound("No such channel in this community.")
    channel = Channel.objects.filter(community=community, slug=channel_slug).first()
    if channel is None:
        raise NotFound("No such channel in this community.")
    channel.community = community  # already loaded through the gate
    return channel
