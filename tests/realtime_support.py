"""Helpers for the real-time tests: drive the bare ASGI stream in-process, parse SSE frames."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from practica.realtime import stream
from practica.realtime.hub import hub


@dataclass
class Frame:
    id: int | None
    event: str
    data: dict[str, Any]


def parse_frames(raw: bytes) -> list[Frame]:
    """SSE frames (comments and ``retry:`` lines skipped)."""
    frames = []
    for block in raw.decode().split("\n\n"):
        fields: dict[str, str] = {}
        for line in block.splitlines():
            if line.startswith(":") or ":" not in line:
                continue
            key, _, value = line.partition(":")
            fields[key] = value.strip()
        if "event" in fields:
            raw_id = fields.get("id")
            frames.append(
                Frame(int(raw_id) if raw_id else None, fields["event"], json.loads(fields["data"]))
            )
    return frames


@dataclass
class StreamCall:
    """One in-process request to ``/events/stream``."""

    headers: list[tuple[bytes, bytes]]
    query: bytes = b""
    status: int | None = None
    body: bytes = b""
    gone: asyncio.Event = field(default_factory=asyncio.Event)
    task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        scope = {
            "type": "http",
            "method": "GET",
            "path": stream.PATH,
            "headers": self.headers,
            "query_string": self.query,
        }
        first = True

        async def receive() -> dict[str, Any]:
            nonlocal first
            if first:
                first = False
                return {"type": "http.request", "body": b"", "more_body": False}
            await self.gone.wait()
            return {"type": "http.disconnect"}

        async def send(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                self.status = message["status"]
            else:
                self.body += message.get("body", b"")

        self.task = asyncio.get_running_loop().create_task(stream.app(scope, receive, send))

    def frames(self) -> list[Frame]:
        return parse_frames(self.body)

    async def wait_for(self, check: Callable[[list[Frame]], bool], timeout: float = 3.0) -> None:
        deadline = asyncio.get_running_loop().time() + timeout
        while not check(self.frames()):
            if self.task is not None and self.task.done():
                return
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError(f"timed out; got {self.frames()} status {self.status}")
            await asyncio.sleep(0.02)

    async def close(self) -> None:
        self.gone.set()
        if self.task is not None:
            await asyncio.wait_for(self.task, 5)


async def run_streams(body: Callable[[], Awaitable[None]]) -> None:
    """Run ``body`` and stop this loop's hub afterwards."""
    try:
        await body()
    finally:
        await hub().stop()


def session_headers(client: Any) -> list[tuple[bytes, bytes]]:
    """The cookie header of a signed-in Django test client."""
    cookie = "; ".join(f"{k}={v.value}" for k, v in client.cookies.items())
    return [(b"cookie", cookie.encode())]


# --- Real servers (two-process fan-out, browser) -------------------------------------------------
def postgres_url_of_test_database() -> str | None:
    """The URL of the test database pytest-django created, if it is PostgreSQL (a server
    subprocess must share it); None on SQLite, whose test database lives in this process."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    params = connection.settings_dict
    user = params.get("USER") or "postgres"
    password = f":{params['PASSWORD']}" if params.get("PASSWORD") else ""
    host = params.get("HOST") or "127.0.0.1"
    port = params.get("PORT") or 5432
    return f"postgresql://{user}{password}@{host}:{port}/{params['NAME']}"


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Server:
    """The web server in subprocesses, on free ports: ``practica.asgi`` under granian (one
    worker: pages and stream on one port), or with ``split`` as ``practica serve`` runs it —
    pages on granian WSGI, the stream on its own granian ASGI process on another port, which
    pages advertise (``PRACTICA_STREAM_PUBLIC_PORT``)."""

    def __init__(self, database_url: str, *, split: bool = False, **env: str) -> None:
        import os
        import subprocess
        import sys
        from pathlib import Path

        self.port = free_port()
        self.stream_port = free_port() if split else self.port
        root = Path(__file__).resolve().parent.parent
        environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "practica.settings",
            "PRACTICA_ENV": "test",
            "PRACTICA_TEST_DATABASE_URL": database_url,
            "PRACTICA_WEB_THREADS": "4",
            "PRACTICA_STREAM_PUBLIC_PORT": str(self.stream_port if split else 0),
            **env,
        }
        self.log = Path(os.environ.get("TMPDIR", "/tmp")) / f"practica-test-server-{self.port}.log"
        granian = [sys.executable, "-m", "granian", "--host", "127.0.0.1", "--workers", "1"]
        if split:
            commands = [
                [*granian, "--interface", "wsgi", "--port", str(self.port),
                 "--blocking-threads", "4", "practica.wsgi:application"],
                [*granian, "--interface", "asginl", "--port", str(self.stream_port),
                 "practica.asgi_stream:application"],
            ]  # fmt: skip
        else:
            commands = [
                [*granian, "--interface", "asginl", "--port", str(self.port),
                 "practica.asgi:application"]
            ]  # fmt: skip
        sink = self.log.open("wb")
        self.processes = [
            subprocess.Popen(
                command, cwd=root, env=environment, stdout=sink, stderr=subprocess.STDOUT
            )
            for command in commands
        ]
        self.process = self.processes[0]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def wait_healthy(self, timeout: float = 120) -> None:
        import http.client
        import time

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if any(process.poll() is not None for process in self.processes):
                raise AssertionError(f"server exited: {self.log.read_text()[-3000:]}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise AssertionError(f"server not healthy: {self.log.read_text()[-3000:]}")

    def stop(self) -> None:
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=10)
            except Exception:
                process.kill()
                process.wait()


class SseReader:
    """A real HTTP SSE client in a thread: ``frames`` fills as events arrive."""

    def __init__(self, base_url: str, token: str) -> None:
        import threading

        self.frames: list[Frame] = []
        self.base_url = base_url
        self.token = token
        self.ready = threading.Event()
        self.stopped = False
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        import http.client
        from urllib.parse import urlsplit

        parts = urlsplit(self.base_url)
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
        conn.request("GET", "/events/stream", headers={"Authorization": f"Bearer {self.token}"})
        response = conn.getresponse()
        buffer = b""
        while not self.stopped:
            chunk = response.read1(65536)
            if not chunk:
                return
            buffer += chunk
            while b"\n\n" in buffer:
                block, buffer = buffer.split(b"\n\n", 1)
                self.frames.extend(parse_frames(block + b"\n\n"))
                if any(f.event == "realtime.ready" for f in self.frames):
                    self.ready.set()
        conn.close()

    def events(self, name: str) -> list[Frame]:
        return [f for f in self.frames if f.event == name]
