""" "N people are viewing": who has a live page open on a topic such as ``qa.post:12``.

A topic kind is registered with a resolver ``(user, object_id) -> community_id | None`` that
answers through the access gate (None: the person may not see it, so they are not counted and
learn nothing). Arriving and leaving write a ``Presence`` row and emit ``realtime.presence``
{topic, community_id, count} to the community's readers; the page updates the number in place.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from practica.realtime.bus import emit
from practica.realtime.models import Presence

if TYPE_CHECKING:
    from practica.accounts.models import User

Resolver = Callable[["User", int], "int | None"]
_resolvers: dict[str, Resolver] = {}


def register(kind: str, resolver: Resolver) -> None:
    """Allow presence on ``kind:<id>`` topics (e.g. ``qa.post``)."""
    _resolvers[kind] = resolver


def _fresh_since() -> datetime:
    return timezone.now() - timedelta(seconds=2 * settings.REALTIME_KEEPALIVE_SECONDS + 10)


def count(topic: str, *, including: int | None = None) -> int:
    """How many different people have a live page open on ``topic`` (one indexed query).
    ``including``: a person known to be looking (the reader of the page being rendered, whose
    stream hasn't connected yet) counts even when they have no live row."""
    # Plain SQL: it runs on every signed-in question page view (decision 0015).
    table = connection.ops.quote_name(Presence._meta.db_table)
    since = connection.ops.adapt_datetimefield_value(_fresh_since())
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT DISTINCT user_id FROM {table} "  # noqa: S608 (a quoted model table name)
            "WHERE topic = %s AND seen_at >= %s",
            [topic, since],
        )
        people = {int(row[0]) for row in cursor.fetchall()}
    if including is None:
        return len(people)
    return len(people - {including}) + 1


def _parse(topic: str) -> tuple[str, int] | None:
    kind, _, raw = topic.partition(":")
    if kind not in _resolvers or not raw.isdigit() or len(topic) > 80:
        return None
    return kind, int(raw)


def arrive(user: User, topic: str, connection: str) -> str | None:
    """Count ``user`` on ``topic`` for this connection; the seat to ``leave`` later, or None
    when the topic is unknown or not visible to them."""
    parsed = _parse(topic)
    if parsed is None:
        return None
    community_id = _resolvers[parsed[0]](user, parsed[1])
    if community_id is None:
        return None
    with transaction.atomic():
        Presence.objects.create(
            topic=topic, user_id=user.pk, connection=connection, community_id=community_id
        )
        _announce(topic, community_id)
    return connection


def still_here(connection: str) -> None:
    Presence.objects.filter(connection=connection).update(seen_at=timezone.now())


def leave(connection: str) -> None:
    with transaction.atomic():
        row = Presence.objects.filter(connection=connection).first()
        if row is None:
            return
        row.delete()
        _announce(row.topic, row.community_id)


def _announce(topic: str, community_id: int | None) -> None:
    emit("realtime.presence", topic=topic, community_id=community_id, count=count(topic))


def prune() -> int:
    """Drop rows of streams whose process died without saying goodbye."""
    deleted, _ = Presence.objects.filter(seen_at__lt=_fresh_since()).delete()
    return deleted
