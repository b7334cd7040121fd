"""The named cast every test shares (healthchecks' alice/bob/charlie, grown for our roles).

Organizations: the *North Valley Network* (root) → *Riverside District* → *Riverside High*;
and *Elsewhere Org*, an unrelated root. Three communities owned by Riverside District, one per
visibility, each with a member, an expert, a facilitator and a coordinator.

People (attribute names):
- ``outsider``   — member of Elsewhere Org only
- ``org_member`` — teacher at Riverside High, in no community
- ``member``, ``expert``, ``facilitator``, ``coordinator`` — Riverside High teachers with that
  role in all three communities
- ``org_admin``  — admin of Riverside District (so of Riverside High too), in no community
- ``staff``      — site staff
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.test import Client

from practica.accounts import services as account_services
from practica.accounts.models import Organization, OrganizationKind, OrgMembership, OrgRole, User
from practica.communities.models import Community, JoinPolicy, Membership, Role, Visibility

PASSWORD = "correct horse battery staple"
ROLE_NAMES = ("member", "expert", "facilitator", "coordinator")


@dataclass
class Cast:
    network: Organization
    district: Organization
    school: Organization
    elsewhere: Organization
    outsider: User
    org_member: User
    member: User
    expert: User
    facilitator: User
    coordinator: User
    org_admin: User
    staff: User
    org_community: Community
    private_community: Community
    public_community: Community

    def community(self, visibility: str) -> Community:
        return {
            Visibility.ORGANIZATION: self.org_community,
            Visibility.PRIVATE: self.private_community,
            Visibility.PUBLIC: self.public_community,
        }[Visibility(visibility)]

    def client(self, who: str | None) -> Client:
        """A test client signed in as the named cast member (``None``/"anonymous": signed out)."""
        client = Client()
        if who and who != "anonymous":
            client.force_login(getattr(self, who))
        return client


def _user(
    email: str, name: str, org: Organization | None, role: str = OrgRole.MEMBER, staff: bool = False
) -> User:
    user = account_services.create_user(email, PASSWORD, name=name, is_staff=staff)
    if org is not None:
        OrgMembership.objects.create(organization=org, user=user, role=role)
    return user


def _org(name: str, slug: str, kind: str, parent: Organization | None = None) -> Organization:
    return account_services.create_organization(
        None, name=name, slug=slug, kind=kind, parent=parent
    )


def load_cast() -> Cast:
    """The cast already in the database (built once per test database by ``make_cast``), as
    fresh objects; rebuilt if a transactional test flushed it."""
    orgs = Organization.objects.in_bulk(list(ORG_SLUGS.values()), field_name="slug")
    users = User.objects.in_bulk(list(PEOPLE.values()), field_name="email")
    communities = Community.objects.select_related("organization").in_bulk(
        [f"{v}-math" for v in Visibility.values], field_name="slug"
    )
    if len(orgs) < len(ORG_SLUGS) or len(users) < len(PEOPLE) or len(communities) < 3:
        return make_cast()
    members: dict[str, Any] = {name: orgs[slug] for name, slug in ORG_SLUGS.items()}
    members.update({name: users[email] for name, email in PEOPLE.items()})
    return Cast(
        **members,
        org_community=communities["organization-math"],
        private_community=communities["private-math"],
        public_community=communities["public-math"],
    )


ORG_SLUGS = {
    "network": "north-valley",
    "district": "riverside",
    "school": "riverside-high",
    "elsewhere": "elsewhere",
}
PEOPLE = {
    "outsider": "olive@elsewhere.test",
    "org_member": "oscar@riverside.test",
    "member": "mia@riverside.test",
    "expert": "ethan@riverside.test",
    "facilitator": "fatima@riverside.test",
    "coordinator": "cora@riverside.test",
    "org_admin": "adam@riverside.test",
    "staff": "sam@practica.test",
}


def make_cast() -> Cast:
    network = _org("North Valley Network", "north-valley", OrganizationKind.NETWORK)
    district = _org("Riverside District", "riverside", OrganizationKind.DISTRICT, network)
    school = _org("Riverside High", "riverside-high", OrganizationKind.SCHOOL, district)
    elsewhere = _org("Elsewhere Org", "elsewhere", OrganizationKind.ORGANIZATION)
    people = {
        "outsider": _user("olive@elsewhere.test", "Olive Outsider", elsewhere),
        "org_member": _user("oscar@riverside.test", "Oscar Orgmember", school),
        "member": _user("mia@riverside.test", "Mia Member", school),
        "expert": _user("ethan@riverside.test", "Ethan Expert", school),
        "facilitator": _user("fatima@riverside.test", "Fatima Facilitator", school),
        "coordinator": _user("cora@riverside.test", "Cora Coordinator", school),
        "org_admin": _user("adam@riverside.test", "Adam Admin", district, OrgRole.ADMIN),
        "staff": _user("sam@practica.test", "Sam Staff", None, staff=True),
    }
    communities = {}
    for visibility in Visibility.values:
        community = Community.objects.create(
            organization=district,
            name=f"{visibility.title()} Math Circle",
            slug=f"{visibility}-math",
            domain="Teaching secondary mathematics",
            purpose="Share what works in our math classrooms.",
            visibility=visibility,
            join_policy=JoinPolicy.OPEN,
            member_count=len(ROLE_NAMES),
        )
        for role in ROLE_NAMES:
            Membership.objects.create(community=community, user=people[role], role=Role(role))
        communities[visibility] = community
    return Cast(
        network=network,
        district=district,
        school=school,
        elsewhere=elsewhere,
        org_community=communities[Visibility.ORGANIZATION],
        private_community=communities[Visibility.PRIVATE],
        public_community=communities[Visibility.PUBLIC],
        **people,
    )
