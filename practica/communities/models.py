"""Communities of Practice, their members and roles, join requests and invitations."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from practica.accounts.models import NAME_MAX, Organization


class Visibility(models.TextChoices):
    ORGANIZATION = "organization", "Organization (members of the organization and those below it)"
    PRIVATE = "private", "Private (members only; hidden from everyone else)"
    PUBLIC = "public", "Public (readable by anyone, even signed out)"


class JoinPolicy(models.TextChoices):
    OPEN = "open", "Open: anyone who can see it may join"
    REQUEST = "request", "Request: a facilitator or coordinator approves each request"
    INVITE = "invite", "Invite only"


class Role(models.TextChoices):
    MEMBER = "member", "Member"
    EXPERT = "expert", "Expert"
    FACILITATOR = "facilitator", "Facilitator"
    COORDINATOR = "coordinator", "Coordinator"
    MODERATOR = "moderator", "Moderator"


class Community(models.Model):
    """A Community of Practice: people who share a *domain* (a concern) and a *purpose*."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="communities"
    )
    name = models.CharField(max_length=NAME_MAX)
    slug = models.SlugField(max_length=60, unique=True)
    domain = models.CharField(
        max_length=300, help_text="The shared concern that brings these people together."
    )
    purpose = models.TextField(max_length=3000, help_text="What the community wants to achieve.")
    visibility = models.CharField(
        max_length=20, choices=Visibility.choices, default=Visibility.ORGANIZATION
    )
    join_policy = models.CharField(
        max_length=10, choices=JoinPolicy.choices, default=JoinPolicy.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # Maintained on write (services), never counted per page view.
    member_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "communities"

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_memberships"
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.MEMBER)
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["community", "user"], name="community_membership_once")
        ]
        indexes = [models.Index(fields=["user", "community"])]

    def __str__(self) -> str:
        return f"{self.user} in {self.community} ({self.role})"


class RequestStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    APPROVED = "approved", "Approved"
    DENIED = "denied", "Denied"
    WITHDRAWN = "withdrawn", "Withdrawn"


class JoinRequest(models.Model):
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="join_requests")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    message = models.TextField(max_length=1000, blank=True)
    status = models.CharField(
        max_length=10, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    created_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "user"],
                condition=Q(status="pending"),
                name="one_pending_request",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.community} ({self.status})"


class CommunityInvitation(models.Model):
    """An invitation for an existing person; they accept or decline it."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="invitations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_invitations"
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.MEMBER)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(
        max_length=10, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["community", "user"],
                condition=Q(status="pending"),
                name="one_pending_invitation",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} invited to {self.community}"
