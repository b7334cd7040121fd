"""allauth hooks: a newly verified address picks up the invitations waiting for it."""

from __future__ import annotations

from typing import Any

from allauth.account.signals import email_confirmed, user_signed_up
from django.conf import settings
from django.dispatch import receiver

from practica.accounts import services


@receiver(email_confirmed)
def _accept_on_confirm(sender: Any, request: Any, email_address: Any, **kwargs: Any) -> None:
    user = email_address.user
    if email_address.email.lower() == user.email.lower():
        services.accept_pending_invitations(user)


@receiver(user_signed_up)
def _accept_without_verification(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    # Only when the operator switched verification off; otherwise wait for the confirmation,
    # or anyone could claim an invitation by signing up with someone else's address.
    if settings.ACCOUNT_EMAIL_VERIFICATION == "none":
        services.accept_pending_invitations(user)
