"""Hold many SSE clients on ONE server process; report delivery latency and memory per stream.

Not a test (prints numbers). Starts ``practica.asgi`` under granian with one worker against a
fresh SQLite database, opens BENCH_CLIENTS (1,000) streams as one signed-in person (a bearer
token), measures the worker's memory before and after (RSS), then commits one event and
reports when each client received it (p50/p99 from just before the commit).

    .venv/bin/python bench/sse.py
    BENCH_CLIENTS=2000 .venv/bin/python bench/sse.py

The clients run in this process on the same 2 cores as the server: treat numbers as bounds.
"""

from __future__ import annotations

import asyncio
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "1000"))
SETUP = """
from practica.accounts.services import create_api_token, create_user
from practica.notifications.services import notify
user = create_user("bench@example.test", "bench-password-123", name="Bench")
print(create_api_token(user)[1])
"""
NOTIFY = """
import sys, time
from practica.accounts.models import User
from practica.notifications.services import notify
user = User.objects.get(email="bench@example.test")
t = time.time()
notify(user, kind="bench", message="one event")
print(repr(t))
"""


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def django(env: dict[str, str], code: str) -> str:
    out = subprocess.run(
        [sys.executable, "-m", "django", "shell", "-c", code],
        env=env, cwd=ROOT, check=True, capture_output=True, text=True,
    )  # fmt: skip
    return out.stdout.strip().splitlines()[-1]


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def worker_pid(parent: int) -> int:
    children = Path(f"/proc/{parent}/task/{parent}/children").read_text().split()
    return int(children[0]) if children else parent


async def client(
    port: int, token: str, opened: asyncio.Event, got: dict[int, float], i: int
) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(
        f"GET /events/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n"
        "Accept: text/event-stream\r\n\r\n".encode()
    )
    await writer.drain()
    buffer = b""
    ready = False
    while True:
        chunk = await reader.read(65536)
        if not chunk:
            return
        buffer += chunk
        if not ready and b"realtime.ready" in buffer:
            ready = True
            opened.set()
        if b"notifications.created" in buffer:
            got[i] = time.time()
            writer.close()
            return


async def main_async(port: int, token: str, env: dict[str, str], server_pid: int) -> None:
    resource.setrlimit(
        resource.RLIMIT_NOFILE, (min(20000, resource.getrlimit(resource.RLIMIT_NOFILE)[1]),) * 2
    )
    worker = worker_pid(server_pid)
    before = rss_kb(worker)
    got: dict[int, float] = {}
    events = [asyncio.Event() for _ in range(CLIENTS)]
    start = time.monotonic()
    tasks = []
    for i in range(CLIENTS):
        tasks.append(asyncio.create_task(client(port, token, events[i], got, i)))
        if i % 100 == 99:
            await asyncio.sleep(0.05)
    await asyncio.wait_for(asyncio.gather(*(e.wait() for e in events)), 300)
    opened = time.monotonic() - start
    await asyncio.sleep(2)
    after = rss_kb(worker)
    loop = asyncio.get_running_loop()
    sent_at = float(await loop.run_in_executor(None, django, env, NOTIFY))
    await asyncio.wait_for(asyncio.gather(*tasks), 60)
    latencies = sorted((t - sent_at) * 1000 for t in got.values())
    q = statistics.quantiles(latencies, n=100)
    print(f"{CLIENTS} streams opened in {opened:.1f} s on one granian worker")
    print(
        f"memory: {before / 1024:.0f} MB idle → {after / 1024:.0f} MB with the streams: "
        f"{(after - before) / CLIENTS:.1f} KB per idle stream"
    )
    print(
        f"one event to {len(latencies)} streams: p50 {q[49]:.0f} ms, p99 {q[98]:.0f} ms, "
        f"max {latencies[-1]:.0f} ms (from just before the commit; includes the 100 ms table poll)"
    )


def main() -> None:
    var = tempfile.mkdtemp(prefix="practica-bench-sse-")
    env = {
        **os.environ,
        "PRACTICA_VAR_DIR": var,
        "DJANGO_SETTINGS_MODULE": "practica.settings",
        "PRACTICA_ENV": "development",
        "PRACTICA_DEBUG": "0",
        "PRACTICA_LOG_LEVEL": "WARNING",
    }
    env.pop("REDIS_URL", None)
    subprocess.run(
        [sys.executable, "-m", "django", "migrate", "-v0"], env=env, cwd=ROOT, check=True
    )
    token = django(env, SETUP)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "granian", "--interface", "asginl", "--host", "127.0.0.1",
         "--port", str(port), "--workers", "1", "--backpressure", "4096", "--backlog", "4096",
         "--log-level", "warning", "practica.asgi:application"],
        env=env, cwd=ROOT,
    )  # fmt: skip
    try:
        import http.client

        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    break
            except OSError:
                time.sleep(0.3)
        asyncio.run(main_async(port, token, env, server.pid))
    finally:
        server.terminate()
        server.wait(timeout=20)


if __name__ == "__main__":
    main()
