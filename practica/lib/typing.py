"""Request types for views, so mypy knows who the user is."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from practica.accounts.models import User


class AuthedHttpRequest(HttpRequest):
    """A request behind ``login_required``: ``user`` is a signed-in ``User``."""

    user: User
