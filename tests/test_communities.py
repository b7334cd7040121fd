"""Communities through HTTP: create, join, request, invite, roles, leave — and what they emit."""

from __future__ import annotations

import pytest
from django.urls import reverse

from practica.accounts.models import OrgMembership
from practica.communities import services
from practica.communities.models import (
    Community,
    CommunityInvitation,
    JoinPolicy,
    JoinRequest,
    Membership,
    RequestStatus,
    Role,
)
from practica.lib.errors import Conflict
from practica.lib.testing import Cast

VALID = {
    "name": "Early Literacy Circle",
    "slug": "early-literacy",
    "organization": "riverside-high",
    "domain": "Teaching children to read",
    "purpose": "Share routines that help K-2 readers.",
    "visibility": "organization",
    "join_policy": "open",
}


def _create(cast: Cast, who: str = "org_member", **changes: str):
    return cast.client(who).post(reverse("communities:create"), {**VALID, **changes})


def test_a_member_creates_a_community_and_becomes_its_coordinator(
    cast: Cast, capture_events
) -> None:
    with capture_events() as events:
        response = _create(cast)
    assert response.status_code == 302
    assert response["Location"] == "/c/early-literacy/"
    community = Community.objects.get(slug="early-literacy")
    assert community.organization == cast.school
    assert community.member_count == 1
    assert Membership.objects.get(community=community).role == Role.COORDINATOR
    assert [e.name for e in events] == ["communities.community_created"]
    assert events[0].payload == {"community_id": community.pk, "actor_id": cast.org_member.pk}


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": "  "}, "name", "This field is required."),
        ({"name": "x" * 121}, "name", "at most 120"),
        ({"slug": "Not A Slug!"}, "slug", "lowercase letters"),
        ({"slug": "new"}, "slug", "reserved"),
        ({"slug": "public-math"}, "slug", "is taken"),
        ({"domain": ""}, "domain", "required"),
        ({"visibility": "secret"}, "visibility", "Select a valid choice"),
        ({"organization": "elsewhere"}, "organization", "Select a valid choice"),
        ({"organization": "no-such-org"}, "organization", "Select a valid choice"),
    ],
)
def test_bad_input_is_explained_and_creates_nothing(
    cast: Cast, changes: dict[str, str], field: str, message: str
) -> None:
    before = Community.objects.count()
    response = _create(cast, **changes)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Community.objects.count() == before
    assert 'aria-invalid="true"' in response.content.decode()


def test_org_that_forbids_member_communities_hides_it_from_the_form(cast: Cast) -> None:
    cast.school.members_can_create_communities = False
    cast.school.save()
    cast.district.members_can_create_communities = False
    cast.district.save()
    cast.network.members_can_create_communities = False
    cast.network.save()
    response = _create(cast)
    assert "start a community yet" in response.content.decode()
    assert not Community.objects.filter(slug="early-literacy").exists()
    # ...but the org admin still may.
    assert (
        _create(
            cast, who="org_admin", organization="riverside-district" if False else "riverside"
        ).status_code
        == 302
    )


def test_join_and_leave_an_open_community_keep_the_count(cast: Cast, capture_events) -> None:
    community = cast.org_community
    client = cast.client("org_member")
    with capture_events() as events:
        client.post(reverse("communities:join", args=[community.slug]))
    community.refresh_from_db()
    assert community.member_count == 5
    assert [e.name for e in events] == ["communities.member_joined"]
    client.post(reverse("communities:leave", args=[community.slug]))
    community.refresh_from_db()
    assert community.member_count == 4
    assert not Membership.objects.filter(community=community, user=cast.org_member).exists()


def test_joining_twice_is_a_clear_message_not_a_second_membership(cast: Cast) -> None:
    client = cast.client("member")
    response = client.post(reverse("communities:join", args=[cast.org_community.slug]), follow=True)
    assert "already a member" in response.content.decode()
    assert Membership.objects.filter(community=cast.org_community, user=cast.member).count() == 1


