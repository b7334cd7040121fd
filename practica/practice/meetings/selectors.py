"""Reads for meetings, always through the gate (``access.get_community_for``) and in a fixed
number of queries whatever the number of rows (``select_related``/``prefetch_related``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import Avg, Count, Max, Prefetch, Q, QuerySet
from django.utils import timezone

from practica.communities import access
from practica.communities.models import Community, Membership
from practica.lib.errors import NotFound
from practica.practice.activities.models import Activity
from practica.practice.meetings import permissions
from practica.practice.meetings.models import (
    RECENT_ACTIVITY_WINDOW,
    Absence,
    ActionItem,
    AgendaItem,
    AgendaKind,
    Attendance,
    CalendarToken,
    Occurrence,
    OccurrenceStatus,
    OpenerFeedback,
    RotaMember,
    Series,
    SwapRequest,
    SwapStatus,
)
from practica.practice.meetings.services import available_activities, recent_activity_uses

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from practica.accounts.models import User

SCHEDULED = OccurrenceStatus.SCHEDULED
FEEDBACK_THRESHOLD = 2  # an average is shown once this many people have rated


def community_for(user: User | AnonymousUser | None, slug: str) -> Community:
    """The community, if ``user`` may read its meetings (NotFound otherwise)."""
    community = access.get_community_for(user, slug)
    if not permissions.can_read(user, community):
        raise NotFound("No such community.")
    return community


def get_series(community: Community, series_id: int) -> Series:
    series = Series.objects.filter(community=community, pk=series_id).first()
    if series is None:
        raise NotFound("No such meeting series.")
    series.community = community
    return series


def get_occurrence(community: Community, occurrence_id: int) -> Occurrence:
    occ = (
        Occurrence.objects.select_related("series", "opener", "facilitator", "activity")
        .filter(community=community, pk=occurrence_id)
        .first()
    )
    if occ is None:
        raise NotFound("No such meeting.")
    occ.community = community
    occ.series.community = community
    return occ


def get_swap(series: Series, swap_id: int) -> SwapRequest:
    swap = (
        SwapRequest.objects.select_related("requester", "other", "series__community")
        .filter(series=series, pk=swap_id)
        .first()
    )
    if swap is None:
        raise NotFound("No such swap.")
    return swap


def get_action_item(community: Community, item_id: int) -> ActionItem:
    item = (
        ActionItem.objects.select_related("occurrence__series", "owner")
        .filter(community=community, pk=item_id)
        .first()
    )
    if item is None:
        raise NotFound("No such action item.")
    item.occurrence.community = community
    item.occurrence.series.community = community
    return item


def get_agenda_item(occ: Occurrence, item_id: int) -> AgendaItem:
    item = AgendaItem.objects.filter(occurrence=occ, pk=item_id).first()
    if item is None:
        raise NotFound("No such agenda item.")
    item.occurrence = occ
    return item


def _people(qs: QuerySet[Occurrence]) -> QuerySet[Occurrence]:
    return qs.select_related("series", "opener", "facilitator", "activity")


def series_of(community: Community) -> list[Series]:
    return list(
        Series.objects.filter(community=community)
        .annotate(rota_size=Count("rota", distinct=True))
        .order_by("title", "id")
    )


def upcoming(
    community: Community, *, limit: int = 10, now: datetime | None = None
) -> list[Occurrence]:
    """The community's next meetings (all series), cancelled ones included (marked)."""
    rows = list(
        _people(
            Occurrence.objects.filter(community=community, starts_at__gt=now or timezone.now())
        ).order_by("starts_at", "id")[:limit]
    )
    for occ in rows:
        occ.series.community = community
    return rows


def upcoming_qs(community: Community, *, now: datetime | None = None) -> QuerySet[Occurrence]:
    return _people(
        Occurrence.objects.filter(community=community, starts_at__gt=now or timezone.now())
    ).order_by("starts_at", "id")


def past(community: Community, *, limit: int = 10) -> list[Occurrence]:
    return list(
        _people(
            Occurrence.objects.filter(
                community=community, status=SCHEDULED, starts_at__lte=timezone.now()
            )
        ).order_by("-starts_at", "-id")[:limit]
    )


def schedule(series: Series, *, limit: int, now: datetime | None = None) -> list[Occurrence]:
    """The series' next ``limit`` meetings with who opens and who facilitates."""
    rows = list(
        Occurrence.objects.filter(series=series, starts_at__gt=now or timezone.now())
        .select_related("opener", "facilitator", "activity")
        .order_by("starts_at", "id")[:limit]
    )
    for occ in rows:
        occ.series = series
    return rows


@dataclass
class RotaRow:
    member: RotaMember
    opened: int = 0
    facilitated: int = 0
    next_open: Occurrence | None = None
    next_facilitate: Occurrence | None = None


