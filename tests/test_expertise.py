"""Earned expertise, who knows about X, routing (fairness cap, re-routing, asking by name).

Q&A history is written with ``practica.expertise.testing`` (rows + the contract's events, as
the Q&A services emit them); everything the expertise app does is observed through HTTP.
"""

from __future__ import annotations

import json
import math
import random
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from practica.accounts import services as account_services
from practica.accounts.models import DeclaredExpertise, User
from practica.communities.models import Community, Membership, Role
from practica.expertise import scores
from practica.expertise import testing as qa
from practica.expertise.models import EarnedExpertise, Routing, RoutingReason
from practica.lib.testing import PASSWORD, Cast
from practica.notifications.models import Notification
from practica.qa.models import PostKind
from practica.realtime.bus import Event
from practica.scheduling.services import run_due

Capture = Callable[[], AbstractContextManager[list[Event]]]
API = "/api/v1"


def _person(key: str, community: Community, role: str = Role.MEMBER) -> User:
    user = account_services.create_user(f"{key}@riverside.test", PASSWORD, name=key.title())
    Membership.objects.create(community=community, user=user, role=role)
    return user


def _api(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _experts(user: User, community: Community, **params: str) -> dict[str, Any]:
    response = _api(user).get(f"{API}/communities/{community.slug}/experts", params)
    assert response.status_code == 200, response.content
    return response.json()


def _ids(block: dict[str, Any]) -> list[int]:
    return [item["id"] for item in block["items"]]


# --- The formula --------------------------------------------------------------------------------


def test_earned_expertise_follows_the_documented_formula(cast: Cast, capture: Capture) -> None:
    c = cast.org_community
    fractions = qa.tag(c, "fractions")
    with capture():
        post = qa.ask(cast.member, c, "How do I teach fraction division?", [fractions])
        a = qa.answer(cast.expert, post)
        qa.rate(cast.member, a, 5)
        qa.rate(cast.facilitator, a, 4)
        qa.accept(cast.member, post, a)
    expected = (4.5 - 3) * math.log2(3) + scores.ACCEPT_BONUS
    body = _experts(cast.member, c, tag="fractions")
    [row] = body["earned"]["items"]
    assert row["id"] == cast.expert.pk
    assert row["earned"] == pytest.approx(expected, abs=1e-3)
    assert row["tags"] == [
        {"tag": "fractions", "score": pytest.approx(expected, abs=1e-3), "answers": 1,
         "ratings": 2, "accepted": 1}
    ]  # fmt: skip


def test_ratings_of_three_or_less_add_nothing_and_never_subtract(
    cast: Cast, capture: Capture
) -> None:
    c = cast.org_community
    t = qa.tag(c, "grading")
    with capture():
        post = qa.ask(cast.member, c, "Standards-based grading?", [t])
        good = qa.answer(cast.expert, post)
        meh = qa.answer(cast.expert, post)
        qa.rate(cast.member, good, 5)
        qa.rate(cast.member, meh, 1)
        qa.rate(cast.facilitator, meh, 3)
    row = EarnedExpertise.objects.get(user=cast.expert, tag=t)
    assert row.score == pytest.approx(2.0)
    assert row.answers == 1  # only the answer with evidence counts


def test_forty_ratings_averaging_4_6_outweigh_one_five() -> None:
    forty = scores.answer_evidence(184, 40, accepted=False)  # mean 4.6
    one = scores.answer_evidence(5, 1, accepted=False)
    assert forty > one > 0


@given(
    ratings=st.lists(st.integers(1, 5), min_size=1, max_size=30),
    index=st.integers(0, 29),
    accepted=st.booleans(),
)
def test_evidence_is_non_negative_and_monotone_in_each_rating(
    ratings: list[int], index: int, accepted: bool
) -> None:
    base = scores.answer_evidence(sum(ratings), len(ratings), accepted)
    assert base >= 0
    i = index % len(ratings)
    if ratings[i] < 5:
        raised = [*ratings[:i], ratings[i] + 1, *ratings[i + 1 :]]
        assert scores.answer_evidence(sum(raised), len(raised), accepted) >= base
    assert scores.answer_evidence(sum(ratings), len(ratings), True) >= base


def test_withdrawing_deleting_and_retagging_recompute_the_rows(
    cast: Cast, capture: Capture
) -> None:
    c = cast.org_community
    algebra, geometry = qa.tag(c, "algebra"), qa.tag(c, "geometry")
    with capture():
        post = qa.ask(cast.member, c, "Factoring quadratics", [algebra])
        a = qa.answer(cast.expert, post)
        qa.rate(cast.member, a, 5)
    assert EarnedExpertise.objects.filter(user=cast.expert, tag=algebra).exists()
    with capture():
        qa.retag(cast.facilitator, post, [geometry])
    assert not EarnedExpertise.objects.filter(user=cast.expert, tag=algebra).exists()
    assert EarnedExpertise.objects.get(user=cast.expert, tag=geometry).score == pytest.approx(2)
    with capture():
        qa.delete_answer(cast.facilitator, a)
    assert not EarnedExpertise.objects.filter(user=cast.expert).exists()
    with capture():
        qa.delete_answer(cast.facilitator, a, restore=True)
        qa.rate(cast.member, a, 0)  # withdrawn
    assert not EarnedExpertise.objects.filter(user=cast.expert).exists()
    with capture():
        qa.rate(cast.member, a, 4)
        qa.delete_post(cast.facilitator, post)
    assert not EarnedExpertise.objects.filter(user=cast.expert).exists()
    with capture():
        qa.delete_post(cast.facilitator, post, restore=True)
    assert EarnedExpertise.objects.get(user=cast.expert, tag=geometry).score == pytest.approx(1)


def test_changing_the_accepted_answer_moves_the_bonus(cast: Cast, capture: Capture) -> None:
    c = cast.org_community
    t = qa.tag(c, "proof")
    with capture():
        post = qa.ask(cast.member, c, "Two-column proofs?", [t])
        first = qa.answer(cast.expert, post)
        second = qa.answer(cast.facilitator, post)
        qa.accept(cast.member, post, first)
    assert EarnedExpertise.objects.get(user=cast.expert).score == scores.ACCEPT_BONUS
    with capture():
        qa.accept(cast.member, post, second)
    assert not EarnedExpertise.objects.filter(user=cast.expert).exists()
    assert EarnedExpertise.objects.get(user=cast.facilitator).accepted == 1


def test_recompute_command_equals_the_live_values_on_a_random_history(
    cast: Cast, capture: Capture
) -> None:
    rng = random.Random(20261128)
    c = cast.org_community
    people = [cast.member, cast.expert, cast.facilitator, cast.coordinator]
    tags = [qa.tag(c, s) for s in ("ratio", "slope", "area", "probability")]
    posts: list[Any] = []
    answers: list[Any] = []
    with capture():
        for step in range(160):
            roll = rng.random()
            if roll < 0.15 or not posts:
                posts.append(qa.ask(rng.choice(people), c, f"Q{step}", rng.sample(tags, 2)))
            elif roll < 0.35:
                answers.append(qa.answer(rng.choice(people), rng.choice(posts)))
            elif roll < 0.75 and answers:
                a = rng.choice(answers)
                rater = rng.choice([p for p in people if p.pk != a.author_id])
                qa.rate(rater, a, rng.choice([0, 1, 2, 3, 4, 5, 5]))
            elif roll < 0.85 and answers:
                a = rng.choice(answers)
                qa.accept(cast.facilitator, a.post, rng.choice([a, a, None]))
            elif roll < 0.92 and answers:
                a = rng.choice(answers)
                qa.delete_answer(cast.facilitator, a, restore=a.deleted_at is not None)
            else:
                post = rng.choice(posts)
                if rng.random() < 0.5:
                    qa.retag(cast.facilitator, post, rng.sample(tags, rng.randint(0, 3)))
                else:
                    qa.delete_post(cast.facilitator, post, restore=post.deleted_at is not None)

    def snapshot() -> dict[tuple[int, int], tuple[float, int, int, int]]:
        return {
            (r.user_id, r.tag_id): (r.score, r.answers, r.ratings, r.accepted)
            for r in EarnedExpertise.objects.all()
        }

    live = snapshot()
    assert len(live) >= 4  # the history produced real evidence
    EarnedExpertise.objects.all().delete()
    call_command("recompute-expertise", verbosity=0)
    assert snapshot() == live
    call_command("recompute-expertise", verbosity=0)  # idempotent
    assert snapshot() == live


def test_expertise_by_user_contract(cast: Cast, capture: Capture) -> None:
    c = cast.org_community
    t1, t2 = qa.tag(c, "t-one"), qa.tag(c, "t-two")
    with capture():
        post = qa.ask(cast.member, c, "Both tags", [t1, t2])
        qa.rate(cast.member, qa.answer(cast.expert, post), 5)
    got = scores.expertise_by_user(c.pk, [cast.expert.pk, cast.member.pk], [t1.pk, t2.pk])
    assert got == {cast.expert.pk: pytest.approx(4.0)}
    assert scores.expertise_by_user(c.pk, [], [t1.pk]) == {}


# --- Who knows about X --------------------------------------------------------------------------


def test_declared_expertise_is_listed_apart_and_after_evidence(
    cast: Cast, capture: Capture
) -> None:
    c = cast.org_community
    t = qa.tag(c, "number-talks", "Short daily mental math discussions")
    DeclaredExpertise.objects.create(user=cast.member, slug="number-talks", label="Number talks")
    DeclaredExpertise.objects.create(user=cast.expert, slug="number-talks", label="Number talks")
    # Someone outside the community who declared it never shows.
    DeclaredExpertise.objects.create(user=cast.outsider, slug="number-talks", label="Number talks")
    with capture():
        post = qa.ask(cast.coordinator, c, "Number talks for grade 9?", [t])
        qa.rate(cast.coordinator, qa.answer(cast.expert, post), 4)
    body = _experts(cast.member, c, tag="number-talks")
    assert _ids(body["earned"]) == [cast.expert.pk]
    assert _ids(body["declared"]) == [cast.member.pk]  # the expert is not listed twice
    assert body["declared"]["items"][0]["declared"] == ["Number talks"]
    # Words find the tag by its description, and the same lists come back.
    by_words = _experts(cast.member, c, q="mental math")
    assert [t["slug"] for t in by_words["tags"]] == ["number-talks"]
    assert _ids(by_words["earned"]) == [cast.expert.pk]
    page = cast.client("member").get(reverse("expertise:experts", args=[c.slug]), {"q": "talks"})
    html = page.content.decode().split('id="xp-results"', 1)[1]
    assert page.status_code == 200
    assert html.index("Ethan Expert") < html.index("Mia Member")
    assert ">declared<" in html


def test_experts_are_ordered_by_strength_and_limited_to_members(
    cast: Cast, capture: Capture
) -> None:
    c = cast.org_community
    t = qa.tag(c, "modeling")
    with capture():
        post = qa.ask(cast.member, c, "Modeling tasks", [t])
        strong, weak = qa.answer(cast.expert, post), qa.answer(cast.facilitator, post)
        qa.rate(cast.member, strong, 5)
        qa.rate(cast.coordinator, strong, 5)
        qa.rate(cast.member, weak, 4)
    assert _ids(_experts(cast.member, c, tag="modeling")["earned"]) == [
        cast.expert.pk,
        cast.facilitator.pk,
    ]
    Membership.objects.filter(community=c, user=cast.facilitator).delete()
    assert _ids(_experts(cast.member, c, tag="modeling")["earned"]) == [cast.expert.pk]


def test_experts_page_and_api_cost_constant_queries(cast: Cast, capture: Capture) -> None:
    c = cast.org_community
    t = qa.tag(c, "tasks")

    def add_experts(n: int) -> None:
        with capture():
            post = qa.ask(cast.member, c, "Rich tasks", [t])
            for i in range(n):
                person = _person(f"p{Membership.objects.count()}x{i}", c)
                DeclaredExpertise.objects.create(user=person, slug="tasks", label="Tasks")
                qa.rate(cast.member, qa.answer(person, post), 5)

    def cost() -> int:
        client = cast.client("member")
        url = reverse("expertise:experts", args=[c.slug])
        with CaptureQueriesContext(connection) as page:
            assert client.get(url, {"tag": "tasks"}).status_code == 200
        with CaptureQueriesContext(connection) as api:
            _experts(cast.member, c, tag="tasks")
        return len(page) + len(api)

    add_experts(2)
    small = cost()
    add_experts(12)
    assert cost() == small


def test_bad_search_input_is_harmless(cast: Cast) -> None:
    c = cast.org_community
    body = _experts(cast.member, c, q="x" * 5000)
    assert body["earned"]["items"] == [] and len(body["q"]) <= 100
    assert _experts(cast.member, c, tag="no-such-tag")["tags"] == []


# --- Routing ------------------------------------------------------------------------------------


def _expertise_in(t: Any, c: Community, people: list[User], rater: User, capture: Capture) -> None:
    """Give each person evidence in ``t``, strongest first (more 5-star ratings)."""
    with capture():
        post = qa.ask(rater, c, f"Background on {t.slug}", [t], kind=PostKind.SUCCESS)
        for rank, person in enumerate(people):
            a = qa.answer(person, post)
            for i in range(len(people) - rank):
                qa.rate(_person(f"r{person.pk}x{rank}x{i}", c), a, 5)


def test_a_question_goes_to_the_three_strongest_members(cast: Cast, capture: Capture) -> None:
    c = cast.org_community
    t = qa.tag(c, "inquiry")
    people = [_person(f"e{i}", c) for i in range(5)]
    _expertise_in(t, c, people, cast.coordinator, capture)
    Membership.objects.filter(community=c, user=people[1]).delete()  # left: not routed
    with capture() as events:
        post = qa.ask(people[0], c, "How do I start inquiry labs?", [t])  # the asker: not routed
    routed = list(Routing.objects.filter(post=post).values_list("expert_id", flat=True))
    assert routed == [people[2].pk, people[3].pk, people[4].pk]
    assert {e.payload["expert_id"] for e in events if e.name == "expertise.question_routed"} == (
        set(routed)
    )
    notes = Notification.objects.filter(kind="question_routed", recipient_id__in=routed)
    assert notes.count() == 3
    # Successes are not routed.
    with capture():
        success = qa.ask(cast.member, c, "What worked", [t], kind=PostKind.SUCCESS)
    assert not Routing.objects.filter(post=success).exists()


def test_fairness_cap_skips_experts_holding_three_unanswered(cast: Cast, capture: Capture) -> None:
    c = cast.org_community
    t = qa.tag(c, "feedback")
    people = [_person(f"f{i}", c) for i in range(4)]
    _expertise_in(t, c, people, cast.coordinator, capture)
    with capture():
        questions = [qa.ask(cast.member, c, f"Feedback {i}", [t]) for i in range(3)]
    top = people[0]
    assert Routing.objects.filter(expert=top).count() == 3
    with capture():
        fourth = qa.ask(cast.member, c, "Feedback 4", [t])
    assert set(Routing.objects.filter(post=fourth).values_list("expert_id", flat=True)) == {
        people[3].pk  # the three strongest each hold three open routings
    }
    with capture():
        qa.answer(top, questions[0])  # answering frees a slot
    assert Routing.objects.get(post=questions[0], expert=top).answered_at is not None
    with capture():
        fifth = qa.ask(cast.member, c, "Feedback 5", [t])
    assert top.pk in set(Routing.objects.filter(post=fifth).values_list("expert_id", flat=True))


def test_unanswered_questions_are_rerouted_after_the_community_delay(
    cast: Cast, capture: Capture
) -> None:
    c = cast.org_community
    t = qa.tag(c, "lab-safety")
    people = [_person(f"s{i}", c) for i in range(7)]
    _expertise_in(t, c, people, cast.coordinator, capture)
    coordinator = _api(cast.coordinator)
    response = coordinator.put(
        f"{API}/communities/{c.slug}/experts/settings",
        data=json.dumps({"reroute_after_hours": 6}),
        content_type="application/json",
    )
    assert response.status_code == 200
    with capture():
        post = qa.ask(cast.member, c, "Goggles policy?", [t])
        answered = qa.ask(cast.member, c, "Fume hoods?", [t])
    assert Routing.objects.filter(post=post).count() == 3
    now = timezone.now()
    with capture():
        qa.answer(cast.facilitator, answered)
        run_due(now=now + timedelta(hours=5))
    assert Routing.objects.filter(post=post).count() == 3  # not yet
    with capture():
        run_due(now=now + timedelta(hours=7))
    second = Routing.objects.filter(post=post, round=2)
    assert second.count() == 3
    assert set(second.values_list("reason", flat=True)) == {RoutingReason.REROUTED}
    assert set(second.values_list("expert_id", flat=True)) == {p.pk for p in people[3:6]}
    assert Routing.objects.filter(post=answered).count() == 3  # answered: not passed on
    with capture():
        run_due(now=now + timedelta(hours=8))  # nothing due again yet: no duplicates
        run_due(now=now + timedelta(hours=14))
    assert list(Routing.objects.filter(post=post, round=3).values_list("expert_id", flat=True)) == [
        people[6].pk
    ]


def test_bad_routing_settings_change_nothing(cast: Cast) -> None:
    c = cast.org_community
    for bad in (0, 10_000):
        response = _api(cast.coordinator).put(
            f"{API}/communities/{c.slug}/experts/settings",
            data=json.dumps({"reroute_after_hours": bad}),
            content_type="application/json",
        )
        assert response.status_code == 422
        assert "reroute_after_hours" in response.json()["errors"]
    body = _api(cast.member).get(f"{API}/communities/{c.slug}/experts/settings").json()
    assert body == {"reroute_after_hours": 24}


def _ask(user: User, post_id: int, **body: Any) -> Any:
    return _api(user).post(
        f"{API}/questions/{post_id}/routings",
        data=json.dumps(body),
        content_type="application/json",
    )


def test_ask_an_expert_by_name_and_its_errors(cast: Cast, capture: Capture) -> None:
    c = cast.org_community
    t = qa.tag(c, "calculus")
    with capture():
        post = qa.ask(cast.member, c, "Limits intuition?", [t])
    with capture():
        ok = _ask(cast.member, post.pk, expert="ethan expert")
    assert ok.status_code == 201, ok.content
    assert ok.json()["reason"] == "asked" and ok.json()["expert"]["id"] == cast.expert.pk
    assert Notification.objects.filter(recipient=cast.expert, kind="question_routed").exists()
    cases: list[tuple[User, dict[str, Any], int, str]] = [
        (cast.facilitator, {"expert_id": cast.coordinator.pk}, 403, "forbidden"),
        (cast.member, {"expert_id": cast.member.pk}, 422, "invalid"),
        (cast.member, {"expert": "Olive Outsider"}, 422, "invalid"),
        (cast.member, {"expert": "nobody at all"}, 422, "invalid"),
        (cast.member, {}, 422, "invalid"),
        (cast.member, {"expert": "ethan@riverside.test"}, 409, "already_asked"),
    ]
    for who, body, status, code in cases:
        response = _ask(who, post.pk, **body)
        assert response.status_code == status, (body, response.content)
        assert response.json()["code"] == code
        assert response.json()["detail"]
    assert Routing.objects.filter(post=post).count() == 1  # nothing else changed
    # Busy: the coordinator already holds three unanswered routed questions.
    for i in range(3):
        with capture():
            other = qa.ask(cast.member, c, f"Other {i}", [t])
            _ask(cast.member, other.pk, expert_id=cast.coordinator.pk)
    busy = _ask(cast.member, post.pk, expert_id=cast.coordinator.pk)
    assert busy.status_code == 409 and busy.json()["code"] == "expert_busy"


def test_ask_form_reports_errors_on_the_question_page(cast: Cast, capture: Capture) -> None:
    c = cast.org_community
    with capture():
        post = qa.ask(cast.member, c, "Desmos activities?", [qa.tag(c, "tech")])
    url = reverse("expertise:ask", args=[c.slug, post.pk])
    client = cast.client("member")
    response = client.post(url, {"expert": "Mia Member"})
    assert response.status_code == 302
    assert "choose someone else" in " ".join(str(m) for m in get_messages(response.wsgi_request))
    response = client.post(url, {"expert": "Fatima Facilitator"})
    assert response.status_code == 302
    assert Routing.objects.filter(post=post, expert=cast.facilitator).exists()
    assert cast.client("expert").post(url, {"expert": "Fatima Facilitator"}).status_code == 403


def test_routing_is_visible_to_the_asker_and_facilitators_only(
    cast: Cast, capture: Capture, rf: Any
) -> None:
    from practica.expertise.panels import routing_panel

    c = cast.org_community
    with capture():
        post = qa.ask(cast.member, c, "Exit tickets?", [qa.tag(c, "assessment")])
        _ask(cast.member, post.pk, expert_id=cast.expert.pk)
    url = f"{API}/questions/{post.pk}/routings"
    expected = {"member": 200, "facilitator": 200, "coordinator": 200, "expert": 403}
    for who, status in expected.items():
        response = _api(getattr(cast, who)).get(url)
        assert response.status_code == status, who
    assert _api(cast.outsider).get(url).status_code == 404
    request = rf.get("/")
    request.user = cast.member
    panel = routing_panel(request, post)
    assert panel is not None and panel["is_asker"]
    assert [r.expert_id for r in panel["routings"]] == [cast.expert.pk]
    request.user = cast.expert
    assert routing_panel(request, post) is None


@pytest.fixture
def capture(capture_events: Capture) -> Capture:
    return capture_events


# --- End to end through the Q&A app's own API and question page ---------------------------------


def test_end_to_end_through_the_qa_api(cast: Cast, capture: Capture) -> None:
    """Real Q&A services: rating and accepting earn expertise, the next question is routed to
    the expert, the routing shows on the question page, and answering marks it answered."""
    c = cast.org_community
    qa.tag(c, "fractions")
    member, expert = _api(cast.member), _api(cast.expert)

    def post(client: Client, path: str, body: dict[str, Any], method: str = "post") -> Any:
        response = getattr(client, method)(
            f"{API}{path}", data=json.dumps(body), content_type="application/json"
        )
        assert response.status_code in (200, 201), response.content
        return response.json()

    question = {"title": "Dividing fractions with area models?", "body": "How do you start?",
                "tags": ["fractions"], "type": "question"}  # fmt: skip
    with capture():
        first = post(member, f"/communities/{c.slug}/questions", question)["id"]
        answer = post(expert, f"/questions/{first}/answers", {"body": "Start with 1/2 ÷ 1/4."})
        post(member, f"/answers/{answer['id']}/rating", {"educational_value": 5}, "put")
        post(member, f"/answers/{answer['id']}/accept", {})
    [row] = _experts(cast.member, c, tag="fractions")["earned"]["items"]
    assert row["id"] == cast.expert.pk
    assert row["earned"] == pytest.approx(2 + scores.ACCEPT_BONUS, abs=1e-3)
    with capture():
        second = post(member, f"/communities/{c.slug}/questions", {**question, "title": "Next?"})
    routing = Routing.objects.get(post_id=second["id"])
    assert routing.expert_id == cast.expert.pk and routing.reason == RoutingReason.EARNED
    page = cast.client("member").get(reverse("qa:question", args=[c.slug, second["id"]]))
    assert page.status_code == 200
    panel = page.content.decode().split("Asked of experts", 1)[1]
    assert "Ethan Expert" in panel and "earned expertise" in panel
    other_reader = cast.client("org_member").get(
        reverse("qa:question", args=[c.slug, second["id"]])
    )
    assert "Asked of experts" not in other_reader.content.decode()
    with capture():
        post(expert, f"/questions/{second['id']}/answers", {"body": "Use a number line."})
    routing.refresh_from_db()
    assert routing.answered_at is not None


def test_demo_routing_routes_one_question_and_passes_another_on(
    cast: Cast, capture: Capture
) -> None:
    """The demo's routing step (run on the Q&A demo's questions) on a small history."""
    from practica.expertise import demo

    c = cast.org_community
    t = qa.tag(c, "ratios")
    people = [_person(f"d{i}", c) for i in range(5)]
    _expertise_in(t, c, people, cast.coordinator, capture)
    first = qa.ask(cast.member, c, "Ratio tables?", [t])  # not delivered: the demo routes them
    second = qa.ask(people[4], c, "Double number lines?", [t])
    demo._route_demo_questions(c, {"priya": cast.expert})
    assert set(Routing.objects.filter(post=first).values_list("round", flat=True)) == {1, 2}
    assert Routing.objects.filter(post=first, reason=RoutingReason.REROUTED).count() == 2
    reasons = set(Routing.objects.filter(post=second).values_list("reason", flat=True))
    assert reasons == {RoutingReason.EARNED, RoutingReason.ASKED}


def test_rerouting_turns_to_declared_members_once_evidence_runs_out(
    cast: Cast, capture: Capture
) -> None:
    c = cast.org_community
    t = qa.tag(c, "statistics")
    strong = _person("st0", c)
    _expertise_in(t, c, [strong], cast.coordinator, capture)
    declared = [_person(f"dc{i}", c) for i in range(3)]
    for person in [*declared, cast.member]:
        DeclaredExpertise.objects.create(user=person, slug="statistics", label="Statistics")
    DeclaredExpertise.objects.create(user=cast.outsider, slug="statistics", label="Statistics")
    with capture():
        post = qa.ask(cast.member, c, "Teaching p-values?", [t])
    # First round: evidence only, never a mere declaration.
    assert list(Routing.objects.filter(post=post).values_list("expert_id", flat=True)) == [
        strong.pk
    ]
    with capture():
        run_due(now=timezone.now() + timedelta(hours=25))
    second = set(Routing.objects.filter(post=post, round=2).values_list("expert_id", flat=True))
    assert second == {p.pk for p in declared}  # not the asker, not a non-member


def test_a_question_answered_before_its_event_arrives_is_not_routed(
    cast: Cast, capture: Capture
) -> None:
    from practica.expertise import services

    c = cast.org_community
    t = qa.tag(c, "vectors")
    _expertise_in(t, c, [cast.expert], cast.coordinator, capture)
    post = qa.ask(cast.member, c, "Vectors in physics and math?", [t])  # event not delivered
    qa.answer(cast.facilitator, post)
    post.refresh_from_db()
    assert services.route_new_post(post.pk) == []
    assert not Routing.objects.filter(post=post).exists()
