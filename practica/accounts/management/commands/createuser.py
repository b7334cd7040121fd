"""``practica createuser EMAIL --password P``: make an account without prompts (scripts, Docker)."""

from __future__ import annotations

import sys
from argparse import ArgumentParser
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from practica.accounts import services
from practica.accounts.models import Organization, OrgRole, User
from practica.lib.errors import PracticaError


class Command(BaseCommand):
    help = (
        "Create a verified account. --org SLUG makes it a member of that organization "
        "(--org-admin: an admin); --staff makes it site staff. Nothing changes on error."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("email", help="The address the person signs in with.")
        parser.add_argument(
            "--password",
            required=True,
            help="The password; '-' reads it from the first line of stdin (keeps it out of "
            "the process list and shell history).",
        )
        parser.add_argument("--name", default="", help="Full name shown to others.")
        parser.add_argument("--org", metavar="SLUG", default="", help="Organization to join.")
        parser.add_argument(
            "--org-admin", action="store_true", help="Join --org as an admin, not a member."
        )
        parser.add_argument(
            "--staff", action="store_true", help="Site staff: may administer everything."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        org = _organization(options["org"], admin=options["org_admin"])
        password = _password(options["password"], options["email"], options["name"])
        role = OrgRole.ADMIN if options["org_admin"] else OrgRole.MEMBER
        try:
            # One transaction: a failure after the account exists must not leave it behind.
            with transaction.atomic():
                user = services.create_user(
                    options["email"],
                    password,
                    name=options["name"],
                    is_staff=options["staff"],
                    verified=True,
                )
                if org is not None:
                    services.add_org_member(org, user, role)
        except PracticaError as exc:
            raise CommandError(exc.detail) from exc
        self.stdout.write(self.style.SUCCESS(_summary(user, org, role)))


def _organization(slug: str, *, admin: bool) -> Organization | None:
    """The organization named by ``--org`` (None when not given); CommandError if unknown."""
    if not slug:
        if admin:
            raise CommandError("--org-admin needs --org SLUG (which organization?).")
        return None
    org = Organization.objects.filter(slug=slug.strip().lower()).first()
    if org is None:
        raise CommandError(f"No organization with the URL name '{slug}'.")
    return org


def _password(raw: str, email: str, name: str) -> str:
    """The password to set (read from stdin for '-'), checked by the site's validators."""
    password = sys.stdin.readline().rstrip("\r\n") if raw == "-" else raw
    try:
        validate_password(password, User(email=email, name=name))
    except ValidationError as exc:
        raise CommandError("Password rejected: " + " ".join(exc.messages)) from exc
    return password


def _summary(user: User, org: Organization | None, role: str) -> str:
    text = f"Created {user.email}"
    if user.is_staff:
        text += " (site staff)"
    if org is not None:
        text += f", {role} of {org.name}"
    return text + "."
