"""Meetings: series, occurrences and their agendas, the rota (join, leave, order, absences,
swaps), attendance, notes, action items, the opener activity and its feedback, calendar links.

Thin endpoints over ``practica.practice.meetings.services``. Every lookup goes through the gate
(``selectors.community_for``: a community the caller may not see is a 404, like one that does
not exist; signed out is a 401). The rules (who may do what, what is valid) live in the
services and come back as ``{"detail", "code"}`` errors (docs/meetings.md).
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Path, Query, Router, Schema, Status

from practica.accounts.models import User
from practica.api.auth import AUTH, caller
from practica.api.pagination import paginate
from practica.api.schemas import ErrorOut, PageOut, PageParams, Text
from practica.lib.errors import Invalid
from practica.practice.meetings import recurrence, selectors, services
from practica.practice.meetings.models import (
    ActionItem,
    AgendaItem,
    CalendarToken,
    Occurrence,
    Recurrence,
    Series,
    SwapRequest,
    TurnRole,
)

router = Router(tags=["meetings"], auth=AUTH)

DB_INT_MAX = 2**63 - 1
Id = Annotated[int, Path(..., ge=1, le=DB_INT_MAX)]
BodyId = Annotated[int, Field(ge=1, le=DB_INT_MAX)]
Small = Annotated[int, Field(ge=-100_000, le=100_000)]

C = "/communities/{slug}"
S = C + "/series/{series_id}"
O = C + "/occurrences/{occurrence_id}"  # noqa: E741

E = ErrorOut
READ = {401: E, 404: E, 422: E}
WRITE = {400: E, 401: E, 403: E, 404: E, 409: E, 422: E}


# --- Schemas ------------------------------------------------------------------------------------


class PersonOut(Schema):
    id: int
    name: str


class SettingsIn(Schema):
    opener_minutes: Small = Field(..., description="Length of the opener block (5-60).")
    occurrences_ahead: Small = Field(..., description="Meetings of each series kept ahead (1-26).")


class SettingsOut(Schema):
    opener_minutes: int
    occurrences_ahead: int


class SeriesIn(Schema):
    title: Text
    recurrence: Recurrence = Recurrence.WEEKLY
    weekday: Small = Field(..., description="0 = Monday ... 6 = Sunday.")
    week_of_month: Small = Field(1, description="Monthly series: 1-4, or -1 for the last.")
    local_time: time = Field(..., description="Start on the series' wall clock, e.g. 15:30.")
    timezone: Text = Field(..., description="IANA zone, e.g. America/Los_Angeles.")
    duration_minutes: Small = 60
    place: Text = Field("", description="Where, if in person.")
    video_url: Text = Field("", description="The video link, if virtual (or hybrid).")
    start_date: date
    end_date: date | None = None
    add_members: bool = Field(False, description="Put every current member in the rota.")


class SeriesUpdateIn(Schema):
    title: Text | None = None
    local_time: time | None = None
    duration_minutes: Small | None = None
    place: Text | None = None
    video_url: Text | None = None
    end_date: date | None = None
    clear_end_date: bool = Field(False, description="Remove the end date (runs on).")


class SeriesOut(Schema):
    id: int
    title: str
    recurrence: str
    weekday: int
    week_of_month: int
    local_time: str
    timezone: str
    duration_minutes: int
    place: str
    video_url: str
    start_date: date
    end_date: date | None
    description: str
    url: str


class SeriesPage(PageOut):
    items: list[SeriesOut]


class ActivityRefOut(Schema):
    id: int
    title: str


class OccurrenceOut(Schema):
    id: int
    series_id: int
    series_title: str
    starts_at: datetime = Field(..., description="UTC.")
    local_start: datetime = Field(..., description="On the series' clock, with its offset.")
    ends_at: datetime
    duration_minutes: int
    status: str
    cancel_reason: str
    rescheduled: bool
    opener: PersonOut | None
    facilitator: PersonOut | None
    opener_round: int | None = Field(..., description="0 = the opener's first turn; a round.")
    facilitator_round: int | None
    activity: ActivityRefOut | None
    url: str


class OccurrencePage(PageOut):
    items: list[OccurrenceOut]


class AgendaItemIn(Schema):
    title: Text
    minutes: Small
    details: Text = ""
    kind: Literal["item", "norms", "revisit_norms"] = "item"


class AgendaItemUpdateIn(Schema):
    title: Text | None = None
    minutes: Small | None = None
    details: Text | None = None
    move: Literal["up", "down"] | None = Field(None, description="Move one place instead.")


class AgendaItemOut(Schema):
    id: int
    position: int
    kind: str
    title: str
    details: str
    minutes: int
    starts_at: datetime | None = Field(None, description="Local start (timed items).")
    action_item_id: int | None


class ActionItemOut(Schema):
    id: int
    occurrence_id: int
    owner: PersonOut
    text: str
    due_date: date | None
    done: bool
    done_at: datetime | None


class ActionItemPage(PageOut):
    items: list[ActionItemOut]


class NotesOut(Schema):
    markdown: str
    html: str
    version: int
    updated_at: datetime | None


class FeedbackSummaryOut(Schema):
    count: int
    average: float | None = Field(..., description="Shown once two people have rated.")
    notes: list[str]


class FeedbackIn(Schema):
    rating: Small = Field(..., description="1 (fell flat) to 5 (really landed).")
    note: Text = ""


class FeedbackOut(Schema):
    rating: int
    note: str
    updated_at: datetime


class OccurrenceDetailOut(OccurrenceOut):
    agenda: list[AgendaItemOut]
    carried_actions: list[ActionItemOut]
    agenda_minutes: int
    absent: list[PersonOut]
    attendance: list[PersonOut]
    notes: NotesOut
    action_items: list[ActionItemOut]
    feedback: FeedbackSummaryOut
    my_feedback: FeedbackOut | None


class RotaMemberOut(Schema):
    user: PersonOut
    position: int
    opened: int
    facilitated: int


class RotaOut(Schema):
    series_id: int
    members: list[RotaMemberOut]
    schedule: list[OccurrenceOut]


class RotaOrderIn(Schema):
    user_ids: list[BodyId] = Field(..., max_length=1000)


class LeaveIn(Schema):
    user_id: BodyId | None = Field(None, description="Coordinators: take someone else out.")


class AbsenceIn(Schema):
    note: Text = ""


class SwapIn(Schema):
    role: TurnRole = TurnRole.OPENER
    my_occurrence_id: BodyId
    other_user_id: BodyId
    other_occurrence_id: BodyId
    note: Text = ""


class SwapOut(Schema):
    id: int
    role: str
    requester: PersonOut
    requester_occurrence_id: int
    other: PersonOut
    other_occurrence_id: int
    status: str
    note: str
    created_at: datetime
    decided_at: datetime | None


class SwapPage(PageOut):
    items: list[SwapOut]


class AttendanceIn(Schema):
    user_ids: list[BodyId] = Field(..., max_length=5000)


class AttendanceOut(Schema):
    user_ids: list[int]


class NotesIn(Schema):
    markdown: Text
    base_version: Annotated[int, Field(ge=0, le=DB_INT_MAX - 1)] = Field(
        ..., description="The version you edited (409 notes_changed if someone saved since)."
    )


class ActionItemIn(Schema):
    owner_id: BodyId
    text: Text
    due_date: date | None = None


class ActionItemUpdateIn(Schema):
    done: bool


class RescheduleIn(Schema):
    date: date
    time: time
    duration_minutes: Small | None = None


class CancelIn(Schema):
    reason: Text = ""


class PickIn(Schema):
    activity_id: BodyId | None = Field(..., description="null clears the choice.")


class PickOut(Schema):
    occurrence: OccurrenceOut
    warning: str | None = Field(..., description="Set when the group used it recently.")


class ActivityChoiceOut(Schema):
    id: int
    title: str
    summary: str
    purpose: str
    duration_minutes: int
    adapted_here: bool
    last_used_at: datetime | None
    recently_used: bool
    warning: str


class ActivityChoicePage(PageOut):
    items: list[ActivityChoiceOut]


class CalendarTokenIn(Schema):
    community: Text | None = Field(None, description="A community's slug; null: your own feed.")


class CalendarTokenOut(Schema):
    id: int
    hint: str
    community: str | None
    created_at: datetime
    last_used_at: datetime | None


class CalendarTokenCreatedOut(CalendarTokenOut):
    url: str = Field(..., description="The secret feed URL. Shown only now.")


class CalendarTokenPage(PageOut):
    items: list[CalendarTokenOut]


# --- Converters (no queries: callers load what they read) --------------------------------------


def _person(user: User | None) -> PersonOut | None:
    return PersonOut(id=user.pk, name=user.display_name) if user is not None else None


def _series_out(request: HttpRequest, series: Series) -> SeriesOut:
    return SeriesOut(
        id=series.pk,
        title=series.title,
        recurrence=series.recurrence,
        weekday=series.weekday,
        week_of_month=series.week_of_month,
        local_time=series.local_time.strftime("%H:%M"),
        timezone=series.timezone,
        duration_minutes=series.duration_minutes,
        place=series.place,
        video_url=series.video_url,
        start_date=series.start_date,
        end_date=series.end_date,
        description=recurrence.describe(
            series.recurrence,
            series.weekday,
            series.week_of_month,
            series.local_time,
            series.timezone,
        ),
        url=request.build_absolute_uri(
            reverse("meetings:series", args=[series.community.slug, series.pk])
        ),
    )


def _occurrence_fields(request: HttpRequest, occ: Occurrence) -> dict[str, Any]:
    return {
        "id": occ.pk,
        "series_id": occ.series_id,
        "series_title": occ.series.title,
        "starts_at": occ.starts_at,
        "local_start": occ.local_start,
        "ends_at": occ.ends_at,
        "duration_minutes": occ.duration_minutes,
        "status": occ.status,
        "cancel_reason": occ.cancel_reason,
        "rescheduled": occ.rescheduled,
        "opener": _person(occ.opener),
        "facilitator": _person(occ.facilitator),
        "opener_round": occ.opener_round,
        "facilitator_round": occ.facilitator_round,
        "activity": ActivityRefOut(id=occ.activity.pk, title=occ.activity.title)
        if occ.activity is not None
        else None,
        "url": request.build_absolute_uri(
            reverse("meetings:occurrence", args=[occ.community.slug, occ.pk])
        ),
    }


def _occurrence_out(request: HttpRequest, occ: Occurrence) -> OccurrenceOut:
    return OccurrenceOut(**_occurrence_fields(request, occ))


def _agenda_out(item: AgendaItem, starts: datetime | None = None) -> AgendaItemOut:
    return AgendaItemOut(
        id=item.pk,
        position=item.position,
        kind=item.kind,
        title=item.title,
        details=item.details,
        minutes=item.minutes,
        starts_at=starts,
        action_item_id=item.action_item_id,
    )


def _action_out(item: ActionItem) -> ActionItemOut:
    return ActionItemOut(
        id=item.pk,
        occurrence_id=item.occurrence_id,
        owner=PersonOut(id=item.owner.pk, name=item.owner.display_name),
        text=item.text,
        due_date=item.due_date,
        done=item.done,
        done_at=item.done_at,
    )


def _swap_out(swap: SwapRequest) -> SwapOut:
    return SwapOut(
        id=swap.pk,
        role=swap.role,
        requester=PersonOut(id=swap.requester.pk, name=swap.requester.display_name),
        requester_occurrence_id=swap.requester_occurrence_id,
        other=PersonOut(id=swap.other.pk, name=swap.other.display_name),
        other_occurrence_id=swap.other_occurrence_id,
        status=swap.status,
        note=swap.note,
        created_at=swap.created_at,
        decided_at=swap.decided_at,
    )


def _token_out(token: CalendarToken, slug: str | None) -> dict[str, Any]:
    return {
        "id": token.pk,
        "hint": token.hint,
        "community": slug,
        "created_at": token.created_at,
        "last_used_at": token.last_used_at,
    }


def _community(request: HttpRequest, slug: str) -> Any:
    return selectors.community_for(caller(request), slug)


def _occurrence(request: HttpRequest, slug: str, occurrence_id: int) -> Occurrence:
    return selectors.get_occurrence(_community(request, slug), occurrence_id)


def _series(request: HttpRequest, slug: str, series_id: int) -> Series:
    return selectors.get_series(_community(request, slug), series_id)


def _reload(occ: Occurrence) -> Occurrence:
    return selectors.get_occurrence(occ.community, occ.pk)


# --- Settings and series ------------------------------------------------------------------------


@router.get(C + "/meetings/settings", response={200: SettingsOut, **READ})
def get_meeting_settings(request: HttpRequest, slug: str) -> SettingsOut:
    """The community's meeting settings (opener length, meetings kept ahead)."""
    cfg = services.settings_for(_community(request, slug))
    return SettingsOut(opener_minutes=cfg.opener_minutes, occurrences_ahead=cfg.occurrences_ahead)


