"""Field rules shared by forms, services and the API, so each is stated once."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.text import slugify

from practica.lib.errors import Invalid

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
RESERVED_SLUGS = frozenset(
    {"new", "admin", "api", "static", "media", "accounts", "settings", "edit", "join", "events"}
)


def clean_text(
    errors: dict[str, str],
    field: str,
    value: str,
    *,
    max_len: int,
    required: bool = True,
    label: str | None = None,
) -> str:
    """Strip ``value``; record a message in ``errors`` if it is empty (when required) or long."""
    label = label or field.replace("_", " ").capitalize()
    value = (value or "").strip()
    if "\x00" in value:
        # PostgreSQL refuses NUL in text; say so instead of failing at the database.
        errors[field] = f"{label} contains a NUL character; remove it."
    elif required and not value:
        errors[field] = f"{label} is required."
    elif len(value) > max_len:
        errors[field] = f"{label} must be at most {max_len} characters (it has {len(value)})."
    return value


def clean_slug(
    errors: dict[str, str], value: str, *, field: str = "slug", max_len: int = 60
) -> str:
    """A lowercase URL name: letters, digits and single hyphens, 2 to ``max_len`` long."""
    value = (value or "").strip().lower()
    if not value:
        errors[field] = "A short URL name is required."
    elif len(value) < 2 or len(value) > max_len:
        errors[field] = f"The URL name must be 2 to {max_len} characters."
    elif not SLUG_RE.match(value):
        errors[field] = "Use lowercase letters, digits and single hyphens (e.g. early-literacy)."
    elif value in RESERVED_SLUGS:
        errors[field] = f"'{value}' is reserved; choose another URL name."
    return value


def clean_email(errors: dict[str, str], value: str, *, field: str = "email") -> str:
    value = (value or "").strip().lower()
    if not value:
        errors[field] = "An e-mail address is required."
        return value
    if "\x00" in value:
        errors[field] = "The e-mail address contains a NUL character."
        return value
    try:
        validate_email(value)
    except ValidationError:
        errors[field] = f"'{value}' is not a valid e-mail address."
    return value


def clean_choice(errors: dict[str, str], field: str, value: str, choices: list[str]) -> str:
    value = (value or "").strip().lower()
    if value not in choices:
        errors[field] = f"Choose one of: {', '.join(choices)}."
    return value


def raise_if(errors: dict[str, str]) -> None:
    if errors:
        raise Invalid(errors)


def suggest_slug(text: str, max_len: int = 60) -> str:
    return slugify(text)[:max_len].strip("-")