def test_htmx_join_renders_only_the_membership_block(cast: Cast) -> None:
    response = cast.client("org_member").post(
        reverse("communities:join", args=[cast.org_community.slug]), HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<section class="card membership"')
    assert "You are a <strong>member</strong> here." in body
    assert 'id="member-count" hx-swap-oob="true">5 members' in body


def test_last_coordinator_cannot_leave(cast: Cast) -> None:
    response = cast.client("coordinator").post(
        reverse("communities:leave", args=[cast.org_community.slug]), follow=True
    )
    assert "last coordinator" in response.content.decode()
    assert Membership.objects.filter(community=cast.org_community, user=cast.coordinator).exists()


def test_request_policy_needs_approval(cast: Cast, capture_events) -> None:
    community = cast.org_community
    community.join_policy = JoinPolicy.REQUEST
    community.save()
    client = cast.client("org_member")
    response = client.post(reverse("communities:join", args=[community.slug]), follow=True)
    assert "ask to join instead" in response.content.decode()
    client.post(reverse("communities:request", args=[community.slug]), {"message": "Hi!"})
    join_request = JoinRequest.objects.get(community=community, user=cast.org_member)
    assert join_request.message == "Hi!"
    # A second request while one waits is refused, and nothing new is stored.
    response = client.post(reverse("communities:request", args=[community.slug]), follow=True)
    assert "already waiting" in response.content.decode()
    assert JoinRequest.objects.filter(community=community).count() == 1
    # The facilitator sees it on the members page and approves.
    page = cast.client("facilitator").get(reverse("communities:members", args=[community.slug]))
    assert "Requests to join (1)" in page.content.decode()
    with capture_events() as events:
        cast.client("facilitator").post(
            reverse("communities:decide-request", args=[community.slug, join_request.pk]),
            {"decision": "approve"},
        )
    join_request.refresh_from_db()
    assert join_request.status == RequestStatus.APPROVED
    assert join_request.decided_by == cast.facilitator
    assert Membership.objects.filter(community=community, user=cast.org_member).exists()
    assert {e.name for e in events} == {
        "communities.member_joined",
        "communities.join_request_decided",
    }
    # Deciding again is a conflict, not a second membership.
    with pytest.raises(Conflict):
        services.decide_join_request(cast.coordinator, join_request, approve=False)


def test_denied_request_and_withdrawal(cast: Cast) -> None:
    community = cast.public_community
    community.join_policy = JoinPolicy.REQUEST
    community.save()
    services.request_to_join(cast.outsider, community, "")
    join_request = JoinRequest.objects.get(user=cast.outsider)
    services.decide_join_request(cast.coordinator, join_request, approve=False)
    assert not Membership.objects.filter(community=community, user=cast.outsider).exists()
    services.request_to_join(cast.outsider, community, "please reconsider")
    cast.client("outsider").post(
        reverse("communities:request", args=[community.slug]), {"action": "withdraw"}
    )
    assert (
        JoinRequest.objects.filter(user=cast.outsider, status=RequestStatus.WITHDRAWN).count() == 1
    )


def test_invite_only_community_via_invitation(cast: Cast) -> None:
    community = cast.private_community
    community.join_policy = JoinPolicy.INVITE
    community.save()
    cast.client("facilitator").post(
        reverse("communities:invite", args=[community.slug]),
        {"email": cast.org_member.email, "role": "member"},
    )
    invitation = CommunityInvitation.objects.get(community=community, user=cast.org_member)
    # The invitee now can see the private community and sees the invitation on their home.
    home = cast.client("org_member").get("/").content.decode()
    assert community.name in home
    cast.client("org_member").post(
        reverse("communities:respond-invitation", args=[community.slug, invitation.pk]),
        {"decision": "accept"},
    )
    assert Membership.objects.filter(community=community, user=cast.org_member).exists()


def test_inviting_an_unknown_address_explains_what_to_do(cast: Cast) -> None:
    response = cast.client("facilitator").post(
        reverse("communities:invite", args=[cast.org_community.slug]),
        {"email": "nobody@nowhere.test", "role": "member"},
        follow=True,
    )
    assert "Invite them to the organization first" in response.content.decode()
    assert not CommunityInvitation.objects.exists()


def test_only_a_coordinator_may_invite_into_a_role(cast: Cast) -> None:
    response = cast.client("facilitator").post(
        reverse("communities:invite", args=[cast.org_community.slug]),
        {"email": cast.org_member.email, "role": "coordinator"},
    )
    assert response.status_code == 403
    assert not CommunityInvitation.objects.exists()


def test_roles_change_and_the_last_coordinator_is_kept(cast: Cast) -> None:
    community = cast.org_community
    client = cast.client("coordinator")
    url = reverse("communities:member-role", args=[community.slug, cast.member.pk])
    client.post(url, {"role": "expert"})
    assert Membership.objects.get(community=community, user=cast.member).role == Role.EXPERT
    response = client.post(
        reverse("communities:member-role", args=[community.slug, cast.coordinator.pk]),
        {"role": "member"},
        follow=True,
    )
    assert "last coordinator" in response.content.decode()
    assert Membership.objects.get(community=community, user=cast.coordinator).role == "coordinator"
    response = client.post(url, {"role": "overlord"}, follow=True)
    assert "Choose one of" in response.content.decode()
    assert Membership.objects.get(community=community, user=cast.member).role == Role.EXPERT


def test_facilitator_removes_a_member_but_not_a_coordinator(cast: Cast) -> None:
    community = cast.org_community
    client = cast.client("facilitator")
    client.post(
        reverse("communities:member-role", args=[community.slug, cast.member.pk]),
        {"action": "remove"},
    )
    assert not Membership.objects.filter(community=community, user=cast.member).exists()
    response = client.post(
        reverse("communities:member-role", args=[community.slug, cast.coordinator.pk]),
        {"action": "remove"},
    )
    assert response.status_code == 403
    community.refresh_from_db()
    assert community.member_count == 3


def test_settings_change_visibility(cast: Cast) -> None:
    community = cast.org_community
    response = cast.client("coordinator").post(
        reverse("communities:settings", args=[community.slug]),
        {
            "name": "Math Circle",
            "domain": "Math",
            "purpose": "Learn.",
            "visibility": "private",
            "join_policy": "invite",
        },
    )
    assert response.status_code == 302
    community.refresh_from_db()
    assert (community.name, community.visibility, community.join_policy) == (
        "Math Circle",
        "private",
        "invite",
    )
    # Now hidden from the school's other teachers.
    assert cast.client("org_member").get(f"/c/{community.slug}/").status_code == 404


def test_leaving_a_private_community_goes_home(cast: Cast) -> None:
    response = cast.client("member").post(
        reverse("communities:leave", args=[cast.private_community.slug])
    )
    assert response["Location"] == "/"


def test_member_directory_query_count_does_not_grow(
    cast: Cast, django_assert_max_num_queries
) -> None:
    from practica.accounts.services import create_user, update_profile

    community = cast.org_community
    for i in range(40):
        user = create_user(f"t{i}@riverside.test", None, name=f"Teacher {i}")
        OrgMembership.objects.create(organization=cast.school, user=user)
        update_profile(user, name=f"Teacher {i}", expertise="reading, math")
        services.join_community(user, community)
    client = cast.client("coordinator")
    url = reverse("communities:members", args=[community.slug])
    client.get(url)  # warm caches (session, templates)
    with django_assert_max_num_queries(14):
        response = client.get(url)
    body = response.content.decode()
    assert body.count('class="tag"') >= 30 * 2 - 10  # expertise shown for the page's members
    assert "Page 1 of 2" in body
    assert "Page 2 of 2" in client.get(url + "?page=2").content.decode()
    assert "Page 2 of 2" in client.get(url + "?page=999").content.decode()
    assert "Page 1 of 2" in client.get(url + "?page=junk").content.decode()


def test_home_lists_mine_and_discoverable_without_private_leaks(cast: Cast) -> None:
    body = cast.client("org_member").get("/").content.decode()
    assert cast.org_community.name in body
    assert cast.public_community.name in body
    assert cast.private_community.name not in body
    landing = cast.client(None).get("/").content.decode()
    assert cast.public_community.name in landing
    assert cast.org_community.name not in landing


def test_lists_do_not_query_per_row(cast: Cast, django_assert_max_num_queries) -> None:
    for i in range(30):
        community = Community.objects.create(
            organization=cast.district,
            name=f"Circle {i:02}",
            slug=f"circle-{i}",
            domain="d",
            purpose="p",
        )
        if i % 2:
            Membership.objects.create(community=community, user=cast.member)
    client = cast.client("member")
    for url in (
        "/",
        reverse("communities:list"),
        reverse("accounts:org-detail", args=["riverside"]),
    ):
        client.get(url)
        with django_assert_max_num_queries(12):
            response = client.get(url)
        assert response.status_code == 200
        assert "Circle" in response.content.decode()


def test_the_remembered_header_always_shows_the_current_community(cast: Cast) -> None:
    """The community header is rendered once per distinct set of what it shows: a join, a
    rename, another tab or a steward's view each give the header that matches."""
    community = cast.org_community
    home = reverse("communities:home", args=[community.slug])
    members = reverse("communities:members", args=[community.slug])
    reader = cast.client("member")
    assert '<span id="member-count">4 members</span>' in reader.get(home).content.decode()
    cast.client("org_member").post(reverse("communities:join", args=[community.slug]))
    assert '<span id="member-count">5 members</span>' in reader.get(home).content.decode()
    type(community).objects.filter(pk=community.pk).update(name="Renamed Math Circle")
    page = reader.get(members).content.decode()
    assert "<h1>Renamed Math Circle</h1>" in page
    assert f'href="{members}" aria-current="page"' in page  # the tab of this page
    settings_link = reverse("communities:settings", args=[community.slug])
    assert settings_link not in page  # a member is no steward
    assert settings_link in cast.client("coordinator").get(members).content.decode()


def test_the_remembered_cards_always_show_the_current_community(cast: Cast) -> None:
    """Community cards are rendered once per distinct set of what they show (web.jinja.
    community_card): a join, a rename, a new visibility or organization name show at once."""
    from practica.accounts.models import Organization

    community = cast.org_community
    listing = reverse("communities:list")
    reader = cast.client("member")

    def card() -> str:
        page = reader.get(listing).content.decode()
        return page.split(f'href="/c/{community.slug}/"', 1)[1].split("</article>", 1)[0]

    assert "4 members" in card()
    cast.client("org_member").post(reverse("communities:join", args=[community.slug]))
    assert "5 members" in card()
    type(community).objects.filter(pk=community.pk).update(
        name="Renamed Math Circle", visibility="public"
    )
    assert ">Renamed Math Circle</a>" in card()
    assert "badge-public" in card()
    Organization.objects.filter(pk=community.organization_id).update(name="Renamed District")
    assert "<span>Renamed District</span>" in card()
