"""The in-process event bus: services emit small events, subscribers react after commit.

Contract (docs/events.md):
- ``emit(name, **payload)`` is called by a service *inside* its transaction. The event is
  delivered only when the transaction commits; a rolled-back write never produces an event.
- Payloads carry ids and small scalars, never HTML or model instances; they are round-tripped
  through JSON at emit time so a value that cannot be serialized fails loudly in tests.
- Subscribers run in the committing process, in registration order. A failing subscriber is
  logged and does not stop the others (the write already happened).

The durable outbox and the SSE stream build on this (the real-time issue); subscribers that
must not lose an event (notifications) will read from the outbox, not from here.
"""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.db import transaction

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Event:
    name: str
    payload: dict[str, Any]


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
    event = Event(name=name, payload=json.loads(json.dumps(payload)))
    transaction.on_commit(lambda: _deliver(event))


def _deliver(event: Event) -> None:
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
