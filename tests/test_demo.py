"""The demo data (practica/demo.py) and ``practica demo``."""

from __future__ import annotations

import io
import zoneinfo

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import models
from django.test import TestCase

from practica.accounts import services
from practica.accounts.models import (
    DeclaredExpertise,
    Organization,
    OrganizationKind,
    OrgMembership,
    OrgRole,
    User,
)
from practica.communities import access
from practica.communities.models import (
    Community,
    CommunityInvitation,
    JoinPolicy,
    JoinRequest,
    Membership,
    RequestStatus,
    Role,
    Visibility,
)
from practica.demo import (
    COMMUNITIES,
    DEMO_LOGINS,
    DEMO_PASSWORD,
    NETWORK_SLUG,
    ORGANIZATIONS,
    PEOPLE,
    is_loaded,
    load_demo,
)
from practica.web.management.commands.serve import _demo_lines

MODELS: tuple[type[models.Model], ...] = (
    Organization,
    OrgMembership,
    User,
    EmailAddress,
    DeclaredExpertise,
    Community,
    Membership,
    JoinRequest,
    CommunityInvitation,
)


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def _user(email: str) -> User:
    return User.objects.get(email=email)


def _district_of(user: User) -> Organization:
    """The district above (or at) the organization the user is a member of."""
    org = OrgMembership.objects.select_related("organization").get(user=user).organization
    return Organization.objects.get(pk__in=org.ancestor_ids, kind=OrganizationKind.DISTRICT)


