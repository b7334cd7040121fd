"""Verbs that change people and organizations. Views, the API and commands all call these."""

from __future__ import annotations

import csv
import io
import secrets
import zoneinfo
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from practica.accounts.models import (
    NAME_MAX,
    ApiToken,
    DeclaredExpertise,
    Organization,
    OrganizationKind,
    OrgInvitation,
    OrgMembership,
    OrgRole,
    User,
    hash_token,
)
from practica.communities import access
from practica.lib.errors import Conflict, Forbidden, Invalid, NotFound
from practica.lib.validation import (
    clean_choice,
    clean_email,
    clean_slug,
    clean_text,
    raise_if,
)
from practica.realtime.bus import emit

if TYPE_CHECKING:
    from collections.abc import Iterable

MAX_EXPERTISE = 12
MAX_CSV_ROWS = 1000
MAX_CSV_BYTES = 512 * 1024
_TIMEZONES = frozenset(zoneinfo.available_timezones())


# --- Profiles -----------------------------------------------------------------------------------


def parse_expertise(raw: str | Iterable[str]) -> list[tuple[str, str]]:
    """Turn "Formative assessment, ELL; math" into [(slug, label)], de-duplicated, in order."""
    items = raw.replace(";", ",").split(",") if isinstance(raw, str) else list(raw)
    seen: dict[str, str] = {}
    for item in items:
        label = " ".join(item.split())[:40].rstrip()
        slug = slugify(label)[:40]
        if slug and slug not in seen:
            seen[slug] = label
    return list(seen.items())


def update_profile(
    user: User,
    *,
    name: str,
    title: str = "",
    bio: str = "",
    timezone_name: str = "UTC",
    expertise: str | list[str] = "",
) -> User:
    """Replace the user's profile fields and declared expertise; Invalid on bad input."""
    errors: dict[str, str] = {}
    name = clean_text(errors, "name", name, max_len=NAME_MAX)
    title = clean_text(errors, "title", title, max_len=120, required=False)
    bio = clean_text(errors, "bio", bio, max_len=2000, required=False)
    if timezone_name not in _TIMEZONES:
        errors["timezone"] = f"Unknown time zone {timezone_name!r}; pick one from the list."
    topics = parse_expertise(expertise)
    if len(topics) > MAX_EXPERTISE:
        errors["expertise"] = f"Declare at most {MAX_EXPERTISE} topics (you listed {len(topics)})."
    raise_if(errors)
    with transaction.atomic():
        user.name, user.title, user.bio, user.timezone = name, title, bio, timezone_name
        user.save(update_fields=["name", "title", "bio", "timezone"])
        DeclaredExpertise.objects.filter(user=user).exclude(
            slug__in=[s for s, _ in topics]
        ).delete()
        existing = set(DeclaredExpertise.objects.filter(user=user).values_list("slug", flat=True))
        DeclaredExpertise.objects.bulk_create(
            [
                DeclaredExpertise(user=user, slug=s, label=lbl)
                for s, lbl in topics
                if s not in existing
            ]
        )
        emit("accounts.profile_updated", user_id=user.pk)
    return user


def create_user(
    email: str,
    password: str | None,
    *,
    name: str = "",
    is_staff: bool = False,
    verified: bool = True,
) -> User:
    """Create an account (used by commands and the demo; sign-up goes through allauth)."""
    from allauth.account.models import EmailAddress

    errors: dict[str, str] = {}
    email = clean_email(errors, email)
    name = clean_text(errors, "name", name, max_len=NAME_MAX, required=False)
    raise_if(errors)
    if User.objects.filter(email__iexact=email).exists():
        raise Conflict(f"An account for {email} already exists.", code="email_taken")
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                email, password, name=name, is_staff=is_staff, is_superuser=is_staff
            )
            EmailAddress.objects.create(user=user, email=email, primary=True, verified=verified)
            accept_pending_invitations(user)
            emit("accounts.user_created", user_id=user.pk)
    except IntegrityError as exc:  # a concurrent sign-up took the address after our check
        raise Conflict(f"An account for {email} already exists.", code="email_taken") from exc
    return user


