"""``practica token EMAIL``: mint an API token for a person and print it (only it) on stdout."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from practica.accounts import services
from practica.accounts.models import User
from practica.lib.errors import PracticaError


class Command(BaseCommand):
    help = (
        "Create a personal API token for EMAIL and print it. It is shown only this once; "
        "stdout carries nothing else, so `TOKEN=$(practica token EMAIL)` works."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("email", help="The account's e-mail address.")
        parser.add_argument(
            "--name", default="", help="A label to tell tokens apart (default: 'API token')."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        email = options["email"].strip()
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(f"No account for {email}.")
        if not user.is_active:
            # Such a token would be refused by the API anyway (services.user_for_token).
            raise CommandError(f"The account {email} is deactivated.")
        try:
            _, raw = services.create_api_token(user, options["name"])
        except PracticaError as exc:
            raise CommandError(exc.detail) from exc
        self.stdout.write(raw)