class TestTheDemo(TestCase):
    """The demo is loaded once for these read-only checks (``setUpTestData``); each test then
    runs in its own savepoint, as with the ``demo`` fixture, without paying for a reload."""

    before: dict[str, int]

    @classmethod
    def setUpTestData(cls) -> None:
        cls.before = _counts()
        assert load_demo() is True

    def test_demo_loads_the_network_people_and_communities(self) -> None:
        demo = self.before
        counts = {name: n - demo[name] for name, n in _counts().items()}

        assert counts["Organization"] == len(ORGANIZATIONS) == 9
        assert counts["User"] == len(PEOPLE) >= 20
        assert counts["EmailAddress"] == len(PEOPLE)
        assert counts["Community"] == len(COMMUNITIES) == 3
        assert counts["Membership"] == sum(1 + len(spec.members) for spec in COMMUNITIES)
        kinds = Organization.objects.filter(
            path__startswith=Organization.objects.get(slug=NETWORK_SLUG).path
        ).values_list("kind", flat=True)
        assert sorted(set(kinds)) == ["district", "network", "school"]
        network = Organization.objects.get(slug=NETWORK_SLUG)
        assert network.children.filter(kind=OrganizationKind.DISTRICT).count() == 2
        for district in network.children.all():
            assert 2 <= district.children.filter(kind=OrganizationKind.SCHOOL).count() <= 3

    def test_demo_is_idempotent(self) -> None:
        before = _counts()

        assert load_demo() is False

        assert _counts() == before
        assert is_loaded()

    def test_demo_people_have_full_profiles(self) -> None:
        demo_people = User.objects.filter(email__in=[p.email for p in PEOPLE])
        assert demo_people.count() == len(PEOPLE)
        for user in demo_people.exclude(is_staff=True):
            assert user.name, user.email
            assert user.title, user.email
            assert user.bio, user.email
            assert user.timezone in zoneinfo.available_timezones()
            assert user.expertise.exists(), user.email
            assert OrgMembership.objects.filter(user=user).exists(), user.email
        assert User.objects.exclude(timezone="America/Los_Angeles").exists()
        assert not EmailAddress.objects.filter(verified=False).exists()

    def test_demo_has_the_roles_a_school_network_has(self) -> None:
        titles = list(
            User.objects.filter(email__in=[p.email for p in PEOPLE]).values_list("title", flat=True)
        )
        for fragment in ("Teacher", "Principal", "Coach", "Superintendent", "Network Coordinator"):
            assert any(fragment in title for title in titles), fragment
        assert OrgMembership.objects.filter(
            role=OrgRole.ADMIN, organization__kind=OrganizationKind.DISTRICT
        ).exists()

    def test_every_demo_community_has_a_coordinator_and_true_counts(self) -> None:
        for community in Community.objects.all():
            assert community.memberships.filter(role=Role.COORDINATOR).exists(), community.slug
            assert community.member_count == community.memberships.count(), community.slug
        used = set(Membership.objects.values_list("role", flat=True))
        assert used == set(Role.values)

    def test_site_leaders_circle_spans_both_districts(self) -> None:
        circle = Community.objects.get(slug="site-leaders-circle")

        assert circle.organization.slug == NETWORK_SLUG
        assert circle.organization.kind == OrganizationKind.NETWORK
        assert "principal" in circle.purpose.lower()
        principals = [
            m.user for m in circle.memberships.select_related("user") if "Principal" in m.user.title
        ]
        assert len({_district_of(p).slug for p in principals}) == 2

    def test_demo_has_pending_requests_and_invitations(self) -> None:
        request = JoinRequest.objects.get(status=RequestStatus.PENDING)
        assert request.community.join_policy == JoinPolicy.REQUEST
        assert request.message
        invitation = CommunityInvitation.objects.get(status=RequestStatus.PENDING)
        assert invitation.community.slug == "site-leaders-circle"
        assert not Membership.objects.filter(
            community=invitation.community, user=invitation.user
        ).exists()

    def test_demo_respects_the_access_gate(self) -> None:
        circle = Community.objects.get(slug="site-leaders-circle")
        literacy = Community.objects.get(slug="early-literacy")
        math = Community.objects.get(slug="secondary-math")
        principal = _user("elena.marquez@cedarcreek.test")
        teacher = _user("hannah.liu@cedarcreek.test")
        district_admin = _user("thomas.whitfield@cedarcreek.test")
        coach = _user("jasmine.ortiz@manzanita.test")

        assert circle.visibility == Visibility.PRIVATE
        assert access.can_view_community(principal, circle)
        assert not access.can_view_community(district_admin, circle)  # candor needs privacy
        assert access.can_view_community(teacher, math)
        assert not access.can_view_community(teacher, literacy)  # another district's community
        assert access.can_manage_members(coach, literacy)
        assert access.can_admin_org(district_admin, math.organization)

    def test_demo_logins_work_with_the_shared_password(self) -> None:
        assert 4 <= len(DEMO_LOGINS) <= 5
        for email, description in DEMO_LOGINS:
            assert description
            assert authenticate(email=email, password=DEMO_PASSWORD) == _user(email)
        assert _user("admin@practica.test").is_staff
        assert authenticate(email="hannah.liu@cedarcreek.test", password="wrong") is None


def test_demo_refuses_to_overwrite_a_real_account_and_keeps_nothing(db: None) -> None:
    services.create_user("admin@practica.test", "someone's real password", name="Real Admin")
    before = _counts()

    with pytest.raises(CommandError, match=r"admin@practica\.test"):
        call_command("demo", stdout=io.StringIO())

    assert _counts() == before
    assert not is_loaded()
    assert _user("admin@practica.test").name == "Real Admin"


def test_demo_command_loads_once_and_prints_the_logins(db: None) -> None:
    first, second = io.StringIO(), io.StringIO()

    call_command("demo", stdout=first)
    counts = _counts()
    call_command("demo", stdout=second)

    assert "Loaded the demo" in first.getvalue()
    assert "already loaded" in second.getvalue()
    assert _counts() == counts
    for out in (first, second):
        assert DEMO_PASSWORD in out.getvalue()
        assert all(email in out.getvalue() for email, _ in DEMO_LOGINS)


def test_serve_announces_demo_logins_only_when_loaded(db: None) -> None:
    assert _demo_lines() == []

    load_demo()

    lines = "\n".join(_demo_lines())
    assert DEMO_PASSWORD in lines
    assert "admin@practica.test" in lines