@router.put(C + "/meetings/settings", response={200: SettingsOut, **WRITE})
def update_meeting_settings(request: HttpRequest, slug: str, payload: SettingsIn) -> SettingsOut:
    """Coordinators and facilitators. The new opener length applies to upcoming meetings; one
    that would make an agenda longer than its meeting is a 422."""
    cfg = services.update_settings(
        caller(request),
        _community(request, slug),
        opener_minutes=payload.opener_minutes,
        occurrences_ahead=payload.occurrences_ahead,
    )
    return SettingsOut(opener_minutes=cfg.opener_minutes, occurrences_ahead=cfg.occurrences_ahead)


@router.get(C + "/series", response={200: SeriesPage, **READ})
def list_series(request: HttpRequest, slug: str, paging: Query[PageParams]) -> dict[str, object]:
    """The community's meeting series, by title."""
    community = _community(request, slug)

    def item(series: Series) -> SeriesOut:
        series.community = community
        return _series_out(request, series)

    return paginate(
        Series.objects.filter(community=community).order_by("title", "id"), paging, item
    )


@router.post(C + "/series", response={201: SeriesOut, **WRITE})
def create_series(request: HttpRequest, slug: str, payload: SeriesIn) -> Status[SeriesOut]:
    """Coordinators and facilitators start a series; its next meetings are scheduled (and
    their turns planned) at once. Bad fields are a 422 with ``errors`` (a past end date, an
    unknown time zone, no place nor link, a meeting shorter than the opener...)."""
    series = services.create_series(
        caller(request),
        _community(request, slug),
        title=payload.title,
        recurrence_kind=payload.recurrence,
        weekday=payload.weekday,
        week_of_month=payload.week_of_month,
        local_time=payload.local_time,
        timezone_name=payload.timezone,
        duration_minutes=payload.duration_minutes,
        place=payload.place,
        video_url=payload.video_url,
        start_date=payload.start_date,
        end_date=payload.end_date,
        add_members=payload.add_members,
    )
    return Status(201, _series_out(request, series))


