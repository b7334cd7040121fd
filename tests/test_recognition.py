"""Recognition: the reputation ledger and its rules, levels and privileges, badges, goals, kudos,
leaderboards, pages and API. Q&A activity goes through the Q&A services (as in production);
events of apps that emit them elsewhere (wiki, consultancy, meetings) are delivered with
``sources.handle`` / the bus exactly as their services emit them (payloads from
docs/events.md).
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from practica.accounts.models import User
from practica.communities.models import Membership, Role
from practica.lib.errors import Forbidden, Invalid, PracticaError
from practica.lib.testing import Cast
from practica.qa import services as qa
from practica.qa.models import Answer, Post
from practica.realtime import bus
from practica.recognition import badges, ledger, services, sources
from practica.recognition.jobs import BACKFILL_KEY, ensure_daily_backfill
from practica.recognition.ledger import PAIR_LIMIT
from practica.recognition.models import (
    Award,
    Badge,
    Entry,
    Goal,
    Kudos,
    Level,
    LevelChange,
    LevelRequirement,
    Reputation,
    Standing,
)
from practica.recognition.privileges import Privilege, forget_levels, has_privilege
from practica.scheduling.models import DueJob
from practica.scheduling.services import run_due

API = "/api/v1"


def rep(user: User, community: Any = None) -> int:
    if community is None:
        return Reputation.objects.filter(user=user).values_list("total", flat=True).first() or 0
    s = Standing.objects.filter(user=user, community=community).first()
    return s.reputation if s else 0


@pytest.fixture
def qa_world(cast: Cast, capture_events: Any) -> dict[str, Any]:
    """A question by ``member`` with an answer by ``expert`` in the organization community."""
    with capture_events():
        post = qa.create_post(
            cast.member, cast.org_community, title="How do you introduce fractions?",
            body="Year 7 find fractions abstract. What worked for you?",
        )  # fmt: skip
        answer = qa.post_answer(
            cast.expert,
            post,
            body="Start with paper folding and fraction walls, then number lines.",
        )
    return {"post": post, "answer": answer, "community": cast.org_community}


def join(user: User, community: Any, role: str = Role.MEMBER) -> None:
    Membership.objects.get_or_create(user=user, community=community, defaults={"role": role})
    from practica.communities import access

    access.forget_viewer(user)


def vote_event(community: Any, answer_id: int, voter: int, author: int, old: int, new: int) -> None:
    sources.handle(
        "qa.vote_changed",
        {
            "community_id": community.pk, "post_id": 1, "answer_id": answer_id, "voter_id": voter,
            "author_id": author, "old_value": old, "new_value": new,
        },
    )  # fmt: skip


# --- The ledger ---------------------------------------------------------------------------------


def test_rating_credits_the_author_and_changes_write_the_difference(
    cast: Cast, qa_world: dict[str, Any], capture_events: Any
) -> None:
    answer, community = qa_world["answer"], qa_world["community"]
    with capture_events():
        qa.rate_answer(cast.member, answer, value=4)
    assert rep(cast.expert, community) == sources.RATING_POINTS[4]
    assert rep(cast.expert) == sources.RATING_POINTS[4]
    entry = Entry.objects.get(user=cast.expert)
    assert (entry.event, entry.object_type, entry.object_id, entry.actor_id) == (
        "qa.answer_rated", "answer", answer.pk, cast.member.pk,
    )  # fmt: skip
    with capture_events():
        qa.rate_answer(cast.member, answer, value=2)
    rows = list(
        Entry.objects.filter(user=cast.expert).order_by("pk").values_list("points", flat=True)
    )
    assert rows == [sources.RATING_POINTS[4], sources.RATING_POINTS[2] - sources.RATING_POINTS[4]]
    assert rep(cast.expert, community) == sources.RATING_POINTS[2]


def test_ratings_weigh_more_than_helpful_votes() -> None:
    assert sources.RATING_POINTS[4] > sources.UPVOTE_ANSWER
    assert sources.RATING_POINTS[3] > sources.UPVOTE_ANSWER


def test_deleting_an_answer_reverses_its_points_and_restoring_returns_them(
    cast: Cast, qa_world: dict[str, Any], capture_events: Any
) -> None:
    answer, community = qa_world["answer"], qa_world["community"]
    with capture_events():
        qa.rate_answer(cast.member, answer, value=5)
        qa.vote(cast.facilitator, answer=answer, value=1)
        qa.accept_answer(cast.member, answer)
    earned = sources.RATING_POINTS[5] + sources.UPVOTE_ANSWER + sources.ACCEPTED
    assert rep(cast.expert, community) == earned
    with capture_events():
        qa.delete_answer(cast.expert, Answer.objects.get(pk=answer.pk))
    assert rep(cast.expert, community) == 0
    reversing = Entry.objects.filter(user=cast.expert, points__lt=0)
    assert {e.event for e in reversing} == {"qa.answer_deleted"}
    with capture_events():
        qa.restore_answer(cast.expert, Answer.objects.get(pk=answer.pk))
    # Deleting unaccepted it (Q&A's rule), so the restore re-credits the rating and the vote.
    assert rep(cast.expert, community) == earned - sources.ACCEPTED
    assert rep(cast.member, community) == 0  # the accepter's reward went with the acceptance


def test_withdrawing_a_vote_writes_a_reversing_row(
    cast: Cast, qa_world: dict[str, Any], capture_events: Any
) -> None:
    answer = qa_world["answer"]
    with capture_events():
        qa.vote(cast.member, answer=answer, value=1)
        qa.vote(cast.member, answer=answer, value=0)
    points = list(
        Entry.objects.filter(user=cast.expert).order_by("pk").values_list("points", flat=True)
    )
    assert points == [sources.UPVOTE_ANSWER, -sources.UPVOTE_ANSWER]
    assert rep(cast.expert) == 0


def test_accepting_another_answer_moves_the_points(
    cast: Cast, qa_world: dict[str, Any], capture_events: Any
) -> None:
    post = qa_world["post"]
    with capture_events():
        second = qa.post_answer(cast.facilitator, post, body="Use chocolate bars: they split well.")
        qa.accept_answer(cast.member, qa_world["answer"])
        qa.accept_answer(cast.member, second)
    assert rep(cast.expert) == 0
    assert rep(cast.facilitator) == sources.ACCEPTED
    assert rep(cast.member) == sources.ACCEPTER  # the accepter's small reward, once


def test_replaying_an_event_changes_nothing(cast: Cast) -> None:
    for _ in range(3):
        vote_event(cast.org_community, 77, cast.member.pk, cast.expert.pk, 0, 1)
    assert Entry.objects.filter(user=cast.expert).count() == 1


def test_self_votes_earn_nothing(cast: Cast) -> None:
    vote_event(cast.org_community, 77, cast.expert.pk, cast.expert.pk, 0, 1)
    assert rep(cast.expert) == 0
    assert not Entry.objects.exists()


def test_votes_between_the_same_two_people_stop_counting_beyond_the_daily_limit(cast: Cast) -> None:
    for answer_id in range(1, PAIR_LIMIT + 3):
        vote_event(cast.org_community, answer_id, cast.member.pk, cast.expert.pk, 0, 1)
    assert rep(cast.expert) == PAIR_LIMIT * sources.UPVOTE_ANSWER
    # Someone else's vote still counts: the limit is per pair.
    vote_event(cast.org_community, 1, cast.facilitator.pk, cast.expert.pk, 0, 1)
    assert rep(cast.expert) == (PAIR_LIMIT + 1) * sources.UPVOTE_ANSWER


def test_the_pair_limit_resets_the_next_day(cast: Cast) -> None:
    for answer_id in range(1, PAIR_LIMIT + 1):
        vote_event(cast.org_community, answer_id, cast.member.pk, cast.expert.pk, 0, 1)
    Entry.objects.update(day=timezone.now().date() - timedelta(days=1))
    vote_event(cast.org_community, 99, cast.member.pk, cast.expert.pk, 0, 1)
    assert rep(cast.expert) == (PAIR_LIMIT + 1) * sources.UPVOTE_ANSWER


def test_daily_cap_on_vote_points(cast: Cast, settings: Any) -> None:
    settings.RECOGNITION_DAILY_VOTE_CAP = 5
    voters = [
        User.objects.create_user(f"voter{i}@riverside.test", "x", name=f"Voter {i}")
        for i in range(4)
    ]
    for i, voter in enumerate(voters):
        vote_event(cast.org_community, 10 + i, voter.pk, cast.expert.pk, 0, 1)
    assert rep(cast.expert) == 5  # 2 + 2 + 1 (capped) + 0
    # Ratings are not votes: the cap does not touch educational value.
    sources.handle(
        "qa.answer_rated",
        {"community_id": cast.org_community.pk, "post_id": 1, "answer_id": 10,
         "rater_id": voters[0].pk, "author_id": cast.expert.pk, "old_value": 0, "new_value": 5},
    )  # fmt: skip
    assert rep(cast.expert) == 5 + sources.RATING_POINTS[5]
    # Withdrawing a capped vote reverses exactly what it earned.
    vote_event(cast.org_community, 12, voters[2].pk, cast.expert.pk, 1, 0)
    assert rep(cast.expert) == 4 + sources.RATING_POINTS[5]


def test_a_new_source_is_one_registration(cast: Cast) -> None:
    name = "test.mentoring_session"

    @sources.source(name)
    def mentoring(p: dict[str, Any]) -> list[ledger.Settle]:
        return [
            ledger.Settle(
                cause=f"mentoring:{p['session_id']}", user_id=p["mentor_id"], points=7,
                category="practice", reason="mentored", community_id=p["community_id"],
                actor_id=p["mentee_id"], object_type="mentoring", object_id=p["session_id"],
                helped=True,
            )
        ]  # fmt: skip

    try:
        sources.handle(
            name,
            {"session_id": 1, "mentor_id": cast.expert.pk, "mentee_id": cast.member.pk,
             "community_id": cast.org_community.pk},
        )  # fmt: skip
        assert rep(cast.expert, cast.org_community) == 7
        assert (
            Standing.objects.get(user=cast.expert, community=cast.org_community).people_helped == 1
        )
    finally:
        sources._sources.pop(name)


# --- Recompute equals live (random histories) ----------------------------------------------------

OPS = st.lists(
    st.tuples(
        st.sampled_from(["vote", "rate", "accept", "unaccept", "delete", "restore", "wiki"]),
        st.integers(0, 3),  # who acts
        st.integers(0, 3),  # which answer
        st.integers(-1, 5),  # value
    ),
    min_size=1,
    max_size=10,
)


def _apply(op: tuple[str, int, int, int], people: list[User], answers: list[Answer]) -> None:
    kind, who, which, value = op
    actor = people[who]
    answer = Answer.objects.select_related("post__community").get(pk=answers[which].pk)
    try:
        if kind == "vote":
            qa.vote(actor, answer=answer, value=max(-1, min(1, value)))
        elif kind == "rate":
            qa.rate_answer(actor, answer, value=max(1, value))
        elif kind == "accept":
            qa.accept_answer(answer.post.author, answer)
        elif kind == "unaccept":
            qa.unaccept(answer.post.author, Post.objects.get(pk=answer.post_id))
        elif kind == "delete" and answer.deleted_at is None:
            qa.delete_answer(answer.author, answer)
        elif kind == "restore" and answer.deleted_at is not None:
            qa.restore_answer(answer.author, answer)
        elif kind == "wiki":
            sources.handle(
                "wiki.revision_saved",
                {"page_id": which + 1, "revision_id": 1000 + value + 10 * which,
                 "author_id": actor.pk,
                 "community_id": answer.post.community_id, "organization_id": None,
                 "reverted_to": None},
            )  # fmt: skip
    except PracticaError:  # refused actions (own answer, already deleted...) are history too
        pass


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=OPS)
def test_recompute_reproduces_the_live_totals_on_random_histories(
    cast: Cast, capture_events: Any, settings: Any, ops: list[tuple[str, int, int, int]]
) -> None:
    settings.RECOGNITION_DAILY_VOTE_CAP = 6  # small, so random histories hit the cap
    people = [cast.member, cast.expert, cast.facilitator, cast.coordinator]
    with transaction.atomic():
        with capture_events():
            posts = [
                qa.create_post(
                    p, cast.org_community, title=f"Question number {i} here", body="Why?"
                )
                for i, p in enumerate(people[:2])
            ]
            answers = [
                qa.post_answer(people[(i + 1) % 4], posts[i % 2], body=f"An answer, number {i}.")
                for i in range(4)
            ]
        for op in ops:
            with capture_events():
                _apply(op, people, answers)
        live = ledger.live_totals()
        fresh = ledger.totals_from_ledger()
        assert live.overall == fresh.overall
        assert live.per_community == fresh.per_community
        assert live.monthly == fresh.monthly
        ledger.recompute()
        assert ledger.live_totals() == live
        transaction.set_rollback(True)


def test_recompute_command_repairs_drifted_totals(
    cast: Cast, qa_world: dict[str, Any], capture_events: Any
) -> None:
    from django.core.management import call_command

    with capture_events():
        qa.rate_answer(cast.member, qa_world["answer"], value=5)
    Standing.objects.filter(user=cast.expert).update(reputation=999)
    Reputation.objects.filter(user=cast.expert).update(total=-3)
    call_command("recompute-reputation", verbosity=0)
    assert rep(cast.expert, qa_world["community"]) == sources.RATING_POINTS[5]
    assert rep(cast.expert) == sources.RATING_POINTS[5]


# --- Other sources ------------------------------------------------------------------------------


def wiki_saved(
    cast: Cast, page: int, rev: int, author: User, reverted_to: int | None = None
) -> None:
    sources.handle(
        "wiki.revision_saved",
        {"page_id": page, "revision_id": rev, "author_id": author.pk,
         "community_id": cast.org_community.pk, "organization_id": None,
         "reverted_to": reverted_to},
    )  # fmt: skip


def test_a_wiki_edit_that_stands_is_credited_after_the_window(
    cast: Cast, capture_events: Any
) -> None:
    wiki_saved(cast, 5, 50, cast.member)
    assert rep(cast.member) == 0
    with capture_events():
        run_due(now=timezone.now() + timedelta(days=sources.WIKI_STAND_DAYS_DEFAULT, hours=1))
    assert rep(cast.member, cast.org_community) == sources.WIKI_STANDS
    assert Award.objects.filter(user=cast.member, badge__slug="scribe").exists()
    run_due(now=timezone.now() + timedelta(days=30))  # nothing left, nothing twice
    assert rep(cast.member) == sources.WIKI_STANDS


def test_a_reverted_wiki_edit_earns_nothing(cast: Cast) -> None:
    wiki_saved(cast, 5, 50, cast.member)
    wiki_saved(cast, 5, 51, cast.expert, reverted_to=49)
    run_due(now=timezone.now() + timedelta(days=30))
    assert rep(cast.member) == 0


def test_a_wiki_edit_someone_builds_on_stands_at_once(cast: Cast) -> None:
    wiki_saved(cast, 5, 50, cast.member)
    wiki_saved(cast, 5, 51, cast.expert)
    assert rep(cast.member) == sources.WIKI_STANDS
    assert rep(cast.expert) == 0  # theirs still has to stand


def test_consultancy_meetings_and_norms_events_earn_and_award(
    cast: Cast, capture_events: Any
) -> None:
    community = cast.org_community
    with capture_events():
        for sid, presenter in enumerate([cast.member, cast.coordinator, cast.org_member], start=1):
            bus.emit(
                "consultancy.session_completed", session_id=sid, community_id=community.pk,
                presenter_id=presenter.pk, facilitator_id=cast.facilitator.pk,
                participant_ids=[cast.expert.pk, presenter.pk],
            )  # fmt: skip
        bus.emit("consultancy.followup_recorded", session_id=1, community_id=community.pk,
                 presenter_id=cast.member.pk)  # fmt: skip
    assert rep(cast.facilitator, community) == 3 * sources.CONSULTANCY_FACILITATED
    assert (
        rep(cast.member, community) == sources.CONSULTANCY_PRESENTED + sources.CONSULTANCY_FOLLOWUP
    )
    assert rep(cast.expert, community) == 3 * sources.CONSULTANCY_PARTICIPATED
    slugs = set(Award.objects.values_list("user__email", "badge__slug"))
    assert (cast.facilitator.email, "mentor") in slugs
    assert (cast.member.email, "followed-through") in slugs
    assert (cast.expert.email, "critical-friend") in slugs


def test_a_meeting_held_credits_opener_and_facilitator_and_cancelling_undoes(cast: Cast) -> None:
    from practica.practice.meetings.models import Occurrence, Series

    community = cast.org_community
    series = Series.objects.create(
        community=community, title="Monthly circle", weekday=1, local_time="16:00",
        timezone="UTC", start_date=timezone.now().date(), created_by=cast.coordinator,
    )  # fmt: skip
    occ = Occurrence.objects.create(
        series=series, community=community, slot_date=timezone.now().date(),
        starts_at=timezone.now(), duration_minutes=60, opener=cast.member, facilitator=cast.expert,
    )  # fmt: skip
    payload = {
        "community_id": community.pk,
        "occurrence_id": occ.pk,
        "count": 5,
        "actor_id": cast.coordinator.pk,
    }
    sources.handle("meetings.attendance_recorded", payload)
    sources.handle("meetings.attendance_recorded", payload)  # recorded again: no double credit
    assert rep(cast.member, community) == sources.MEETING_OPENED
    assert rep(cast.expert, community) == sources.MEETING_FACILITATED
    sources.handle(
        "meetings.occurrence_cancelled",
        {"community_id": community.pk, "series_id": series.pk, "occurrence_id": occ.pk},
    )
    assert rep(cast.member) == 0 and rep(cast.expert) == 0


# --- Levels and privileges ----------------------------------------------------------------------


def _standing(user: User, community: Any, **values: int) -> Standing:
    s, _ = Standing.objects.get_or_create(user=user, community=community)
    Standing.objects.filter(pk=s.pk).update(**values)
    return Standing.objects.select_related("community__organization", "user").get(pk=s.pk)


def test_levels_need_reputation_and_breadth(cast: Cast) -> None:
    from practica.recognition import levels

    community = cast.org_community
    s = _standing(cast.member, community, reputation=5000, people_helped=0, days_active=100)
    levels.promote(s, community)
    assert s.level == Level.NEWCOMER  # reputation alone is not enough
    s = _standing(cast.member, community, people_helped=3, days_active=5)
    levels.promote(s, community)
    assert s.level == Level.CONTRIBUTOR
    assert LevelChange.objects.filter(
        user=cast.member, to_level=Level.CONTRIBUTOR, actor=None
    ).exists()


def test_organization_thresholds_override_the_defaults(cast: Cast) -> None:
    from practica.recognition import levels

    services.set_level_requirements(
        cast.org_admin, cast.district, {1: (1, 0, 1), 2: (2, 0, 1), 3: (3, 0, 1), 4: (4, 0, 1)}
    )
    s = _standing(cast.member, cast.org_community, reputation=4, days_active=1)
    levels.promote(s, cast.org_community)
    assert s.level == Level.LEADER
    with pytest.raises(Invalid):
        services.set_level_requirements(
            cast.org_admin, cast.district, {1: (10, 0, 0), 2: (5, 0, 0)}
        )
    with pytest.raises(Forbidden):
        services.set_level_requirements(cast.member, cast.district, {1: (1, 0, 0)})
    assert LevelRequirement.objects.get(organization=cast.district, level=1).min_reputation == 1


def test_levels_unlock_privileges_and_roles_still_grant_them(cast: Cast) -> None:
    community = cast.org_community
    assert not has_privilege(cast.member, community, Privilege.CREATE_TAGS)
    _standing(cast.member, community, level=Level.CONTRIBUTOR)
    forget_levels(cast.member)
    assert has_privilege(cast.member, community, Privilege.CREATE_TAGS)
    assert has_privilege(cast.member, community, Privilege.FLAG_HIDES)
    assert not has_privilege(cast.member, community, Privilege.EDIT_OTHERS)
    assert has_privilege(cast.facilitator, community, Privilege.CREATE_COMMUNITY)
    assert has_privilege(cast.expert, community, Privilege.EDIT_OTHERS)
    assert not has_privilege(cast.org_member, community, Privilege.CREATE_TAGS)  # not a member
    assert has_privilege(cast.staff, community, Privilege.CREATE_COMMUNITY)


def test_leader_may_create_communities_only_where_the_organization_allows(cast: Cast) -> None:
    community = cast.org_community
    _standing(cast.member, community, level=Level.LEADER)
    forget_levels(cast.member)
    assert has_privilege(cast.member, community, Privilege.CREATE_COMMUNITY)
    community.organization.members_can_create_communities = False
    assert not has_privilege(cast.member, community, Privilege.CREATE_COMMUNITY)


def test_a_moderator_lowers_a_level_with_a_reason_and_it_holds(cast: Cast) -> None:
    from practica.recognition import levels

    community = cast.org_community
    _standing(
        cast.member,
        community,
        reputation=500,
        people_helped=12,
        days_active=20,
        level=Level.STEWARD,
    )
    client = cast.client("facilitator")
    url = reverse("recognition:member-level", args=[community.slug, cast.member.pk])
    response = client.post(url, {"level": Level.MEMBER, "reason": ""})
    assert response.status_code == 200 and "required" in response.content.decode()
    assert Standing.objects.get(user=cast.member, community=community).level == Level.STEWARD
    response = client.post(
        url, {"level": Level.MEMBER, "reason": "Edited others' posts carelessly."}
    )
    assert response.status_code == 302
    s = Standing.objects.select_related("community__organization", "user").get(
        user=cast.member, community=community
    )
    assert (s.level, s.ceiling) == (Level.MEMBER, Level.MEMBER)
    log = LevelChange.objects.get(user=cast.member, actor=cast.facilitator)
    assert log.reason == "Edited others' posts carelessly." and log.from_level == Level.STEWARD
    levels.promote(s, community)
    assert s.level == Level.MEMBER  # held
    assert cast.client("member").post(url, {"level": 0, "reason": "x"}).status_code == 403
    response = client.post(url, {"action": "lift", "reason": "Talked it through."})
    assert response.status_code == 302
    assert Standing.objects.get(user=cast.member, community=community).level == Level.STEWARD


def test_nobody_is_demoted_for_inactivity(cast: Cast) -> None:
    community = cast.org_community
    _standing(cast.member, community, level=Level.CONTRIBUTOR)
    ledger.recompute()  # no reputation in the ledger at all
    assert Standing.objects.get(user=cast.member, community=community).level == Level.CONTRIBUTOR


# --- Badges -------------------------------------------------------------------------------------


def test_at_least_twenty_badges_across_the_categories() -> None:
    defs = badges.definitions()
    assert len(defs) >= 20
    assert {d.category for d in defs} == {"learning", "helping", "sharing", "wiki", "practice"}
    assert {d.tier for d in defs} == {"bronze", "silver", "gold"}
    assert len({d.slug for d in defs}) == len(defs)


def test_a_struggle_that_got_three_answers_earns_open_door_once(
    cast: Cast, capture_events: Any
) -> None:
    with capture_events():
        post = qa.create_post(
            cast.member, cast.org_community, title="My lesson on ratios fell flat",
            body="Students were lost after ten minutes.", kind="struggle",
        )  # fmt: skip
        for who in (cast.expert, cast.facilitator, cast.coordinator):
            qa.post_answer(who, post, body=f"{who.display_name}: try a recipe context first.")
    award = Award.objects.get(user=cast.member, badge__slug="open-door")
    assert (award.evidence_type, award.evidence_id) == ("post", post.pk)
    assert award.organization_id == cast.org_community.organization_id
    assert badges.backfill() == 0  # idempotent: nothing new
    assert Award.objects.filter(user=cast.member, badge__slug="open-door").count() == 1
    assert Badge.objects.get(slug="open-door").award_count == 1


def test_backfill_awards_what_events_missed(cast: Cast, qa_world: dict[str, Any]) -> None:
    from practica.qa.models import Rating

    Rating.objects.create(user=cast.member, answer=qa_world["answer"], value=5, note="Folding!")
    earned = Award.objects.filter(badge__slug__in=["taught-something", "noted"])
    assert not earned.exists()  # no rating event was delivered
    assert badges.backfill() == 2
    assert Award.objects.filter(user=cast.expert, badge__slug="taught-something").exists()
    assert Award.objects.filter(user=cast.member, badge__slug="noted").exists()
    assert badges.backfill() == 0


def test_the_daily_safety_net_is_scheduled_and_reschedules_itself(
    cast: Cast, qa_world: dict[str, Any]
) -> None:
    from practica.qa.models import Rating

    ensure_daily_backfill()
    ensure_daily_backfill()
    assert DueJob.objects.filter(key=BACKFILL_KEY).count() == 1
    Rating.objects.create(user=cast.member, answer=qa_world["answer"], value=4)
    run_due(now=timezone.now() + timedelta(days=1, minutes=1))
    assert Award.objects.filter(user=cast.expert, badge__slug="taught-something").exists()
    job = DueJob.objects.get(key=BACKFILL_KEY)
    assert job.done_at is None and job.due_at > timezone.now() + timedelta(hours=20)


def test_a_revoked_award_is_not_given_again(
    cast: Cast, qa_world: dict[str, Any], capture_events: Any
) -> None:
    with capture_events():
        qa.rate_answer(cast.member, qa_world["answer"], value=5)
    award = Award.objects.get(user=cast.expert, badge__slug="taught-something")
    services.revoke_award(cast.staff, award, reason="Rating ring.")
    badges.backfill()
    assert Award.objects.filter(user=cast.expert, badge__slug="taught-something").count() == 1
    with pytest.raises(Forbidden):
        services.revoke_award(cast.member, award, reason="no")


# --- Open Badges documents ----------------------------------------------------------------------


def _award(cast: Cast, qa_world: dict[str, Any], capture_events: Any) -> Award:
    with capture_events():
        qa.rate_answer(cast.member, qa_world["answer"], value=5)
    return Award.objects.select_related("badge").get(
        user=cast.expert, badge__slug="taught-something"
    )


def test_assertion_is_private_until_published(
    cast: Cast, qa_world: dict[str, Any], capture_events: Any
) -> None:
    award = _award(cast, qa_world, capture_events)
    url = reverse("recognition:assertion", args=[award.uid])
    assert Client().get(url).status_code == 404
    assert cast.client("member").get(url).status_code == 404
    assert cast.client("expert").get(url).status_code == 200
    response = cast.client("expert").post(
        reverse("recognition:award-public", args=[award.uid]), {"public": "1"}
    )
    assert response.status_code == 302
    doc = json.loads(Client().get(url).content)
    assert doc["@context"] == "https://w3id.org/openbadges/v2"
    assert doc["type"] == "Assertion" and doc["id"].endswith(url)
    assert doc["recipient"]["identity"].startswith("sha256$")
    assert doc["recipient"]["hashed"] is True and doc["recipient"]["salt"] == award.salt
    assert cast.expert.email not in json.dumps(doc)
    assert doc["verification"] == {"type": "hosted"}
    badge_class = json.loads(Client().get(doc["badge"]).content)
    assert badge_class["type"] == "BadgeClass" and badge_class["criteria"]["narrative"]
    issuer = json.loads(Client().get(badge_class["issuer"]).content)
    assert issuer["type"] == "Issuer" and issuer["name"] == cast.district.name
    image = Client().get(badge_class["image"])
    assert image["Content-Type"] == "image/svg+xml" and b"<svg" in image.content


def test_revoked_assertion_says_so(
    cast: Cast, qa_world: dict[str, Any], capture_events: Any
) -> None:
    award = _award(cast, qa_world, capture_events)
    services.set_award_public(cast.expert, award, public=True)
    services.revoke_award(cast.staff, award, reason="Awarded in error.")
    response = Client().get(reverse("recognition:assertion", args=[award.uid]))
    assert response.status_code == 410
    doc = json.loads(response.content)
    assert doc["revoked"] is True and "recipient" not in doc


def test_baked_svg_carries_the_assertion(
    cast: Cast, qa_world: dict[str, Any], capture_events: Any
) -> None:
    award = _award(cast, qa_world, capture_events)
    services.set_award_public(cast.expert, award, public=True)
    svg = Client().get(reverse("recognition:baked", args=[award.uid])).content.decode()
    assert 'xmlns:openbadges="http://openbadges.org"' in svg
    assert f'verify="http://testserver/badges/assertions/{award.uid}"' in svg
    import xml.dom.minidom

    xml.dom.minidom.parseString(svg)  # still well-formed XML


def test_only_the_recipient_publishes_their_award(
    cast: Cast, qa_world: dict[str, Any], capture_events: Any
) -> None:
    award = _award(cast, qa_world, capture_events)
    response = cast.client("member").post(
        reverse("recognition:award-public", args=[award.uid]), {"public": "1"}
    )
    assert response.status_code == 404
    assert not Award.objects.get(pk=award.pk).public


# --- Goals --------------------------------------------------------------------------------------


def test_goal_form_validates_and_a_goal_progresses_and_is_celebrated(
    cast: Cast, capture_events: Any
) -> None:
    community = cast.org_community
    url = reverse("recognition:goals", args=[community.slug])
    today = timezone.now().date()
    bad = {
        "title": "",
        "metric": "answered_48h",
        "target": 150,
        "starts_on": today,
        "ends_on": today,
    }
    response = cast.client("facilitator").post(url, bad)
    assert response.status_code == 200 and not Goal.objects.exists()
    assert "This field is required" in response.content.decode()
    bad = {
        "title": "Answer fast",
        "metric": "answered_48h",
        "target": 150,
        "starts_on": today,
        "ends_on": today,
    }
    response = cast.client("facilitator").post(url, bad)
    assert "Between 1 and 100" in response.content.decode() and not Goal.objects.exists()
    good = {**bad, "target": 50, "ends_on": today + timedelta(days=30)}
    assert cast.client("facilitator").post(url, good).status_code == 302
    assert cast.client("member").post(url, good).status_code == 403
    goal = Goal.objects.get()
    with capture_events():
        q1 = qa.create_post(
            cast.member, community, title="Warm-ups for algebra?", body="Ideas please"
        )
        qa.create_post(
            cast.member, community, title="Homework policies that work?", body="Ideas please"
        )
    goal.refresh_from_db()
    assert (goal.current, goal.base) == (0, 2)
    with capture_events() as events:
        qa.post_answer(cast.expert, q1, body="Number talks: five minutes, every day.")
    goal.refresh_from_db()
    assert (goal.current, goal.base) == (1, 2)
    assert goal.reached_at is not None
    assert "recognition.goal_reached" in [e.name for e in events]
    home = (
        cast.client("member")
        .get(reverse("communities:home", args=[community.slug]))
        .content.decode()
    )
    assert "Reached" in home and 'aria-valuenow="100"' in home


def test_kudos_goal_counts_kudos(cast: Cast) -> None:
    today = timezone.now().date()
    goal = services.create_goal(
        cast.coordinator, cast.org_community, title="Thank each other", metric="kudos", target=2,
        starts_on=today, ends_on=today + timedelta(days=7),
    )  # fmt: skip
    services.give_kudos(
        cast.member, cast.expert, cast.org_community, note="Thanks for the fraction walls."
    )
    goal.refresh_from_db()
    assert goal.current == 1 and goal.reached_at is None


# --- Kudos --------------------------------------------------------------------------------------


def test_kudos_through_the_page_and_its_rules(cast: Cast) -> None:
    url = reverse("recognition:kudos", args=[cast.expert.pk])
    client = cast.client("member")
    response = client.post(url, {"community": cast.org_community.pk, "note": ""})
    assert response.status_code == 200 and not Kudos.objects.exists()
    response = client.post(
        url,
        {"community": cast.org_community.pk, "note": "Your number-talks idea changed my mornings."},
    )
    assert response.status_code == 302
    person = client.get(reverse("accounts:person", args=[cast.expert.pk])).content.decode()
    assert "number-talks idea changed my mornings" in person
    for _ in range(services.KUDOS_PER_PAIR_PER_DAY - 1):
        services.give_kudos(cast.member, cast.expert, cast.org_community, note="Thanks again!")
    with pytest.raises(Invalid):
        services.give_kudos(cast.member, cast.expert, cast.org_community, note="One more")
    with pytest.raises(Invalid):
        services.give_kudos(cast.member, cast.member, cast.org_community, note="Me!")
    with pytest.raises(Invalid):
        services.give_kudos(cast.member, cast.org_member, cast.org_community, note="Not a member")
    with pytest.raises(Forbidden):
        services.give_kudos(
            cast.org_member, cast.member, cast.org_community, note="I am not a member"
        )
    assert Kudos.objects.count() == services.KUDOS_PER_PAIR_PER_DAY


def test_kudos_are_hidden_where_the_viewer_cannot_see_the_community(cast: Cast) -> None:
    services.give_kudos(cast.member, cast.expert, cast.private_community, note="Private thanks")
    assert (
        "Private thanks"
        not in cast.client("org_member")
        .get(reverse("accounts:person", args=[cast.expert.pk]))
        .content.decode()
    )
    assert (
        "Private thanks"
        in cast.client("facilitator")
        .get(reverse("accounts:person", args=[cast.expert.pk]))
        .content.decode()
    )


# --- Leaderboard --------------------------------------------------------------------------------


def test_leaderboard_is_off_by_default_ranks_by_educational_value_and_respects_opt_out(
    cast: Cast, qa_world: dict[str, Any], capture_events: Any
) -> None:
    community = qa_world["community"]
    url = reverse("recognition:leaderboard", args=[community.slug])
    assert cast.client("member").get(url).status_code == 404
    response = cast.client("coordinator").post(
        reverse("recognition:settings", args=[community.slug]), {"leaderboard_enabled": "on"}
    )
    assert response.status_code == 302
    with capture_events():
        second = qa.post_answer(
            cast.facilitator, qa_world["post"], body="Cuisenaire rods, then fraction strips."
        )
        qa.rate_answer(cast.member, qa_world["answer"], value=3)
        qa.rate_answer(cast.member, second, value=5)
        for i in range(3):  # many posts earn nothing on the leaderboard
            qa.create_post(
                cast.coordinator, community, title=f"Busy poster question {i}", body="Hm?"
            )
    page = cast.client("member").get(url).content.decode()
    assert page.index(cast.facilitator.display_name) < page.index(cast.expert.display_name)
    assert cast.coordinator.display_name not in page.split("<ol")[1]
    services.update_preferences(cast.facilitator, leaderboard_opt_out=True)
    page = cast.client("member").get(url).content.decode()
    assert cast.facilitator.display_name not in page.split("<ol")[1]


# --- Pages and the API --------------------------------------------------------------------------


def test_profile_shows_level_progress_badges_and_kudos(
    cast: Cast, qa_world: dict[str, Any], capture_events: Any
) -> None:
    with capture_events():
        qa.rate_answer(cast.member, qa_world["answer"], value=5, note="Folding works")
    services.give_kudos(
        cast.member, cast.expert, cast.org_community, note="Thank you for the folding idea"
    )
    page = (
        cast.client("member")
        .get(reverse("accounts:person", args=[cast.expert.pk]))
        .content.decode()
    )
    assert "Recognition" in page and "Newcomer" in page
    assert 'role="progressbar"' in page and "Next: <strong>Member</strong>" in page
    assert "Taught Something" in page and "Thank you for the folding idea" in page
    full = (
        cast.client("member")
        .get(reverse("recognition:person", args=[cast.expert.pk]))
        .content.decode()
    )
    assert "answer rated" in full


def test_profile_query_count_does_not_grow_with_data(
    cast: Cast, django_assert_max_num_queries: Any, capture_events: Any
) -> None:
    url = reverse("accounts:person", args=[cast.expert.pk])
    client = cast.client("member")
    client.get(url)
    with CaptureQueries() as small:
        client.get(url)
    for community in (cast.org_community, cast.public_community, cast.private_community):
        with capture_events():
            post = qa.create_post(cast.member, community, title="Grouping strategies?", body="Hm")
            answer = qa.post_answer(
                cast.expert, post, body="Mixed-attainment pairs, rotated weekly."
            )
            qa.rate_answer(cast.member, answer, value=5, note="Pairs")
            qa.rate_answer(cast.facilitator, answer, value=4, note="Rotation")
        services.give_kudos(cast.member, cast.expert, community, note="Thanks for the pairs idea")
    with CaptureQueries() as big:
        client.get(url)
    assert len(big) <= len(small) + 2, (len(small), len(big))


class CaptureQueries:
    def __enter__(self) -> list[Any]:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        self.ctx = CaptureQueriesContext(connection)
        self.ctx.__enter__()
        return self.ctx.captured_queries

    def __exit__(self, *exc: Any) -> None:
        self.ctx.__exit__(*exc)


def test_api_reputation_badges_and_definitions(
    cast: Cast, qa_world: dict[str, Any], capture_events: Any
) -> None:
    with capture_events():
        qa.rate_answer(cast.member, qa_world["answer"], value=4)
    client = cast.client("member")
    body = client.get(f"{API}/users/{cast.expert.pk}/reputation").json()
    assert body["total"] == sources.RATING_POINTS[4]
    (standing,) = body["communities"]
    assert standing["slug"] == cast.org_community.slug and standing["level"] == "newcomer"
    assert [b["label"] for b in standing["progress"]] == [
        "Reputation",
        "People helped",
        "Days active",
    ]
    assert body["recent"][0]["reason"] == "answer_rated"
    awards = client.get(f"{API}/users/{cast.expert.pk}/badges").json()
    assert awards["count"] == 1
    assert awards["items"][0]["assertion_url"].startswith("http://testserver/badges/assertions/")
    defs = Client().get(f"{API}/badges?page_size=100").json()
    assert defs["count"] >= 20 and defs["items"][0]["image_url"].endswith("image.svg")
    assert (
        cast.client("outsider").get(f"{API}/users/{cast.expert.pk}/reputation").status_code == 404
    )
    assert Client().get(f"{API}/users/{cast.expert.pk}/reputation").status_code == 401


def test_api_goals_and_kudos(cast: Cast) -> None:
    client = cast.client("facilitator")
    slug = cast.org_community.slug
    today = timezone.now().date()
    bad = {
        "title": "Open meetings",
        "metric": "members_opened",
        "target": 80,
        "starts_on": str(today),
        "ends_on": str(today - timedelta(days=1)),
    }
    response = client.post(f"{API}/communities/{slug}/goals", bad, content_type="application/json")
    assert response.status_code == 422 and "ends_on" in response.json()["errors"]
    good = {**bad, "ends_on": str(today + timedelta(days=60))}
    response = client.post(f"{API}/communities/{slug}/goals", good, content_type="application/json")
    assert response.status_code == 201 and response.json()["percent"] == 0
    listed = cast.client("member").get(f"{API}/communities/{slug}/goals").json()
    assert listed["count"] == 1 and listed["items"][0]["metric"] == "members_opened"
    response = client.post(
        f"{API}/users/{cast.member.pk}/kudos",
        {"community": slug, "note": "Great facilitation notes"},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 201
    kudos = cast.client("expert").get(f"{API}/users/{cast.member.pk}/kudos").json()
    assert kudos["items"][0]["note"] == "Great facilitation notes"
    response = client.post(
        f"{API}/users/{cast.member.pk}/kudos", {"community": slug, "note": "x" * 400},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 422 and Kudos.objects.count() == 1


def test_badge_catalogue_and_images_are_public(cast: Cast) -> None:
    page = Client().get(reverse("recognition:badges")).content.decode()
    assert "Open Door" in page and "Mentor" in page
    svg = Client().get(reverse("recognition:badge-image", args=["open-door"]))
    assert svg.status_code == 200 and svg["Content-Type"] == "image/svg+xml"
    assert Client().get(reverse("recognition:badge", args=["no-such"])).status_code in (302, 404)
