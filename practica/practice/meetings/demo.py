"""Demo meetings (``load_demo_meetings``, run by ``practica.demo`` inside its transaction once
the communities exist).

- *Secondary Math Collaborative*: every other Thursday at 15:45 (Los Angeles), at Cedar Creek
  High with a video link for the middle-school teachers, as its purpose says. Ten weeks of
  history: attendance, notes, action items (some done, some still open and carried onto the
  next agenda), opener ratings; the next meetings planned, one member away, one swap waiting
  for an answer, and the next agenda filled in.
- *Site Leaders Circle*: the first Wednesday of each month at 16:00, by video (principals from
  both districts), 90 minutes with a consultancy protocol; two past meetings.

Opener activities are picked only when the shared activity library has activities.
Everything goes through the services, as if these people had clicked through the site; the
only shortcut is the activity of past meetings, which the opener would have picked ahead.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from practica.accounts.models import User
from practica.communities.models import Community, Membership, Role
from practica.practice.activities.models import Activity
from practica.practice.meetings import recurrence, services
from practica.practice.meetings.models import Occurrence, Series, TurnRole

LA = "America/Los_Angeles"

MATH_NOTES = [
    "**Warm-up swap.** Hannah shared her *which one doesn't belong* slides; Samuel will try "
    "them with physics units.\n\n- Looked at 12 student explanations of slope: most describe "
    "*steepness*, few connect it to rate.\n- Agreed to try one number talk a week.",
    "**Lesson study, cycle 1: planning.** Research lesson on linear functions for 9th grade.\n\n"
    "- Goal: students choose between a table, a graph and an equation and say why.\n- Grace "
    "teaches the research lesson; everyone else observes one student each.",
    "**Research lesson debrief.** Students defended their representations far more than we "
    "expected; the quiet table at the back did the best reasoning.\n\n- Revise the launch: "
    "less teacher talk in the first five minutes.\n- Kevin will bring the middle-school version.",
    "**Grading for learning.** Marcus walked us through his standards-based gradebook.\n\n- "
    "Concern: families reading a 3 as a C. Draft a one-page explainer.\n- Aisha offered to "
    "translate it into Spanish.",
    "**Student work protocol.** Looked at exit tickets on systems of equations.\n\n- Pattern: "
    "students substitute correctly but lose track of *what* they solved for.\n- Try labelling "
    "variables with units next week.",
]

MATH_ACTIONS = [
    # (meeting index, owner email, text, due in days after the meeting, done)
    (0, "hannah.liu@cedarcreek.test", "Share the warm-up slide deck in the wiki", 7, True),
    (1, "grace.kim@cedarcreek.test", "Draft the research lesson plan", 10, True),
    (2, "kevin.tran@cedarcreek.test", "Adapt the research lesson for 7th grade", 14, False),
    (
        3,
        "marcus.bell@cedarcreek.test",
        "Write the family explainer for standards-based grades",
        14,
        False,
    ),
    (3, "aisha.rahman@cedarcreek.test", "Translate the explainer into Spanish", 21, False),
    (4, "samuel.osei@cedarcreek.test", "Bring three modeling tasks with real data", 12, True),
]

CIRCLE_NOTES = [
    "**Consultancy: a staff meeting that keeps going sideways.** Presenter's focusing question: "
    "how do I make space for disagreement without losing the agenda? Group offered: norms "
    "revisited at the start, a parking lot, and a rotating timekeeper.\n\n*What is shared in "
    "the Circle stays in the Circle.*",
    "**Consultancy: the first year of a new master schedule.** We heard what worked and what "
    "did not; two of us will visit each other's sites before spring.",
]


def _people(community: Community) -> dict[str, User]:
    return {
        m.user.email: m.user
        for m in Membership.objects.filter(community=community).select_related("user")
    }


def _coordinator(community: Community) -> User:
    membership = (
        Membership.objects.filter(community=community, role=Role.COORDINATOR)
        .select_related("user")
        .order_by("joined_at", "id")
        .first()
    )
    assert membership is not None, community.slug
    return membership.user


def _library() -> list[Activity]:
    if not Activity.objects.filter(community__isnull=True).exists():
        return []
    return list(Activity.objects.filter(community__isnull=True).order_by("title", "id")[:20])


def _weeks_ago_on(weekday: int, weeks: int) -> date:
    today = timezone.now().astimezone(recurrence.zone(LA)).date()
    start = today - timedelta(weeks=weeks)
    return start + timedelta(days=(weekday - start.weekday()) % 7)


def _held(series: Series) -> list[Occurrence]:
    return list(
        Occurrence.objects.filter(series=series, starts_at__lte=timezone.now())
        .select_related("series", "community", "opener")
        .order_by("starts_at")
    )


def _next(series: Series) -> list[Occurrence]:
    return list(
        Occurrence.objects.filter(series=series, starts_at__gt=timezone.now())
        .select_related("series", "community", "opener")
        .order_by("starts_at")
    )


def _set_activity(occ: Occurrence, activity: Activity) -> None:
    Occurrence.objects.filter(pk=occ.pk).update(
        activity=activity,
        activity_picked_by=occ.opener,
        activity_picked_at=occ.starts_at - timedelta(days=5),
    )
    occ.activity = activity


def _math(library: list[Activity]) -> None:
    community = Community.objects.get(slug="secondary-math")
    marcus = _coordinator(community)
    people = _people(community)
    start = _weeks_ago_on(3, 10)  # a Thursday ten weeks ago
    series = services.create_series(
        marcus,
        community,
        title="Math Collaborative",
        recurrence_kind=recurrence.BIWEEKLY,
        weekday=3,
        local_time=time(15, 45),
        timezone_name=LA,
        duration_minutes=75,
        start_date=start,
        place="Cedar Creek High, Room 214",
        video_url="https://meet.example.org/secondary-math",
        add_members=True,
        now=datetime.combine(start - timedelta(days=1), time(9), recurrence.zone(LA)),
    )
    services.top_up(series)  # planned from the start (``now`` above), topped up to today
    held = _held(series)
    everyone = list(people.values())
    for i, occ in enumerate(held):
        if library:
            _set_activity(occ, library[i % len(library)])
        # Someone different misses each meeting; the opener is always there.
        missing = everyone[(i + 2) % len(everyone)]
        present = [p.pk for p in everyone if p != missing or p == occ.opener]
        services.record_attendance(marcus, occ, present)
        if i < len(MATH_NOTES):
            services.save_notes(
                occ.facilitator or marcus, occ, markdown=MATH_NOTES[i], base_version=0
            )
        for j, person in enumerate(everyone[:4]):
            if person.pk in present and occ.opener is not None and (i + j) % 3 != 2:
                services.give_feedback(
                    person,
                    occ,
                    rating=5 if (i + j) % 2 else 4,
                    note="It set a generous tone for the whole meeting." if j == 0 else "",
                )
    for index, email, text, days, done in MATH_ACTIONS:
        if index >= len(held):
            continue
        occ = held[index]
        item = services.add_action_item(
            marcus,
            occ,
            owner_id=people[email].pk,
            text=text,
            due_date=occ.local_start.date() + timedelta(days=days),
        )
        if done:
            services.set_action_done(people[email], item, done=True)
    services.carry_open_actions(series)

    upcoming = _next(series)
    if len(upcoming) < 3:
        return
    nxt, third = upcoming[0], upcoming[2]
    services.add_agenda_item(
        marcus,
        nxt,
        title="Student work: linear functions exit tickets",
        minutes=25,
        details="Bring five anonymized exit tickets each.",
    )
    services.add_agenda_item(marcus, nxt, title="Lesson study: plan cycle 2", minutes=20)
    opener = nxt.opener
    if library and opener is not None:
        services.pick_activity(opener, nxt, library[len(held) % len(library)].pk)
    # Someone can't make the third meeting: the rota skips them, they keep their place.
    third.refresh_from_db()
    away = third.opener
    if away is not None:
        services.mark_absent(away, third, "Chaperoning the robotics trip")
    # A swap waiting for an answer.
    _ask_for_a_swap(series)


def _ask_for_a_swap(series: Series) -> None:
    planned = _next(series)
    for mine in planned:
        theirs = next(
            (
                o
                for o in planned
                if o.pk != mine.pk
                and o.opener_id not in (None, mine.opener_id)
                and o.opener_round == mine.opener_round
            ),
            None,
        )
        asker = mine.opener
        other = theirs.opener if theirs is not None else None
        if asker is not None and other is not None:
            services.request_swap(
                asker,
                series,
                role=TurnRole.OPENER,
                my_occurrence=mine,
                other=other,
                other_occurrence=theirs,
                note="I have parent conferences that week. Trade?",
            )
            return


def _circle(library: list[Activity]) -> None:
    community = Community.objects.get(slug="site-leaders-circle")
    renata = _coordinator(community)
    start = _weeks_ago_on(2, 9)
    began = datetime.combine(start - timedelta(days=1), time(9), recurrence.zone(LA))
    series = services.create_series(
        renata,
        community,
        title="Site Leaders Circle",
        recurrence_kind=recurrence.MONTHLY,
        weekday=2,
        week_of_month=1,
        local_time=time(16, 0),
        timezone_name=LA,
        duration_minutes=90,
        start_date=start,
        video_url="https://meet.example.org/site-leaders-circle",
        add_members=True,
        now=began,
    )
    services.top_up(series)
    people = list(_people(community).values())
    for i, occ in enumerate(_held(series)):
        if library:
            _set_activity(occ, library[-1 - i % len(library)])
        services.record_attendance(renata, occ, [p.pk for p in people])
        services.save_notes(
            occ.facilitator or renata,
            occ,
            markdown=CIRCLE_NOTES[i % len(CIRCLE_NOTES)],
            base_version=0,
        )
        for person in people[:3]:
            if occ.opener is not None:
                services.give_feedback(person, occ, rating=5)
    upcoming = _next(series)
    if upcoming:
        services.add_agenda_item(
            renata,
            upcoming[0],
            title="Consultancy protocol",
            minutes=50,
            details="Presenter, clarifying questions, probing questions, discussion while the "
            "presenter listens, reflection, debrief.",
        )
        services.add_agenda_item(renata, upcoming[0], title="Wins to steal", minutes=15)


def load_demo_meetings() -> None:
    """Meetings for the demo's Secondary Math Collaborative and Site Leaders Circle (once)."""
    if Series.objects.filter(community__slug="secondary-math").exists():
        return
    library = _library()
    _math(library)
    _circle(library)