@router.get(S, response={200: SeriesOut, **READ})
def get_series(request: HttpRequest, slug: str, series_id: Id) -> SeriesOut:
    return _series_out(request, _series(request, slug, series_id))


@router.patch(S, response={200: SeriesOut, **WRITE})
def update_series(
    request: HttpRequest, slug: str, series_id: Id, payload: SeriesUpdateIn
) -> SeriesOut:
    """Change the title, time, length, place, link or end date. Upcoming meetings follow;
    meetings after a new end date are cancelled (restorable)."""
    series = _series(request, slug, series_id)
    end = None if payload.clear_end_date else payload.end_date or series.end_date
    updated = services.update_series(
        caller(request),
        series,
        title=series.title if payload.title is None else payload.title,
        local_time=payload.local_time or series.local_time,
        duration_minutes=payload.duration_minutes or series.duration_minutes,
        place=series.place if payload.place is None else payload.place,
        video_url=series.video_url if payload.video_url is None else payload.video_url,
        end_date=end,
    )
    return _series_out(request, updated)


# --- Rota and swaps -----------------------------------------------------------------------------


def _rota_out(request: HttpRequest, series: Series) -> RotaOut:
    cfg = services.settings_for(series.community)
    schedule = selectors.schedule(series, limit=cfg.occurrences_ahead)
    for occ in schedule:
        occ.community = series.community
    rows = selectors.rota_of(series, schedule)
    return RotaOut(
        series_id=series.pk,
        members=[
            RotaMemberOut(
                user=PersonOut(id=r.member.user.pk, name=r.member.user.display_name),
                position=r.member.position,
                opened=r.opened,
                facilitated=r.facilitated,
            )
            for r in rows
        ],
        schedule=[_occurrence_out(request, o) for o in schedule],
    )


