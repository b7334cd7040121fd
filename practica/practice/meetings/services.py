"""Verbs that change meetings. Actor first; ask ``permissions``; validate; one transaction;
``emit`` an event delivered after commit (catalogue in docs/meetings.md).

System work (materializing occurrences, planning turns, reminders, carrying action items) has no
actor and is run by services themselves and by the due jobs in ``jobs.py``.
"""

from __future__ import annotations

import hashlib
import secrets
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models import Max, Q, Sum
from django.urls import reverse
from django.utils import timezone

from practica.communities import access
from practica.communities.models import Community, Membership
from practica.lib.errors import Conflict, Forbidden, Invalid, NotFound
from practica.lib.markdown import MAX_MARKDOWN, cook
from practica.lib.validation import clean_choice, clean_text, raise_if
from practica.notifications.services import notify
from practica.practice.activities.models import Activity
from practica.practice.meetings import permissions, recurrence
from practica.practice.meetings import rota as planner
from practica.practice.meetings.models import (
    RECENT_ACTIVITY_WINDOW,
    Absence,
    ActionItem,
    AgendaItem,
    AgendaKind,
    Attendance,
    CalendarToken,
    MeetingSettings,
    NoteRevision,
    Occurrence,
    OccurrenceStatus,
    OpenerFeedback,
    Recurrence,
    RotaMember,
    Series,
    SwapRequest,
    SwapStatus,
    TurnRole,
    WeekOfMonth,
)
from practica.realtime.bus import emit
from practica.scheduling import services as scheduling

if TYPE_CHECKING:
    from practica.accounts.models import User

SCHEDULED = OccurrenceStatus.SCHEDULED
OPENER_TITLE = "Community building"
REVISIT_TITLE = "Revisit our norms"
REVISIT_MINUTES = 15
REMINDER_DAYS = (7, 1)
CARRIED_POSITION = 10_000  # carried action items sort after the timed items
MIN_DURATION, MAX_DURATION = 15, 480
SERIES_ENDED = "After the series' end date."
HORIZON_DAYS = 2 * 366  # how far ahead a series may start or a meeting be moved


# --- Settings -----------------------------------------------------------------------------------


def settings_for(community: Community) -> MeetingSettings:
    """The community's meeting settings (unsaved defaults when it has none yet)."""
    found = MeetingSettings.objects.filter(community=community).first()
    return found or MeetingSettings(community=community)


def update_settings(
    actor: User, community: Community, *, opener_minutes: int, occurrences_ahead: int
) -> MeetingSettings:
    permissions.require_manager(actor, community, "change meeting settings")
    errors: dict[str, str] = {}
    if not 5 <= opener_minutes <= 60:
        errors["opener_minutes"] = "The opener block takes 5 to 60 minutes."
    if not 1 <= occurrences_ahead <= 26:
        errors["occurrences_ahead"] = "Schedule 1 to 26 meetings ahead."
    raise_if(errors)
    now = timezone.now()
    with transaction.atomic():
        cfg = settings_for(community)
        old_minutes = cfg.opener_minutes
        # The new opener length applies to upcoming meetings whose opener still has the old one.
        openers = list(
            AgendaItem.objects.select_related("occurrence")
            .filter(
                kind=AgendaKind.OPENER,
                minutes=old_minutes,
                occurrence__community=community,
                occurrence__status=SCHEDULED,
                occurrence__starts_at__gt=now,
            )
            .select_for_update()
        )
        totals = _agenda_totals([item.occurrence_id for item in openers])
        for item in openers:
            total = totals.get(item.occurrence_id, 0) - old_minutes + opener_minutes
            if total > item.occurrence.duration_minutes:
                raise Invalid(
                    {
                        "opener_minutes": (
                            f"A {opener_minutes}-minute opener would make an upcoming agenda "
                            f"{total} minutes long, longer than its "
                            f"{item.occurrence.duration_minutes}-minute meeting. Shorten that "
                            "agenda first."
                        )
                    }
                )
        cfg.opener_minutes = opener_minutes
        cfg.occurrences_ahead = occurrences_ahead
        cfg.save()
        AgendaItem.objects.filter(pk__in=[i.pk for i in openers]).update(minutes=opener_minutes)
        emit("meetings.settings_updated", community_id=community.pk, actor_id=actor.pk)
    for series in Series.objects.filter(community=community):
        top_up(series)
    return cfg


# --- Series -------------------------------------------------------------------------------------


def _clean_url(errors: dict[str, str], value: str) -> str:
    value = clean_text(errors, "video_url", value, max_len=500, required=False, label="Link")
    if value and "video_url" not in errors:
        try:
            URLValidator(schemes=["http", "https"])(value)
        except ValidationError:
            errors["video_url"] = "The video link must be a full web address (https://...)."
    return value


def _today_in(zone_name: str) -> date:
    try:
        return timezone.now().astimezone(recurrence.zone(zone_name)).date()
    except ValueError:
        return timezone.now().date()


def _clean_series_fields(
    errors: dict[str, str],
    *,
    title: str,
    local_time: time | None,
    duration_minutes: int,
    place: str,
    video_url: str,
    end_date: date | None,
    start_date: date | None,
    zone_name: str,
    opener_minutes: int,
) -> dict[str, object]:
    values: dict[str, object] = {
        "title": clean_text(errors, "title", title, max_len=120),
        "place": clean_text(errors, "place", place, max_len=200, required=False),
        "video_url": _clean_url(errors, video_url),
        "duration_minutes": duration_minutes,
        "local_time": local_time,
        "end_date": end_date,
    }
    if local_time is None:
        errors["local_time"] = "Give the start time (e.g. 15:30)."
    else:
        values["local_time"] = local_time.replace(tzinfo=None, microsecond=0)
    if start_date is not None and start_date > _today_in(zone_name) + timedelta(days=HORIZON_DAYS):
        errors["start_date"] = "Start within the next two years."
    if not MIN_DURATION <= duration_minutes <= MAX_DURATION:
        errors["duration_minutes"] = f"A meeting lasts {MIN_DURATION} to {MAX_DURATION} minutes."
    elif duration_minutes < opener_minutes:
        errors["duration_minutes"] = (
            f"The meeting must leave room for the {opener_minutes}-minute community-building "
            "opener."
        )
    if (
        not values["place"]
        and not values["video_url"]
        and not ({"place", "video_url"} & set(errors))
    ):
        errors["place"] = "Say where you meet: a place, a video link, or both."
    if end_date is not None:
        if end_date < _today_in(zone_name):
            errors["end_date"] = "The end date is in the past."
        elif start_date is not None and end_date < start_date:
            errors["end_date"] = "The end date is before the start date."
    return values


