"""Recognition: a person's reputation, badges and kudos; badge definitions; community goals.

People come through ``recognition.selectors.get_person`` (``access.can_view_person``): someone
the caller may not see is a 404. Communities through ``access.get_community_for``. Reputation
and awards only show what happened in communities the caller can see (the overall total is a
single number and is always shown). Writes go through ``practica.recognition.services``.
"""

from __future__ import annotations

from datetime import date, datetime

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from practica.api.auth import AUTH, OPTIONAL_AUTH, OPTIONAL_AUTH_OPENAPI, caller, viewer
from practica.api.pagination import paginate
from practica.api.schemas import ErrorOut, PageOut, PageParams, Text
from practica.communities import access
from practica.lib.errors import NotFound
from practica.recognition import badges as badge_engine
from practica.recognition import openbadges, selectors, services
from practica.recognition.models import Award, Badge, Entry, Goal, GoalMetric, Kudos, Level

router = Router(tags=["recognition"])

READ = {200: None, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
WRITE = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
RECENT = 20


class BarOut(Schema):
    label: str
    have: int
    need: int
    percent: int


class CommunityStandingOut(Schema):
    slug: str
    name: str
    reputation: int
    educational_value: int
    people_helped: int
    days_active: int
    level: str = Field(..., description="newcomer, member, contributor, steward or leader.")
    next_level: str | None
    next_unlocks: list[str]
    progress: list[BarOut] = Field(..., description="Toward each requirement of the next level.")


class EntryOut(Schema):
    points: int
    reason: str
    category: str
    community: str | None = Field(..., description="The community's slug (null: none).")
    object_type: str
    object_id: int | None
    created_at: datetime


class ReputationOut(Schema):
    total: int = Field(..., description="Overall reputation, every community included.")
    communities: list[CommunityStandingOut]
    recent: list[EntryOut] = Field(..., description="Latest ledger rows you may see.")


class BadgeOut(Schema):
    slug: str
    name: str
    description: str
    criteria: str
    tier: str
    category: str
    image_url: str
    award_count: int


class BadgePage(PageOut):
    items: list[BadgeOut]


class AwardOut(Schema):
    id: str
    badge: BadgeOut
    awarded_at: datetime
    evidence: str
    community: str | None
    public: bool
    revoked: bool
    assertion_url: str = Field(..., description="The Open Badges 2.0 assertion (public ones).")
    page_url: str


class AwardPage(PageOut):
    items: list[AwardOut]


class GoalOut(Schema):
    id: int
    title: str
    metric: GoalMetric
    target: int
    starts_on: date
    ends_on: date
    current: int
    percent: int = Field(..., description="Progress toward the target, 0..100.")
    progress: str
    reached_at: datetime | None


class GoalPage(PageOut):
    items: list[GoalOut]


class GoalIn(Schema):
    title: Text
    metric: GoalMetric
    target: int = Field(..., ge=1, le=1_000_000)
    starts_on: date
    ends_on: date


class KudosPerson(Schema):
    id: int
    name: str


class KudosOut(Schema):
    id: int
    giver: KudosPerson
    community: str
    note: str
    created_at: datetime


class KudosPage(PageOut):
    items: list[KudosOut]


class KudosIn(Schema):
    community: Text = Field(..., description="The slug of a community you both belong to.")
    note: Text


def _abs(request: HttpRequest, path: str) -> str:
    return request.build_absolute_uri(path)


def _badge_out(request: HttpRequest, b: Badge) -> BadgeOut:
    from django.urls import reverse

    return BadgeOut(
        slug=b.slug,
        name=b.name,
        description=b.description,
        criteria=b.criteria,
        tier=b.tier,
        category=b.category,
        image_url=_abs(request, reverse("recognition:badge-image", args=[b.slug])),
        award_count=b.award_count,
    )


@router.get("/users/{user_id}/reputation", auth=AUTH, response={**READ, 200: ReputationOut})
def reputation(request: HttpRequest, user_id: int) -> ReputationOut:
    """Overall total, standing and level per community (with progress toward the next level),
    and the latest ledger rows, limited to communities you can see."""
    user = caller(request)
    person = selectors.get_person(user, user_id)
    standings = selectors.standing_views(list(selectors.standings_for(user, person)[:50]))
    profile_total = selectors.profile(user, person).total
    recent = list(selectors.recent_entries(user, person)[:RECENT])
    return ReputationOut(
        total=profile_total,
        communities=[
            CommunityStandingOut(
                slug=sv.standing.community.slug,
                name=sv.standing.community.name,
                reputation=sv.standing.reputation,
                educational_value=sv.standing.ev_points,
                people_helped=sv.standing.people_helped,
                days_active=sv.standing.days_active,
                level=Level(sv.standing.level).name.lower(),
                next_level=sv.next_label.lower() if sv.next_label else None,
                next_unlocks=sv.next_unlocks,
                progress=[
                    BarOut(label=b.label, have=b.have, need=b.need, percent=b.percent)
                    for b in sv.bars
                ],
            )
            for sv in standings
        ],
        recent=[_entry_out(e) for e in recent],
    )


def _entry_out(e: Entry) -> EntryOut:
    return EntryOut(
        points=e.points,
        reason=e.reason,
        category=e.category,
        community=e.community.slug if e.community else None,
        object_type=e.object_type,
        object_id=e.object_id,
        created_at=e.created_at,
    )


@router.get("/users/{user_id}/badges", auth=AUTH, response={**READ, 200: AwardPage})
def user_badges(request: HttpRequest, user_id: int, paging: Query[PageParams]) -> dict[str, object]:
    """The person's awards you may see (all of your own), newest first; each with the URL of
    its Open Badges assertion (it resolves once the holder publishes the award)."""
    from django.urls import reverse

    user = caller(request)
    person = selectors.get_person(user, user_id)
    base = request.build_absolute_uri("/").rstrip("/")
    awards = selectors.awards_for(user, person).select_related("community")

    def out(a: Award) -> AwardOut:
        return AwardOut(
            id=str(a.uid),
            badge=_badge_out(request, a.badge),
            awarded_at=a.awarded_at,
            evidence=a.evidence_note,
            community=a.community.slug if a.community else None,
            public=a.public,
            revoked=a.is_revoked,
            assertion_url=openbadges.assertion_url(base, a),
            page_url=base + reverse("recognition:award", args=[a.uid]),
        )

    return paginate(awards, paging, out)


@router.get(
    "/badges",
    auth=OPTIONAL_AUTH,
    response={**READ, 200: BadgePage},
    openapi_extra=OPTIONAL_AUTH_OPENAPI,
)
def list_badges(request: HttpRequest, paging: Query[PageParams]) -> dict[str, object]:
    """Every badge that can be earned: name, description, criteria, tier, image."""
    badge_engine.sync_badges()
    return paginate(
        Badge.objects.order_by("position", "slug"), paging, lambda b: _badge_out(request, b)
    )


def _goal_out(g: Goal, member_count: int) -> GoalOut:
    from practica.recognition import goals

    return GoalOut(
        id=g.pk,
        title=g.title,
        metric=GoalMetric(g.metric),
        target=g.target,
        starts_on=g.starts_on,
        ends_on=g.ends_on,
        current=g.current,
        percent=goals.percent(g, member_count),
        progress=goals.achieved_label(g, member_count),
        reached_at=g.reached_at,
    )


@router.get(
    "/communities/{slug}/goals",
    auth=OPTIONAL_AUTH,
    response={**READ, 200: GoalPage},
    openapi_extra=OPTIONAL_AUTH_OPENAPI,
)
def list_goals(request: HttpRequest, slug: str, paging: Query[PageParams]) -> dict[str, object]:
    """The community's goals, latest ending first, with their progress."""
    community = access.get_community_for(viewer(request), slug)
    return paginate(
        selectors.goals_of(community), paging, lambda g: _goal_out(g, community.member_count)
    )


@router.post("/communities/{slug}/goals", auth=AUTH, response={**WRITE, 201: GoalOut})
def create_goal(request: HttpRequest, slug: str, payload: GoalIn) -> Status[GoalOut]:
    """Facilitators and coordinators (org admins, staff): set a goal. 422 with field messages
    on bad input, and nothing is created."""
    user = caller(request)
    community = access.get_community_for(user, slug)
    goal = services.create_goal(
        user,
        community,
        title=payload.title,
        metric=payload.metric,
        target=payload.target,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
    )
    return Status(201, _goal_out(goal, community.member_count))


def _kudos_out(k: Kudos) -> KudosOut:
    return KudosOut(
        id=k.pk,
        giver=KudosPerson(id=k.giver_id, name=k.giver.display_name),
        community=k.community.slug,
        note=k.note,
        created_at=k.created_at,
    )


@router.get("/users/{user_id}/kudos", auth=AUTH, response={**READ, 200: KudosPage})
def list_kudos(request: HttpRequest, user_id: int, paging: Query[PageParams]) -> dict[str, object]:
    """Kudos the person received in communities you can see, newest first."""
    user = caller(request)
    person = selectors.get_person(user, user_id)
    return paginate(selectors.kudos_for(user, person), paging, _kudos_out)


@router.post("/users/{user_id}/kudos", auth=AUTH, response={**WRITE, 201: KudosOut})
def give_kudos(request: HttpRequest, user_id: int, payload: KudosIn) -> Status[KudosOut]:
    """Thank the person in a community you both belong to (at most 3 a day to one person)."""
    user = caller(request)
    person = selectors.get_person(user, user_id)
    community = access.get_community_for(user, payload.community)
    if person is None:
        raise NotFound("No such person.")
    kudos = services.give_kudos(user, person, community, note=payload.note)
    return Status(201, _kudos_out(kudos))