@router.get(S + "/rota", response={200: RotaOut, **READ})
def get_rota(request: HttpRequest, slug: str, series_id: Id) -> RotaOut:
    """The rota in order (with past turns) and the schedule of the next meetings: who opens,
    who facilitates, and in which round."""
    return _rota_out(request, _series(request, slug, series_id))


@router.post(S + "/rota/join", response={201: RotaOut, **WRITE})
def join_rota(request: HttpRequest, slug: str, series_id: Id) -> Status[RotaOut]:
    """Members join at the end of the order, level with the group: their first turn comes at
    the end of the current round. Already in it: 409 ``already_in_rota``."""
    series = _series(request, slug, series_id)
    services.join_rota(caller(request), series)
    return Status(201, _rota_out(request, series))


@router.post(S + "/rota/leave", response={204: None, **WRITE})
def leave_rota(
    request: HttpRequest, slug: str, series_id: Id, payload: LeaveIn | None = None
) -> Status[None]:
    """Leave the rota (coordinators may name someone else). Not in it: 409 ``not_in_rota``."""
    series = _series(request, slug, series_id)
    member = None
    if payload is not None and payload.user_id is not None:
        member = User.objects.filter(pk=payload.user_id).first()
        if member is None:
            raise Invalid({"user_id": "No such person."})
    services.leave_rota(caller(request), series, member)
    return Status(204, None)


