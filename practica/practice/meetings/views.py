"""Meeting pages under /c/<slug>/meetings/: series, schedule and rota, the agenda (opener
first), notes, action items, the activity picker, and calendar links.

Thin views: look up through the gate (``selectors.community_for``: 404 for what the person may
not see), parse a form, call one service, render. Bad input re-renders the form with the
service's message; one-click actions flash their outcome and go back.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from practica.accounts.models import User
from practica.communities.models import Community
from practica.communities.views import _community_context
from practica.lib.errors import Invalid, PracticaError
from practica.lib.htmx import render_page
from practica.lib.pagination import paginate
from practica.lib.typing import AuthedHttpRequest
from practica.lib.views import OUTCOME_ERRORS, back, form_errors, service_errors, submit_form
from practica.practice.activities.models import Purpose
from practica.practice.meetings import permissions, recurrence, selectors, services
from practica.practice.meetings.forms import (
    COMMON_ZONES,
    ActionItemForm,
    AgendaItemForm,
    FeedbackForm,
    NotesForm,
    RescheduleForm,
    SeriesEditForm,
    SeriesForm,
    SettingsForm,
)
from practica.practice.meetings.models import (
    Occurrence,
    OccurrenceStatus,
    RotaMember,
    Series,
    TurnRole,
)
from practica.practice.norms import selectors as norm_selectors


def _message(exc: PracticaError) -> str:
    if isinstance(exc, Invalid):
        return " ".join(exc.errors.values())
    return exc.detail


def _done(request: HttpRequest, exc: PracticaError | None, ok: str, fallback: str) -> HttpResponse:
    """One-click actions: flash the outcome (the message only, no field names) and go back."""
    if exc is None:
        if ok:
            messages.success(request, ok)
    else:
        messages.error(request, _message(exc))
    return back(request, fallback)


def _base(request: HttpRequest, community: Community) -> dict[str, Any]:
    context = _community_context(request, community)
    context.update(
        active="meetings",
        can_manage_meetings=permissions.can_manage(request.user, community),
        is_member=permissions.can_take_part(request.user, community),
        now=timezone.now(),
    )
    return context


def _occurrence_url(occ: Occurrence) -> str:
    return reverse("meetings:occurrence", args=[occ.community.slug, occ.pk])


def _series_url(series: Series) -> str:
    return reverse("meetings:series", args=[series.community.slug, series.pk])


# --- The community's meetings -------------------------------------------------------------------


@login_required
@service_errors
def index(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    """Series, the next meetings with who opens and facilitates, your turns."""
    community = selectors.community_for(request.user, slug)
    context = _base(request, community)
    context.update(
        series_list=selectors.series_of(community),
        upcoming=selectors.upcoming(community, limit=12),
        past=selectors.past(community, limit=6),
        my_turns=selectors.my_turns(request.user, community),
        swaps_for_me=selectors.pending_swaps_for(request.user, community),
        settings=services.settings_for(community),
    )
    return render_page(request, "meetings/index.html", context)


@login_required
@service_errors
def series_new(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    community = selectors.community_for(request.user, slug)
    permissions.require_manager(request.user, community, "schedule meetings")
    form = SeriesForm(
        request.POST or None,
        initial={
            "timezone": request.user.timezone if request.user.timezone != "UTC" else "",
            "start_date": timezone.localdate(),
            "duration_minutes": 60,
            "add_members": True,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            series = services.create_series(
                request.user,
                community,
                title=data["title"],
                recurrence_kind=data["recurrence"],
                weekday=data["weekday"],
                week_of_month=data["week_of_month"] or 1,
                local_time=data["local_time"],
                timezone_name=data["timezone"],
                duration_minutes=data["duration_minutes"],
                place=data["place"],
                video_url=data["video_url"],
                start_date=data["start_date"],
                end_date=data["end_date"],
                add_members=data["add_members"],
            )
        except OUTCOME_ERRORS as exc:
            form_errors(form, exc)
        else:
            messages.success(request, f"“{series.title}” is scheduled.")
            return redirect("meetings:series", slug=community.slug, series_id=series.pk)
    context = _base(request, community)
    context.update(form=form, zones=COMMON_ZONES, editing=None)
    return render(request, "meetings/series_form.html", context)


@login_required
@service_errors
def series_detail(request: AuthedHttpRequest, slug: str, series_id: int) -> HttpResponse:
    """The schedule of the next meetings (visible to everyone who may read), the rota, swaps."""
    community = selectors.community_for(request.user, slug)
    series = selectors.get_series(community, series_id)
    cfg = services.settings_for(community)
    schedule = selectors.schedule(series, limit=cfg.occurrences_ahead)
    rota = selectors.rota_of(series, schedule)
    in_rota = any(row.member.user_id == request.user.pk for row in rota)
    context = _base(request, community)
    context.update(
        series=series,
        describe=recurrence.describe(
            series.recurrence,
            series.weekday,
            series.week_of_month,
            series.local_time,
            series.timezone,
        ),
        schedule=schedule,
        rota=rota,
        in_rota=in_rota,
        swaps=selectors.swaps_of(series, request.user),
        swap_choices=_swap_choices(schedule, request.user) if in_rota else {},
        absent_ids=_my_absences(request.user, schedule),
        swap_error=None,
    )
    return render_page(request, "meetings/series.html", context)


def _my_absences(user: User, schedule: list[Occurrence]) -> set[int]:
    from practica.practice.meetings.models import Absence

    return set(
        Absence.objects.filter(occurrence__in=schedule, user=user).values_list(
            "occurrence_id", flat=True
        )
    )


def _swap_choices(
    schedule: list[Occurrence], user: User
) -> dict[tuple[str, int], list[Occurrence]]:
    """For each of my turns (role, meeting): the others' turns of the same round."""
    choices: dict[tuple[str, int], list[Occurrence]] = {}
    live = [o for o in schedule if o.status == OccurrenceStatus.SCHEDULED]
    for role, holder, number in (
        (TurnRole.OPENER, "opener_id", "opener_round"),
        (TurnRole.FACILITATOR, "facilitator_id", "facilitator_round"),
    ):
        for mine in live:
            if getattr(mine, holder) != user.pk:
                continue
            choices[(role, mine.pk)] = [
                o
                for o in live
                if getattr(o, holder) not in (None, user.pk)
                and getattr(o, number) == getattr(mine, number)
            ]
    return choices