# --- API tokens ---------------------------------------------------------------------------------


def create_api_token(user: User, name: str = "") -> tuple[ApiToken, str]:
    """Create a token; return it and the raw value, which is never retrievable again."""
    errors: dict[str, str] = {}
    name = clean_text(errors, "name", name or "API token", max_len=80)
    raise_if(errors)
    raw = ApiToken.PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name, digest=hash_token(raw), hint=raw[:10])
    return token, raw


def revoke_api_token(user: User, token_id: int) -> None:
    deleted, _ = ApiToken.objects.filter(user=user, pk=token_id).delete()
    if not deleted:
        raise NotFound("No such token.")


def user_for_token(raw: str) -> User | None:
    """The active user a raw bearer token belongs to, or None. Records last use (hourly)."""
    if not raw.startswith(ApiToken.PREFIX):
        return None
    token = ApiToken.objects.select_related("user").filter(digest=hash_token(raw)).first()
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 3600:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


# --- Organizations ------------------------------------------------------------------------------


def create_organization(
    actor: User | None,
    *,
    name: str,
    slug: str,
    kind: str = OrganizationKind.ORGANIZATION,
    parent: Organization | None = None,
    description: str = "",
    members_can_create_communities: bool = True,
) -> Organization:
    """Create an organization. A root needs staff (or ``actor=None`` from a trusted command);
    a child needs an admin of the parent."""
    if actor is not None:
        if parent is None:
            access.require(actor.is_staff, "Only site staff may create a top-level organization.")
        else:
            access.require(access.can_admin_org(actor, parent), "Only admins of the parent may.")
    errors: dict[str, str] = {}
    name = clean_text(errors, "name", name, max_len=NAME_MAX)
    slug = clean_slug(errors, slug)
    kind = clean_choice(errors, "kind", kind, list(OrganizationKind.values))
    description = clean_text(errors, "description", description, max_len=2000, required=False)
    raise_if(errors)
    try:
        with transaction.atomic():
            org = Organization.objects.create(
                name=name,
                slug=slug,
                kind=kind,
                parent=parent,
                description=description,
                members_can_create_communities=members_can_create_communities,
            )
            emit("accounts.organization_created", organization_id=org.pk)
    except IntegrityError as exc:  # the slug was taken
        raise Conflict(f"The URL name '{slug}' is taken.", code="slug_taken") from exc
    return org


def update_organization(
    actor: User,
    org: Organization,
    *,
    name: str,
    description: str = "",
    members_can_create_communities: bool = True,
) -> Organization:
    """Change an organization's name, description and community policy (its admins only)."""
    access.require(access.can_admin_org(actor, org), "Only this organization's admins may.")
    errors: dict[str, str] = {}
    name = clean_text(errors, "name", name, max_len=NAME_MAX)
    description = clean_text(errors, "description", description, max_len=2000, required=False)
    raise_if(errors)
    with transaction.atomic():
        org.name, org.description = name, description
        org.members_can_create_communities = members_can_create_communities
        org.save(update_fields=["name", "description", "members_can_create_communities"])
        emit("accounts.organization_updated", organization_id=org.pk, actor_id=actor.pk)
    return org


def add_org_member(org: Organization, user: User, role: str = OrgRole.MEMBER) -> OrgMembership:
    """Make ``user`` a member (idempotent; an existing membership keeps the higher role)."""
    membership, created = OrgMembership.objects.get_or_create(
        organization=org, user=user, defaults={"role": role}
    )
    if not created and role == OrgRole.ADMIN and membership.role != OrgRole.ADMIN:
        membership.role = OrgRole.ADMIN
        membership.save(update_fields=["role"])
    if created:
        emit("accounts.org_member_added", organization_id=org.pk, user_id=user.pk)
    access.forget_viewer(user)
    return membership