@router.put(S + "/rota/order", response={200: RotaOut, **WRITE})
def set_rota_order(request: HttpRequest, slug: str, series_id: Id, payload: RotaOrderIn) -> RotaOut:
    """Coordinators and facilitators set the order: every rota member's id, once."""
    series = _series(request, slug, series_id)
    services.set_rota_order(caller(request), series, payload.user_ids)
    return _rota_out(request, series)


@router.put(O + "/absence", response={204: None, **WRITE})
def mark_absent(
    request: HttpRequest, slug: str, occurrence_id: Id, payload: AbsenceIn | None = None
) -> Status[None]:
    """ "I won't be there" (members, ahead of the meeting): the rota skips you, and you keep
    your place (you take the next meeting you can attend)."""
    occ = _occurrence(request, slug, occurrence_id)
    services.mark_absent(caller(request), occ, payload.note if payload else "")
    return Status(204, None)


@router.delete(O + "/absence", response={204: None, **WRITE})
def clear_absence(request: HttpRequest, slug: str, occurrence_id: Id) -> Status[None]:
    services.clear_absence(caller(request), _occurrence(request, slug, occurrence_id))
    return Status(204, None)


@router.get(S + "/swaps", response={200: SwapPage, **READ})
def list_swaps(
    request: HttpRequest, slug: str, series_id: Id, paging: Query[PageParams]
) -> dict[str, object]:
    """Swap requests of this series, newest first."""
    series = _series(request, slug, series_id)
    swaps = (
        SwapRequest.objects.filter(series=series)
        .select_related("requester", "other")
        .order_by("-created_at", "-id")
    )
    return paginate(swaps, paging, _swap_out)


@router.post(S + "/swaps", response={201: SwapOut, **WRITE})
def request_swap(
    request: HttpRequest, slug: str, series_id: Id, payload: SwapIn
) -> Status[SwapOut]:
    """Offer your turn (``my_occurrence_id``) for someone's turn of the same role and round.
    Someone not in the rota, a meeting that is not their turn, or another round: 422."""
    user = caller(request)
    series = _series(request, slug, series_id)
    mine = Occurrence.objects.filter(series=series, pk=payload.my_occurrence_id).first()
    theirs = Occurrence.objects.filter(series=series, pk=payload.other_occurrence_id).first()
    other = User.objects.filter(pk=payload.other_user_id, is_active=True).first()
    if other is None:
        raise Invalid({"other": "No such person: you can only swap with someone in the rota."})
    swap = services.request_swap(
        user,
        series,
        role=payload.role,
        my_occurrence=mine,
        other=other,
        other_occurrence=theirs,
        note=payload.note,
    )
    return Status(201, _swap_out(swap))


def _swap(request: HttpRequest, slug: str, series_id: int, swap_id: int) -> SwapRequest:
    return selectors.get_swap(_series(request, slug, series_id), swap_id)


@router.post(S + "/swaps/{swap_id}/agree", response={200: SwapOut, **WRITE})
def agree_swap(request: HttpRequest, slug: str, series_id: Id, swap_id: Id) -> SwapOut:
    """The person asked agrees: the two turns are exchanged at once. If the schedule changed
    since (an absence, a rota change), 409 ``swap_outdated`` and nothing changes."""
    swap = services.answer_swap(
        caller(request), _swap(request, slug, series_id, swap_id), agree=True
    )
    return _swap_out(swap)


@router.post(S + "/swaps/{swap_id}/decline", response={200: SwapOut, **WRITE})
def decline_swap(request: HttpRequest, slug: str, series_id: Id, swap_id: Id) -> SwapOut:
    swap = services.answer_swap(
        caller(request), _swap(request, slug, series_id, swap_id), agree=False
    )
    return _swap_out(swap)


@router.post(S + "/swaps/{swap_id}/withdraw", response={200: SwapOut, **WRITE})
def withdraw_swap(request: HttpRequest, slug: str, series_id: Id, swap_id: Id) -> SwapOut:
    swap = services.withdraw_swap(caller(request), _swap(request, slug, series_id, swap_id))
    return _swap_out(swap)


