"""You (``/me``) and the organizations you can see."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router

from practica.accounts.models import Organization, OrgMembership
from practica.api.auth import AUTH, caller
from practica.api.pagination import paginate
from practica.api.schemas import (
    ErrorOut,
    ExpertiseOut,
    MeOut,
    MyOrganizationOut,
    OrganizationOut,
    OrganizationPage,
    PageParams,
)
from practica.communities import access

router = Router(tags=["people"], auth=AUTH)


@router.get("/me", response={200: MeOut, 401: ErrorOut})
def me(request: HttpRequest) -> MeOut:
    """Your profile, declared expertise and organization memberships (three queries)."""
    user = caller(request)
    memberships = (
        OrgMembership.objects.filter(user=user)
        .select_related("organization")
        .order_by("organization__path")
    )
    return MeOut(
        id=user.pk,
        email=user.email,
        name=user.name,
        title=user.title,
        timezone=user.timezone,
        expertise=[ExpertiseOut(slug=e.slug, label=e.label) for e in user.expertise.all()],
        organizations=[
            MyOrganizationOut(
                slug=m.organization.slug,
                name=m.organization.name,
                kind=m.organization.kind,
                role=m.role,
            )
            for m in memberships
        ],
    )


@router.get("/organizations", response={200: OrganizationPage, 401: ErrorOut, 422: ErrorOut})
def list_organizations(request: HttpRequest, paging: Query[PageParams]) -> dict[str, object]:
    """Organizations you may see (``access.visible_orgs``), in tree order; ``my_role`` is your
    role in that organization itself (null where you see it through one above or below)."""
    user = caller(request)
    roles = dict(OrgMembership.objects.filter(user=user).values_list("organization_id", "role"))
    orgs = access.visible_orgs(user).select_related("parent").order_by("path", "pk")

    def to_item(org: Organization) -> OrganizationOut:
        return OrganizationOut(
            slug=org.slug,
            name=org.name,
            kind=org.kind,
            parent=org.parent.slug if org.parent else None,
            my_role=roles.get(org.pk),
        )

    return paginate(orgs, paging, to_item)
