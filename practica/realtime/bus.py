"""The in-process event bus: services emit small events, subscribers react after commit.

Contract (docs/events.md):
- ``emit(name, **payload)`` is called by a service *inside* its transaction. The event is
  delivered only when the transaction commits; a rolled-back write never produces an event.
- Payloads carry ids and small scalars, never HTML or model instances; they are round-tripped
  through JSON at emit time so a value that cannot be serialized fails loudly in tests.
- Subscribers run in the committing process, in registration order. A failing subscriber is
  logged and does not stop the others (the write already happened).

- Events bound for people (``audience.audience_for`` is not None) are also written to the
  outbox table (``models.OutboxEvent``) *in the same transaction*, under a lock that makes ids
  follow commit order; after commit they are published to the other processes (Redis when
  ``REDIS_URL`` is set; otherwise each stream process tails the table). ``Event.id`` is the
  outbox id (None for in-process-only events). See docs/realtime.md.
"""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Event:
    name: str
    payload: dict[str, Any]
    id: int | None = field(default=None, compare=False)


Subscriber = Callable[[Event], None]

_subscribers: dict[str, list[Subscriber]] = defaultdict(list)
_captures: list[list[Event]] = []


def subscribe(name: str) -> Callable[[Subscriber], Subscriber]:
    """Decorator: call the function with every committed event called ``name`` (``*`` = all)."""

    def register(func: Subscriber) -> Subscriber:
        if func not in _subscribers[name]:
            _subscribers[name].append(func)
        return func

    return register


def emit(name: str, **payload: Any) -> None:
    """Queue ``name`` with ``payload`` for delivery when the current transaction commits."""
    data = json.loads(json.dumps(payload))
    event = Event(name=name, payload=data, id=_write_outbox(name, data))
    transaction.on_commit(lambda: _deliver(event))


# Any constant: the one advisory lock that orders outbox writers on PostgreSQL.
OUTBOX_LOCK = 0x50524143  # "PRAC"


def _write_outbox(name: str, payload: dict[str, Any]) -> int | None:
    """Insert the outbox row for an event bound for people; its id, or None.

    On PostgreSQL a transaction-level advisory lock, held until the caller's transaction ends,
    makes outbox ids commit in order, so ``id > last_seen`` never skips a late committer."""
    from practica.realtime.audience import audience_for
    from practica.realtime.models import OutboxEvent

    audience = audience_for(name, payload)
    if audience is None:
        return None
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [OUTBOX_LOCK])
        row = OutboxEvent.objects.create(
            name=name,
            payload=payload,
            scope=audience.scope,
            community_id=audience.community_id,
            organization_id=audience.organization_id,
            user_ids=list(audience.user_ids),
        )
    return row.pk


def _deliver(event: Event) -> None:
    if event.id is not None:
        from practica.realtime.fanout import publish

        publish(event.id, event.name, event.payload)
    for captured in _captures:
        captured.append(event)
    for func in [*_subscribers.get(event.name, []), *_subscribers.get("*", [])]:
        try:
            func(event)
        except Exception:
            logger.exception("event subscriber %s failed on %s", func.__qualname__, event.name)


@contextmanager
def capture_events() -> Iterator[list[Event]]:
    """Collect every event delivered inside the block (tests use this to assert events)."""
    captured: list[Event] = []
    _captures.append(captured)
    try:
        yield captured
    finally:
        _captures.remove(captured)
