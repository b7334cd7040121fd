"""Where a page's time goes, in-process (not a test: prints numbers).

Calls the WSGI application (as `practica serve` runs it, without the network) for one path as
a signed-in member of the benchmark dataset: CPU time per request, the queries of one warm
request, and the top of a cProfile of N warm requests.

    DATABASE_URL=sqlite:///var/bench/bench-v1.sqlite3 .venv/bin/python bench/profile_page.py \
        /c/bench-0/questions/1/ [N]

BENCH_PROFILE_EMAIL picks the member (default member0@bench.test); BENCH_PROFILE_TOP the number
of profile rows (25); BENCH_PROFILE_OUT a file to dump the profile to (``python -m pstats``).
"""

from __future__ import annotations

import cProfile
import io
import os
import pstats
import sys
import time
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "practica.settings")
os.environ.setdefault("PRACTICA_ENV", "development")
os.environ.setdefault("PRACTICA_DEBUG", "false")
os.environ.setdefault("PRACTICA_LOG_LEVEL", "WARNING")


def session_cookie(email: str) -> str:
    """A real session for ``email`` (as the login form would make), as a Cookie header."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.contrib.sessions.backends.base import SessionBase

    user = get_user_model().objects.get(email=email)
    store: SessionBase = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.save()
    # A CSRF cookie too, as a browser (and bench/run.py's signed-in wrk) sends: without one,
    # every request would mint and set a new CSRF secret.
    from django.middleware.csrf import _get_new_csrf_string

    return (
        f"{settings.SESSION_COOKIE_NAME}={store.session_key}; "
        f"{settings.CSRF_COOKIE_NAME}={_get_new_csrf_string()}"
    )


def environ_for(path: str, cookie: str) -> dict[str, Any]:
    path, _, query = path.partition("?")  # e.g. "/search/?q=fractions"
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "HTTP_HOST": "127.0.0.1:8000",
        "HTTP_COOKIE": cookie,
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
    }


def call(app: Any, path: str, cookie: str) -> str:
    status: list[str] = []
    body = b"".join(app(environ_for(path, cookie), lambda s, h, *a: status.append(s)))
    if not status[0].startswith("200"):
        raise SystemExit(f"{path}: {status[0]}\n{body[:500]!r}")
    return status[0]


def main() -> None:
    path = sys.argv[1] if len(sys.argv) > 1 else "/c/bench-0/questions/1/"
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 300
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from practica.wsgi import application

    cookie = session_cookie(os.environ.get("BENCH_PROFILE_EMAIL", "member0@bench.test"))
    for _ in range(20):  # warm: templates compiled, fragments cached, connections open
        call(application, path, cookie)
    with CaptureQueriesContext(connection) as queries:
        call(application, path, cookie)
    print(f"== {len(queries)} queries on a warm request to {path}")
    for q in queries.captured_queries:
        print(f"  {q['time']}s  {q['sql'][:160]}")
    # The best of ten batches as well as the mean: on a shared machine noise only ever adds
    # time, so the minimum is the steadier figure to compare two versions of the code by.
    batches = []
    for _ in range(10):
        started = time.process_time()
        for _ in range(max(1, n // 10)):
            call(application, path, cookie)
        batches.append((time.process_time() - started) * 1000 / max(1, n // 10))
    cpu_ms, best = sum(batches) / len(batches), min(batches)
    print(
        f"== CPU {cpu_ms:.2f} ms per request, best batch {best:.2f} ms ({n} requests): "
        f"at most ~{1000 / best:.0f}/s/core"
    )
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(n):
        call(application, path, cookie)
    profile.disable()
    if os.environ.get("BENCH_PROFILE_OUT"):  # for pstats' callers/callees views
        profile.dump_stats(os.environ["BENCH_PROFILE_OUT"])
    out = io.StringIO()
    stats = pstats.Stats(profile, stream=out).sort_stats("cumulative")
    stats.print_stats(int(os.environ.get("BENCH_PROFILE_TOP", "25")))
    print(out.getvalue())
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats("tottime").print_stats(25)
    print(out.getvalue())


if __name__ == "__main__":
    main()
