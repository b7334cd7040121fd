"""Background work for accounts: e-mail that must not hold up a request."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django_tasks import task

from practica.accounts.models import OrgInvitation


@task()
def send_org_invitation(invitation_id: int) -> None:
    """E-mail the invitation link. A vanished or accepted invitation is skipped (idempotent
    enough: a retry after a crash at worst sends the same link twice)."""
    invitation = (
        OrgInvitation.objects.select_related("organization", "invited_by")
        .filter(pk=invitation_id, accepted_at__isnull=True)
        .first()
    )
    if invitation is None:
        return
    context = {
        "invitation": invitation,
        "url": f"{settings.SITE_URL}/invitations/{invitation.token}/",
        "site_name": settings.SITE_NAME,
    }
    send_mail(
        subject=f"[{settings.SITE_NAME}] You're invited to {invitation.organization.name}",
        message=render_to_string("accounts/email/org_invitation.txt", context),
        from_email=None,
        recipient_list=[invitation.email],
    )