@dataclass(frozen=True)
class InviteOutcome:
    """One line of an invitation report."""

    row: int
    email: str
    status: str  # "added", "invited", "already_member", "already_invited", "error"
    message: str

    @property
    def ok(self) -> bool:
        return self.status in ("added", "invited")


def invite_to_org(
    actor: User, org: Organization, email: str, *, name: str = "", role: str = OrgRole.MEMBER
) -> InviteOutcome:
    """Invite one address. Someone with an account is added at once; otherwise an invitation
    is e-mailed. Raises Forbidden/Invalid; "already a member" is an outcome, not an error."""
    access.require(access.can_admin_org(actor, org), "Only this organization's admins may invite.")
    errors: dict[str, str] = {}
    email = clean_email(errors, email)
    name = clean_text(errors, "name", name, max_len=NAME_MAX, required=False)
    role = clean_choice(errors, "role", role or OrgRole.MEMBER, list(OrgRole.values))
    raise_if(errors)
    return _invite_one(actor, org, 1, email, name, role)


def _invite_one(
    actor: User, org: Organization, row: int, email: str, name: str, role: str
) -> InviteOutcome:
    from practica.accounts.tasks import send_org_invitation

    with transaction.atomic():
        user = User.objects.filter(email__iexact=email).first()
        if user is not None:
            if OrgMembership.objects.filter(organization=org, user=user).exists():
                return InviteOutcome(row, email, "already_member", "Already a member.")
            add_org_member(org, user, role)
            return InviteOutcome(row, email, "added", f"Added {user.display_name} as {role}.")
        existing = OrgInvitation.objects.filter(
            organization=org, email__iexact=email, accepted_at__isnull=True
        ).first()
        if existing is not None and existing.is_open:
            return InviteOutcome(row, email, "already_invited", "Already invited; not sent again.")
        if existing is not None:
            existing.delete()  # expired: replace it with a fresh one
        invitation = OrgInvitation.objects.create(
            organization=org, email=email, name=name, role=role, invited_by=actor
        )
        transaction.on_commit(lambda: send_org_invitation.enqueue(invitation.pk))
        emit("accounts.org_member_invited", organization_id=org.pk, invitation_id=invitation.pk)
    return InviteOutcome(row, email, "invited", f"Invitation e-mailed to {email}.")


def invite_csv_to_org(actor: User, org: Organization, data: bytes) -> list[InviteOutcome]:
    """Invite everyone in a CSV (columns ``email`` and optionally ``name``, ``role``; a header
    row is optional). Every row gets an outcome; a bad row never stops the good ones."""
    access.require(access.can_admin_org(actor, org), "Only this organization's admins may invite.")
    if len(data) > MAX_CSV_BYTES:
        raise Invalid({"file": f"The file is larger than {MAX_CSV_BYTES // 1024} KB."})
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise Invalid({"file": "The file is not UTF-8 text; save it as 'CSV UTF-8'."}) from exc
    rows = [r for r in csv.reader(io.StringIO(text)) if any(cell.strip() for cell in r)]
    if rows and rows[0] and rows[0][0].strip().lower() in ("email", "e-mail"):
        header = [h.strip().lower() for h in rows[0]]
        rows = rows[1:]
        start = 2
    else:
        header = ["email", "name", "role"]
        start = 1
    if not rows:
        raise Invalid({"file": "The file has no rows to invite."})
    if len(rows) > MAX_CSV_ROWS:
        raise Invalid({"file": f"At most {MAX_CSV_ROWS} rows per file (this one has {len(rows)})."})
    report: list[InviteOutcome] = []
    seen: set[str] = set()
    for offset, cells in enumerate(rows):
        report.append(
            _invite_csv_row(
                actor, org, start + offset, dict(zip(header, cells, strict=False)), seen
            )
        )
    return report