@login_required
@service_errors
def series_edit(request: AuthedHttpRequest, slug: str, series_id: int) -> HttpResponse:
    community = selectors.community_for(request.user, slug)
    series = selectors.get_series(community, series_id)
    permissions.require_manager(request.user, community, "change meetings")
    form = SeriesEditForm(
        request.POST or None,
        initial={
            f: getattr(series, f)
            for f in ("title", "local_time", "duration_minutes", "place", "video_url", "end_date")
        },
    )
    done = submit_form(
        request,
        form,
        lambda data: services.update_series(request.user, series, **data),
        success="Saved. Upcoming meetings follow the new details.",
        to=_series_url(series),
    )
    if done:
        return done
    context = _base(request, community)
    context.update(form=form, zones=COMMON_ZONES, editing=series)
    return render(request, "meetings/series_form.html", context)


@login_required
@require_POST
@service_errors
def rota_join(request: AuthedHttpRequest, slug: str, series_id: int) -> HttpResponse:
    community = selectors.community_for(request.user, slug)
    series = selectors.get_series(community, series_id)
    error = None
    try:
        services.join_rota(request.user, series)
    except OUTCOME_ERRORS as exc:
        error = exc
    ok = "You're in the rota: your first turns come at the end of the current round."
    return _done(request, error, ok, _series_url(series))