# --- Occurrences and agendas --------------------------------------------------------------------


@router.get(C + "/occurrences", response={200: OccurrencePage, **READ})
def list_occurrences(
    request: HttpRequest,
    slug: str,
    paging: Query[PageParams],
    upcoming: bool = True,
    series_id: Annotated[int | None, Query(ge=1, le=DB_INT_MAX)] = None,
) -> dict[str, object]:
    """Upcoming meetings (soonest first, cancelled ones included), or with ``upcoming=false``
    past ones (newest first); ``series_id`` narrows to one series."""
    community = _community(request, slug)
    if upcoming:
        qs = selectors.upcoming_qs(community)
    else:
        from django.utils import timezone

        qs = (
            Occurrence.objects.filter(community=community, starts_at__lte=timezone.now())
            .select_related("series", "opener", "facilitator", "activity")
            .order_by("-starts_at", "-id")
        )
    if series_id is not None:
        qs = qs.filter(series_id=series_id)

    def item(occ: Occurrence) -> OccurrenceOut:
        occ.community = community
        return _occurrence_out(request, occ)

    return paginate(qs, paging, item)


@router.get(O, response={200: OccurrenceDetailOut, **READ})
def get_occurrence(request: HttpRequest, slug: str, occurrence_id: Id) -> OccurrenceDetailOut:
    """One meeting with its agenda: the opener block first, then the timed items (each with
    its local start), the carried action items, attendance, notes, action items and how the
    opener landed (an average once two people have rated)."""
    user = caller(request)
    occ = _occurrence(request, slug, occurrence_id)
    data = selectors.agenda(occ, user)
    return OccurrenceDetailOut(
        **_occurrence_fields(request, occ),
        agenda=[_agenda_out(t.item, t.starts) for t in data.timed],
        carried_actions=[
            _action_out(c.action_item) for c in data.carried if c.action_item is not None
        ],
        agenda_minutes=data.total_minutes,
        absent=[PersonOut(id=a.user.pk, name=a.user.display_name) for a in data.absences],
        attendance=[PersonOut(id=a.user.pk, name=a.user.display_name) for a in data.attendance],
        notes=NotesOut(
            markdown=occ.notes,
            html=occ.notes_html,
            version=occ.notes_version,
            updated_at=occ.notes_updated_at,
        ),
        action_items=[_action_out(a) for a in data.action_items],
        feedback=FeedbackSummaryOut(
            count=data.feedback_count,
            average=data.feedback_average,
            notes=data.feedback_notes,
        ),
        my_feedback=FeedbackOut(
            rating=data.my_feedback.rating,
            note=data.my_feedback.note,
            updated_at=data.my_feedback.updated_at,
        )
        if data.my_feedback
        else None,
    )


@router.post(O + "/cancel", response={200: OccurrenceOut, **WRITE})
def cancel_occurrence(
    request: HttpRequest, slug: str, occurrence_id: Id, payload: CancelIn | None = None
) -> OccurrenceOut:
    """Coordinators and facilitators, before it starts. The turns move to the next meeting."""
    occ = _occurrence(request, slug, occurrence_id)
    services.cancel_occurrence(caller(request), occ, payload.reason if payload else "")
    return _occurrence_out(request, _reload(occ))


@router.post(O + "/restore", response={200: OccurrenceOut, **WRITE})
def restore_occurrence(request: HttpRequest, slug: str, occurrence_id: Id) -> OccurrenceOut:
    occ = _occurrence(request, slug, occurrence_id)
    services.restore_occurrence(caller(request), occ)
    return _occurrence_out(request, _reload(occ))


@router.post(O + "/reschedule", response={200: OccurrenceOut, **WRITE})
def reschedule_occurrence(
    request: HttpRequest, slug: str, occurrence_id: Id, payload: RescheduleIn
) -> OccurrenceOut:
    """Move one meeting: date and time on the series' clock, optionally its length (which
    must still hold the agenda)."""
    occ = _occurrence(request, slug, occurrence_id)
    services.reschedule_occurrence(
        caller(request),
        occ,
        day=payload.date,
        local_time=payload.time,
        duration_minutes=payload.duration_minutes,
    )
    return _occurrence_out(request, _reload(occ))


