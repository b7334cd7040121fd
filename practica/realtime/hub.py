"""One hub per stream process: reads committed events (outbox tail or Redis), decides through
the access gate who may see each one, and hands it to those streams' queues.

The gate's facts are cached (each stream's ``Viewer``, each community) and refreshed by the
events that change them, processed in id order: when ``communities.member_removed`` for Ana
arrives, her streams reload her facts before the next event is considered, so she stops
receiving a private community's events at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import close_old_connections

from practica.communities import access
from practica.realtime import fanout
from practica.realtime.audience import ACCESS_CHANGES, COMMUNITY_CHANGES, Audience, audience_for
from practica.realtime.models import OutboxEvent, Scope

if TYPE_CHECKING:
    from practica.accounts.models import Organization, User
    from practica.communities.models import Community

logger = logging.getLogger(__name__)
QUEUE_SIZE = 1000  # a stream this far behind is told to reload instead of holding memory
FETCH_LIMIT = 500


@dataclass(frozen=True)
class Outgoing:
    """A committed event as the stream sends it."""

    id: int
    name: str
    payload: dict[str, Any]
    audience: Audience

    def frame(self) -> bytes:
        data = json.dumps(self.payload, separators=(",", ":"))
        return f"id: {self.id}\nevent: {self.name}\ndata: {data}\n\n".encode()


def outgoing(event_id: int, name: str, payload: dict[str, Any]) -> Outgoing | None:
    audience = audience_for(name, payload)
    return None if audience is None else Outgoing(event_id, name, payload, audience)


def _from_row(row: OutboxEvent) -> Outgoing:
    audience = Audience(row.scope, row.community_id, row.organization_id, tuple(row.user_ids or ()))
    return Outgoing(row.pk, row.name, row.payload, audience)


def fetch_after(last_id: int, limit: int = FETCH_LIMIT) -> list[Outgoing]:
    """Committed events after ``last_id``, oldest first (one indexed query)."""
    rows = OutboxEvent.objects.filter(pk__gt=last_id).order_by("pk")[:limit]
    return [_from_row(row) for row in rows]


def last_event_id() -> int:
    row = OutboxEvent.objects.order_by("-pk").values_list("pk", flat=True).first()
    return int(row or 0)


def resume_after(last_id: int, limit: int = FETCH_LIMIT) -> list[Outgoing] | None:
    """Events after ``last_id`` for a reconnecting client, or None when they can no longer
    all be given (pruned past the retention window, or too many): the client must reload."""
    oldest = OutboxEvent.objects.order_by("pk").values_list("pk", flat=True).first()
    newest = last_event_id()
    if last_id > newest:
        return None  # an id this database never gave (restored backup, other site)
    if oldest is None or last_id < oldest - 1:
        return None if last_id < newest else []
    rows = fetch_after(last_id, limit + 1)
    return None if len(rows) > limit else rows


def may_see(
    user: User, audience: Audience, community: Community | None, org: Organization | None
) -> bool:
    """THE stream filter, entirely through the access gate (pure CPU on cached facts)."""
    if audience.scope == Scope.USERS:
        if user.pk not in audience.user_ids:
            return False
        return audience.community_id is None or (
            community is not None and access.can_view_community(user, community)
        )
    if audience.scope == Scope.ORG:
        return org is not None and access.can_view_org(user, org)
    if community is None or not access.can_view_community(user, community):
        return False
    if user.pk in audience.user_ids or audience.scope == Scope.READERS:
        return True
    if audience.scope == Scope.MEMBERS:
        return access.is_member(user, community) or bool(user.is_staff)
    return access.can_manage_members(user, community)


@dataclass(eq=False)
class Listener:
    """One open stream."""

    user: User
    queue: asyncio.Queue[Outgoing | None] = field(default_factory=lambda: asyncio.Queue(QUEUE_SIZE))
    stale: bool = True  # the gate facts of this person are loaded before the first decision

    def offer(self, event: Outgoing) -> None:
        try:
            self.queue.put_nowait(event)
        except asyncio.QueueFull:
            while not self.queue.empty():
                self.queue.get_nowait()
            self.queue.put_nowait(None)  # None: too far behind, reload


class Hub:
    def __init__(self) -> None:
        self.listeners: set[Listener] = set()
        self.last_id = 0
        self.communities: dict[int, Community | None] = {}
        self.orgs: dict[int, Organization | None] = {}
        self._task: asyncio.Task[None] | None = None
        self._started = asyncio.Event()

    async def start(self) -> None:
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._run())
        await self._started.wait()

    async def stop(self) -> None:
        """Stop reading events (tests; a server process just exits)."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def add(self, listener: Listener) -> None:
        """Load the person's gate facts (in the stream's own task, so the hub never does it for
        a thousand new streams at once), then start offering events."""
        await sync_to_async(_refresh_viewer)(listener.user)
        listener.stale = False
        self.listeners.add(listener)

    def remove(self, listener: Listener) -> None:
        self.listeners.discard(listener)

    async def _run(self) -> None:
        source: PollSource | RedisSource = PollSource()
        if fanout.redis_url():
            try:
                source = RedisSource()
                await source.open()
            except Exception:
                logger.exception("realtime hub: Redis unavailable; tailing the outbox table")
                source = PollSource()
        # Subscribed before reading the position: nothing published in between is missed.
        self.last_id = await sync_to_async(last_event_id)()
        self._started.set()
        while True:
            try:
                for event in await source.next(self.last_id):
                    await self.dispatch(event)
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("realtime hub: reading events failed; retrying")
                await sync_to_async(close_old_connections)()
                await asyncio.sleep(1)

    async def dispatch(self, event: Outgoing) -> None:
        if event.id <= self.last_id:
            return  # already delivered (Redis and the table tail may both bring it)
        self.last_id = event.id
        subject = event.payload.get("user_id")
        if event.name in ACCESS_CHANGES:
            for listener in self.listeners:
                if listener.user.pk == subject:
                    listener.stale = True
        if event.name in COMMUNITY_CHANGES:
            self.communities.pop(event.payload.get("community_id", 0), None)
        for listener in list(self.listeners):
            if await self.allows(listener, event):
                listener.offer(event)

    async def allows(self, listener: Listener, event: Outgoing) -> bool:
        if listener.stale:
            listener.stale = False
            await sync_to_async(_refresh_viewer)(listener.user)
        community = await self.community(event.audience.community_id)
        org = await self.org(event.audience.organization_id)
        return may_see(listener.user, event.audience, community, org)

    async def community(self, community_id: int | None) -> Community | None:
        if community_id is None:
            return None
        if community_id not in self.communities:
            self.communities[community_id] = await sync_to_async(_load_community)(community_id)
        return self.communities[community_id]

    async def org(self, org_id: int | None) -> Organization | None:
        if org_id is None:
            return None
        if org_id not in self.orgs:
            self.orgs[org_id] = await sync_to_async(_load_org)(org_id)
        return self.orgs[org_id]


