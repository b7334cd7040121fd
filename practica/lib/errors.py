"""Errors that services raise; views turn them into messages, the API into JSON bodies.

Every error carries a stable machine ``code`` (the API's ``{"detail", "code"}``) and a message
written for the person who caused it.
"""

from __future__ import annotations


class PracticaError(Exception):
    """Base class. ``status`` is the HTTP status the API answers with."""

    status = 400
    code = "bad_request"

    def __init__(self, detail: str, *, code: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        if code:
            self.code = code


class NotFound(PracticaError):
    """The object does not exist *or the actor may not know that it does*."""

    status = 404
    code = "not_found"


class Forbidden(PracticaError):
    """The actor can see the object but may not do this to it."""

    status = 403
    code = "forbidden"


class Conflict(PracticaError):
    """The request clashes with the current state (duplicate slug, already a member...)."""

    status = 409
    code = "conflict"


class Invalid(PracticaError):
    """Input failed validation. ``errors`` maps field names to messages."""

    status = 422
    code = "invalid"

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{field}: {msg}" for field, msg in errors.items()))