@login_required
@require_POST
@service_errors
def rota_leave(request: AuthedHttpRequest, slug: str, series_id: int) -> HttpResponse:
    community = selectors.community_for(request.user, slug)
    series = selectors.get_series(community, series_id)
    member: User | None = None
    if request.POST.get("user_id"):
        member = _person(request.POST["user_id"])
    error = None
    try:
        services.leave_rota(request.user, series, member)
    except OUTCOME_ERRORS as exc:
        error = exc
    who = member.display_name if member and member != request.user else "You"
    return _done(request, error, f"{who} left the rota.", _series_url(series))


def _person(raw: str) -> User:
    try:
        person = User.objects.filter(pk=int(raw)).first()
    except ValueError:
        person = None
    if person is None:
        raise Http404("No such person.")
    return person


@login_required
@require_POST
@service_errors
def rota_order(request: AuthedHttpRequest, slug: str, series_id: int) -> HttpResponse:
    """Move one person up or down (``user_id`` + ``direction``), or set the whole order
    (``order`` = user ids, in order)."""
    community = selectors.community_for(request.user, slug)
    series = selectors.get_series(community, series_id)
    permissions.require_manager(request.user, community, "change the rota order")
    current = list(
        RotaMember.objects.filter(series=series)
        .order_by("position", "id")
        .values_list("user_id", flat=True)
    )
    error: PracticaError | None = None
    try:
        if request.POST.getlist("order"):
            order = [int(i) for i in request.POST.getlist("order")]
        else:
            user_id = int(request.POST.get("user_id", ""))
            if user_id not in current:
                raise Invalid({"order": "That person is not in this rota."})
            i = current.index(user_id)
            j = i - 1 if request.POST.get("direction") == "up" else i + 1
            order = list(current)
            if 0 <= j < len(order):
                order[i], order[j] = order[j], order[i]
        services.set_rota_order(request.user, series, order)
    except ValueError:
        error = Invalid({"order": "The order must list people by their ids."})
    except OUTCOME_ERRORS as exc:
        error = exc
    return _done(request, error, "Rota order saved.", _series_url(series))


@login_required
@require_POST
@service_errors
def swap_new(request: AuthedHttpRequest, slug: str, series_id: int) -> HttpResponse:
    """Ask to swap: ``my_occurrence``, ``role`` and ``with`` = "<meeting id>:<person id>"."""
    community = selectors.community_for(request.user, slug)
    series = selectors.get_series(community, series_id)
    error: PracticaError | None = None
    try:
        mine = _occurrence_of(series, request.POST.get("my_occurrence", ""))
        other_occ_raw, _, other_raw = request.POST.get("with", "").partition(":")
        theirs = _occurrence_of(series, other_occ_raw)
        other = User.objects.filter(pk=int(other_raw)).first() if other_raw.isdigit() else None
        services.request_swap(
            request.user,
            series,
            role=request.POST.get("role", TurnRole.OPENER),
            my_occurrence=mine,
            other=other,
            other_occurrence=theirs,
            note=request.POST.get("note", ""),
        )
    except OUTCOME_ERRORS as exc:
        error = exc
    ok = "Swap asked for: it happens when they agree."
    return _done(request, error, ok, _series_url(series) + "#swaps")


def _occurrence_of(series: Series, raw: str) -> Occurrence | None:
    if not raw.isdigit():
        return None
    occ = Occurrence.objects.filter(series=series, pk=int(raw)).first()
    if occ is not None:
        occ.series = series
    return occ


@login_required
@require_POST
@service_errors
def swap_answer(
    request: AuthedHttpRequest, slug: str, series_id: int, swap_id: int
) -> HttpResponse:
    community = selectors.community_for(request.user, slug)
    series = selectors.get_series(community, series_id)
    swap = selectors.get_swap(series, swap_id)
    decision = request.POST.get("decision", "")
    error = None
    ok = ""
    try:
        if decision == "agree":
            services.answer_swap(request.user, swap, agree=True)
            ok = "Swapped. The schedule shows your new turn."
        elif decision == "decline":
            services.answer_swap(request.user, swap, agree=False)
            ok = "Swap declined."
        elif decision == "withdraw":
            services.withdraw_swap(request.user, swap)
            ok = "Swap withdrawn."
        else:
            raise Invalid({"decision": "Choose agree, decline or withdraw."})
    except OUTCOME_ERRORS as exc:
        error = exc
    return _done(request, error, ok, _series_url(series) + "#swaps")


