"""ASGI entry point that ``practica serve`` runs (granian, ``--interface asginl``).

One port, one hop: ``/events/stream`` goes to the bare async SSE app (``realtime.stream``: no
thread per connection, no middleware); every other request goes to the same WSGI application
as ``practica.wsgi`` (servestatic + Django, fully synchronous) through a2wsgi's thread pool, so
pages keep the cheap WSGI path instead of Django's ASGI handler (4x the CPU per page here).
Measurements: docs/decisions/0010-outbox-and-fan-out.md.
"""

from __future__ import annotations

import os
from typing import Any

from a2wsgi import WSGIMiddleware

from practica.lib.env import env_int

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "practica.settings")

# The WSGI module sets Django up; the stream's models can be imported only after that.
from practica.wsgi import application as wsgi_application  # noqa: I001
from practica.realtime import stream

# Threads that run page requests in this process (the WSGI server's threads, as before).
PAGE_THREADS = env_int("PRACTICA_WEB_THREADS", 8, minimum=1)
pages = WSGIMiddleware(wsgi_application, workers=PAGE_THREADS)


async def application(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] == "http" and scope["path"] == stream.PATH:
        await stream.app(scope, receive, send)
    elif scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return
    else:
        # a2wsgi hands these to run_coroutine_threadsafe, which needs real coroutines; granian's
        # receive/send return other awaitables.
        async def coroutine_receive() -> Any:
            return await receive()

        async def coroutine_send(message: dict[str, Any]) -> None:
            await send(message)

        await pages(scope, coroutine_receive, coroutine_send)  # type: ignore[arg-type]