def _refresh_viewer(user: User) -> None:
    access.forget_viewer(user)
    access.viewer_for(user)


def _load_community(community_id: int) -> Community | None:
    from practica.communities.models import Community

    return Community.objects.select_related("organization").filter(pk=community_id).first()


def _load_org(org_id: int) -> Organization | None:
    from practica.accounts.models import Organization

    return Organization.objects.filter(pk=org_id).first()


class PollSource:
    """Tail the outbox table (the default: no extra server)."""

    async def next(self, last_id: int) -> list[Outgoing]:
        while True:
            events = await sync_to_async(fetch_after)(last_id)
            if events:
                return events
            await asyncio.sleep(settings.REALTIME_POLL_SECONDS)


class RedisSource:
    """Redis pub/sub; the table fills gaps and, every second, anything never published."""

    def __init__(self) -> None:
        import redis.asyncio as aioredis

        self.client = aioredis.Redis.from_url(fanout.redis_url())
        self.pubsub = self.client.pubsub(ignore_subscribe_messages=True)

    async def open(self) -> None:
        await self.pubsub.subscribe(fanout.channel())

    async def next(self, last_id: int) -> list[Outgoing]:
        message = await self.pubsub.get_message(timeout=1.0)
        if message is not None:
            with contextlib.suppress(ValueError, KeyError, TypeError):
                data = json.loads(message["data"])
                event = outgoing(int(data["id"]), str(data["name"]), dict(data["payload"]))
                if event is not None and event.id == last_id + 1:
                    return [event]
        return await sync_to_async(fetch_after)(last_id)


_hubs: dict[int, Hub] = {}


def hub() -> Hub:
    """The hub of the running event loop (one per process under granian's ASGI workers)."""
    loop = asyncio.get_running_loop()
    found = _hubs.get(id(loop))
    if found is None or (found._task is not None and found._task.get_loop() is not loop):
        found = _hubs[id(loop)] = Hub()
    return found