def _invite_csv_row(
    actor: User, org: Organization, row: int, cells: dict[str, str], seen: set[str]
) -> InviteOutcome:
    errors: dict[str, str] = {}
    email = clean_email(errors, cells.get("email", ""))
    name = clean_text(errors, "name", cells.get("name", ""), max_len=NAME_MAX, required=False)
    role = clean_choice(
        errors, "role", cells.get("role", "") or OrgRole.MEMBER, list(OrgRole.values)
    )
    if errors:
        return InviteOutcome(row, email, "error", " ".join(errors.values()))
    if email in seen:
        return InviteOutcome(row, email, "error", "Duplicate of an earlier row; skipped.")
    seen.add(email)
    return _invite_one(actor, org, row, email, name, role)


def accept_pending_invitations(user: User) -> list[Organization]:
    """Accept every open invitation for the user's (verified) address. Idempotent."""
    joined: list[Organization] = []
    invitations = OrgInvitation.objects.filter(email__iexact=user.email, accepted_at__isnull=True)
    for invitation in invitations.select_related("organization"):
        if invitation.is_open:
            joined.append(_accept(invitation, user))
    return joined


def accept_invitation(user: User, token: str) -> Organization:
    """Accept the invitation behind ``token`` as ``user`` (whose e-mail must match)."""
    invitation = OrgInvitation.objects.select_related("organization").filter(token=token).first()
    if invitation is None:
        raise NotFound("This invitation link is not valid.")
    if invitation.accepted_at is not None:
        raise Conflict("This invitation was already accepted.", code="already_accepted")
    if not invitation.is_open:
        raise Conflict("This invitation has expired; ask an admin for a new one.", code="expired")
    if invitation.email.lower() != user.email.lower():
        raise Forbidden(
            f"This invitation is for {invitation.email}; you are signed in as {user.email}."
        )
    return _accept(invitation, user)


def _accept(invitation: OrgInvitation, user: User) -> Organization:
    with transaction.atomic():
        updated = OrgInvitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).update(
            accepted_at=timezone.now()
        )
        if updated:
            add_org_member(invitation.organization, user, invitation.role)
            if invitation.name and not user.name:
                user.name = invitation.name
                user.save(update_fields=["name"])
    return invitation.organization


def set_org_role(actor: User, org: Organization, member: User, role: str) -> OrgMembership:
    """Change a member's org role. An organization always keeps at least one admin."""
    access.require(access.can_admin_org(actor, org), "Only this organization's admins may.")
    errors: dict[str, str] = {}
    role = clean_choice(errors, "role", role, list(OrgRole.values))
    raise_if(errors)
    with transaction.atomic():
        membership = (
            OrgMembership.objects.select_for_update().filter(organization=org, user=member).first()
        )
        if membership is None:
            raise NotFound("That person is not a member of this organization.")
        if membership.role == OrgRole.ADMIN and role != OrgRole.ADMIN:
            _ensure_another_admin(org, member)
        membership.role = role
        membership.save(update_fields=["role"])
        emit("accounts.org_role_changed", organization_id=org.pk, user_id=member.pk, role=role)
    access.forget_viewer(member)
    return membership


def remove_org_member(actor: User, org: Organization, member: User) -> None:
    access.require(access.can_admin_org(actor, org), "Only this organization's admins may.")
    with transaction.atomic():
        membership = OrgMembership.objects.filter(organization=org, user=member).first()
        if membership is None:
            raise NotFound("That person is not a member of this organization.")
        if membership.role == OrgRole.ADMIN:
            _ensure_another_admin(org, member)
        membership.delete()
        emit("accounts.org_member_removed", organization_id=org.pk, user_id=member.pk)
    access.forget_viewer(member)


def _ensure_another_admin(org: Organization, leaving: User) -> None:
    others = OrgMembership.objects.filter(organization=org, role=OrgRole.ADMIN).exclude(
        user=leaving
    )
    if not others.exists():
        raise Conflict(
            "This is the organization's last admin; make someone else an admin first.",
            code="last_admin",
        )