def create_series(
    actor: User,
    community: Community,
    *,
    title: str,
    recurrence_kind: str,
    weekday: int,
    local_time: time | None,
    timezone_name: str,
    duration_minutes: int,
    start_date: date | None,
    end_date: date | None = None,
    week_of_month: int = WeekOfMonth.FIRST,
    place: str = "",
    video_url: str = "",
    add_members: bool = False,
    now: datetime | None = None,
) -> Series:
    """Start a recurring meeting; its next meetings are scheduled at once. ``add_members`` puts
    every current member in the rota (by when they joined); anyone may leave it."""
    permissions.require_manager(actor, community, "schedule meetings")
    cfg = settings_for(community)
    errors: dict[str, str] = {}
    recurrence_kind = clean_choice(errors, "recurrence", recurrence_kind, list(Recurrence.values))
    if not recurrence.is_zone(timezone_name or ""):
        errors["timezone"] = f"'{timezone_name}' is not a time zone (e.g. America/Chicago)."
    if weekday not in range(7):
        errors["weekday"] = "Choose a weekday (0 = Monday ... 6 = Sunday)."
    if week_of_month not in WeekOfMonth.values:
        errors["week_of_month"] = "Choose the first, second, third, fourth or last week."
    if start_date is None:
        errors["start_date"] = "Give the date of the first meeting (or the week it starts)."
    values = _clean_series_fields(
        errors,
        title=title,
        local_time=local_time,
        duration_minutes=duration_minutes,
        place=place,
        video_url=video_url,
        end_date=end_date,
        start_date=start_date,
        zone_name=timezone_name,
        opener_minutes=cfg.opener_minutes,
    )
    raise_if(errors)
    assert start_date is not None
    with transaction.atomic():
        series = Series.objects.create(
            community=community,
            recurrence=recurrence_kind,
            weekday=weekday,
            week_of_month=week_of_month,
            timezone=timezone_name,
            start_date=start_date,
            created_by=actor,
            **values,
        )
        emit(
            "meetings.series_created",
            community_id=community.pk,
            series_id=series.pk,
            actor_id=actor.pk,
        )
        if add_members:
            members = Membership.objects.filter(community=community).order_by("joined_at", "id")
            RotaMember.objects.bulk_create(
                RotaMember(series=series, user_id=m.user_id, position=i)
                for i, m in enumerate(members)
            )
        top_up(series, now=now)
    return series


def update_series(
    actor: User,
    series: Series,
    *,
    title: str,
    local_time: time | None,
    duration_minutes: int,
    place: str,
    video_url: str,
    end_date: date | None,
) -> Series:
    """Change a series. Upcoming meetings follow (except ones rescheduled by hand); meetings
    after a new end date are cancelled (restorable), never deleted."""
    community = series.community
    permissions.require_manager(actor, community, "change meetings")
    cfg = settings_for(community)
    errors: dict[str, str] = {}
    values = _clean_series_fields(
        errors,
        title=title,
        local_time=local_time,
        duration_minutes=duration_minutes,
        place=place,
        video_url=video_url,
        end_date=end_date,
        start_date=None,
        zone_name=series.timezone,
        opener_minutes=cfg.opener_minutes,
    )
    raise_if(errors)
    now = timezone.now()
    with transaction.atomic():
        upcoming = list(
            Occurrence.objects.select_for_update()
            .filter(series=series, status=SCHEDULED, starts_at__gt=now, rescheduled=False)
            .order_by("starts_at")
        )
        totals = _agenda_totals([o.pk for o in upcoming])
        for occ in upcoming:
            if totals.get(occ.pk, 0) > duration_minutes:
                occ.series = series
                raise Invalid(
                    {
                        "duration_minutes": (
                            f"The agenda of the meeting on {occ.when} takes "
                            f"{totals[occ.pk]} minutes, longer than {duration_minutes}. "
                            "Shorten it first."
                        )
                    }
                )
        time_changed = values["local_time"] != series.local_time
        for key, value in values.items():
            setattr(series, key, value)
        series.save()
        for occ in upcoming:
            occ.duration_minutes = duration_minutes
            if time_changed:
                occ.starts_at = recurrence.instant(
                    occ.slot_date, series.local_time, series.timezone
                )
            occ.save(update_fields=["duration_minutes", "starts_at"])
            _schedule_occurrence_jobs(occ, reminders=time_changed)
        if end_date is not None:
            for occ in Occurrence.objects.filter(
                series=series, status=SCHEDULED, starts_at__gt=now, slot_date__gt=end_date
            ):
                _cancel(occ, SERIES_ENDED)
        emit(
            "meetings.series_updated",
            community_id=community.pk,
            series_id=series.pk,
            actor_id=actor.pk,
        )
    top_up(series)
    return series


# --- Materializing and planning -----------------------------------------------------------------


def top_up(series: Series, *, now: datetime | None = None) -> list[Occurrence]:
    """Make sure the series' next ``occurrences_ahead`` meetings exist (idempotent), plan their
    turns, and come back tomorrow (the ``meetings.materialize`` due job)."""
    now = now or timezone.now()
    cfg = settings_for(series.community)
    created: list[Occurrence] = []
    with transaction.atomic():
        Series.objects.select_for_update().filter(pk=series.pk).first()
        existing = set(Occurrence.objects.filter(series=series).values_list("slot_date", flat=True))
        upcoming = Occurrence.objects.filter(
            series=series, status=SCHEDULED, starts_at__gt=now
        ).count()
        need = cfg.occurrences_ahead - upcoming
        if need > 0:
            local_today = now.astimezone(recurrence.zone(series.timezone)).date()
            start = max(series.start_date, local_today - timedelta(days=1))
            if existing:
                start = max(start, max(existing) + timedelta(days=1))
            for day in recurrence.dates(
                series.recurrence,
                series.weekday,
                start,
                series.end_date,
                week_of_month=series.week_of_month,
            ):
                starts_at = recurrence.instant(day, series.local_time, series.timezone)
                if day in existing or starts_at <= now:
                    continue
                occ = Occurrence.objects.create(
                    series=series,
                    community_id=series.community_id,
                    slot_date=day,
                    starts_at=starts_at,
                    duration_minutes=series.duration_minutes,
                )
                occ.series = series
                AgendaItem.objects.create(
                    occurrence=occ,
                    position=0,
                    kind=AgendaKind.OPENER,
                    title=OPENER_TITLE,
                    minutes=cfg.opener_minutes,
                )
                _schedule_occurrence_jobs(occ, reminders=False)
                emit(
                    "meetings.occurrence_scheduled",
                    community_id=series.community_id,
                    series_id=series.pk,
                    occurrence_id=occ.pk,
                )
                created.append(occ)
                need -= 1
                if need <= 0:
                    break
        replan(series, now=now)
        if created:
            carry_open_actions(series, now=now)
        if series.end_date is None or series.end_date >= now.date():
            scheduling.schedule(
                "meetings.materialize",
                f"meetings.materialize:{series.pk}",
                now + timedelta(days=1),
                series_id=series.pk,
            )
    return created


def _turn_counts(
    series: Series, rota: Sequence[RotaMember], now: datetime
) -> tuple[dict[int, int], dict[int, int]]:
    opened: Counter[int] = Counter()
    facilitated: Counter[int] = Counter()
    for opener_id, facilitator_id in Occurrence.objects.filter(
        series=series, status=SCHEDULED, starts_at__lte=now
    ).values_list("opener_id", "facilitator_id"):
        if opener_id:
            opened[opener_id] += 1
        if facilitator_id:
            facilitated[facilitator_id] += 1
    return (
        {r.user_id: r.opener_offset + opened[r.user_id] for r in rota},
        {r.user_id: r.facilitator_offset + facilitated[r.user_id] for r in rota},
    )


