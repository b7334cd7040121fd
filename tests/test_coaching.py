"""Coaching and mentoring through HTTP: asking, deciding, the private workspace (goals with one
stretch goal, check-ins, stretch assignments), and suggestions for isolated members."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from practica.accounts import services as accounts
from practica.accounts.models import (
    DeclaredExpertise,
    Organization,
    OrganizationKind,
    OrgMembership,
    User,
)
from practica.accounts.services import create_api_token
from practica.lib.testing import PASSWORD, Cast
from practica.notifications.models import Notification
from practica.practice.coaching import matching, services
from practica.practice.coaching.models import Goal, Kind, MatchRequest, Relationship

pytestmark = pytest.mark.django_db
API = "/api/v1"


def _bearer(user: Any) -> Client:
    _, raw = create_api_token(user, name="t")
    return Client(headers={"Authorization": f"Bearer {raw}"})


def _pair(cast: Cast) -> Relationship:
    ask = services.request_match(
        cast.member, cast.expert, kind=Kind.COACHING, message="Questioning"
    )
    found = services.decide(cast.expert, ask.pk, accept=True, focus="Questioning")
    assert found is not None
    return found


def test_ask_accept_and_work_together(cast: Cast) -> None:
    client = cast.client("member")
    ask_url = reverse("coaching:ask", args=[cast.expert.pk])
    assert client.get(ask_url).status_code == 200
    response = client.post(ask_url, {"kind": "coaching", "message": "My questioning"})
    assert response.status_code == 302
    ask = MatchRequest.objects.get()
    assert Notification.objects.filter(recipient=cast.expert, kind="coaching_request").exists()
    # A second request while one is pending is refused, and nothing is added.
    client.post(ask_url, {"kind": "coaching"})
    assert MatchRequest.objects.count() == 1
    decided = cast.client("expert").post(
        reverse("coaching:decide", args=[ask.pk]), {"accept": "1", "focus": "Wait time"}
    )
    relationship = Relationship.objects.get()
    assert decided["Location"] == reverse("coaching:relationship", args=[relationship.pk])
    assert (relationship.coach, relationship.coachee) == (cast.expert, cast.member)
    page = client.get(decided["Location"]).content.decode()
    assert "Wait time" in page


def test_one_live_stretch_goal_and_progress_bounds(cast: Cast) -> None:
    r = _pair(cast)
    client = _bearer(cast.member)
    url = f"{API}/coaching/{r.pk}/goals"
    first = client.post(
        url, {"text": "Lead a lesson study", "stretch": True}, content_type="application/json"
    )
    assert first.status_code == 201
    second = client.post(
        url, {"text": "Publish a unit", "stretch": True}, content_type="application/json"
    )
    assert second.status_code == 409 and second.json()["code"] == "one_stretch"
    goal_id = first.json()["id"]
    bad = client.patch(
        f"{url}/{goal_id}", {"status": "open", "progress": 140}, content_type="application/json"
    )
    assert bad.status_code == 422
    done = client.patch(
        f"{url}/{goal_id}", {"status": "achieved", "progress": 40}, content_type="application/json"
    )
    assert done.json()["progress"] == 100
    assert Goal.objects.filter(relationship=r).count() == 1


def test_checkins_notify_the_other_and_refuse_the_future(cast: Cast) -> None:
    r = _pair(cast)
    client = cast.client("expert")
    url = reverse("coaching:checkin", args=[r.pk])
    future = (timezone.localdate() + timedelta(days=2)).isoformat()
    client.post(url, {"held_on": future, "notes": "Later"})
    assert not r.checkins.exists()
    client.post(url, {"held_on": timezone.localdate().isoformat(), "notes": "Good session."})
    assert r.checkins.count() == 1
    assert Notification.objects.filter(recipient=cast.member, kind="coaching_checkin").exists()


def test_only_the_coachee_completes_a_stretch_assignment(cast: Cast) -> None:
    r = _pair(cast)
    task = services.assign_stretch(cast.expert, r, title="Teach a research lesson")
    url = f"{API}/coaching/{r.pk}/assignments/{task.pk}/done"
    body = {"reflection": "Learned to watch students."}
    assert _bearer(cast.expert).post(url, body, content_type="application/json").status_code == 403
    ok = _bearer(cast.member).post(url, body, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["status"] == "done"


def test_the_workspace_is_private_to_the_two(cast: Cast) -> None:
    r = _pair(cast)
    for who in ("facilitator", "org_admin", "staff", "outsider"):
        assert (
            cast.client(who).get(reverse("coaching:relationship", args=[r.pk])).status_code == 404
        )
        assert _bearer(getattr(cast, who)).get(f"{API}/coaching/{r.pk}").status_code == 404


def test_an_ended_relationship_is_read_only(cast: Cast) -> None:
    r = _pair(cast)
    services.set_status(cast.member, r, "ended")
    response = _bearer(cast.expert).post(
        f"{API}/coaching/{r.pk}/checkins",
        {"held_on": timezone.localdate().isoformat(), "notes": "x"},
        content_type="application/json",
    )
    assert response.status_code == 409 and response.json()["code"] == "ended"


def test_people_one_may_not_see_cannot_be_asked(cast: Cast) -> None:
    response = _bearer(cast.member).post(
        f"{API}/coaching/requests",
        {"recipient_id": cast.outsider.pk, "kind": "mentoring"},
        content_type="application/json",
    )
    assert response.status_code == 404
    myself = _bearer(cast.member).post(
        f"{API}/coaching/requests",
        {"recipient_id": cast.member.pk, "kind": "mentoring"},
        content_type="application/json",
    )
    assert myself.status_code == 422
    assert not MatchRequest.objects.exists()


def _principal(name: str, email: str, org: Organization, tz: str = "America/Los_Angeles") -> User:
    user = accounts.create_user(email, PASSWORD, name=name)
    user.title, user.timezone = "Principal", tz
    user.save()
    OrgMembership.objects.create(organization=org, user=user)
    return user


def test_isolated_principals_are_matched_across_the_network(cast: Cast) -> None:
    """The only principal at a school sees principals at the network's other schools, ordered
    by complementary expertise and time-zone overlap; never someone outside the network."""
    network = cast.network
    hill = accounts.create_organization(
        None,
        name="Hillside MS",
        slug="hillside",
        kind=OrganizationKind.SCHOOL,
        parent=cast.district,
    )
    lake = accounts.create_organization(
        None, name="Lakeview ES", slug="lakeview", kind=OrganizationKind.SCHOOL, parent=network
    )
    me = _principal("Pat Lee", "pat@riverside.test", cast.school)
    near = _principal("Noa Park", "noa@hill.test", hill)
    far = _principal("Fay Gold", "fay@lake.test", lake, tz="Asia/Tokyo")
    _principal("Out Side", "out@elsewhere.test", cast.elsewhere)
    DeclaredExpertise.objects.create(user=far, slug="scheduling", label="Scheduling")
    assert matching.is_isolated(me)
    found = matching.suggestions(me)
    assert [s.person for s in found] == [near, far]  # Tokyo hours don't overlap LA's
    assert found[1].strengths == ["scheduling"]
    page = Client()
    page.force_login(me)
    body = page.get(reverse("coaching:find")).content.decode()
    assert "Noa Park" in body and "Out Side" not in body
    api = _bearer(me).get(f"{API}/coaching/suggestions").json()
    assert api["isolated"] is True and [i["person"]["name"] for i in api["items"]] == [
        "Noa Park",
        "Fay Gold",
    ]


def test_scoring_parts() -> None:
    assert matching.role_match("Principal", "principal") == 1
    assert matching.role_match("Assistant Principal", "Principal") == 0.5
    assert matching.role_match("Principal", "Librarian") == 0
    assert matching.zone_overlap("America/Los_Angeles", "America/Los_Angeles") == 1
    assert matching.zone_overlap("America/Los_Angeles", "America/Denver") == pytest.approx(8 / 9)
    assert matching.zone_overlap("America/Los_Angeles", "Asia/Tokyo") == 0
    assert matching.complementary({"a": 5}, {"a": 5}) == 0
    assert 0 < matching.complementary({}, {"a": 1}) < matching.complementary({}, {"a": 4}) < 1


def test_mentoring_and_stretch_work_earn_reputation(cast: Cast, capture_events: Any) -> None:
    """Coaching is a practice that reputation rewards: each check-in credits the coach, a
    completed stretch assignment credits the coachee (overall, not in a community)."""
    from practica.recognition.models import Reputation

    r = _pair(cast)
    with capture_events():
        services.check_in(cast.expert, r, held_on=timezone.localdate(), notes="Talked.")
        task = services.assign_stretch(cast.expert, r, title="Lead a study group")
        services.complete_stretch(cast.member, task, reflection="Harder than it looked.")
    assert Reputation.objects.get(user=cast.expert).total == 3
    assert Reputation.objects.get(user=cast.member).total == 5


def test_coaching_badges_are_awarded(cast: Cast, capture_events: Any) -> None:
    from practica.recognition.models import Award

    r = _pair(cast)
    with capture_events():
        task = services.assign_stretch(cast.expert, r, title="Lead a study group")
        services.complete_stretch(cast.member, task, reflection="Worth it.")
    assert Award.objects.filter(user=cast.member, badge__slug="stretched").exists()
