"""People, their organizations (a tree), org invitations and API tokens."""

from __future__ import annotations

import hashlib
import secrets
import zlib
from datetime import timedelta
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone as dj_timezone

NAME_MAX = 120


class UserManager(BaseUserManager["User"]):
    def create_user(self, email: str, password: str | None = None, **fields: object) -> User:
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: object) -> User:
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person. Logs in with e-mail; everything else on the profile is optional."""

    email = models.EmailField(unique=True)
    name = models.CharField(max_length=NAME_MAX, blank=True)
    title = models.CharField("role or title", max_length=120, blank=True)
    bio = models.TextField(max_length=2000, blank=True)
    timezone = models.CharField(max_length=64, default="UTC")
    is_staff = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=dj_timezone.now)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        ordering = ["name", "email"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.name or self.email.split("@", 1)[0]

    @property
    def initials(self) -> str:
        """Up to two letters for the generated avatar."""
        parts = [p for p in self.display_name.replace(".", " ").split() if p[:1].isalnum()]
        if not parts:
            return "?"
        letters = parts[0][0] + (parts[-1][0] if len(parts) > 1 else "")
        return letters.upper()

    @property
    def avatar_hue(self) -> int:
        """A stable hue (0-359) so a person keeps their colour everywhere."""
        return zlib.crc32(self.email.encode()) % 360


class DeclaredExpertise(models.Model):
    """A topic a person says they know about; matched by ``slug`` against community tags."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="expertise")
    slug = models.SlugField(max_length=40)
    label = models.CharField(max_length=40)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "slug"], name="expertise_once")]
        indexes = [models.Index(fields=["slug"])]
        ordering = ["label"]

    def __str__(self) -> str:
        return self.label


class OrganizationKind(models.TextChoices):
    NETWORK = "network", "Network"
    DISTRICT = "district", "District"
    SCHOOL = "school", "School"
    TEAM = "team", "Team"
    ORGANIZATION = "organization", "Organization"


class Organization(models.Model):
    """A node in the organization tree (network -> district -> school/team).

    ``path`` is a materialized path of ids (``/1/4/9/``) kept by ``services.create_organization``,
    so "this org and everything below it" is one indexed ``startswith`` and "everything above"
    is parsed from the string without a query.
    """

    name = models.CharField(max_length=NAME_MAX)
    slug = models.SlugField(max_length=60, unique=True)
    kind = models.CharField(
        max_length=20, choices=OrganizationKind.choices, default=OrganizationKind.ORGANIZATION
    )
    description = models.TextField(max_length=2000, blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    members_can_create_communities = models.BooleanField(
        default=True, help_text="Members (not only admins) may start a community of practice."
    )
    created_at = models.DateTimeField(default=dj_timezone.now)

    class Meta:
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Keep ``path`` right however the row is created (service, admin, shell): it needs
        the row's own id, so a new row is written, then given its path."""
        super().save(*args, **kwargs)
        expected = f"{self.parent.path if self.parent else '/'}{self.pk}/"
        if self.path != expected:
            below = Organization.objects.filter(path__startswith=self.path).exclude(pk=self.pk)
            if self.path and below.exists():
                raise ValueError("Moving an organization with children is not supported yet.")
            self.path = expected
            Organization.objects.filter(pk=self.pk).update(path=expected)

    @property
    def ancestor_ids(self) -> list[int]:
        """Ids from the root down to and including this organization."""
        return [int(part) for part in self.path.strip("/").split("/") if part]

    @property
    def depth(self) -> int:
        return max(len(self.ancestor_ids) - 1, 0)

    def subtree_q(self, prefix: str = "") -> Q:
        """Filter for this organization and all below it (``prefix`` for related lookups)."""
        return Q(**{f"{prefix}path__startswith": self.path})


class OrgRole(models.TextChoices):
    MEMBER = "member", "Member"
    ADMIN = "admin", "Admin"


class OrgMembership(models.Model):
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="org_memberships")
    role = models.CharField(max_length=10, choices=OrgRole.choices, default=OrgRole.MEMBER)
    joined_at = models.DateTimeField(default=dj_timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "user"], name="org_membership_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.organization} ({self.role})"


def _invite_token() -> str:
    return secrets.token_urlsafe(32)


def _invite_expiry() -> object:
    return dj_timezone.now() + timedelta(days=14)


class OrgInvitation(models.Model):
    """An invitation for an e-mail address that has no account yet.

    It is accepted by following the link (signed in with that address), or automatically when
    someone signs up and verifies that address.
    """

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField()
    name = models.CharField(max_length=NAME_MAX, blank=True)
    role = models.CharField(max_length=10, choices=OrgRole.choices, default=OrgRole.MEMBER)
    token = models.CharField(max_length=64, unique=True, default=_invite_token)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=dj_timezone.now)
    expires_at = models.DateTimeField(default=_invite_expiry)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "email"],
                condition=Q(accepted_at__isnull=True),
                name="one_open_invitation_per_email",
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.organization}"

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.expires_at > dj_timezone.now()


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 is stored; the raw value is shown once."""

    PREFIX = "prt_"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=80)
    digest = models.CharField(max_length=64, unique=True)
    hint = models.CharField(max_length=12, help_text="The token's first characters, to tell apart.")
    created_at = models.DateTimeField(default=dj_timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"
