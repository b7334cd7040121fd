"""Community goals: counters maintained on write by event subscribers, celebrated once.

Each metric counts something in the goal's period (``starts_on``..``ends_on``, inclusive):

- ``answered_48h`` — questions asked in the period (``base``) and how many got their first
  answer within 48 hours (``current``); progress is the percentage, against ``target`` %.
- ``members_opened`` — members who opened a meeting held in the period (``current``) out of
  the community's members (read from ``Community.member_count``, itself kept on write).
- ``ev_points`` — educational-value points earned in the community (ratings of answers).
- ``struggles_answered`` — struggles shared in the period that got an answer.
- ``kudos`` — kudos given in the community.

Counting a thing twice is impossible (``GoalMark`` is unique per goal and thing), so replayed
events change nothing. When progress first reaches the target, ``reached_at`` is set, the
event ``recognition.goal_reached`` is emitted and the goal's author is told.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from practica.communities.models import Community
from practica.realtime import bus
from practica.realtime.bus import Event, emit
from practica.recognition.models import PERCENT_METRICS, Goal, GoalMark, GoalMetric

ANSWER_WINDOW = timedelta(hours=48)


def percent(goal: Goal, member_count: int) -> int:
    """The goal's progress toward its target, 0..100 (what the progress bar shows)."""
    if goal.metric in PERCENT_METRICS:
        base = member_count if goal.metric == GoalMetric.MEMBERS_OPENED else goal.base
        achieved = goal.current * 100 / base if base else 0
        return min(100, int(achieved * 100 / goal.target)) if goal.target else 100
    return min(100, int(goal.current * 100 / goal.target)) if goal.target else 100


def achieved_label(goal: Goal, member_count: int) -> str:
    if goal.metric in PERCENT_METRICS:
        base = member_count if goal.metric == GoalMetric.MEMBERS_OPENED else goal.base
        value = int(goal.current * 100 / base) if base else 0
        return f"{value}% of {goal.target}% ({goal.current} of {base})"
    return f"{goal.current} of {goal.target}"


def _open_goals(community_id: int, metric: str, on: date) -> list[Goal]:
    return list(
        Goal.objects.filter(
            community_id=community_id, metric=metric, starts_on__lte=on, ends_on__gte=on
        )
    )


def _mark(goal: Goal, key: str) -> bool:
    """Record ``key`` as counted for ``goal``; False if it already was."""
    try:
        with transaction.atomic():
            GoalMark.objects.create(goal=goal, key=key)
    except IntegrityError:
        return False
    return True


def _bump(goal: Goal, *, current: int = 0, base: int = 0) -> None:
    Goal.objects.filter(pk=goal.pk).update(current=F("current") + current, base=F("base") + base)
    goal.refresh_from_db(fields=["current", "base", "reached_at"])
    _celebrate_if_reached(goal)


def _celebrate_if_reached(goal: Goal) -> None:
    if goal.reached_at is not None:
        return
    community = Community.objects.get(pk=goal.community_id)
    if percent(goal, community.member_count) < 100:
        return
    updated = Goal.objects.filter(pk=goal.pk, reached_at__isnull=True).update(
        reached_at=timezone.now()
    )
    if not updated:
        return
    emit("recognition.goal_reached", community_id=goal.community_id, goal_id=goal.pk)
    creator = goal.created_by
    if creator is not None:
        from django.urls import reverse

        from practica.notifications.services import notify

        notify(
            creator,
            kind="recognition.goal_reached",
            message=f"{community.name} reached its goal: {goal.title}",
            url=reverse("recognition:goals", args=[community.slug]),
        )


def add_ev_points(community_id: int, points: int) -> None:
    """Educational value earned in the community (called by the ledger, inside its write)."""
    for goal in _open_goals(community_id, GoalMetric.EV_POINTS, timezone.now().date()):
        _bump(goal, current=points)


def count_kudos(community_id: int) -> None:
    for goal in _open_goals(community_id, GoalMetric.KUDOS, timezone.now().date()):
        _bump(goal, current=1)


# --- Event subscribers --------------------------------------------------------------------------


@bus.subscribe("qa.post_created")
def _post_created(event: Event) -> None:
    p = event.payload
    if p.get("kind", "question") != "question":
        return
    with transaction.atomic():
        for goal in _open_goals(p["community_id"], GoalMetric.ANSWERED_48H, timezone.now().date()):
            if _mark(goal, f"asked:{p['post_id']}"):
                _bump(goal, base=1)


@bus.subscribe("qa.answer_posted")
def _answer_posted(event: Event) -> None:
    from practica.qa.models import Post

    p = event.payload
    post = Post.objects.filter(pk=p["post_id"]).first()
    if post is None or post.author_id == p.get("author_id"):
        return
    asked_on = timezone.localdate(post.created_at)
    with transaction.atomic():
        if post.kind == "question" and timezone.now() - post.created_at <= ANSWER_WINDOW:
            for goal in _open_goals(post.community_id, GoalMetric.ANSWERED_48H, asked_on):
                if GoalMark.objects.filter(goal=goal, key=f"asked:{post.pk}").exists() and _mark(
                    goal, f"answered:{post.pk}"
                ):
                    _bump(goal, current=1)
        if post.kind == "struggle":
            metric = GoalMetric.STRUGGLES_ANSWERED
            for goal in _open_goals(post.community_id, metric, asked_on):
                if _mark(goal, f"struggle:{post.pk}"):
                    _bump(goal, current=1)


@bus.subscribe("meetings.attendance_recorded")
def _meeting_held(event: Event) -> None:
    from practica.practice.meetings.models import Occurrence

    occ = Occurrence.objects.filter(pk=event.payload["occurrence_id"]).first()
    if occ is None or not occ.opener_id:
        return
    held_on = timezone.localdate(occ.starts_at)
    with transaction.atomic():
        for goal in _open_goals(occ.community_id, GoalMetric.MEMBERS_OPENED, held_on):
            if _mark(goal, f"opener:{occ.opener_id}"):
                _bump(goal, current=1)
