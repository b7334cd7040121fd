"""Telling the other processes that an event committed.

- Always: every stream process tails the outbox table (``OutboxEvent.id > last``) every
  ``REALTIME_POLL_SECONDS`` — no extra server, works on SQLite and PostgreSQL.
- With ``REDIS_URL``: the committing process publishes the event on a Redis channel after
  commit; stream processes (on any machine) receive it at once and read the table only to fill
  a gap or, once a second, to catch a publish that never happened (a process died after commit).

Measured choices are in docs/decisions/0010-outbox-and-fan-out.md.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from django.conf import settings

logger = logging.getLogger(__name__)
_client: Any = None


def channel() -> str:
    return f"{settings.REALTIME_CHANNEL_PREFIX}:events"


def redis_url() -> str:
    return str(settings.REALTIME_REDIS_URL or "")


def publish(event_id: int, name: str, payload: dict[str, Any]) -> None:
    """After commit: publish the event to Redis (when configured). Failures are logged: the
    stream processes' table tail delivers it anyway, a second later."""
    global _client
    url = redis_url()
    if not url:
        return
    try:
        if _client is None:
            import redis

            _client = redis.Redis.from_url(url, socket_timeout=2)
        _client.publish(channel(), json.dumps({"id": event_id, "name": name, "payload": payload}))
    except Exception:
        logger.exception("publishing event %s to Redis failed", event_id)
        _client = None
