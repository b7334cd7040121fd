"""``GET /events/stream``: Server-Sent Events for the signed-in user, as a bare ASGI app.

Deliberately not a Django view: opening a stream through the full middleware stack was the
slow part measured in GOTCHAS.md, and the stream needs none of it. It authenticates exactly
like the API (``Authorization: Bearer`` token, else the session cookie), then:

1. registers with the process's hub (so nothing committed from now on is missed);
2. with ``Last-Event-ID`` (header, or ``?last_event_id=`` when the page reopens the stream
   itself), replays what came after it, through the gate; too old → ``event: realtime.reload``;
3. sends ``event: realtime.ready`` whose ``id:`` is where the client stands;
4. streams events (``id:``, ``event:``, ``data:`` JSON of ids and small fields), skipping ids
   already sent, with a keep-alive comment every ``REALTIME_KEEPALIVE_SECONDS``.

``?presence=qa.post:12`` also counts the person as viewing that topic while the stream is open
(``presence.py``). The stream holds no thread: it waits on an asyncio queue; the few database
reads (authentication, replay, presence) borrow a thread for a moment.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import uuid
from collections.abc import Awaitable, Callable
from http.cookies import SimpleCookie
from importlib import import_module
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

from asgiref.sync import sync_to_async
from django.conf import settings

from practica.realtime import presence
from practica.realtime.hub import Listener, Outgoing, hub, resume_after

if TYPE_CHECKING:
    from practica.accounts.models import User

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]
PATH = "/events/stream"
BAD_TOKEN = object()
RELOAD = b'event: realtime.reload\ndata: {"reason":"resume window passed"}\n\n'


def authenticate(headers: dict[bytes, bytes]) -> User | object | None:
    """The user behind a bearer token or a session cookie; BAD_TOKEN for a bad token."""
    from django.contrib.auth import get_user

    from practica.accounts.services import user_for_token

    scheme, _, raw = headers.get(b"authorization", b"").decode("latin-1").partition(" ")
    if scheme.lower() == "bearer":
        token_user = user_for_token(raw.strip()) if raw.strip() else None
        return token_user if token_user is not None else BAD_TOKEN
    cookies = SimpleCookie(headers.get(b"cookie", b"").decode("latin-1"))
    morsel = cookies.get(settings.SESSION_COOKIE_NAME)
    if morsel is None:
        return None
    store = import_module(settings.SESSION_ENGINE).SessionStore(morsel.value)
    user = get_user(SimpleNamespace(session=store))  # type: ignore[arg-type]
    return user if user.is_authenticated and user.is_active else None


def _last_event_id(headers: dict[bytes, bytes], query: dict[str, list[str]]) -> int | None:
    raw = (
        headers.get(b"last-event-id", b"").decode("latin-1") or query.get("last_event_id", [""])[0]
    )
    return int(raw) if raw.strip().isdigit() else None


def cors_headers(headers: dict[bytes, bytes]) -> list[tuple[bytes, bytes]]:
    """CORS for pages of the SAME hostname on another port (``practica serve`` runs the stream
    beside the pages: decision 0010): the browser may then read the stream with the session
    cookie. Any other origin gets no CORS headers, so no other site can read anyone's stream
    (and SameSite=Lax keeps the cookie off cross-site requests anyway)."""
    origin = headers.get(b"origin", b"")
    host = headers.get(b"host", b"")
    if not origin or not host:
        return []
    origin_host = urlsplit(origin.decode("latin-1")).hostname
    own_host = urlsplit("//" + host.decode("latin-1")).hostname
    if origin_host is None or origin_host != own_host:
        return []
    return [
        (b"access-control-allow-origin", origin),
        (b"access-control-allow-credentials", b"true"),
        (b"vary", b"Origin"),
    ]


async def _reply(
    send: Send, status: int, detail: str, code: str, extra: list[tuple[bytes, bytes]] | None = None
) -> None:
    body = json.dumps({"detail": detail, "code": code}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json"), *(extra or [])],
        }
    )
    await send({"type": "http.response.body", "body": body})


async def app(scope: Scope, receive: Receive, send: Send) -> None:
    """The ASGI application for ``/events/stream``."""
    if scope["method"] != "GET":
        await _reply(send, 405, "Only GET is allowed here.", "method_not_allowed")
        return
    headers = {k.lower(): v for k, v in scope.get("headers", [])}
    cors = cors_headers(headers)
    user = await sync_to_async(authenticate)(headers)
    if user is BAD_TOKEN:
        await _reply(
            send, 401, "The token is not valid (revoked, or mistyped).", "not_authenticated", cors
        )
        return
    if user is None:
        await _reply(send, 401, "Sign in to receive live updates.", "not_authenticated", cors)
        return
    query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
    stream = Stream(user, send, receive, cors)  # type: ignore[arg-type]
    await stream.run(_last_event_id(headers, query), query)


class Stream:
    def __init__(
        self,
        user: User,
        send: Send,
        receive: Receive,
        cors: list[tuple[bytes, bytes]] | None = None,
    ) -> None:
        self.user = user
        self.cors = cors or []
        self.send = send
        self.receive = receive
        self.listener = Listener(user)
        self.sent_through = 0
        self.closed = asyncio.Event()

    async def write(self, chunk: bytes) -> None:
        await self.send({"type": "http.response.body", "body": chunk, "more_body": True})

    async def run(self, last_id: int | None, query: dict[str, list[str]]) -> None:
        the_hub = hub()
        await the_hub.start()
        await the_hub.add(self.listener)
        watcher = asyncio.get_running_loop().create_task(self._watch_disconnect())
        seat = None
        try:
            await self.send(
                {
                    "type": "http.response.start",
                    "status": 200,
                    "headers": [
                        (b"content-type", b"text/event-stream; charset=utf-8"),
                        (b"cache-control", b"no-cache, no-store"),
                        (b"x-accel-buffering", b"no"),
                        *self.cors,
                    ],
                }
            )
            await self.write(b"retry: 3000\n\n")
            if not await self._catch_up(last_id, the_hub.last_id):
                return
            ready = json.dumps({"last_id": self.sent_through})
            await self.write(
                f"id: {self.sent_through}\nevent: realtime.ready\ndata: {ready}\n\n".encode()
            )
            topic = query.get("presence", [""])[0]
            if topic:
                seat = await sync_to_async(presence.arrive)(self.user, topic, uuid.uuid4().hex)
            await self._pump(seat)
        except OSError:
            pass  # the client went away mid-write
        finally:
            the_hub.remove(self.listener)
            watcher.cancel()
            if seat is not None:
                await sync_to_async(presence.leave)(seat)
            with contextlib.suppress(Exception):
                await self.send({"type": "http.response.body", "body": b"", "more_body": False})

    async def _catch_up(self, last_id: int | None, current: int) -> bool:
        """Replay after ``last_id`` (or start at ``current``); False when told to reload."""
        if last_id is None:
            self.sent_through = current
            return True
        events = await sync_to_async(resume_after)(last_id)
        if events is None:
            await self.write(RELOAD)
            return False
        self.sent_through = last_id
        for event in events:
            await self._send_event(event)
        return True

    async def _send_event(self, event: Outgoing) -> None:
        if event.id <= self.sent_through:
            return  # replayed already, or delivered twice by two sources
        if await hub().allows(self.listener, event):
            await self.write(event.frame())
        self.sent_through = event.id

    async def _pump(self, seat: str | None) -> None:
        keepalive = settings.REALTIME_KEEPALIVE_SECONDS
        getter: asyncio.Task[Outgoing | None] | None = None
        while not self.closed.is_set():
            getter = getter or asyncio.ensure_future(self.listener.queue.get())
            closer = asyncio.ensure_future(self.closed.wait())
            done, _ = await asyncio.wait(
                {getter, closer}, timeout=keepalive, return_when=asyncio.FIRST_COMPLETED
            )
            closer.cancel()
            if getter not in done:
                if self.closed.is_set():
                    break
                await self.write(b": keep-alive\n\n")
                if seat is not None:
                    await sync_to_async(presence.still_here)(seat)
                continue
            event = getter.result()
            getter = None
            if event is None:
                await self.write(RELOAD)
                break
            if event.id > self.sent_through:
                # Already filtered by the hub at dispatch: write it as is.
                await self.write(event.frame())
                self.sent_through = event.id
        if getter is not None:
            getter.cancel()

    async def _watch_disconnect(self) -> None:
        while True:
            message = await self.receive()
            if message["type"] == "http.disconnect":
                self.closed.set()
                return