def replan(series: Series, *, now: datetime | None = None) -> list[Occurrence]:
    """Assign openers and facilitators to the series' upcoming meetings with the pure planner
    (``rota.plan``); write only what changed, move the reminders, and void swaps that can no
    longer hold. Returns the meetings whose turns changed."""
    now = now or timezone.now()
    changed: list[Occurrence] = []
    with transaction.atomic():
        Series.objects.select_for_update().filter(pk=series.pk).first()
        rota = list(RotaMember.objects.filter(series=series).order_by("position", "id"))
        opener_turns, facilitator_turns = _turn_counts(series, rota, now)
        future = list(
            Occurrence.objects.filter(series=series, status=SCHEDULED, starts_at__gt=now)
            .select_related("series")
            .order_by("starts_at", "id")
        )
        future_ids = {o.pk for o in future}
        absent: dict[int, set[int]] = defaultdict(set)
        for occ_id, user_id in Absence.objects.filter(
            occurrence_id__in=list(future_ids)
        ).values_list("occurrence_id", "user_id"):
            absent[occ_id].add(user_id)
        swaps = list(
            SwapRequest.objects.filter(
                series=series, status__in=[SwapStatus.AGREED, SwapStatus.PENDING]
            ).order_by("decided_at", "id")
        )
        pins: dict[str, list[planner.Pin]] = {TurnRole.OPENER: [], TurnRole.FACILITATOR: []}
        for swap in swaps:
            if swap.status != SwapStatus.AGREED:
                continue
            if swap.requester_occurrence_id in future_ids:
                pins[swap.role].append(
                    planner.Pin(swap.requester_occurrence_id, swap.other_id, swap.pk, swap.round)
                )
            if swap.other_occurrence_id in future_ids:
                pins[swap.role].append(
                    planner.Pin(swap.other_occurrence_id, swap.requester_id, swap.pk, swap.round)
                )
        slots = [planner.Slot(o.pk, frozenset(absent.get(o.pk, ()))) for o in future]
        result = planner.plan(
            [r.user_id for r in rota],
            opener_turns,
            facilitator_turns,
            slots,
            pins[TurnRole.OPENER],
            pins[TurnRole.FACILITATOR],
        )
        holders: dict[tuple[str, int], int | None] = {}
        for occ, opener, facilitator in zip(
            future, result.openers, result.facilitators, strict=True
        ):
            holders[(TurnRole.OPENER, occ.pk)] = opener.member
            holders[(TurnRole.FACILITATOR, occ.pk)] = facilitator.member
            old_opener, old_facilitator = occ.opener_id, occ.facilitator_id
            fields: list[str] = []
            for name, value in (
                ("opener_id", opener.member),
                ("opener_round", opener.number),
                ("facilitator_id", facilitator.member),
                ("facilitator_round", facilitator.number),
            ):
                if getattr(occ, name) != value:
                    setattr(occ, name, value)
                    fields.append(name.removesuffix("_id"))
            if old_opener != occ.opener_id:
                _cancel_reminders(occ.pk, old_opener)
                if old_opener and occ.activity_picked_by_id == old_opener:
                    # Whoever opens crafts their own opener: the old pick leaves with them.
                    occ.activity = None
                    occ.activity_picked_by = None
                    occ.activity_picked_at = None
                    fields += ["activity", "activity_picked_by", "activity_picked_at"]
            if fields:
                occ.save(update_fields=fields)
            if old_opener != occ.opener_id or old_facilitator != occ.facilitator_id:
                if old_opener != occ.opener_id:
                    _schedule_reminders(occ)
                emit(
                    "meetings.turns_assigned",
                    community_id=series.community_id,
                    series_id=series.pk,
                    occurrence_id=occ.pk,
                    opener_id=occ.opener_id,
                    facilitator_id=occ.facilitator_id,
                )
                changed.append(occ)
        for swap in swaps:
            stale = swap.pk in result.void_swaps
            if swap.status == SwapStatus.PENDING:
                stale = (
                    holders.get((swap.role, swap.requester_occurrence_id)) != (swap.requester_id)
                    or holders.get((swap.role, swap.other_occurrence_id)) != swap.other_id
                )
            if stale:
                _void_swap(swap)
    return changed


def _void_swap(swap: SwapRequest) -> None:
    SwapRequest.objects.filter(pk=swap.pk).update(status=SwapStatus.VOID, decided_at=timezone.now())
    series = swap.series
    url = reverse("meetings:series", args=[series.community.slug, series.pk])
    for person in (swap.requester, swap.other):
        notify(
            person,
            kind="meetings.swap_void",
            message=(
                f"The {swap.get_role_display().lower()} swap between {swap.requester.display_name}"
                f" and {swap.other.display_name} in “{series.title}” no longer fits the schedule"
                " (an absence or a rota change): the turns follow the rota again."
            ),
            url=url,
        )
    emit(
        "meetings.swap_voided",
        community_id=series.community_id,
        series_id=series.pk,
        swap_id=swap.pk,
    )


# --- Due jobs: reminders and the end of a meeting -----------------------------------------------


def _reminder_key(occurrence_id: int, user_id: int, days: int) -> str:
    return f"meetings.opener_reminder:{occurrence_id}:{user_id}:{days}"


def _cancel_reminders(occurrence_id: int, user_id: int | None) -> None:
    if user_id is None:
        return
    for days in REMINDER_DAYS:
        scheduling.cancel(_reminder_key(occurrence_id, user_id, days))


def _schedule_reminders(occ: Occurrence) -> None:
    """Remind the opener 7 days and 1 day before. A turn given later than that is announced at
    once (one reminder, not two)."""
    now = timezone.now()
    if occ.opener_id is None or occ.status != SCHEDULED or occ.starts_at <= now:
        return
    week, day = (occ.starts_at - timedelta(days=d) for d in REMINDER_DAYS)
    if week > now:
        due: list[tuple[int, datetime]] = [(7, week), (1, day)]
    elif day > now:
        due = [(7, now), (1, day)]
    else:
        due = [(1, now)]
    for days, at in due:
        scheduling.schedule(
            "meetings.opener_reminder",
            _reminder_key(occ.pk, occ.opener_id, days),
            at,
            occurrence_id=occ.pk,
            user_id=occ.opener_id,
            days=days,
        )


def _schedule_occurrence_jobs(occ: Occurrence, *, reminders: bool) -> None:
    scheduling.schedule(
        "meetings.occurrence_ended",
        f"meetings.occurrence_ended:{occ.pk}",
        occ.ends_at,
        occurrence_id=occ.pk,
    )
    if reminders:
        _schedule_reminders(occ)


def send_opener_reminder(occurrence_id: int, user_id: int, days: int) -> bool:
    """The due job: tell the opener their turn is coming (if it still is). Idempotent."""
    occ = (
        Occurrence.objects.select_related("series", "community", "opener", "activity")
        .filter(pk=occurrence_id)
        .first()
    )
    if occ is None or occ.status != SCHEDULED or occ.opener_id != user_id or occ.has_started():
        return False
    assert occ.opener is not None
    url = reverse("meetings:pick", args=[occ.community.slug, occ.pk])
    left = occ.starts_at - timezone.now()
    soon = "tomorrow" if left <= timedelta(days=1, hours=12) else f"in {max(left.days, 1)} days"
    if occ.activity is not None:
        message = (
            f"You open “{occ.series.title}” {soon} ({occ.when}) with {occ.activity.title}. "
            "Review or change it."
        )
    else:
        message = (
            f"You open “{occ.series.title}” {soon} ({occ.when}): pick or craft the "
            "community-building activity."
        )
    # Idempotent: the scheduler runs this and marks the job done in one transaction, so a
    # crash rolls the notification back with it; the checks above skip a stale reminder.
    notify(occ.opener, kind="meetings.opener_turn", message=message, url=url)
    emit(
        "meetings.opener_reminded",
        community_id=occ.community_id,
        occurrence_id=occ.pk,
        user_id=user_id,
        days=days,
    )
    return True


def carry_open_actions(series: Series, *, now: datetime | None = None) -> int:
    """Put every open action item of the series on the agenda of the next meeting after the
    one it came from that has not ended yet (idempotent). Returns how many were added."""
    now = now or timezone.now()
    upcoming = list(
        Occurrence.objects.filter(series=series, status=SCHEDULED)
        .filter(starts_at__gt=now - timedelta(minutes=MAX_DURATION))
        .order_by("starts_at", "id")
    )
    upcoming = [o for o in upcoming if o.ends_at > now]
    if not upcoming:
        return 0
    actions = list(
        ActionItem.objects.filter(series=series, done=False).select_related("occurrence", "owner")
    )
    already = set(
        AgendaItem.objects.filter(
            occurrence_id__in=[o.pk for o in upcoming], action_item__isnull=False
        ).values_list("occurrence_id", "action_item_id")
    )
    added = 0
    for action in actions:
        target = next((o for o in upcoming if o.starts_at > action.occurrence.starts_at), None)
        if target is None or (target.pk, action.pk) in already:
            continue
        try:
            with transaction.atomic():
                AgendaItem.objects.create(
                    occurrence=target,
                    kind=AgendaKind.CARRIED_ACTION,
                    position=CARRIED_POSITION + action.pk,
                    title=action.text,
                    minutes=0,
                    action_item=action,
                )
        except IntegrityError:  # a concurrent carry got there first
            continue
        added += 1
    return added