def rota_of(series: Series, upcoming_rows: list[Occurrence]) -> list[RotaRow]:
    """The rota in order, with past turns and each person's next turns (two queries)."""
    members = list(
        RotaMember.objects.filter(series=series).select_related("user").order_by("position", "id")
    )
    counts = {
        row["opener_id"]: row["n"]
        for row in Occurrence.objects.filter(
            series=series, status=SCHEDULED, starts_at__lte=timezone.now(), opener__isnull=False
        )
        .values("opener_id")
        .annotate(n=Count("id"))
    }
    f_counts = {
        row["facilitator_id"]: row["n"]
        for row in Occurrence.objects.filter(
            series=series,
            status=SCHEDULED,
            starts_at__lte=timezone.now(),
            facilitator__isnull=False,
        )
        .values("facilitator_id")
        .annotate(n=Count("id"))
    }
    rows = []
    for m in members:
        row = RotaRow(m, counts.get(m.user_id, 0), f_counts.get(m.user_id, 0))
        row.next_open = next((o for o in upcoming_rows if o.opener_id == m.user_id), None)
        row.next_facilitate = next(
            (o for o in upcoming_rows if o.facilitator_id == m.user_id), None
        )
        rows.append(row)
    return rows


def swaps_of(series: Series, user: User) -> dict[str, list[SwapRequest]]:
    """Swaps waiting for ``user``'s answer, theirs waiting for others, and recent ones."""
    rows = list(
        SwapRequest.objects.filter(series=series)
        .select_related("requester", "other", "requester_occurrence", "other_occurrence")
        .order_by("-created_at", "-id")[:30]
    )
    for swap in rows:
        swap.series = series
        swap.requester_occurrence.series = series
        swap.other_occurrence.series = series
    pending = [s for s in rows if s.status == SwapStatus.PENDING]
    return {
        "for_me": [s for s in pending if s.other_id == user.pk],
        "mine": [s for s in pending if s.requester_id == user.pk],
        "others": [s for s in pending if user.pk not in (s.requester_id, s.other_id)],
        "recent": [s for s in rows if s.status != SwapStatus.PENDING][:10],
    }


def my_turns(user: User, community: Community, *, limit: int = 6) -> list[Occurrence]:
    rows = list(
        _people(
            Occurrence.objects.filter(
                community=community, status=SCHEDULED, starts_at__gt=timezone.now()
            ).filter(Q(opener=user) | Q(facilitator=user))
        ).order_by("starts_at", "id")[:limit]
    )
    for occ in rows:
        occ.series.community = community
    return rows


def pending_swaps_for(user: User, community: Community) -> list[SwapRequest]:
    rows = list(
        SwapRequest.objects.filter(
            series__community=community, other=user, status=SwapStatus.PENDING
        )
        .select_related("series", "requester", "requester_occurrence", "other_occurrence")
        .order_by("created_at")[:20]
    )
    for swap in rows:
        swap.requester_occurrence.series = swap.series
        swap.other_occurrence.series = swap.series
    return rows


# --- The agenda page ----------------------------------------------------------------------------


@dataclass
class TimedItem:
    item: AgendaItem
    starts: datetime
    ends: datetime
    offset: int  # minutes from the start of the meeting


@dataclass
class Agenda:
    occurrence: Occurrence
    opener_item: AgendaItem | None
    timed: list[TimedItem]
    carried: list[AgendaItem]
    total_minutes: int
    free_minutes: int
    absences: list[Absence]
    attendance: list[Attendance]
    action_items: list[ActionItem]
    feedback_count: int
    feedback_average: float | None
    feedback_notes: list[str]
    my_feedback: OpenerFeedback | None
    members: list[Membership] = field(default_factory=list)
    previous: Occurrence | None = None
    next: Occurrence | None = None

    @property
    def opener_timed(self) -> TimedItem | None:
        return next((t for t in self.timed if t.item.kind == AgendaKind.OPENER), None)

    @property
    def other_timed(self) -> list[TimedItem]:
        return [t for t in self.timed if t.item.kind != AgendaKind.OPENER]

    @property
    def attendee_ids(self) -> set[int]:
        return {a.user_id for a in self.attendance}

    @property
    def absent_ids(self) -> set[int]:
        return {a.user_id for a in self.absences}