# --- One meeting: the agenda page ---------------------------------------------------------------


def _occurrence_page(
    request: AuthedHttpRequest,
    community: Community,
    occ: Occurrence,
    *,
    status: int = 200,
    **forms: Any,
) -> HttpResponse:
    user = request.user
    can_run = permissions.can_run(user, occ)
    is_member = permissions.can_take_part(user, community)
    data = selectors.agenda(occ, user, with_members=is_member)
    members = [(m.user_id, m.user.display_name) for m in data.members]
    context = _base(request, community)
    context.update(
        occ=occ,
        series=occ.series,
        agenda=data,
        # The norms open every agenda, right after the opener (the group's own agreements).
        norms=norm_selectors.current_norms(community),
        norm_version=norm_selectors.norm_set_version(community),
        can_run=can_run,
        can_pick=permissions.can_pick_activity(user, occ),
        started=occ.has_started(),
        cancelled=occ.is_cancelled,
        agenda_form=forms.get("agenda_form") or AgendaItemForm(),
        notes_form=forms.get("notes_form")
        or NotesForm(initial={"notes": occ.notes, "base_version": occ.notes_version}),
        action_form=forms.get("action_form") or ActionItemForm(members=members),
        feedback_form=forms.get("feedback_form")
        or FeedbackForm(
            initial={
                "rating": data.my_feedback.rating if data.my_feedback else None,
                "note": data.my_feedback.note if data.my_feedback else "",
            }
        ),
        may_rate=is_member
        and occ.has_started()
        and (user.pk in data.attendee_ids or occ.opener_id == user.pk),
        i_am_away=user.pk in data.absent_ids,
    )
    return render_page(request, "meetings/occurrence.html", context, status=status)


@login_required
@service_errors
def occurrence(request: AuthedHttpRequest, slug: str, occurrence_id: int) -> HttpResponse:
    community = selectors.community_for(request.user, slug)
    occ = selectors.get_occurrence(community, occurrence_id)
    return _occurrence_page(request, community, occ)


@login_required
@require_POST
@service_errors
def agenda_add(request: AuthedHttpRequest, slug: str, occurrence_id: int) -> HttpResponse:
    community = selectors.community_for(request.user, slug)
    occ = selectors.get_occurrence(community, occurrence_id)
    form = AgendaItemForm(request.POST)
    done = submit_form(
        request,
        form,
        lambda data: services.add_agenda_item(request.user, occ, **data),
        success="Added to the agenda.",
        to=_occurrence_url(occ) + "#agenda",
    )
    return done or _occurrence_page(request, community, occ, agenda_form=form)


@login_required
@require_POST
@service_errors
def agenda_item(
    request: AuthedHttpRequest, slug: str, occurrence_id: int, item_id: int
) -> HttpResponse:
    """``action`` = save (title, minutes, details), up, down or remove."""
    community = selectors.community_for(request.user, slug)
    occ = selectors.get_occurrence(community, occurrence_id)
    item = selectors.get_agenda_item(occ, item_id)
    action = request.POST.get("action", "save")
    error: PracticaError | None = None
    ok = "Agenda updated."
    try:
        if action in ("up", "down"):
            services.move_agenda_item(request.user, item, up=action == "up")
        elif action == "remove":
            services.remove_agenda_item(request.user, item)
            ok = "Removed from the agenda."
        else:
            form = AgendaItemForm(request.POST)
            if not form.is_valid():
                raise Invalid({k: " ".join(str(e) for e in v) for k, v in form.errors.items()})
            services.update_agenda_item(request.user, item, **form.cleaned_data)
    except OUTCOME_ERRORS as exc:
        error = exc
    return _done(request, error, ok, _occurrence_url(occ) + "#agenda")