def occurrence_ended(occurrence_id: int) -> None:
    """The due job at a meeting's end: carry its open action items onward."""
    occ = Occurrence.objects.select_related("series").filter(pk=occurrence_id).first()
    if occ is not None:
        carry_open_actions(occ.series)


# --- Occurrences: cancel, restore, reschedule ---------------------------------------------------


def _require_upcoming(occ: Occurrence, doing: str) -> None:
    if occ.has_started():
        raise Conflict(f"This meeting has already started; you can't {doing} it.", code="started")


def _require_not_cancelled(occ: Occurrence) -> None:
    if occ.is_cancelled:
        raise Conflict("This meeting is cancelled.", code="cancelled")


def _cancel(occ: Occurrence, reason: str) -> None:
    _cancel_reminders(occ.pk, occ.opener_id)
    Occurrence.objects.filter(pk=occ.pk).update(
        status=OccurrenceStatus.CANCELLED,
        cancel_reason=reason,
        opener=None,
        facilitator=None,
        opener_round=None,
        facilitator_round=None,
    )
    emit(
        "meetings.occurrence_cancelled",
        community_id=occ.community_id,
        series_id=occ.series_id,
        occurrence_id=occ.pk,
    )


def cancel_occurrence(actor: User, occ: Occurrence, reason: str = "") -> Occurrence:
    """Cancel one meeting. Its opener and facilitator keep their place: the turns move to the
    next meeting. Restorable until it would have started."""
    permissions.require_manager(actor, occ.community, "cancel meetings")
    errors: dict[str, str] = {}
    reason = clean_text(errors, "reason", reason, max_len=300, required=False)
    raise_if(errors)
    _require_upcoming(occ, "cancel")
    _require_not_cancelled(occ)
    with transaction.atomic():
        people = [p for p in (occ.opener, occ.facilitator) if p is not None and p != actor]
        _cancel(occ, reason)
        url = reverse("meetings:series", args=[occ.community.slug, occ.series_id])
        for person in {p.pk: p for p in people}.values():
            notify(
                person,
                kind="meetings.cancelled",
                message=f"“{occ.series.title}” on {occ.when} is cancelled; your turn moves to "
                "the next meeting.",
                url=url,
                actor=actor,
            )
    top_up(occ.series)
    carry_open_actions(occ.series)
    occ.refresh_from_db()
    return occ


def restore_occurrence(actor: User, occ: Occurrence) -> Occurrence:
    permissions.require_manager(actor, occ.community, "restore meetings")
    _require_upcoming(occ, "restore")
    if not occ.is_cancelled:
        raise Conflict("This meeting is not cancelled.", code="not_cancelled")
    end = occ.series.end_date
    if end is not None and occ.slot_date > end:
        raise Conflict(
            f"This meeting is after the series' end date ({end:%b %-d, %Y}): change the end "
            "date first.",
            code="after_end_date",
        )
    with transaction.atomic():
        Occurrence.objects.filter(pk=occ.pk).update(status=SCHEDULED, cancel_reason="")
        emit(
            "meetings.occurrence_restored",
            community_id=occ.community_id,
            series_id=occ.series_id,
            occurrence_id=occ.pk,
        )
        replan(occ.series)
        carry_open_actions(occ.series)
    occ.refresh_from_db()
    return occ


def reschedule_occurrence(
    actor: User,
    occ: Occurrence,
    *,
    day: date | None,
    local_time: time | None,
    duration_minutes: int | None = None,
) -> Occurrence:
    """Move one meeting (its date and time on the series' clock, and optionally its length)."""
    permissions.require_manager(actor, occ.community, "reschedule meetings")
    _require_upcoming(occ, "reschedule")
    _require_not_cancelled(occ)
    errors: dict[str, str] = {}
    duration = occ.duration_minutes if duration_minutes is None else duration_minutes
    if day is None:
        errors["date"] = "Give the new date."
    if local_time is None:
        errors["time"] = "Give the new start time."
    if not MIN_DURATION <= duration <= MAX_DURATION:
        errors["duration_minutes"] = f"A meeting lasts {MIN_DURATION} to {MAX_DURATION} minutes."
    raise_if(errors)
    assert day is not None
    assert local_time is not None
    if abs((day - _today_in(occ.series.timezone)).days) > HORIZON_DAYS:
        raise Invalid({"date": "Choose a date within the next two years."})
    starts_at = recurrence.instant(day, local_time, occ.series.timezone)
    if starts_at <= timezone.now():
        raise Invalid({"date": "The new time is in the past."})
    with transaction.atomic():
        total = _agenda_totals([occ.pk]).get(occ.pk, 0)
        if total > duration:
            raise Invalid(
                {
                    "duration_minutes": (
                        f"The agenda takes {total} minutes; the meeting would last {duration}. "
                        "Shorten the agenda first."
                    )
                }
            )
        occ.starts_at = starts_at
        occ.duration_minutes = duration
        occ.rescheduled = True
        occ.save(update_fields=["starts_at", "duration_minutes", "rescheduled"])
        _schedule_occurrence_jobs(occ, reminders=True)
        emit(
            "meetings.occurrence_rescheduled",
            community_id=occ.community_id,
            series_id=occ.series_id,
            occurrence_id=occ.pk,
        )
        replan(occ.series)
    occ.refresh_from_db()
    return occ


# --- Agenda -------------------------------------------------------------------------------------


def _agenda_totals(occurrence_ids: Sequence[int]) -> dict[int, int]:
    rows = (
        AgendaItem.objects.filter(occurrence_id__in=list(occurrence_ids))
        .values("occurrence_id")
        .annotate(total=Sum("minutes"))
    )
    return {r["occurrence_id"]: r["total"] or 0 for r in rows}


def _check_fits(occ: Occurrence, extra: int, *, field: str = "minutes") -> None:
    total = _agenda_totals([occ.pk]).get(occ.pk, 0) + extra
    if total > occ.duration_minutes:
        left = occ.duration_minutes - (total - extra)
        raise Invalid(
            {
                field: (
                    f"The agenda would take {total} minutes, longer than the "
                    f"{occ.duration_minutes}-minute meeting ({max(left, 0)} minutes are free). "
                    "Shorten an item or lengthen the meeting."
                )
            }
        )


def _locked(occ: Occurrence) -> Occurrence:
    """Lock the meeting's row for the rest of the transaction (agenda totals stay true)."""
    Occurrence.objects.select_for_update().filter(pk=occ.pk).first()
    return occ


