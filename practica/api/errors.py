"""Every API error is a JSON body ``{"detail": ..., "code": ...}`` with the matching status.

Services raise :class:`~practica.lib.errors.PracticaError` subclasses; ninja raises its own
``ValidationError``/``HttpError``; Django raises ``Http404``. The handlers installed by
:func:`install` turn all of them (and any unexpected exception) into that one shape, so a
client never has to parse an HTML page.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.core.signals import got_request_exception
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from ninja.errors import AuthenticationError, HttpError, ValidationError

from practica.lib.errors import Invalid, NotFound, PracticaError

if TYPE_CHECKING:
    from collections.abc import Iterable

    from ninja import NinjaAPI

logger = logging.getLogger("practica.api")

NOT_AUTHENTICATED = "Sign in, or send 'Authorization: Bearer <token>' (POST /api/v1/auth/token)."

# Codes for errors that carry only an HTTP status (ninja's HttpError and friends).
CODE_FOR_STATUS = {
    400: "bad_request",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    422: "invalid",
    429: "rate_limited",
}


class ApiError(HttpError):
    """An HttpError with its own machine code (e.g. ``csrf_failed``, ``rate_limited``)."""

    def __init__(self, status: int, detail: str, code: str) -> None:
        super().__init__(status, detail)
        self.code = code


def error_response(
    status: int, detail: Any, code: str, *, errors: dict[str, str] | None = None
) -> JsonResponse:
    """The one error body. ``errors`` (field -> message) is added for validation failures."""
    body: dict[str, Any] = {"detail": detail, "code": code}
    if errors is not None:
        body["errors"] = errors
    return JsonResponse(body, status=status)


def _is_anonymous(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return user is None or not user.is_authenticated


def on_practica_error(request: HttpRequest, exc: PracticaError) -> HttpResponse:
    # Like the HTML views: a signed-out client asking for something that is not public is told
    # to authenticate, whether or not it exists, so the answer leaks nothing.
    if isinstance(exc, NotFound) and _is_anonymous(request):
        return error_response(401, NOT_AUTHENTICATED, "not_authenticated")
    errors = exc.errors if isinstance(exc, Invalid) else None
    return error_response(exc.status, exc.detail, exc.code, errors=errors)


def _field_name(loc: Iterable[Any]) -> str:
    """``("body", "payload", "name")`` -> ``"name"``; ``("query", "page")`` -> ``"page"``;
    the body as a whole (missing, or not an object) -> ``"body"``."""
    parts = [str(p) for p in loc]
    # Drop the source ("query", "path", "body") and, for the body, the parameter's own name.
    parts = parts[2:] if parts[:1] == ["body"] else parts[1:]
    return ".".join(parts) or "body"


def validation_errors(raw: list[dict[str, Any]]) -> dict[str, str]:
    """Ninja's pydantic error list as ``{field: message}`` (first message per field)."""
    errors: dict[str, str] = {}
    for item in raw:
        errors.setdefault(_field_name(item.get("loc", ())), str(item.get("msg", "Invalid.")))
    return errors


def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = validation_errors(exc.errors)
    detail = "; ".join(f"{field}: {message}" for field, message in errors.items())
    return error_response(422, detail, "invalid", errors=errors)


def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if isinstance(exc, AuthenticationError) and exc.message == "Unauthorized":
        return error_response(401, NOT_AUTHENTICATED, "not_authenticated")
    code = getattr(exc, "code", None) or CODE_FOR_STATUS.get(exc.status_code, "error")
    response = error_response(exc.status_code, exc.message, code)
    wait = getattr(exc, "wait", None)
    if wait:
        response["Retry-After"] = str(int(wait))
    return response


def on_http404(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error_response(404, "Not found.", "not_found")


def on_suspicious(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
    # Django answers these 400 itself (and logs them under django.security); so do we.
    if isinstance(exc, RequestDataTooBig):
        return error_response(413, "The request body is too large.", "too_large")
    return error_response(400, "The request was malformed.", "bad_request")


def on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return error_response(403, str(exc) or "You may not do that.", "forbidden")


def on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    """A bug: log it, tell Django (the test client re-raises it, error reporting sees it) and
    still answer JSON."""
    logger.exception("Unhandled API error on %s %s", request.method, request.path)
    got_request_exception.send(sender=None, request=request)
    return error_response(500, "Something went wrong on our side.", "server_error")


def install(api: NinjaAPI) -> None:
    """Register the handlers on ``api`` (most specific class wins, by MRO)."""
    api.add_exception_handler(PracticaError, on_practica_error)  # type: ignore[arg-type]
    api.add_exception_handler(ValidationError, on_validation_error)  # type: ignore[arg-type]
    api.add_exception_handler(HttpError, on_http_error)  # type: ignore[arg-type]
    api.add_exception_handler(Http404, on_http404)  # type: ignore[arg-type]
    api.add_exception_handler(SuspiciousOperation, on_suspicious)  # type: ignore[arg-type]
    api.add_exception_handler(PermissionDenied, on_permission_denied)  # type: ignore[arg-type]
    api.add_exception_handler(Exception, on_unexpected)  # type: ignore[arg-type]