@router.post(O + "/agenda", response={201: AgendaItemOut, **WRITE})
def add_agenda_item(
    request: HttpRequest, slug: str, occurrence_id: Id, payload: AgendaItemIn
) -> Status[AgendaItemOut]:
    """The meeting's facilitator or a coordinator adds a timed item at the end. An agenda
    longer than the meeting is a 422 (``errors.minutes`` says how many minutes are free)."""
    occ = _occurrence(request, slug, occurrence_id)
    item = services.add_agenda_item(
        caller(request),
        occ,
        title=payload.title,
        minutes=payload.minutes,
        details=payload.details,
        kind=payload.kind,
    )
    return Status(201, _agenda_out(item))


def _agenda_item(request: HttpRequest, slug: str, occurrence_id: int, item_id: int) -> AgendaItem:
    return selectors.get_agenda_item(_occurrence(request, slug, occurrence_id), item_id)


@router.patch(O + "/agenda/{item_id}", response={200: AgendaItemOut, **WRITE})
def update_agenda_item(
    request: HttpRequest, slug: str, occurrence_id: Id, item_id: Id, payload: AgendaItemUpdateIn
) -> AgendaItemOut:
    """Change an item's title, minutes or details, or ``move`` it up or down. The opener block
    stays first (409 ``opener_first``)."""
    item = _agenda_item(request, slug, occurrence_id, item_id)
    user = caller(request)
    if payload.move is not None:
        item = services.move_agenda_item(user, item, up=payload.move == "up")
    else:
        item = services.update_agenda_item(
            user,
            item,
            title=item.title if payload.title is None else payload.title,
            minutes=item.minutes if payload.minutes is None else payload.minutes,
            details=item.details if payload.details is None else payload.details,
        )
    return _agenda_out(item)


@router.delete(O + "/agenda/{item_id}", response={204: None, **WRITE})
def remove_agenda_item(
    request: HttpRequest, slug: str, occurrence_id: Id, item_id: Id
) -> Status[None]:
    services.remove_agenda_item(
        caller(request), _agenda_item(request, slug, occurrence_id, item_id)
    )
    return Status(204, None)


# --- Attendance, notes, action items ------------------------------------------------------------


@router.put(O + "/attendance", response={200: AttendanceOut, **WRITE})
def record_attendance(
    request: HttpRequest, slug: str, occurrence_id: Id, payload: AttendanceIn
) -> AttendanceOut:
    """Who was there (replaces the list); members, once the meeting has started. Someone who
    is not a member of the community is a 422."""
    occ = _occurrence(request, slug, occurrence_id)
    return AttendanceOut(
        user_ids=services.record_attendance(caller(request), occ, payload.user_ids)
    )


@router.put(O + "/notes", response={200: NotesOut, **WRITE})
def save_notes(request: HttpRequest, slug: str, occurrence_id: Id, payload: NotesIn) -> NotesOut:
    """Members write the notes (Markdown). Send the ``base_version`` you edited: if someone
    saved since, 409 ``notes_changed`` and nothing is overwritten. Every version is kept."""
    occ = services.save_notes(
        caller(request),
        _occurrence(request, slug, occurrence_id),
        markdown=payload.markdown,
        base_version=payload.base_version,
    )
    return NotesOut(
        markdown=occ.notes,
        html=occ.notes_html,
        version=occ.notes_version,
        updated_at=occ.notes_updated_at,
    )


@router.get(C + "/action-items", response={200: ActionItemPage, **READ})
def list_action_items(
    request: HttpRequest, slug: str, paging: Query[PageParams], open: bool = True
) -> dict[str, object]:
    """The community's action items: open ones (default) or done ones, by due date."""
    community = _community(request, slug)
    items = (
        ActionItem.objects.filter(community=community, done=not open)
        .select_related("owner")
        .order_by("due_date", "id")
    )
    return paginate(items, paging, _action_out)


@router.post(O + "/actions", response={201: ActionItemOut, **WRITE})
def add_action_item(
    request: HttpRequest, slug: str, occurrence_id: Id, payload: ActionItemIn
) -> Status[ActionItemOut]:
    """Members note an action: who (a member), what, by when (not before the meeting). Open
    ones are carried onto the next meeting's agenda."""
    item = services.add_action_item(
        caller(request),
        _occurrence(request, slug, occurrence_id),
        owner_id=payload.owner_id,
        text=payload.text,
        due_date=payload.due_date,
    )
    return Status(201, _action_out(item))


@router.patch(C + "/action-items/{item_id}", response={200: ActionItemOut, **WRITE})
def update_action_item(
    request: HttpRequest, slug: str, item_id: Id, payload: ActionItemUpdateIn
) -> ActionItemOut:
    """Close (``done: true``) or reopen an action item."""
    item = selectors.get_action_item(_community(request, slug), item_id)
    return _action_out(services.set_action_done(caller(request), item, done=payload.done))