def add_agenda_item(
    actor: User | None,
    occ: Occurrence,
    *,
    title: str,
    minutes: int,
    kind: str = AgendaKind.ITEM,
    details: str = "",
    source: str = "",
) -> AgendaItem:
    """Add a timed item at the end of the agenda. ``actor`` None is the system (the norms
    revisit): its item is shortened to the time left rather than refused, and an item with the
    same ``source`` is added only once."""
    if actor is not None:
        access.require(
            permissions.can_run(actor, occ),
            "Only this meeting's facilitator and the community's coordinators may change its "
            "agenda.",
        )
    _require_not_cancelled(occ)
    if actor is not None:
        _require_upcoming(occ, "change the agenda of")
    errors: dict[str, str] = {}
    title = clean_text(errors, "title", title, max_len=200)
    details = clean_text(errors, "details", details, max_len=2000, required=False)
    allowed = [AgendaKind.ITEM, AgendaKind.NORMS, AgendaKind.REVISIT_NORMS]
    kind = clean_choice(errors, "kind", kind, [str(k) for k in allowed])
    if actor is not None and not 1 <= minutes <= MAX_DURATION:
        errors["minutes"] = "An item takes 1 minute or more."
    raise_if(errors)
    with transaction.atomic():
        _locked(occ)
        if source and AgendaItem.objects.filter(occurrence=occ, source=source).exists():
            raise Conflict("That item is already on the agenda.", code="already_on_agenda")
        if actor is None:
            used = _agenda_totals([occ.pk]).get(occ.pk, 0)
            minutes = max(0, min(minutes, occ.duration_minutes - used))
        else:
            _check_fits(occ, minutes)
        last = (
            AgendaItem.objects.filter(occurrence=occ, position__lt=CARRIED_POSITION).aggregate(
                m=Max("position")
            )["m"]
            or 0
        )
        item = AgendaItem.objects.create(
            occurrence=occ,
            position=last + 1,
            kind=kind,
            title=title,
            details=details,
            minutes=minutes,
            source=source,
            created_by=actor,
        )
        emit(
            "meetings.agenda_item_added",
            community_id=occ.community_id,
            occurrence_id=occ.pk,
            item_id=item.pk,
            kind=kind,
        )
    return item


def _require_editable_item(actor: User, item: AgendaItem) -> Occurrence:
    occ = item.occurrence
    access.require(
        permissions.can_run(actor, occ),
        "Only this meeting's facilitator and the community's coordinators may change its agenda.",
    )
    _require_not_cancelled(occ)
    _require_upcoming(occ, "change the agenda of")
    if item.kind == AgendaKind.CARRIED_ACTION:
        raise Conflict(
            "Carried action items leave the agenda when they are marked done.", code="carried"
        )
    return occ


def update_agenda_item(
    actor: User, item: AgendaItem, *, title: str, minutes: int, details: str = ""
) -> AgendaItem:
    occ = _require_editable_item(actor, item)
    errors: dict[str, str] = {}
    if item.kind == AgendaKind.OPENER:
        title = item.title  # the opener block keeps its name; its length may change
    title = clean_text(errors, "title", title, max_len=200)
    details = clean_text(errors, "details", details, max_len=2000, required=False)
    if not 1 <= minutes <= MAX_DURATION:
        errors["minutes"] = "An item takes 1 minute or more."
    raise_if(errors)
    with transaction.atomic():
        _locked(occ)
        _check_fits(occ, minutes - item.minutes)
        item.title, item.minutes, item.details = title, minutes, details
        item.save(update_fields=["title", "minutes", "details"])
        emit(
            "meetings.agenda_item_updated",
            community_id=occ.community_id,
            occurrence_id=occ.pk,
            item_id=item.pk,
        )
    return item


def move_agenda_item(actor: User, item: AgendaItem, *, up: bool) -> AgendaItem:
    """Move an item one place up or down. The opener block always stays first."""
    occ = _require_editable_item(actor, item)
    if item.kind == AgendaKind.OPENER:
        raise Conflict("The community-building opener always comes first.", code="opener_first")
    with transaction.atomic():
        _locked(occ)
        items = list(
            AgendaItem.objects.filter(occurrence=occ, position__lt=CARRIED_POSITION)
            .exclude(kind=AgendaKind.OPENER)
            .order_by("position", "id")
        )
        index = next(i for i, other in enumerate(items) if other.pk == item.pk)
        target = index - 1 if up else index + 1
        if 0 <= target < len(items):
            items[index], items[target] = items[target], items[index]
        for position, other in enumerate(items, start=1):
            if other.position != position:
                AgendaItem.objects.filter(pk=other.pk).update(position=position)
        emit(
            "meetings.agenda_item_updated",
            community_id=occ.community_id,
            occurrence_id=occ.pk,
            item_id=item.pk,
        )
    item.refresh_from_db()
    return item


def remove_agenda_item(actor: User, item: AgendaItem) -> None:
    occ = _require_editable_item(actor, item)
    if item.kind == AgendaKind.OPENER:
        raise Conflict(
            "The community-building opener stays on every agenda (you may shorten it).",
            code="opener_first",
        )
    with transaction.atomic():
        item_id = item.pk
        item.delete()
        emit(
            "meetings.agenda_item_removed",
            community_id=occ.community_id,
            occurrence_id=occ.pk,
            item_id=item_id,
        )


def next_occurrence(community_id: int, *, now: datetime | None = None) -> Occurrence | None:
    """The community's next scheduled meeting (any series)."""
    return (
        Occurrence.objects.filter(
            community_id=community_id, status=SCHEDULED, starts_at__gt=now or timezone.now()
        )
        .select_related("series", "community")
        .order_by("starts_at", "id")
        .first()
    )


def add_norms_revisit(community_id: int, round_id: int) -> AgendaItem | None:
    """Put "Revisit our norms" on the community's next meeting, once per revisit round."""
    source = f"norms.revisit:{round_id}"
    if AgendaItem.objects.filter(occurrence__community_id=community_id, source=source).exists():
        return None
    occ = next_occurrence(community_id)
    if occ is None:
        return None
    try:
        return add_agenda_item(
            None,
            occ,
            title=REVISIT_TITLE,
            minutes=REVISIT_MINUTES,
            kind=AgendaKind.REVISIT_NORMS,
            details="Our norms are due for a revisit: which still serve us, which need changing?",
            source=source,
        )
    except (Conflict, IntegrityError):
        return None


# --- The rota -----------------------------------------------------------------------------------


def _rota_member(series: Series, user: User) -> RotaMember | None:
    return RotaMember.objects.filter(series=series, user=user).first()


def _levels(series: Series, now: datetime) -> tuple[int, int]:
    """The lowest opener and facilitator turn counts in the rota: a newcomer starts there."""
    rota = list(RotaMember.objects.filter(series=series))
    if not rota:
        return 0, 0
    openers, facilitators = _turn_counts(series, rota, now)
    return min(openers.values()), min(facilitators.values())


def _past_turns(series: Series, user_id: int, now: datetime) -> tuple[int, int]:
    past = Occurrence.objects.filter(series=series, status=SCHEDULED, starts_at__lte=now)
    return (
        past.filter(opener_id=user_id).count(),
        past.filter(facilitator_id=user_id).count(),
    )


def add_to_rota(series: Series, user: User, *, now: datetime | None = None) -> RotaMember:
    """Put ``user`` at the end of the rota, level with the group (no actor: callers check)."""
    now = now or timezone.now()
    with transaction.atomic():
        Series.objects.select_for_update().filter(pk=series.pk).first()
        if _rota_member(series, user) is not None:
            raise Conflict("You are already in this rota.", code="already_in_rota")
        opener_level, facilitator_level = _levels(series, now)
        opened, facilitated = _past_turns(series, user.pk, now)
        last = RotaMember.objects.filter(series=series).aggregate(m=Max("position"))["m"]
        member = RotaMember.objects.create(
            series=series,
            user=user,
            position=0 if last is None else last + 1,
            opener_offset=opener_level - opened,
            facilitator_offset=facilitator_level - facilitated,
        )
        emit(
            "meetings.rota_joined",
            community_id=series.community_id,
            series_id=series.pk,
            user_id=user.pk,
        )
        replan(series, now=now)
    return member


def join_rota(actor: User, series: Series) -> RotaMember:
    """Take part: you join at the end of the order and take your first turns at the end of the
    current round."""
    permissions.require_member(actor, series.community, "join the rota")
    return add_to_rota(series, actor)


