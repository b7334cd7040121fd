"""Organizations: the tree, who sees what, invitations (one or a CSV), roles."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from practica.accounts import services
from practica.accounts.models import OrgInvitation, OrgMembership, OrgRole, User
from practica.communities import access
from practica.lib.errors import Conflict, Forbidden
from practica.lib.testing import PASSWORD, Cast


def test_tree_paths_and_ancestry(cast: Cast) -> None:
    assert cast.school.path == f"/{cast.network.pk}/{cast.district.pk}/{cast.school.pk}/"
    assert cast.school.ancestor_ids == [cast.network.pk, cast.district.pk, cast.school.pk]
    assert cast.school.depth == 2


def test_belonging_flows_up_and_administration_flows_down(cast: Cast) -> None:
    # A teacher at the school belongs to the district and the network too...
    assert access.can_view_org(cast.org_member, cast.network)
    assert access.can_view_org(cast.org_member, cast.district)
    # ...but administers nothing; the district admin administers the school below.
    assert not access.can_admin_org(cast.org_member, cast.school)
    assert access.can_admin_org(cast.org_admin, cast.school)
    assert not access.can_admin_org(cast.org_admin, cast.network)
    assert not access.can_view_org(cast.outsider, cast.network)


def test_a_network_community_spans_its_districts_and_schools(cast: Cast) -> None:
    from practica.communities.models import Community

    network_cop = Community.objects.create(
        organization=cast.network,
        name="Site Leaders",
        slug="site-leaders",
        domain="Leading a school",
        purpose="Principals learn from each other.",
    )
    assert access.can_view_community(cast.org_member, network_cop)  # via school ⊂ district
    assert not access.can_view_community(cast.outsider, network_cop)
    # A community owned by the school is not visible from the district level upward.
    school_cop = Community.objects.create(
        organization=cast.school,
        name="Ninth grade team",
        slug="ninth-grade",
        domain="Ninth grade",
        purpose="Coordinate.",
    )
    district_only = services.create_user("dora@riverside.test", None, name="Dora")
    OrgMembership.objects.create(organization=cast.district, user=district_only)
    assert not access.can_view_community(district_only, school_cop)
    assert access.can_view_community(district_only, network_cop)


def test_inviting_an_existing_person_adds_them_at_once(cast: Cast) -> None:
    response = cast.client("org_admin").post(
        reverse("accounts:org-invite", args=["riverside"]),
        {"email": cast.outsider.email.upper(), "role": "admin"},
    )
    body = response.content.decode()
    assert "Result: 1 of 1 done" in body
    assert OrgMembership.objects.get(organization=cast.district, user=cast.outsider).role == "admin"
    assert mail.outbox == []


def test_inviting_a_new_address_emails_a_link_that_works(
    cast: Cast, client, django_capture_on_commit_callbacks
) -> None:
    # The e-mail is a task enqueued after commit; tests run inside a transaction.
    with django_capture_on_commit_callbacks(execute=True):
        cast.client("org_admin").post(
            reverse("accounts:org-invite", args=["riverside-high"]),
            {"email": "new.teacher@riverside.test", "name": "Nina New", "role": "member"},
        )
    invitation = OrgInvitation.objects.get(email="new.teacher@riverside.test")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new.teacher@riverside.test"]
    assert "Riverside High" in message.subject
    assert f"/invitations/{invitation.token}/" in message.body
    # She signs up with that address, verifies it, and is a member — and named as invited.
    client.post(
        reverse("account_signup"),
        {
            "name": "",
            "email": "new.teacher@riverside.test",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert not OrgMembership.objects.filter(
        organization=cast.school, user__email="new.teacher@riverside.test"
    ).exists()
    signup_name_error = client.post(
        reverse("account_signup"),
        {
            "name": "Nina New",
            "email": "new.teacher@riverside.test",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert signup_name_error.status_code in (200, 302)
    user = User.objects.get(email="new.teacher@riverside.test")
    confirm = re.search(r"/accounts/confirm-email/(\S+)/", mail.outbox[-1].body)
    assert confirm is not None
    client.post(f"/accounts/confirm-email/{confirm.group(1)}/")
    assert OrgMembership.objects.filter(organization=cast.school, user=user).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None


def test_an_unverified_signup_does_not_claim_an_invitation(cast: Cast, client) -> None:
    services.invite_to_org(cast.org_admin, cast.school, "victim@riverside.test")
    client.post(
        reverse("account_signup"),
        {
            "name": "Mallory",
            "email": "victim@riverside.test",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    user = User.objects.get(email="victim@riverside.test")
    assert not OrgMembership.objects.filter(user=user).exists()


def test_invitation_link_for_someone_else_is_refused(cast: Cast) -> None:
    services.invite_to_org(cast.org_admin, cast.school, "someone@riverside.test")
    token = OrgInvitation.objects.get().token
    client = cast.client("outsider")
    page = client.get(reverse("accounts:invitation", args=[token])).content.decode()
    assert "This invitation is for <strong>someone@riverside.test</strong>" in page
    response = client.post(reverse("accounts:invitation", args=[token]))
    assert response.status_code == 403
    assert not OrgMembership.objects.filter(user=cast.outsider, organization=cast.school).exists()


def test_accepting_via_the_link(cast: Cast) -> None:
    services.invite_to_org(cast.org_admin, cast.school, "late@riverside.test")
    token = OrgInvitation.objects.get().token
    user = services.create_user("late2@riverside.test", PASSWORD, name="Late")
    user.email = "late@riverside.test"  # same person, address changed after sign-up
    user.save()
    from django.test import Client

    client = Client()
    client.force_login(user)
    response = client.post(reverse("accounts:invitation", args=[token]))
    assert response.status_code == 302
    assert OrgMembership.objects.filter(user=user, organization=cast.school).exists()
    again = client.post(reverse("accounts:invitation", args=[token]), follow=True)
    assert "already accepted" in again.content.decode()


CSV = (
    "email,name,role\n"
    "ada@riverside.test,Ada Lovelace,member\n"
    "not-an-email,Bad Row,member\n"
    "mia@riverside.test,Mia,member\n"
    "ada@riverside.test,Ada again,member\n"
    "bo@riverside.test,Bo,superuser\n"
    "olive@elsewhere.test,,admin\n"
    "\n"
)


def test_csv_invites_everyone_and_reports_every_row(cast: Cast) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("people.csv", CSV.encode(), content_type="text/csv")
    response = cast.client("org_admin").post(
        reverse("accounts:org-invite", args=["riverside-high"]),
        {"csv_file": upload, "role": "member"},
    )
    body = response.content.decode()
    assert "Result: 2 of 6 done" in body
    report = services.invite_csv_to_org(cast.org_admin, cast.district, CSV.encode())
    rows = {(r.row, r.status) for r in report}
    assert rows == {
        (2, "invited"),
        (3, "error"),
        (4, "added"),
        (5, "error"),
        (6, "error"),
        (7, "added"),
    }
    messages = {r.row: r.message for r in report}
    assert "not a valid e-mail" in messages[3]
    assert "Duplicate" in messages[5]
    assert "Choose one of: member, admin" in messages[6]
    # The first upload's rows: Ada invited (e-mailed), Mia already at the school.
    first = services.invite_csv_to_org(cast.org_admin, cast.school, CSV.encode())
    assert {r.row: r.status for r in first}[2] == "already_invited"
    assert {r.row: r.status for r in first}[4] == "already_member"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\xff\xfe\x00bad", "not UTF-8"),
        (b"email\n", "no rows"),
        (("email\n" + "x@y.test\n" * 1001).encode(), "At most 1000 rows"),
    ],
)
def test_unusable_csv_files_change_nothing(cast: Cast, data: bytes, message: str) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    before = (OrgInvitation.objects.count(), OrgMembership.objects.count())
    response = cast.client("org_admin").post(
        reverse("accounts:org-invite", args=["riverside"]),
        {"csv_file": SimpleUploadedFile("x.csv", data), "role": "member"},
    )
    assert message in response.content.decode()
    assert (OrgInvitation.objects.count(), OrgMembership.objects.count()) == before


def test_single_invite_bad_email_is_explained(cast: Cast) -> None:
    response = cast.client("org_admin").post(
        reverse("accounts:org-invite", args=["riverside"]), {"email": "nope", "role": "member"}
    )
    assert "not a valid e-mail address" in response.content.decode()
    assert not OrgInvitation.objects.exists()


def test_roles_and_the_last_admin(cast: Cast) -> None:
    url = reverse("accounts:org-role", args=["riverside", cast.org_admin.pk])
    response = cast.client("org_admin").post(url, {"role": "member"}, follow=True)
    assert "last admin" in response.content.decode()
    assert OrgMembership.objects.get(user=cast.org_admin).role == OrgRole.ADMIN
    services.invite_to_org(cast.org_admin, cast.district, cast.member.email, role="admin")
    cast.client("org_admin").post(url, {"role": "member"})
    assert OrgMembership.objects.get(user=cast.org_admin).role == OrgRole.MEMBER
    with pytest.raises(Forbidden):
        services.set_org_role(cast.org_member, cast.district, cast.member, "member")
    with pytest.raises(Conflict):
        services.remove_org_member(cast.member, cast.district, cast.member)


def test_member_directory_and_org_pages(cast: Cast) -> None:
    client = cast.client("org_member")
    body = client.get(reverse("accounts:org-members", args=["riverside-high"])).content.decode()
    assert "Mia Member" in body and "Oscar Orgmember" in body
    assert "Invite people" not in body
    detail = client.get(reverse("accounts:org-detail", args=["riverside"])).content.decode()
    assert "Riverside High" in detail  # children listed
    assert cast.org_community.name in detail
    orgs = client.get(reverse("accounts:org-list")).content.decode()
    assert "North Valley Network" in orgs and "Elsewhere Org" not in orgs


def test_an_admin_adds_a_school_and_changes_the_policy(cast: Cast) -> None:
    client = cast.client("org_admin")
    response = client.post(
        reverse("accounts:org-new-child", args=["riverside"]),
        {
            "name": "Lincoln Middle",
            "slug": "lincoln-middle",
            "kind": "school",
            "members_can_create_communities": "on",
        },
    )
    assert response.status_code == 302
    from practica.accounts.models import Organization

    school = Organization.objects.get(slug="lincoln-middle")
    assert school.parent == cast.district
    assert school.path == f"{cast.district.path}{school.pk}/"
    assert access.can_admin_org(cast.org_admin, school)
    # A duplicate URL name is explained and creates nothing.
    again = client.post(
        reverse("accounts:org-new-child", args=["riverside"]),
        {"name": "Other", "slug": "lincoln-middle", "kind": "school"},
    )
    assert "is taken" in again.content.decode()
    assert Organization.objects.filter(slug="lincoln-middle").count() == 1
    client.post(
        reverse("accounts:org-settings", args=["riverside"]),
        {"name": "Riverside Unified", "description": "Our district."},
    )
    cast.district.refresh_from_db()
    assert cast.district.name == "Riverside Unified"
    assert cast.district.members_can_create_communities is False


def test_organizations_made_anywhere_get_their_path(cast: Cast) -> None:
    from practica.accounts.models import Organization

    made_in_admin = Organization.objects.create(name="Annex", slug="annex", parent=cast.school)
    assert made_in_admin.path == f"{cast.school.path}{made_in_admin.pk}/"
    made_in_admin.refresh_from_db()
    assert made_in_admin.ancestor_ids[-2] == cast.school.pk


def test_a_nul_in_a_csv_is_a_row_error_not_a_database_error(cast: Cast) -> None:
    report = services.invite_csv_to_org(
        cast.org_admin, cast.school, b"new@riverside.test,Na\x00me\nok@riverside.test,Ok\n"
    )
    assert [(r.row, r.status) for r in report] == [(1, "error"), (2, "invited")]
    assert "NUL" in report[0].message
    assert not OrgInvitation.objects.filter(email="new@riverside.test").exists()
