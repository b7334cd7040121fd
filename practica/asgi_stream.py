"""ASGI entry point of the stream process that ``practica serve`` runs beside the pages.

Only ``/events/stream`` (``realtime.stream``: no thread per connection, no middleware); any
other path is a 404. Pages run in their own WSGI processes, whose path is ~25-100% cheaper
than behind an ASGI front (docs/performance.md), and link here (``data-stream-port``).
``practica.asgi`` remains the one-port alternative (pages and stream in one process).
"""

from __future__ import annotations

import os
from typing import Any

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "practica.settings")
django.setup()

from practica.realtime import stream  # noqa: E402  (models load after setup)

NOT_FOUND = b'{"detail": "Only /events/stream is served here.", "code": "not_found"}'


async def application(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return
    elif scope["type"] == "http" and scope["path"] == stream.PATH:
        await stream.app(scope, receive, send)
    elif scope["type"] == "http":
        await send(
            {
                "type": "http.response.start",
                "status": 404,
                "headers": [(b"content-type", b"application/json")],
            }
        )
        await send({"type": "http.response.body", "body": NOT_FOUND})
