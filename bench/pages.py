"""Measure how fast `practica serve` answers real pages (not a test: prints numbers).

Starts `practica serve` on a free port against a fresh SQLite database with the demo loaded,
signs in as a demo teacher, then requests each page with CONCURRENCY keep-alive clients for
SECONDS and prints requests/second and latency percentiles.

    .venv/bin/python bench/pages.py            # or: make bench
    BENCH_SECONDS=20 BENCH_CONCURRENCY=16 .venv/bin/python bench/pages.py

The clients share the machine's CPU with the server, so the numbers are lower bounds.
"""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRACTICA = Path(sys.executable).parent / "practica"
SECONDS = float(os.environ.get("BENCH_SECONDS", "8"))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "8"))
DEMO_PASSWORD = "practica-demo"  # practica.demo.DEMO_PASSWORD (not imported: no Django here)
PAGES = ["/", "/c/", "/c/secondary-math/", "/c/secondary-math/members/", "/healthz"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def run(env: dict[str, str], *args: str) -> None:
    subprocess.run([str(PRACTICA), *args], env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)


def wait_healthy(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("the server did not become healthy")


def sign_in(port: int, email: str, password: str) -> str:
    """Log in through the real form; return the Cookie header to send. Fails loudly unless
    the person is then signed in (an unverified address stops at "confirmation e-mail sent",
    which would measure the pages signed out), and reads the "signed in" flash message once,
    as a browser would, so the measured requests do not each show and delete it."""
    conn = http.client.HTTPConnection("127.0.0.1", port)
    conn.request("GET", "/accounts/login/")
    response = conn.getresponse()
    body = response.read().decode()
    cookies: dict[str, str] = {}
    _keep_cookies(cookies, response)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    assert token is not None
    form = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token.group(1), "login": email, "password": password}
    )
    conn.request(
        "POST",
        "/accounts/login/",
        body=form,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": _cookie_header(cookies),
            "Referer": f"http://127.0.0.1:{port}/accounts/login/",
        },
    )
    response = conn.getresponse()
    response.read()
    _keep_cookies(cookies, response)
    conn.request("GET", "/profile/", headers={"Cookie": _cookie_header(cookies)})
    response = conn.getresponse()
    response.read()
    _keep_cookies(cookies, response)
    if response.status != 200 or "sessionid" not in cookies:
        raise SystemExit(f"signing in as {email} failed (profile page: {response.status})")
    return _cookie_header(cookies)


def _keep_cookies(cookies: dict[str, str], response: http.client.HTTPResponse) -> None:
    """Apply the response's Set-Cookie headers, deletions included (Max-Age=0)."""
    for header in response.headers.get_all("Set-Cookie") or []:
        key, value = header.split(";")[0].split("=", 1)
        if "max-age=0" in header.lower():
            cookies.pop(key, None)
        else:
            cookies[key] = value


def _cookie_header(cookies: dict[str, str]) -> str:
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


def hammer(port: int, path: str, cookie: str) -> tuple[int, list[float]]:
    latencies: list[float] = []
    errors = [0]
    stop = time.monotonic() + SECONDS
    lock = threading.Lock()

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port)
        mine: list[float] = []
        while time.monotonic() < stop:
            started = time.perf_counter()
            conn.request("GET", path, headers={"Cookie": cookie})
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                errors[0] += 1
            mine.append(time.perf_counter() - started)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(CONCURRENCY)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors[0], latencies


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        env = {
            **os.environ,
            "PRACTICA_ENV": "development",
            "PRACTICA_DEBUG": "false",
            "PRACTICA_VAR_DIR": tmp,
            "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3",
            "PRACTICA_LOG_LEVEL": "WARNING",
        }
        env.pop("PRACTICA_TEST_DATABASE_URL", None)
        for args in (("migrate", "-v0"), ("collectstatic", "--noinput", "-v0"), ("demo",)):
            run(env, *args)
        server = subprocess.Popen(
            [str(PRACTICA), "serve", "--port", str(port)],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_healthy(port)
            cookie = sign_in(port, "hannah.liu@cedarcreek.test", DEMO_PASSWORD)
            print(
                f"{CONCURRENCY} clients, {SECONDS:.0f} s per page, SQLite, "
                f"{os.environ.get('PRACTICA_WEB_WORKERS', '2')} workers"
            )
            print(f"{'page':32} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}")
            for path in PAGES:
                errors, lat = hammer(port, path, cookie)
                lat.sort()
                p99 = lat[int(len(lat) * 0.99) - 1] * 1000
                print(
                    f"{path:32} {len(lat) / SECONDS:8.0f} "
                    f"{statistics.median(lat) * 1000:8.1f} {p99:8.1f} {errors:7d}"
                )
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
