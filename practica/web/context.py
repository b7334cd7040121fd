from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, object]:
    """Context for the Django-template pages that libraries ship (allauth)."""
    return {"site_name": settings.SITE_NAME}