def leave_rota(actor: User, series: Series, member: User | None = None) -> None:
    """Leave the rota (or, for managers, take someone out of it). Their upcoming turns go to
    the others; agreed swaps involving them are void."""
    member = member or actor
    if member.pk != actor.pk:
        permissions.require_manager(actor, series.community, "change the rota")
    with transaction.atomic():
        deleted, _ = RotaMember.objects.filter(series=series, user=member).delete()
        if not deleted:
            raise Conflict(
                "You are not in this rota."
                if member.pk == actor.pk
                else f"{member.display_name} is not in this rota.",
                code="not_in_rota",
            )
        emit(
            "meetings.rota_left",
            community_id=series.community_id,
            series_id=series.pk,
            user_id=member.pk,
        )
        replan(series)


def remove_from_community_rotas(community_id: int, user_id: int) -> None:
    """Someone left the community: they leave its rotas too (idempotent)."""
    with transaction.atomic():
        series_ids = list(
            RotaMember.objects.filter(series__community_id=community_id, user_id=user_id)
            .values_list("series_id", flat=True)
            .distinct()
        )
        RotaMember.objects.filter(series_id__in=series_ids, user_id=user_id).delete()
        for series in Series.objects.filter(pk__in=series_ids).select_related("community"):
            emit(
                "meetings.rota_left",
                community_id=community_id,
                series_id=series.pk,
                user_id=user_id,
            )
            replan(series)


def set_rota_order(actor: User, series: Series, user_ids: Sequence[int]) -> list[RotaMember]:
    """Coordinators set the order: ``user_ids`` must list every rota member exactly once."""
    permissions.require_manager(actor, series.community, "change the rota order")
    with transaction.atomic():
        rota = {r.user_id: r for r in RotaMember.objects.select_for_update().filter(series=series)}
        ids = list(user_ids)
        if len(set(ids)) != len(ids):
            raise Invalid({"order": "Someone is listed twice."})
        unknown = [i for i in ids if i not in rota]
        if unknown:
            raise Invalid({"order": f"Not in this rota: {', '.join(map(str, unknown))}."})
        missing = set(rota) - set(ids)
        if missing:
            raise Invalid(
                {"order": "List everyone in the rota (use 'remove' to take someone out)."}
            )
        for position, user_id in enumerate(ids):
            if rota[user_id].position != position:
                RotaMember.objects.filter(pk=rota[user_id].pk).update(position=position)
        emit(
            "meetings.rota_reordered",
            community_id=series.community_id,
            series_id=series.pk,
            actor_id=actor.pk,
        )
        replan(series)
    return list(RotaMember.objects.filter(series=series).order_by("position", "id"))


def mark_absent(actor: User, occ: Occurrence, note: str = "") -> None:
    """ "I won't be there." Marked ahead; the rota skips you without losing your place."""
    permissions.require_member(actor, occ.community, "mark absences")
    _require_not_cancelled(occ)
    _require_upcoming(occ, "mark an absence for")
    errors: dict[str, str] = {}
    note = clean_text(errors, "note", note, max_len=200, required=False)
    raise_if(errors)
    with transaction.atomic():
        _, created = Absence.objects.get_or_create(
            occurrence=occ, user=actor, defaults={"note": note}
        )
        if not created:
            raise Conflict("You already said you can't come.", code="already_absent")
        emit(
            "meetings.absence_marked",
            community_id=occ.community_id,
            occurrence_id=occ.pk,
            user_id=actor.pk,
        )
        replan(occ.series)


def clear_absence(actor: User, occ: Occurrence) -> None:
    permissions.require_member(actor, occ.community, "mark absences")
    _require_not_cancelled(occ)
    _require_upcoming(occ, "change an absence for")
    with transaction.atomic():
        deleted, _ = Absence.objects.filter(occurrence=occ, user=actor).delete()
        if not deleted:
            raise Conflict("You had not said you'd be away.", code="not_absent")
        emit(
            "meetings.absence_cleared",
            community_id=occ.community_id,
            occurrence_id=occ.pk,
            user_id=actor.pk,
        )
        replan(occ.series)


# --- Swaps --------------------------------------------------------------------------------------


def _holder(occ: Occurrence, role: str) -> int | None:
    return occ.opener_id if role == TurnRole.OPENER else occ.facilitator_id


def _round(occ: Occurrence, role: str) -> int | None:
    return occ.opener_round if role == TurnRole.OPENER else occ.facilitator_round


def request_swap(
    actor: User,
    series: Series,
    *,
    role: str,
    my_occurrence: Occurrence | None,
    other: User | None,
    other_occurrence: Occurrence | None,
    note: str = "",
) -> SwapRequest:
    """Offer ``other`` your turn on ``my_occurrence`` for theirs on ``other_occurrence``.
    Both turns must be upcoming and in the same round (so nobody opens twice in a round)."""
    community = series.community
    permissions.require_member(actor, community, "swap turns")
    errors: dict[str, str] = {}
    role = clean_choice(errors, "role", role, list(TurnRole.values))
    note = clean_text(errors, "note", note, max_len=300, required=False)
    raise_if(errors)
    if _rota_member(series, actor) is None:
        raise Conflict("Join the rota before swapping turns.", code="not_in_rota")
    if other is None or _rota_member(series, other) is None:
        name = other.display_name if other is not None else "That person"
        raise Invalid(
            {"other": f"{name} is not in this rota: you can only swap with someone who is."}
        )
    if other.pk == actor.pk:
        raise Invalid({"other": "Choose someone else to swap with."})
    label = "open" if role == TurnRole.OPENER else "facilitate"
    for field_name, occ, person, whose in (
        ("my_occurrence", my_occurrence, actor, "your"),
        ("other_occurrence", other_occurrence, other, f"{other.display_name}'s"),
    ):
        if occ is None or occ.series_id != series.pk:
            raise Invalid({field_name: "Choose a meeting of this series."})
        if occ.is_cancelled or occ.has_started():
            raise Invalid({field_name: "Choose an upcoming meeting."})
        if _holder(occ, role) != person.pk:
            raise Invalid(
                {field_name: f"That meeting is not {whose} turn to {label} (see the schedule)."}
            )
    assert my_occurrence is not None
    assert other_occurrence is not None
    if _round(my_occurrence, role) != _round(other_occurrence, role):
        raise Invalid(
            {
                "other_occurrence": (
                    "You can swap only within one round of the rota, so that nobody "
                    f"{label}s twice before everyone has had a turn. Choose a meeting in the "
                    "same round."
                )
            }
        )
    if SwapRequest.objects.filter(
        series=series,
        role=role,
        status=SwapStatus.PENDING,
        requester_occurrence__in=[my_occurrence, other_occurrence],
        other_occurrence__in=[my_occurrence, other_occurrence],
    ).exists():
        raise Conflict(
            "A swap of these two turns is already waiting for an answer.", code="pending"
        )
    with transaction.atomic():
        swap = SwapRequest.objects.create(
            series=series,
            role=role,
            requester=actor,
            requester_occurrence=my_occurrence,
            other=other,
            other_occurrence=other_occurrence,
            round=_round(my_occurrence, role) or 0,
            note=note,
        )
        my_occurrence.series = series
        other_occurrence.series = series
        notify(
            other,
            kind="meetings.swap_request",
            message=(
                f"{actor.display_name} asks to swap turns to {label} “{series.title}”: you on "
                f"{my_occurrence.when}, {actor.display_name} on {other_occurrence.when}."
            ),
            url=reverse("meetings:series", args=[community.slug, series.pk]) + "#swaps",
            actor=actor,
        )
        emit(
            "meetings.swap_requested",
            community_id=community.pk,
            series_id=series.pk,
            swap_id=swap.pk,
            requester_id=actor.pk,
            other_id=other.pk,
        )
    return swap


