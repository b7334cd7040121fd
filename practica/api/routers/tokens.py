"""Getting a token (e-mail + password, rate-limited) and listing/revoking your own tokens."""

from __future__ import annotations

import ipaddress

from allauth.account.utils import has_verified_email
from django.conf import settings
from django.contrib.auth import authenticate
from django.http import HttpRequest
from django_ratelimit.core import get_usage
from ninja import Path, Query, Router, Status

from practica.accounts import services
from practica.accounts.models import ApiToken, User
from practica.api.auth import AUTH, caller
from practica.api.errors import ApiError
from practica.api.pagination import paginate
from practica.api.schemas import ErrorOut, PageParams, TokenCreatedOut, TokenIn, TokenOut, TokenPage

router = Router(tags=["auth"])

DB_INT_MAX = 2**63 - 1


class RateLimited(ApiError):
    def __init__(self, wait: int) -> None:
        self.wait = max(wait, 1)  # also sent as the Retry-After header
        detail = f"Too many attempts; try again in {self.wait} seconds."
        super().__init__(429, detail, "rate_limited")


def client_address(request: HttpRequest) -> str:
    """The client's address for rate limiting: IPv6 clients by their /64 (one host usually
    owns a whole /64). Read from ``settings.RATELIMIT_IP_META_KEY`` behind a proxy, else
    REMOTE_ADDR. Without a usable address (a misconfigured proxy or socket) all such clients
    share one bucket: stricter than intended, but never an error."""
    meta_key = getattr(settings, "RATELIMIT_IP_META_KEY", None) or "REMOTE_ADDR"
    try:
        address = ipaddress.ip_address(str(request.META.get(meta_key, "")).strip())
    except ValueError:
        return "unknown"
    prefix = 64 if address.version == 6 else 32
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False).network_address)


def _check_rate(request: HttpRequest, email: str) -> None:
    """Count this attempt against the client's IP and against the e-mail address; raise when
    either is over ``settings.API_TOKEN_RATE``. Both are always counted (no short-circuit), and
    this runs before the password is checked, so refused guesses never reach the hasher."""
    rate = settings.API_TOKEN_RATE
    by_ip = client_address(request)
    usages = [
        get_usage(
            request, group="api.token.ip", key=lambda _g, _r: by_ip, rate=rate, increment=True
        ),
        get_usage(
            request, group="api.token.email", key=lambda _g, _r: email, rate=rate, increment=True
        ),
    ]
    limited = [u for u in usages if u is not None and u["should_limit"]]
    if limited:
        raise RateLimited(max(int(u["time_left"]) for u in limited))


def _token_out(token: ApiToken) -> TokenOut:
    return TokenOut(
        id=token.pk,
        name=token.name,
        hint=token.hint,
        created_at=token.created_at,
        last_used_at=token.last_used_at,
    )


@router.post(
    "/auth/token",
    auth=None,
    response={
        201: TokenCreatedOut,
        400: ErrorOut,
        401: ErrorOut,
        403: ErrorOut,
        422: ErrorOut,
        429: ErrorOut,
    },
    summary="Exchange e-mail and password for a personal API token",
)
def issue_token(request: HttpRequest, payload: TokenIn) -> Status[TokenCreatedOut]:
    """The raw token is in this response only; afterwards only its hint is shown."""
    email = payload.email.strip().lower()
    _check_rate(request, email)
    user = authenticate(request, email=email, password=payload.password)
    if not isinstance(user, User):
        raise ApiError(401, "The e-mail address or the password is wrong.", "invalid_credentials")
    _require_verified_email(user)
    token, raw = services.create_api_token(user, payload.name)
    out = TokenCreatedOut(
        token=raw, id=token.pk, name=token.name, hint=token.hint, created_at=token.created_at
    )
    return Status(201, out)


def _require_verified_email(user: User) -> None:
    # With mandatory verification the web login refuses unverified addresses; the API must not
    # be a way around that (someone could sign up with another person's address).
    if settings.ACCOUNT_EMAIL_VERIFICATION == "mandatory" and not has_verified_email(user):
        raise ApiError(
            403, "Verify your e-mail address (see the link we sent) first.", "email_not_verified"
        )


@router.get("/tokens", auth=AUTH, response={200: TokenPage, 401: ErrorOut, 422: ErrorOut})
def list_tokens(request: HttpRequest, paging: Query[PageParams]) -> dict[str, object]:
    """Your tokens, newest first. The raw values are never shown again."""
    tokens = caller(request).api_tokens.order_by("-created_at", "-pk")
    return paginate(tokens, paging, _token_out)


@router.delete(
    "/tokens/{token_id}",
    auth=AUTH,
    response={204: None, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def revoke_token(
    request: HttpRequest, token_id: int = Path(..., ge=1, le=DB_INT_MAX)
) -> Status[None]:
    """Revoke one of your tokens; it stops working at once. Others' tokens are 404."""
    services.revoke_api_token(caller(request), token_id)
    return Status(204, None)