@login_required
@require_POST
@service_errors
def absence(request: AuthedHttpRequest, slug: str, occurrence_id: int) -> HttpResponse:
    """``action`` = away (with an optional ``note``) or back."""
    community = selectors.community_for(request.user, slug)
    occ = selectors.get_occurrence(community, occurrence_id)
    error = None
    back_again = request.POST.get("action") == "back"
    try:
        if back_again:
            services.clear_absence(request.user, occ)
        else:
            services.mark_absent(request.user, occ, request.POST.get("note", ""))
    except OUTCOME_ERRORS as exc:
        error = exc
    ok = (
        "Glad you can come."
        if back_again
        else f"Marked away on {occ.when}. If it was your turn, you keep your place."
    )
    return _done(request, error, ok, _occurrence_url(occ))


@login_required
@require_POST
@service_errors
def attendance(request: AuthedHttpRequest, slug: str, occurrence_id: int) -> HttpResponse:
    community = selectors.community_for(request.user, slug)
    occ = selectors.get_occurrence(community, occurrence_id)
    error: PracticaError | None = None
    try:
        ids = [int(i) for i in request.POST.getlist("attendees")]
        services.record_attendance(request.user, occ, ids)
    except ValueError:
        error = Invalid({"attendees": "Attendees are people's ids."})
    except OUTCOME_ERRORS as exc:
        error = exc
    return _done(request, error, "Attendance saved.", _occurrence_url(occ) + "#attendance")


@login_required
@require_POST
@service_errors
def notes(request: AuthedHttpRequest, slug: str, occurrence_id: int) -> HttpResponse:
    community = selectors.community_for(request.user, slug)
    occ = selectors.get_occurrence(community, occurrence_id)
    form = NotesForm(request.POST)
    if form.is_valid():
        try:
            services.save_notes(
                request.user,
                occ,
                markdown=form.cleaned_data["notes"],
                base_version=form.cleaned_data["base_version"],
            )
        except OUTCOME_ERRORS as exc:
            form_errors(form, exc)
            if getattr(exc, "code", "") == "notes_changed":
                occ.refresh_from_db()
        else:
            messages.success(request, "Notes saved.")
            return redirect(_occurrence_url(occ) + "#notes")
    return _occurrence_page(request, community, occ, notes_form=form)


@login_required
@require_POST
@service_errors
def action_add(request: AuthedHttpRequest, slug: str, occurrence_id: int) -> HttpResponse:
    community = selectors.community_for(request.user, slug)
    occ = selectors.get_occurrence(community, occurrence_id)
    members = [
        (m.user_id, m.user.display_name)
        for m in selectors.agenda(occ, request.user, with_members=True).members
    ]
    form = ActionItemForm(request.POST, members=members)
    if not form.is_valid() and "owner" in form.errors and request.POST.get("owner"):
        form.errors["owner"] = form.error_class(
            ["Choose who will do it (a member of this community)."]
        )
    if form.is_valid():
        try:
            services.add_action_item(
                request.user,
                occ,
                owner_id=form.cleaned_data["owner"],
                text=form.cleaned_data["text"],
                due_date=form.cleaned_data["due_date"],
            )
        except OUTCOME_ERRORS as exc:
            form_errors(form, exc)
        else:
            messages.success(request, "Action item added.")
            return redirect(_occurrence_url(occ) + "#actions")
    return _occurrence_page(request, community, occ, action_form=form)


@login_required
@require_POST
@service_errors
def action_item(request: AuthedHttpRequest, slug: str, item_id: int) -> HttpResponse:
    community = selectors.community_for(request.user, slug)
    item = selectors.get_action_item(community, item_id)
    done = request.POST.get("done", "1") not in ("0", "false", "")
    error = None
    try:
        services.set_action_done(request.user, item, done=done)
    except OUTCOME_ERRORS as exc:
        error = exc
    ok = "Marked done." if done else "Reopened: it is carried to the next meeting."
    return _done(request, error, ok, _occurrence_url(item.occurrence) + "#actions")