OUTDATED_SWAP = (
    "The schedule changed since this swap was asked for (an absence or a rota change), so it "
    "can no longer be made. Ask again from the current schedule."
)


def answer_swap(actor: User, swap: SwapRequest, *, agree: bool) -> SwapRequest:
    """The other person agrees (the turns change at once) or declines."""
    series = swap.series
    if swap.other_id != actor.pk:
        raise Forbidden("Only the person asked may answer this swap.")
    with transaction.atomic():
        locked = SwapRequest.objects.select_for_update().filter(pk=swap.pk).first()
        if locked is not None and locked.status == SwapStatus.VOID:
            raise Conflict(OUTDATED_SWAP, code="swap_outdated")
        if locked is None or locked.status != SwapStatus.PENDING:
            raise Conflict("This swap was already answered or withdrawn.", code="already_answered")
        if not agree:
            SwapRequest.objects.filter(pk=swap.pk).update(
                status=SwapStatus.DECLINED, decided_at=timezone.now()
            )
            notify(
                swap.requester,
                kind="meetings.swap_declined",
                message=f"{actor.display_name} can't swap turns in “{series.title}”.",
                url=reverse("meetings:series", args=[series.community.slug, series.pk]),
                actor=actor,
            )
            emit(
                "meetings.swap_declined",
                community_id=series.community_id,
                series_id=series.pk,
                swap_id=swap.pk,
            )
        else:
            mine = Occurrence.objects.get(pk=swap.requester_occurrence_id)
            theirs = Occurrence.objects.get(pk=swap.other_occurrence_id)
            still = (
                not mine.has_started()
                and not theirs.has_started()
                and mine.status == SCHEDULED
                and theirs.status == SCHEDULED
                and _holder(mine, swap.role) == swap.requester_id
                and _holder(theirs, swap.role) == swap.other_id
            )
            if not still:
                SwapRequest.objects.filter(pk=swap.pk).update(
                    status=SwapStatus.VOID, decided_at=timezone.now()
                )
                emit(
                    "meetings.swap_voided",
                    community_id=series.community_id,
                    series_id=series.pk,
                    swap_id=swap.pk,
                )
            else:
                SwapRequest.objects.filter(pk=swap.pk).update(
                    status=SwapStatus.AGREED, decided_at=timezone.now()
                )
                emit(
                    "meetings.swap_agreed",
                    community_id=series.community_id,
                    series_id=series.pk,
                    swap_id=swap.pk,
                    requester_id=swap.requester_id,
                    other_id=swap.other_id,
                )
                replan(series)
                notify(
                    swap.requester,
                    kind="meetings.swap_agreed",
                    message=f"{actor.display_name} agreed to swap turns in “{series.title}”.",
                    url=reverse("meetings:series", args=[series.community.slug, series.pk]),
                    actor=actor,
                )
    swap.refresh_from_db()
    if agree and swap.status == SwapStatus.VOID:
        raise Conflict(OUTDATED_SWAP, code="swap_outdated")
    return swap


def withdraw_swap(actor: User, swap: SwapRequest) -> SwapRequest:
    if swap.requester_id != actor.pk:
        raise Forbidden("Only the person who asked may withdraw this swap.")
    with transaction.atomic():
        updated = SwapRequest.objects.filter(pk=swap.pk, status=SwapStatus.PENDING).update(
            status=SwapStatus.WITHDRAWN, decided_at=timezone.now()
        )
        if not updated:
            raise Conflict("This swap was already answered or withdrawn.", code="already_answered")
        emit(
            "meetings.swap_withdrawn",
            community_id=swap.series.community_id,
            series_id=swap.series_id,
            swap_id=swap.pk,
        )
    swap.refresh_from_db()
    return swap


# --- The opener activity ------------------------------------------------------------------------


def available_activities(community: Community) -> Q:
    """The shared library and this community's own adaptations."""
    return Q(community__isnull=True) | Q(community=community)


def recent_activity_uses(occ: Occurrence) -> dict[int, Occurrence]:
    """Activities used in the community's last ``RECENT_ACTIVITY_WINDOW`` meetings before this
    one, or already picked for another upcoming meeting: activity id -> that meeting."""
    before = list(
        Occurrence.objects.filter(
            community_id=occ.community_id, status=SCHEDULED, starts_at__lt=occ.starts_at
        )
        .exclude(pk=occ.pk)
        .select_related("series")
        .order_by("-starts_at", "-id")[:RECENT_ACTIVITY_WINDOW]
    )
    after = list(
        Occurrence.objects.filter(
            community_id=occ.community_id,
            status=SCHEDULED,
            starts_at__gte=occ.starts_at,
            activity__isnull=False,
        )
        .exclude(pk=occ.pk)
        .select_related("series")
        .order_by("starts_at", "id")
    )
    uses: dict[int, Occurrence] = {}
    for other in [*after, *before]:  # the closest earlier use wins
        if other.activity_id is not None:
            uses[other.activity_id] = other
    return uses


def pick_activity(
    actor: User, occ: Occurrence, activity_id: int | None
) -> tuple[Occurrence, str | None]:
    """The opener (or the facilitator, or a coordinator) picks the opener activity, or clears
    it with None. Returns the meeting and a warning when the group used it recently."""
    access.require(
        permissions.can_pick_activity(actor, occ),
        "Only this meeting's opener, its facilitator and the coordinators pick the activity.",
    )
    _require_not_cancelled(occ)
    _require_upcoming(occ, "change the activity of")
    activity = None
    if activity_id is not None:
        activity = (
            Activity.objects.filter(available_activities(occ.community))
            .filter(pk=activity_id)
            .first()
        )
        if activity is None:
            raise Invalid(
                {"activity": "No such activity in the library or in this community's adaptations."}
            )
    warning = None
    if activity is not None:
        used = recent_activity_uses(occ).get(activity.pk)
        if used is not None:
            when = "already planned for" if used.starts_at > occ.starts_at else "used on"
            warning = (
                f"The group {when} {used.when} with “{activity.title}”: pick it again only if "
                "it is worth repeating so soon."
            )
    with transaction.atomic():
        occ.activity = activity
        occ.activity_picked_by = actor if activity else None
        occ.activity_picked_at = timezone.now() if activity else None
        occ.save(update_fields=["activity", "activity_picked_by", "activity_picked_at"])
        emit(
            "meetings.activity_picked",
            community_id=occ.community_id,
            occurrence_id=occ.pk,
            activity_id=activity.pk if activity else None,
            actor_id=actor.pk,
        )
    return occ, warning


# --- Attendance, notes, action items, feedback --------------------------------------------------


def _members_by_id(community: Community, user_ids: Iterable[int]) -> dict[int, User]:
    rows = Membership.objects.filter(community=community, user_id__in=set(user_ids))
    return {m.user_id: m.user for m in rows.select_related("user")}


def record_attendance(actor: User, occ: Occurrence, user_ids: Sequence[int]) -> list[int]:
    """Who was there (replaces the list). Only once the meeting has started."""
    permissions.require_member(actor, occ.community, "record attendance")
    _require_not_cancelled(occ)
    if not occ.has_started():
        raise Conflict("Attendance is recorded once the meeting has started.", code="not_started")
    ids = list(dict.fromkeys(int(i) for i in user_ids))
    members = _members_by_id(occ.community, ids)
    unknown = [i for i in ids if i not in members]
    if unknown:
        raise Invalid(
            {"attendees": f"Not members of {occ.community.name}: {', '.join(map(str, unknown))}."}
        )
    with transaction.atomic():
        current = set(Attendance.objects.filter(occurrence=occ).values_list("user_id", flat=True))
        Attendance.objects.filter(occurrence=occ).exclude(user_id__in=ids).delete()
        Attendance.objects.bulk_create(
            Attendance(occurrence=occ, user_id=i, recorded_by=actor)
            for i in ids
            if i not in current
        )
        emit(
            "meetings.attendance_recorded",
            community_id=occ.community_id,
            occurrence_id=occ.pk,
            count=len(ids),
            actor_id=actor.pk,
        )
    return ids


