"""Request and response bodies of API v1.

Field rules (lengths, required, slugs) live in the services (``practica.lib.validation``) and
are stated once there; these schemas only fix the JSON shape and types. Choices come from the
model enums, so the OpenAPI document lists them without restating them.

Ninja reads these annotations at runtime: every type named in an annotation must be imported
at module level (not under ``TYPE_CHECKING``), ``from __future__ import annotations`` or not.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import AfterValidator

from practica.communities.models import JoinPolicy, Visibility


def _no_nul(value: str) -> str:
    # PostgreSQL text cannot hold NUL; refused here it is a 422 instead of a database error.
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    return value


# The pattern only documents the rule in the OpenAPI schema; the validator gives the message.
Text = Annotated[str, AfterValidator(_no_nul), Field(json_schema_extra={"pattern": "^[^\\x00]*$"})]


# --- Errors and pages ---------------------------------------------------------------------------


class ErrorOut(Schema):
    """Every error: a message for people, a stable code for programs."""

    detail: Any = Field(..., description="What went wrong, written for a person.")
    code: str = Field(..., description="Stable machine code, e.g. not_found, slug_taken.")
    errors: dict[str, str] | None = Field(
        None, description="For code 'invalid': field name -> message."
    )


class PageParams(Schema):
    page: int = Field(1, ge=1, description="1-based page number.")
    page_size: int = Field(25, ge=1, le=100, description="Items per page (at most 100).")


class PageOut(Schema):
    count: int = Field(..., description="Items in all pages.")
    page: int
    page_size: int


# --- Auth and tokens ----------------------------------------------------------------------------


class TokenIn(Schema):
    email: Text
    password: Text
    name: Text = Field("", description="A label to tell your tokens apart (default 'API token').")


class TokenCreatedOut(Schema):
    token: str = Field(..., description="The raw token. Shown only now: store it safely.")
    id: int
    name: str
    hint: str
    created_at: datetime


class TokenOut(Schema):
    id: int
    name: str
    hint: str = Field(..., description="The token's first characters.")
    created_at: datetime
    last_used_at: datetime | None


class TokenPage(PageOut):
    items: list[TokenOut]


# --- People and organizations -------------------------------------------------------------------


class ExpertiseOut(Schema):
    slug: str
    label: str


class MyOrganizationOut(Schema):
    slug: str
    name: str
    kind: str
    role: str


class MeOut(Schema):
    id: int
    email: str
    name: str
    title: str
    timezone: str
    expertise: list[ExpertiseOut]
    organizations: list[MyOrganizationOut]


class OrganizationOut(Schema):
    slug: str
    name: str
    kind: str
    parent: str | None = Field(..., description="The parent organization's slug.")
    my_role: str | None = Field(
        ..., description="Your role if you are a member of this organization itself."
    )


class OrganizationPage(PageOut):
    items: list[OrganizationOut]


# --- Communities --------------------------------------------------------------------------------


class CommunityIn(Schema):
    name: Text
    slug: Text = Field(..., description="The URL name: lowercase letters, digits, hyphens.")
    domain: Text = Field(..., description="The shared concern that brings people together.")
    purpose: Text = Field(..., description="What the community wants to achieve.")
    visibility: Visibility = Visibility.ORGANIZATION
    join_policy: JoinPolicy = JoinPolicy.OPEN
    organization: Text = Field(..., description="Slug of the owning organization.")


class CommunityOut(Schema):
    slug: str
    name: str
    domain: str
    purpose: str
    visibility: str
    join_policy: str
    organization: str = Field(..., description="The owning organization's slug.")
    member_count: int
    my_role: str | None = Field(..., description="Your role, or null if you are not a member.")
    url: str = Field(..., description="The community's page in the web interface.")


class CommunityPage(PageOut):
    items: list[CommunityOut]


class MembershipOut(Schema):
    community: str
    role: str
    joined_at: datetime


class MemberOut(Schema):
    id: int
    name: str
    role: str
    expertise: list[ExpertiseOut]
    joined_at: datetime


class MemberPage(PageOut):
    items: list[MemberOut]


class JoinRequestIn(Schema):
    message: Text = Field("", description="Optional note for the facilitators.")


class JoinRequestOut(Schema):
    id: int
    community: str
    status: str
    message: str
    created_at: datetime