# --- The opener activity and feedback -----------------------------------------------------------


@router.get(O + "/activities", response={200: ActivityChoicePage, **READ})
def activity_choices(
    request: HttpRequest,
    slug: str,
    occurrence_id: Id,
    paging: Query[PageParams],
    q: Annotated[str, Query(max_length=100, pattern="^[^\\x00]*$")] = "",
) -> dict[str, object]:
    """The picker: library activities and this community's adaptations, each with when the
    group last used it; ``recently_used`` marks those used in its last 8 meetings (or already
    planned for another upcoming one)."""
    occ = _occurrence(request, slug, occurrence_id)
    choices = selectors.activity_choices(occ, query=q.strip())
    start = (paging.page - 1) * paging.page_size
    return {
        "items": [
            ActivityChoiceOut(
                id=c.activity.pk,
                title=c.activity.title,
                summary=c.activity.summary,
                purpose=c.activity.purpose,
                duration_minutes=c.activity.duration_minutes,
                adapted_here=c.activity.community_id is not None,
                last_used_at=c.last_used.starts_at if c.last_used else None,
                recently_used=c.recent is not None,
                warning=c.warning,
            )
            for c in choices[start : start + paging.page_size]
        ],
        "count": len(choices),
        "page": paging.page,
        "page_size": paging.page_size,
    }


@router.put(O + "/activity", response={200: PickOut, **WRITE})
def pick_activity(request: HttpRequest, slug: str, occurrence_id: Id, payload: PickIn) -> PickOut:
    """The opener (or the facilitator, or a coordinator) picks the opener activity, or clears
    it with null. A recently used one is allowed, with a ``warning``."""
    occ = _occurrence(request, slug, occurrence_id)
    _, warning = services.pick_activity(caller(request), occ, payload.activity_id)
    return PickOut(occurrence=_occurrence_out(request, _reload(occ)), warning=warning)


@router.put(O + "/feedback", response={200: FeedbackOut, **WRITE})
def give_feedback(
    request: HttpRequest, slug: str, occurrence_id: Id, payload: FeedbackIn
) -> FeedbackOut:
    """How the opener landed (1-5, optional note), from the opener or someone who attended,
    once the meeting has started. Giving it again changes yours."""
    feedback = services.give_feedback(
        caller(request),
        _occurrence(request, slug, occurrence_id),
        rating=payload.rating,
        note=payload.note,
    )
    return FeedbackOut(rating=feedback.rating, note=feedback.note, updated_at=feedback.updated_at)


# --- Calendar links -----------------------------------------------------------------------------


@router.get("/calendar-tokens", response={200: CalendarTokenPage, 401: E, 422: E})
def list_calendar_tokens(request: HttpRequest, paging: Query[PageParams]) -> dict[str, object]:
    """Your live calendar links (never the secret itself)."""
    tokens = (
        CalendarToken.objects.filter(user=caller(request), revoked_at__isnull=True)
        .select_related("community")
        .order_by("-created_at", "-id")
    )
    return paginate(
        tokens,
        paging,
        lambda t: CalendarTokenOut(**_token_out(t, t.community.slug if t.community else None)),
    )


@router.post("/calendar-tokens", response={201: CalendarTokenCreatedOut, **WRITE})
def create_calendar_token(
    request: HttpRequest, payload: CalendarTokenIn | None = None
) -> Status[CalendarTokenCreatedOut]:
    """A secret iCalendar feed URL: yours (every community you are a member of, your turns
    marked) or one community's. It replaces your previous link for the same feed. The URL is
    in this response only."""
    user = caller(request)
    community = None
    if payload is not None and payload.community:
        community = selectors.community_for(user, payload.community)
    token, raw = services.create_calendar_token(user, community)
    url = request.build_absolute_uri(reverse("calendar:feed", args=[raw]))
    return Status(
        201,
        CalendarTokenCreatedOut(
            **_token_out(token, community.slug if community else None), url=url
        ),
    )


@router.delete("/calendar-tokens/{token_id}", response={204: None, 401: E, 404: E, 422: E})
def revoke_calendar_token(request: HttpRequest, token_id: Id) -> Status[None]:
    """Revoke one of your calendar links: it stops working at once. Others' are 404."""
    services.revoke_calendar_token(caller(request), token_id)
    return Status(204, None)