def save_notes(actor: User, occ: Occurrence, *, markdown: str, base_version: int) -> Occurrence:
    """Save the meeting's notes (Markdown). ``base_version`` is the version the writer started
    from: if someone saved meanwhile, nothing is overwritten (409 ``notes_changed``)."""
    permissions.require_member(actor, occ.community, "write meeting notes")
    _require_not_cancelled(occ)
    errors: dict[str, str] = {}
    markdown = clean_text(
        errors, "notes", markdown, max_len=MAX_MARKDOWN, required=False, label="Notes"
    )
    raise_if(errors)
    with transaction.atomic():
        updated = Occurrence.objects.filter(pk=occ.pk, notes_version=base_version).update(
            notes=markdown,
            notes_html=cook(markdown),
            notes_version=base_version + 1,
            notes_updated_by=actor,
            notes_updated_at=timezone.now(),
        )
        if not updated:
            latest = Occurrence.objects.filter(pk=occ.pk).values_list("notes_version", flat=True)
            raise Conflict(
                "Someone saved these notes while you were writing (they are now at version "
                f"{latest.first()}). Your text was not saved: copy it, reload, and merge.",
                code="notes_changed",
            )
        NoteRevision.objects.create(
            occurrence=occ, version=base_version + 1, markdown=markdown, author=actor
        )
        emit(
            "meetings.notes_saved",
            community_id=occ.community_id,
            occurrence_id=occ.pk,
            version=base_version + 1,
            actor_id=actor.pk,
        )
    occ.refresh_from_db()
    return occ


def add_action_item(
    actor: User, occ: Occurrence, *, owner_id: int | None, text: str, due_date: date | None
) -> ActionItem:
    """An action decided at the meeting: who does what by when. Open ones are carried onto the
    next meeting's agenda."""
    permissions.require_member(actor, occ.community, "add action items")
    _require_not_cancelled(occ)
    errors: dict[str, str] = {}
    text = clean_text(errors, "text", text, max_len=300, label="The action")
    owner = _members_by_id(occ.community, [owner_id]).get(owner_id) if owner_id else None
    if owner is None:
        errors["owner"] = "Choose who will do it (a member of this community)."
    local_day = occ.local_start.date()
    if due_date is not None and due_date < local_day:
        errors["due_date"] = f"The due date is before the meeting ({local_day:%b %-d, %Y})."
    raise_if(errors)
    assert owner is not None
    with transaction.atomic():
        item = ActionItem.objects.create(
            occurrence=occ,
            series_id=occ.series_id,
            community_id=occ.community_id,
            owner=owner,
            text=text,
            due_date=due_date,
            created_by=actor,
        )
        emit(
            "meetings.action_item_added",
            community_id=occ.community_id,
            occurrence_id=occ.pk,
            action_item_id=item.pk,
            owner_id=owner.pk,
        )
        if owner.pk != actor.pk:
            notify(
                owner,
                kind="meetings.action_item",
                message=f"{actor.display_name} noted an action for you: {text}",
                url=reverse("meetings:occurrence", args=[occ.community.slug, occ.pk]) + "#actions",
                actor=actor,
            )
        carry_open_actions(occ.series)
    return item


def set_action_done(actor: User, item: ActionItem, *, done: bool) -> ActionItem:
    """Close (or reopen) an action item. A closed one leaves the agendas of meetings that have
    not started; a reopened one is carried again."""
    community = item.occurrence.community
    permissions.require_member(actor, community, "update action items")
    with transaction.atomic():
        ActionItem.objects.filter(pk=item.pk).update(
            done=done,
            done_at=timezone.now() if done else None,
            done_by=actor if done else None,
        )
        if done:
            AgendaItem.objects.filter(
                action_item=item, occurrence__starts_at__gt=timezone.now()
            ).delete()
        emit(
            "meetings.action_item_updated",
            community_id=community.pk,
            action_item_id=item.pk,
            done=done,
            actor_id=actor.pk,
        )
        if not done:
            carry_open_actions(item.occurrence.series)
    item.refresh_from_db()
    return item


def give_feedback(actor: User, occ: Occurrence, *, rating: int, note: str = "") -> OpenerFeedback:
    """How the opener landed (1-5, with an optional note), from the opener or an attendee. One
    per person; giving it again changes it. Shown as an average and unsigned notes."""
    permissions.require_member(actor, occ.community, "rate the opener")
    _require_not_cancelled(occ)
    if not occ.has_started():
        raise Conflict("You can rate the opener once the meeting has started.", code="not_started")
    attended = Attendance.objects.filter(occurrence=occ, user=actor).exists()
    access.require(
        attended or occ.opener_id == actor.pk,
        "Only the opener and those who attended rate the opener: mark yourself present first.",
    )
    errors: dict[str, str] = {}
    if not 1 <= rating <= 5:
        errors["rating"] = "Rate from 1 (it fell flat) to 5 (it really landed)."
    note = clean_text(errors, "note", note, max_len=1000, required=False)
    raise_if(errors)
    with transaction.atomic():
        feedback, _ = OpenerFeedback.objects.update_or_create(
            occurrence=occ,
            user=actor,
            defaults={
                "rating": rating,
                "note": note,
                "activity_id": occ.activity_id,
                "updated_at": timezone.now(),
            },
        )
        emit(
            "meetings.feedback_given",
            community_id=occ.community_id,
            occurrence_id=occ.pk,
            user_id=actor.pk,
        )
    return feedback


# --- Calendar feeds -----------------------------------------------------------------------------

CALENDAR_PREFIX = "cal_"


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def create_calendar_token(
    actor: User, community: Community | None = None
) -> tuple[CalendarToken, str]:
    """A new secret feed URL (yours, or one community's). It replaces your previous one for the
    same feed, which stops working. The raw secret is returned once; only its hash is kept."""
    if community is not None and not permissions.can_read(actor, community):
        raise NotFound("No such community.")
    raw = CALENDAR_PREFIX + secrets.token_urlsafe(24)
    with transaction.atomic():
        CalendarToken.objects.filter(
            user=actor, community=community, revoked_at__isnull=True
        ).update(revoked_at=timezone.now())
        token = CalendarToken.objects.create(
            user=actor, community=community, digest=_digest(raw), hint=raw[:10]
        )
        emit(
            "meetings.calendar_token_created",
            user_id=actor.pk,
            token_id=token.pk,
            community_id=community.pk if community else None,
        )
    return token, raw


def revoke_calendar_token(actor: User, token_id: int) -> None:
    with transaction.atomic():
        updated = CalendarToken.objects.filter(
            pk=token_id, user=actor, revoked_at__isnull=True
        ).update(revoked_at=timezone.now())
        if not updated:
            raise NotFound("No such calendar link.")
        emit("meetings.calendar_token_revoked", user_id=actor.pk, token_id=token_id)


def token_for_feed(raw: str) -> CalendarToken | None:
    """The live token for a feed secret, or None (revoked, unknown, or its owner can no longer
    read the community)."""
    if not raw.startswith(CALENDAR_PREFIX) or len(raw) > 100:
        return None
    token = (
        CalendarToken.objects.select_related("user", "community__organization")
        .filter(digest=_digest(raw), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    if token.community is not None and not permissions.can_read(token.user, token.community):
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(hours=1):
        CalendarToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token