@login_required
@require_POST
@service_errors
def feedback(request: AuthedHttpRequest, slug: str, occurrence_id: int) -> HttpResponse:
    community = selectors.community_for(request.user, slug)
    occ = selectors.get_occurrence(community, occurrence_id)
    form = FeedbackForm(request.POST)
    done = submit_form(
        request,
        form,
        lambda data: services.give_feedback(request.user, occ, **data),
        success="Thank you: the opener and the group will see it.",
        to=_occurrence_url(occ) + "#feedback",
    )
    return done or _occurrence_page(request, community, occ, feedback_form=form)


@login_required
@service_errors
def pick(request: AuthedHttpRequest, slug: str, occurrence_id: int) -> HttpResponse:
    """The activity picker: the library and the community's adaptations, each with when the
    group last used it; recently used ones are marked."""
    community = selectors.community_for(request.user, slug)
    occ = selectors.get_occurrence(community, occurrence_id)
    if request.method == "POST":
        raw = request.POST.get("activity", "")
        error: PracticaError | None = None
        warning = None
        try:
            if raw and not raw.isdigit():
                raise Invalid({"activity": "Choose an activity from the list."})
            _, warning = services.pick_activity(request.user, occ, int(raw) if raw else None)
        except OUTCOME_ERRORS as exc:
            error = exc
        if error is None and warning:
            messages.warning(request, warning)
        ok = "Activity chosen." if raw else "Activity cleared."
        return _done(request, error, ok, _occurrence_url(occ))
    query = request.GET.get("q", "").strip()[:100]
    purpose = request.GET.get("purpose", "")
    purpose = purpose if purpose in Purpose.values else ""
    choices = selectors.activity_choices(occ, query=query, purpose=purpose)
    paginator = Paginator(choices, 12)
    context = _base(request, community)
    context.update(
        occ=occ,
        query=query,
        purpose=purpose,
        purposes=Purpose.choices,
        page=paginator.get_page(request.GET.get("page")),
        total=len(choices),
        can_pick=permissions.can_pick_activity(request.user, occ),
        **selectors.window_note(),
    )
    return render(request, "meetings/pick.html", context)


@login_required
@require_POST
@service_errors
def cancel(request: AuthedHttpRequest, slug: str, occurrence_id: int) -> HttpResponse:
    community = selectors.community_for(request.user, slug)
    occ = selectors.get_occurrence(community, occurrence_id)
    error = None
    try:
        services.cancel_occurrence(request.user, occ, request.POST.get("reason", ""))
    except OUTCOME_ERRORS as exc:
        error = exc
    ok = "Cancelled. The turns move to the next meeting; you can restore it."
    return _done(request, error, ok, _occurrence_url(occ))


@login_required
@require_POST
@service_errors
def restore(request: AuthedHttpRequest, slug: str, occurrence_id: int) -> HttpResponse:
    community = selectors.community_for(request.user, slug)
    occ = selectors.get_occurrence(community, occurrence_id)
    error = None
    try:
        services.restore_occurrence(request.user, occ)
    except OUTCOME_ERRORS as exc:
        error = exc
    return _done(request, error, "Restored.", _occurrence_url(occ))