def agenda(occ: Occurrence, user: User, *, with_members: bool = False) -> Agenda:
    """Everything the agenda page shows, in a fixed number of queries."""
    items = list(
        AgendaItem.objects.filter(occurrence=occ)
        .select_related("action_item__owner", "action_item__occurrence")
        .order_by("position", "id")
    )
    timed: list[TimedItem] = []
    clock = occ.local_start
    offset = 0
    opener_item = None
    carried = []
    for item in items:
        if item.kind == AgendaKind.CARRIED_ACTION:
            carried.append(item)
            continue
        if item.kind == AgendaKind.OPENER:
            opener_item = item
        end = clock + timedelta(minutes=item.minutes)
        timed.append(TimedItem(item, clock, end, offset))
        clock, offset = end, offset + item.minutes
    total = sum(t.item.minutes for t in timed)
    feedback = list(OpenerFeedback.objects.filter(occurrence=occ).order_by("created_at", "id"))
    ratings = [f.rating for f in feedback]
    shown = len(ratings) >= FEEDBACK_THRESHOLD
    siblings = Occurrence.objects.filter(series_id=occ.series_id).exclude(pk=occ.pk)
    previous = siblings.filter(starts_at__lt=occ.starts_at).order_by("-starts_at", "-id").first()
    following = siblings.filter(starts_at__gt=occ.starts_at).order_by("starts_at", "id").first()
    for other in (previous, following):
        if other is not None:
            other.series = occ.series
    result = Agenda(
        occurrence=occ,
        opener_item=opener_item,
        timed=timed,
        carried=carried,
        total_minutes=total,
        free_minutes=occ.duration_minutes - total,
        absences=list(Absence.objects.filter(occurrence=occ).select_related("user")),
        attendance=list(
            Attendance.objects.filter(occurrence=occ)
            .select_related("user")
            .order_by("user__name", "user__email")
        ),
        action_items=list(
            ActionItem.objects.filter(occurrence=occ).select_related("owner").order_by("id")
        ),
        feedback_count=len(ratings),
        feedback_average=round(sum(ratings) / len(ratings), 1) if shown else None,
        feedback_notes=[f.note for f in feedback if f.note] if shown else [],
        my_feedback=next((f for f in feedback if f.user_id == user.pk), None),
        previous=previous,
        next=following,
    )
    if with_members:
        result.members = list(
            Membership.objects.filter(community_id=occ.community_id)
            .select_related("user")
            .order_by("user__name", "user__email")
        )
    return result


# --- Activities ---------------------------------------------------------------------------------


@dataclass
class ActivityChoice:
    activity: Activity
    last_used: Occurrence | None
    recent: Occurrence | None  # used in the last RECENT_ACTIVITY_WINDOW meetings (or planned)

    @property
    def warning(self) -> str:
        if self.recent is None:
            return ""
        return f"Used recently: {self.recent.when}"


def activity_choices(
    occ: Occurrence, *, query: str = "", purpose: str = ""
) -> list[ActivityChoice]:
    """The library and the community's adaptations, each with when the community last used
    it and whether that was too recent (four queries). Ones the group has not used come first,
    then the longest unused; recent ones last."""
    activities = Activity.objects.filter(available_activities(occ.community)).order_by(
        "title", "id"
    )
    if query:
        activities = activities.filter(Q(title__icontains=query) | Q(summary__icontains=query))
    if purpose:
        activities = activities.filter(purpose=purpose)
    last_ids = {
        row["activity_id"]: row["last"]
        for row in Occurrence.objects.filter(
            community_id=occ.community_id, status=SCHEDULED, activity__isnull=False
        )
        .exclude(pk=occ.pk)
        .values("activity_id")
        .annotate(last=Max("starts_at"))
    }
    last_rows: dict[int, Occurrence] = {}
    for o in Occurrence.objects.filter(
        community_id=occ.community_id,
        status=SCHEDULED,
        activity__isnull=False,
        starts_at__in=list(last_ids.values()),
    ).select_related("series"):
        if o.activity_id is not None and last_ids.get(o.activity_id) == o.starts_at:
            last_rows[o.activity_id] = o
    recent = recent_activity_uses(occ)
    choices = [
        ActivityChoice(activity=a, last_used=last_rows.get(a.pk), recent=recent.get(a.pk))
        for a in activities
    ]
    never = datetime.min.replace(tzinfo=UTC)
    choices.sort(
        key=lambda c: (
            c.recent is not None,
            c.last_used.starts_at if c.last_used else never,
            c.activity.title,
        )
    )
    return choices


def activity_history(community: Community) -> QuerySet[Occurrence]:
    """Meetings that had an opener activity, newest first, with their ratings."""
    return (
        Occurrence.objects.filter(community=community, status=SCHEDULED, activity__isnull=False)
        .select_related("series", "opener", "activity")
        .annotate(ratings=Count("feedback"), average=Avg("feedback__rating"))
        .order_by("-starts_at", "-id")
    )


# --- Calendar -----------------------------------------------------------------------------------

FEED_PAST_DAYS = 90


def feed_occurrences(token: CalendarToken) -> list[Occurrence]:
    """What a feed shows: the community's meetings (community feed) or those of every
    community the person is a member of (personal feed), from 90 days back."""
    since = timezone.now() - timedelta(days=FEED_PAST_DAYS)
    qs = Occurrence.objects.filter(starts_at__gte=since)
    if token.community_id is not None:
        qs = qs.filter(community_id=token.community_id)
    else:
        community_ids = access.viewer_for(token.user).roles.keys()
        qs = qs.filter(community_id__in=list(community_ids))
    return list(
        qs.select_related("series", "community", "opener", "facilitator", "activity")
        .prefetch_related(
            Prefetch(
                "agenda",
                queryset=AgendaItem.objects.exclude(kind=AgendaKind.CARRIED_ACTION).order_by(
                    "position", "id"
                ),
            )
        )
        .order_by("starts_at", "id")[:1000]
    )


def calendar_tokens(user: User, community: Community | None = None) -> list[CalendarToken]:
    return list(
        CalendarToken.objects.filter(user=user, community=community, revoked_at__isnull=True)
    )


def window_note() -> dict[str, Any]:
    return {"recent_window": RECENT_ACTIVITY_WINDOW, "feedback_threshold": FEEDBACK_THRESHOLD}
