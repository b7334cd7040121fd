"""Who is calling: a bearer token, else the browser's Django session, else (where allowed) no one.

- ``Authorization: Bearer prt_...``: a personal token (``accounts.services.user_for_token``).
  A bearer header with a bad or revoked token is a 401 even where anonymous reads are allowed:
  a client that meant to authenticate must not silently get the anonymous view.
- The session cookie, so pages can call the API with ``fetch``. Unsafe methods then need the
  CSRF token (``X-CSRFToken`` header), exactly like a form post.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from practica.accounts.models import User
from practica.accounts.services import user_for_token
from practica.api.errors import ApiError

if TYPE_CHECKING:
    from django.http import HttpRequest

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


class BearerAuth(HttpBearer):
    """``Authorization: Bearer <token>``; the token comes from ``POST /auth/token``."""

    def __call__(self, request: HttpRequest) -> User | None:
        scheme, _, raw = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer":
            return None  # no header, or another scheme: the session may still authenticate
        return self.authenticate(request, raw.strip())

    def authenticate(self, request: HttpRequest, token: str) -> User:
        user = user_for_token(token) if token else None
        if user is None:
            raise ApiError(
                401, "The token is not valid (revoked, or mistyped).", "not_authenticated"
            )
        # Everything downstream (the access gate, services) reads request.user.
        request.user = user
        return user


class SessionAuth(APIKeyCookie):
    """The Django session cookie; unsafe methods must pass Django's CSRF check."""

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self) -> None:
        # csrf=True also makes the /docs page send the CSRF token with "Try it out".
        super().__init__(csrf=True)

    def _get_key(self, request: HttpRequest) -> str | None:
        # Unlike ninja's SessionAuth, check CSRF only once a session user is found (below): a
        # client with no session must get 401 "not authenticated", not 403 "CSRF failed".
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if request.method not in SAFE_METHODS and check_csrf(request) is not None:
            raise ApiError(
                403,
                "CSRF check failed: send the csrftoken cookie's value in the X-CSRFToken header.",
                "csrf_failed",
            )
        return user


def anonymous(request: HttpRequest) -> AnonymousUser:
    """Last resort for endpoints that also answer signed-out clients (public data only)."""
    return AnonymousUser()


bearer_auth = BearerAuth()
session_auth = SessionAuth()
AUTH: list[Any] = [bearer_auth, session_auth]
OPTIONAL_AUTH: list[Any] = [bearer_auth, session_auth, anonymous]
# For operations with OPTIONAL_AUTH: the empty requirement is OpenAPI's "or none at all".
OPTIONAL_AUTH_OPENAPI: dict[str, Any] = {"security": [{}]}


def caller(request: HttpRequest) -> User:
    """The authenticated user of an endpoint that requires authentication."""
    user = getattr(request, "auth", None)
    if not isinstance(user, User):  # only reachable if an endpoint forgot ``auth=AUTH``
        raise ApiError(401, "Authentication required.", "not_authenticated")
    return user


def viewer(request: HttpRequest) -> User | AnonymousUser:
    """The user of an endpoint with ``OPTIONAL_AUTH``: a User, or AnonymousUser."""
    user = getattr(request, "auth", None)
    return user if isinstance(user, User) else AnonymousUser()