@login_required
@service_errors
def reschedule(request: AuthedHttpRequest, slug: str, occurrence_id: int) -> HttpResponse:
    community = selectors.community_for(request.user, slug)
    occ = selectors.get_occurrence(community, occurrence_id)
    permissions.require_manager(request.user, community, "reschedule meetings")
    start = occ.local_start
    form = RescheduleForm(
        request.POST or None,
        initial={
            "date": start.date(),
            "time": start.time().replace(tzinfo=None),
            "duration_minutes": occ.duration_minutes,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.reschedule_occurrence(
                request.user,
                occ,
                day=form.cleaned_data["date"],
                local_time=form.cleaned_data["time"],
                duration_minutes=form.cleaned_data["duration_minutes"],
            )
        except OUTCOME_ERRORS as exc:
            form_errors(form, exc)
        else:
            messages.success(request, f"Moved to {occ.when}.")
            return redirect(_occurrence_url(occ))
    context = _base(request, community)
    context.update(occ=occ, form=form)
    return render(request, "meetings/reschedule.html", context)


# --- Activities used, settings, calendar links --------------------------------------------------


@login_required
@service_errors
def activities(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    """Which opener activities the community has used, when, and how they landed."""
    community = selectors.community_for(request.user, slug)
    context = _base(request, community)
    context.update(
        page=paginate(request, selectors.activity_history(community), 30),
        **selectors.window_note(),
    )
    return render(request, "meetings/activities.html", context)


@login_required
@service_errors
def meeting_settings(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    community = selectors.community_for(request.user, slug)
    permissions.require_manager(request.user, community, "change meeting settings")
    cfg = services.settings_for(community)
    form = SettingsForm(
        request.POST or None,
        initial={
            "opener_minutes": cfg.opener_minutes,
            "occurrences_ahead": cfg.occurrences_ahead,
        },
    )
    done = submit_form(
        request,
        form,
        lambda data: services.update_settings(request.user, community, **data),
        success="Meeting settings saved.",
        to=reverse("meetings:index", args=[community.slug]),
    )
    if done:
        return done
    context = _base(request, community)
    context.update(form=form)
    return render(request, "meetings/settings.html", context)


def _feed_url(request: HttpRequest, raw: str) -> str:
    return request.build_absolute_uri(reverse("calendar:feed", args=[raw]))


@login_required
@service_errors
def community_calendar(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    """This community's calendar feed: make (or replace) your secret link, or revoke it."""
    community = selectors.community_for(request.user, slug)
    new_url = None
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            error = None
            try:
                services.revoke_calendar_token(request.user, int(request.POST.get("token", 0)))
            except (ValueError, *OUTCOME_ERRORS) as exc:
                error = exc if isinstance(exc, PracticaError) else Invalid({"token": "Unknown."})
            return _done(
                request,
                error,
                "Link revoked: calendars using it stop updating.",
                reverse("meetings:calendar", args=[slug]),
            )
        _, raw = services.create_calendar_token(request.user, community)
        new_url = _feed_url(request, raw)
    context = _base(request, community)
    context.update(
        tokens=selectors.calendar_tokens(request.user, community),
        new_url=new_url,
        mine_url=reverse("calendar:mine"),
    )
    return render(request, "meetings/calendar.html", context)


# --- Outside /c/: your own calendar link, and the feeds -----------------------------------------


@login_required
@service_errors
def my_calendar(request: AuthedHttpRequest) -> HttpResponse:
    """Your own feed: every meeting of the communities you are a member of, your turns marked."""
    new_url = None
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            error = None
            try:
                services.revoke_calendar_token(request.user, int(request.POST.get("token", 0)))
            except (ValueError, *OUTCOME_ERRORS) as exc:
                error = exc if isinstance(exc, PracticaError) else Invalid({"token": "Unknown."})
            return _done(
                request,
                error,
                "Link revoked: calendars using it stop updating.",
                reverse("calendar:mine"),
            )
        _, raw = services.create_calendar_token(request.user)
        new_url = _feed_url(request, raw)
    return render(
        request,
        "meetings/my_calendar.html",
        {"tokens": selectors.calendar_tokens(request.user), "new_url": new_url},
    )


def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The .ics feed. Authenticated by the secret in the URL only (calendar apps send no
    cookies); a revoked or unknown secret is a plain 404, and the feed shows only what the
    link's owner may see now."""
    from practica.practice.meetings import calendar

    found = services.token_for_feed(token)
    if found is None:
        return HttpResponse("No such calendar.", status=404, content_type="text/plain")
    occurrences = selectors.feed_occurrences(found)
    community = found.community
    name = f"{community.name} meetings" if community else f"Meetings · {found.user.display_name}"
    body = calendar.feed(
        occurrences,
        name=name,
        host=request.get_host().split(":")[0] or "practica",
        url_for=lambda o: request.build_absolute_uri(
            reverse("meetings:occurrence", args=[o.community.slug, o.pk])
        ),
        person=found.user if community is None else None,
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="meetings.ics"'
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex"
    return response
