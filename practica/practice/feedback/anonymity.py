"""The two primitives anonymity rests on: receipts that cannot be tied to an answer, and a pool
whose order says nothing about who wrote what."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Any

from django.conf import settings


def receipt_digest(purpose: str, round_id: int, user_id: int) -> str:
    """A keyed hash of (purpose, round, person): lets us refuse a second answer without storing
    who answered in the clear, and carries nothing about the answer itself."""
    key = hashlib.sha256(f"practica.feedback.receipts:{settings.SECRET_KEY}".encode()).digest()
    message = f"{purpose}:{round_id}:{user_id}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def insert_at_random(items: list[Any], item: Any) -> list[Any]:
    """``items`` with ``item`` inserted at a uniformly random position (a CSPRNG, so the
    position can't be predicted or replayed)."""
    position = secrets.randbelow(len(items) + 1)
    return [*items[:position], item, *items[position:]]


def shuffled(items: list[Any]) -> list[Any]:
    """A fresh random order (used again when showing, so two views don't share an order)."""
    result = list(items)
    for i in range(len(result) - 1, 0, -1):
        j = secrets.randbelow(i + 1)
        result[i], result[j] = result[j], result[i]
    return result
