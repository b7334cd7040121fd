"""Reads of the expertise feature. Callers pass a community that came through the gate
(``access.get_community_for``); every list is a queryset the caller paginates, and each read
costs a fixed number of queries whatever the data size."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import F, OuterRef, Q, QuerySet, Subquery, Sum

from practica.accounts.models import DeclaredExpertise, User
from practica.communities import access
from practica.communities.models import Community, Membership
from practica.expertise.models import Channel, ChannelFollow, ChannelPost, EarnedExpertise, Routing
from practica.expertise.services import open_routings
from practica.qa.models import Post
from practica.tags.models import Tag

MAX_WORDS = 6
MAX_MATCHED_TAGS = 20
QUERY_MAX = 100


@dataclass(frozen=True)
class Search:
    """What "who knows about X" looked for: a tag's slug or free words, and the tags found."""

    tag: str
    q: str
    tags: list[Tag]

    @property
    def asked(self) -> bool:
        return bool(self.tag or self.q)

    @property
    def words(self) -> list[str]:
        return [w for w in self.q.split() if len(w) > 1][:MAX_WORDS]


def search_for(community: Community, tag: str = "", q: str = "") -> Search:
    """The community's tags matching ``tag`` (a slug, exactly) or the words of ``q`` (in the
    tag's name, slug or description); one query."""
    # NUL can't reach PostgreSQL; it can't be part of a tag or a word anyway.
    tag = (tag or "").replace("\x00", "").strip().lower()[:QUERY_MAX]
    q = " ".join((q or "").replace("\x00", " ").split())[:QUERY_MAX]
    search = Search(tag=tag, q=q, tags=[])
    tags = Tag.objects.filter(community=community)
    if tag:
        search.tags.extend(tags.filter(slug=tag))
    elif search.words:
        match = Q()
        for word in search.words:
            match |= (
                Q(name__icontains=word) | Q(slug__icontains=word) | Q(description__icontains=word)
            )
        search.tags.extend(tags.filter(match)[:MAX_MATCHED_TAGS])
    return search


def _role_of(community: Community) -> Subquery:
    return Subquery(
        Membership.objects.filter(community=community, user_id=OuterRef("pk")).values("role")[:1]
    )


def earned_experts(community: Community, tags: list[Tag]) -> QuerySet[User]:
    """Current members with evidence in ``tags``, strongest first (``earned`` = their summed
    score, ``role`` = their role here)."""
    if not tags:
        return User.objects.none()
    return (
        User.objects.filter(
            earned_expertise__community=community,
            earned_expertise__tag__in=tags,
            community_memberships__community=community,
        )
        .annotate(earned=Sum("earned_expertise__score"), role=_role_of(community))
        .order_by("-earned", "name", "pk")
    )


def declared_experts(community: Community, search: Search) -> QuerySet[User]:
    """Current members who declared the topic on their profile (slug of a matched tag, or a
    word in the label) and have no evidence in the matched tags: shown apart, after the
    earned list, so declaring never outranks evidence."""
    match = Q(slug__in=[t.slug for t in search.tags])
    if search.tag:
        match |= Q(slug=search.tag)
    for word in search.words:
        match |= Q(label__icontains=word) | Q(slug__icontains=word)
    if not search.asked:
        return User.objects.none()
    declared = DeclaredExpertise.objects.filter(match).values("user_id")
    evidence = EarnedExpertise.objects.filter(
        community=community, tag__in=[t.pk for t in search.tags]
    ).values("user_id")
    return (
        User.objects.filter(pk__in=declared, community_memberships__community=community)
        .exclude(pk__in=evidence)
        .annotate(role=_role_of(community))
        .order_by("name", "pk")
    )


def earned_breakdown(
    community: Community, users: list[User], tags: list[Tag]
) -> dict[int, list[tuple[Tag, EarnedExpertise]]]:
    """For a page of experts: their rows per matched tag, strongest first (one query)."""
    by_id = {t.pk: t for t in tags}
    rows = EarnedExpertise.objects.filter(
        community=community, user__in=users, tag_id__in=list(by_id)
    ).order_by("-score")
    out: dict[int, list[tuple[Tag, EarnedExpertise]]] = defaultdict(list)
    for row in rows:
        out[row.user_id].append((by_id[row.tag_id], row))
    return out


def declared_labels(users: list[User]) -> dict[int, list[str]]:
    """Declared topics of a page of people (one query)."""
    out: dict[int, list[str]] = defaultdict(list)
    for user_id, label in DeclaredExpertise.objects.filter(user__in=users).values_list(
        "user_id", "label"
    ):
        out[user_id].append(label)
    return out


def top_tags(community: Community, limit: int = 12) -> list[Tag]:
    """Tags with the most earned evidence in the community, to start a search from."""
    ids = list(
        EarnedExpertise.objects.filter(community=community)
        .values("tag_id")
        .annotate(total=Sum("score"))
        .order_by("-total")
        .values_list("tag_id", flat=True)[:limit]
    )
    found = Tag.objects.in_bulk(ids)
    return [found[i] for i in ids if i in found]


def my_open_routings(user: User | AnonymousUser, community: Community) -> list[Routing]:
    """Questions in this community waiting for ``user``'s answer (newest first, at most 10)."""
    if not isinstance(user, User):
        return []
    return list(
        open_routings()
        .filter(expert=user, post__community=community)
        .select_related("post")
        .order_by("-routed_at")[:10]
    )


def may_see_routings(user: User | AnonymousUser, post: Post) -> bool:
    """The asker, the community's facilitators and coordinators (and org admins, staff)."""
    if not user.is_authenticated:
        return False
    return post.author_id == user.pk or access.can_manage_members(user, post.community)


def routings_of(post: Post) -> QuerySet[Routing]:
    return Routing.objects.filter(post=post).select_related("expert").order_by("routed_at", "id")


# --- Channels -----------------------------------------------------------------------------------


def channels_of(community: Community) -> QuerySet[Channel]:
    return Channel.objects.filter(community=community).order_by(
        F("last_post_at").desc(nulls_last=True), "name"
    )


def followed_ids(user: User | AnonymousUser, channels: list[Channel]) -> set[int]:
    if not isinstance(user, User) or not channels:
        return set()
    return set(
        ChannelFollow.objects.filter(user=user, channel__in=channels).values_list(
            "channel_id", flat=True
        )
    )


def channel_posts(channel: Channel) -> QuerySet[ChannelPost]:
    return (
        ChannelPost.objects.filter(channel=channel)
        .select_related("author")
        .prefetch_related("tags")
        .order_by("-created_at", "-id")
    )


def feed(user: User) -> QuerySet[ChannelPost]:
    """Posts of the channels ``user`` follows, in communities they may still see, newest
    first."""
    return (
        ChannelPost.objects.filter(
            channel__follows__user=user,
            channel__community__in=access.visible_communities(user),
        )
        .select_related("author", "channel", "channel__community")
        .prefetch_related("tags")
        .order_by("-created_at", "-id")
    )
