"""Verbs that change communities and their membership.

Each verb takes the actor first, asks ``access`` whether they may, validates, writes in one
transaction (counters with ``F()``), and emits an event that is delivered after commit.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from practica.accounts.models import NAME_MAX, Organization, User
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
from practica.lib.errors import Conflict, Forbidden, NotFound
from practica.lib.validation import clean_choice, clean_email, clean_slug, clean_text, raise_if
from practica.realtime.bus import emit


def _clean_community_fields(
    name: str, domain: str, purpose: str, visibility: str, join_policy: str
) -> tuple[dict[str, str], dict[str, str]]:
    errors: dict[str, str] = {}
    values = {
        "name": clean_text(errors, "name", name, max_len=NAME_MAX),
        "domain": clean_text(errors, "domain", domain, max_len=300),
        "purpose": clean_text(errors, "purpose", purpose, max_len=3000),
        "visibility": clean_choice(errors, "visibility", visibility, list(Visibility.values)),
        "join_policy": clean_choice(errors, "join_policy", join_policy, list(JoinPolicy.values)),
    }
    return values, errors


def create_community(
    actor: User,
    organization: Organization,
    *,
    name: str,
    slug: str,
    domain: str,
    purpose: str,
    visibility: str = Visibility.ORGANIZATION,
    join_policy: str = JoinPolicy.OPEN,
) -> Community:
    """Create a community in ``organization``; the creator becomes its first coordinator."""
    access.require(
        access.can_create_community_in(actor, organization),
        f"You may not start a community in {organization.name}: ask one of its admins.",
    )
    values, errors = _clean_community_fields(name, domain, purpose, visibility, join_policy)
    slug = clean_slug(errors, slug)
    raise_if(errors)
    if Community.objects.filter(slug=slug).exists():
        raise Conflict(f"The URL name '{slug}' is taken; choose another.", code="slug_taken")
    try:
        with transaction.atomic():
            community = Community.objects.create(
                organization=organization, slug=slug, created_by=actor, member_count=1, **values
            )
            Membership.objects.create(community=community, user=actor, role=Role.COORDINATOR)
            emit("communities.community_created", community_id=community.pk, actor_id=actor.pk)
    except IntegrityError as exc:  # a concurrent create took the slug between check and insert
        raise Conflict(
            f"The URL name '{slug}' is taken; choose another.", code="slug_taken"
        ) from exc
    access.forget_viewer(actor)
    return community


def update_community(
    actor: User,
    community: Community,
    *,
    name: str,
    domain: str,
    purpose: str,
    visibility: str,
    join_policy: str,
) -> Community:
    access.require(access.can_steward(actor, community), "Only coordinators may change settings.")
    values, errors = _clean_community_fields(name, domain, purpose, visibility, join_policy)
    raise_if(errors)
    with transaction.atomic():
        for key, value in values.items():
            setattr(community, key, value)
        community.save(update_fields=list(values))
        emit("communities.community_updated", community_id=community.pk, actor_id=actor.pk)
    return community


def _add_member(community: Community, user: User, role: str = Role.MEMBER) -> Membership:
    """Insert the membership and bump the counter; caller holds the transaction."""
    membership, created = Membership.objects.get_or_create(
        community=community, user=user, defaults={"role": role}
    )
    if created:
        Community.objects.filter(pk=community.pk).update(member_count=F("member_count") + 1)
        emit("communities.member_joined", community_id=community.pk, user_id=user.pk, role=role)
    access.forget_viewer(user)
    return membership


def join_community(actor: User, community: Community) -> Membership:
    """Join an open community (or one the actor has a pending invitation to)."""
    if not access.can_view_community(actor, community):
        raise NotFound("No such community.")
    if access.is_member(actor, community):
        raise Conflict("You are already a member.", code="already_member")
    invitation = CommunityInvitation.objects.filter(
        community=community, user=actor, status=RequestStatus.PENDING
    ).first()
    if invitation is not None:
        return respond_to_invitation(actor, invitation, accept=True)
    if community.join_policy == JoinPolicy.REQUEST:
        raise Forbidden(
            "This community approves each request: ask to join instead.", code="request_required"
        )
    if community.join_policy == JoinPolicy.INVITE:
        raise Forbidden("This community is invite-only.", code="invite_only")
    with transaction.atomic():
        return _add_member(community, actor)


def leave_community(actor: User, community: Community) -> None:
    """Leave. The last coordinator must hand the role over first, so no community is orphaned."""
    with transaction.atomic():
        membership = (
            Membership.objects.select_for_update().filter(community=community, user=actor).first()
        )
        if membership is None:
            raise Conflict("You are not a member.", code="not_member")
        if membership.role == Role.COORDINATOR:
            _ensure_another_coordinator(community, actor)
        membership.delete()
        Community.objects.filter(pk=community.pk).update(member_count=F("member_count") - 1)
        emit("communities.member_left", community_id=community.pk, user_id=actor.pk)
    access.forget_viewer(actor)


def _ensure_another_coordinator(community: Community, leaving: User) -> None:
    others = Membership.objects.filter(community=community, role=Role.COORDINATOR).exclude(
        user=leaving
    )
    if not others.exists():
        raise Conflict(
            "You are the last coordinator: make someone else a coordinator first.",
            code="last_coordinator",
        )


def request_to_join(actor: User, community: Community, message: str = "") -> JoinRequest:
    if not access.can_view_community(actor, community):
        raise NotFound("No such community.")
    if access.is_member(actor, community):
        raise Conflict("You are already a member.", code="already_member")
    if community.join_policy != JoinPolicy.REQUEST:
        raise Conflict(
            "This community does not take requests."
            if community.join_policy == JoinPolicy.INVITE
            else "This community is open: join it directly.",
            code="no_requests",
        )
    errors: dict[str, str] = {}
    message = clean_text(errors, "message", message, max_len=1000, required=False)
    raise_if(errors)
    try:
        with transaction.atomic():
            join_request = JoinRequest.objects.create(
                community=community, user=actor, message=message
            )
            emit(
                "communities.join_requested",
                community_id=community.pk,
                request_id=join_request.pk,
                user_id=actor.pk,
            )
    except IntegrityError as exc:
        raise Conflict(
            "Your request is already waiting for a decision.", code="already_requested"
        ) from exc
    return join_request


def withdraw_request(actor: User, community: Community) -> None:
    updated = JoinRequest.objects.filter(
        community=community, user=actor, status=RequestStatus.PENDING
    ).update(status=RequestStatus.WITHDRAWN, decided_at=timezone.now())
    if not updated:
        raise NotFound("You have no pending request here.")


def decide_join_request(actor: User, join_request: JoinRequest, *, approve: bool) -> JoinRequest:
    community = join_request.community
    access.require(access.can_manage_members(actor, community), "Only facilitators may decide.")
    with transaction.atomic():
        # The conditional update is the claim: two facilitators deciding at once can't both win.
        claimed = JoinRequest.objects.filter(
            pk=join_request.pk, status=RequestStatus.PENDING
        ).update(
            status=RequestStatus.APPROVED if approve else RequestStatus.DENIED,
            decided_by=actor,
            decided_at=timezone.now(),
        )
        if not claimed:
            raise Conflict("This request was already decided.", code="already_decided")
        if approve:
            _add_member(community, join_request.user)
        emit(
            "communities.join_request_decided",
            community_id=community.pk,
            request_id=join_request.pk,
            user_id=join_request.user_id,
            approved=approve,
        )
    join_request.refresh_from_db()
    return join_request


def invite_to_community(
    actor: User, community: Community, email: str, role: str = Role.MEMBER
) -> CommunityInvitation:
    """Invite someone who already has an account (by e-mail); they accept or decline."""
    access.require(access.can_manage_members(actor, community), "Only facilitators may invite.")
    errors: dict[str, str] = {}
    email = clean_email(errors, email)
    role = clean_choice(errors, "role", role or Role.MEMBER, list(Role.values))
    raise_if(errors)
    if role != Role.MEMBER and not access.can_steward(actor, community):
        raise Forbidden("Only coordinators may invite someone straight into a role.")
    invitee = User.objects.filter(email__iexact=email, is_active=True).first()
    if invitee is None:
        raise NotFound(
            f"No one has an account with {email}. Invite them to the organization first.",
            code="unknown_person",
        )
    if Membership.objects.filter(community=community, user=invitee).exists():
        raise Conflict(f"{invitee.display_name} is already a member.", code="already_member")
    try:
        with transaction.atomic():
            invitation = CommunityInvitation.objects.create(
                community=community, user=invitee, role=role, invited_by=actor
            )
            emit(
                "communities.member_invited",
                community_id=community.pk,
                invitation_id=invitation.pk,
                user_id=invitee.pk,
            )
        access.forget_viewer(invitee)
    except IntegrityError as exc:
        raise Conflict(
            f"{invitee.display_name} already has an invitation.", code="already_invited"
        ) from exc
    return invitation


def respond_to_invitation(
    actor: User, invitation: CommunityInvitation, *, accept: bool
) -> Membership:
    if invitation.user_id != actor.pk:
        raise NotFound("No such invitation.")
    with transaction.atomic():
        claimed = CommunityInvitation.objects.filter(
            pk=invitation.pk, status=RequestStatus.PENDING
        ).update(status=RequestStatus.APPROVED if accept else RequestStatus.DENIED)
        if not claimed:
            raise Conflict("This invitation was already answered.", code="already_answered")
        # Accepting also settles any request the person had waiting.
        JoinRequest.objects.filter(
            community=invitation.community, user=actor, status=RequestStatus.PENDING
        ).update(status=RequestStatus.APPROVED, decided_at=timezone.now())
        access.forget_viewer(actor)
        if not accept:
            emit(
                "communities.invitation_declined",
                community_id=invitation.community_id,
                invitation_id=invitation.pk,
            )
            return Membership(community=invitation.community, user=actor, role="")
        return _add_member(invitation.community, actor, invitation.role)


def change_member_role(actor: User, community: Community, member: User, role: str) -> Membership:
    access.require(access.can_steward(actor, community), "Only coordinators may change roles.")
    errors: dict[str, str] = {}
    role = clean_choice(errors, "role", role, list(Role.values))
    raise_if(errors)
    with transaction.atomic():
        membership = (
            Membership.objects.select_for_update().filter(community=community, user=member).first()
        )
        if membership is None:
            raise NotFound("That person is not a member of this community.")
        if membership.role == Role.COORDINATOR and role != Role.COORDINATOR:
            _ensure_another_coordinator(community, member)
        membership.role = role
        membership.save(update_fields=["role"])
        emit(
            "communities.member_role_changed",
            community_id=community.pk,
            user_id=member.pk,
            role=role,
            actor_id=actor.pk,
        )
    access.forget_viewer(member)
    return membership


def remove_member(actor: User, community: Community, member: User) -> None:
    access.require(access.can_manage_members(actor, community), "Only facilitators may remove.")
    if member.pk == actor.pk:
        leave_community(actor, community)
        return
    with transaction.atomic():
        membership = Membership.objects.filter(community=community, user=member).first()
        if membership is None:
            raise NotFound("That person is not a member of this community.")
        if membership.role == Role.COORDINATOR:
            access.require(
                access.can_steward(actor, community), "Only coordinators may remove a coordinator."
            )
            _ensure_another_coordinator(community, member)
        membership.delete()
        Community.objects.filter(pk=community.pk).update(member_count=F("member_count") - 1)
        emit(
            "communities.member_removed",
            community_id=community.pk,
            user_id=member.pk,
            actor_id=actor.pk,
        )
    access.forget_viewer(member)
