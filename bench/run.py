"""``make bench``: the issue-3 speed benchmark (not a test: prints a table of numbers).

1. Builds the dataset (bench/dataset.py: 10k people, 100k questions, 300k answers, a 1M-entry
   search index) into var/bench/bench-v1.sqlite3 and into the PostgreSQL database
   BENCH_PG_URL, once: both are cached, so reruns go straight to measuring.
2. Starts the production server (`practica serve`, as `make run` does) on SQLite, signs in a
   member through the real login form, and measures with wrk (a real load generator, installed
   by the Makefile from Debian's packages): the trivial-view ceiling (/healthz), the question
   page and the community lists at 16 connections, errors at 64 connections, and the search
   page over 1M entries. Then the same search over PostgreSQL.
3. Measures search in-process too (query.search, one client: the query cost without HTTP).

    make bench                          # or: .venv/bin/python bench/run.py
    BENCH_SECONDS=20 make bench         # longer runs
    BENCH_SKIP_POSTGRES=1 make bench    # SQLite only
    BENCH_PARTS=pages make bench        # only the pages (or: search)

The load generator shares the 2 cores with the server (and here with other work): the numbers
are lower bounds. Results are printed and saved to var/bench/results.txt.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from pages import free_port, sign_in, wait_healthy

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PRACTICA = BIN / "practica"
VAR = ROOT / "var" / "bench"
SQLITE_PATH = VAR / "bench-v1.sqlite3"
PG_URL = os.environ.get("BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/practica_bench")
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
WARMUP_SECONDS = int(os.environ.get("BENCH_WARMUP_SECONDS", "2"))
MEMBER = "member0@bench.test"
PASSWORD = "bench-password-1"
QUESTION = "/c/bench-0/questions/1/"
SEARCHES = [
    "palimpsest",  # rare word
    "syzygy",
    "fractions",  # topic words
    "decimals",
    "mitochondria",
    '"exit tickets"',  # phrases
    '"formative assessment"',
    '"number talks" fractions',
    "algebra slope graphs",  # AND of three words
    "rubric feedback essay",
    "students",  # the most common words
    "teacher class",
    "frac*",  # prefix on titles
    "tessel*",
]
PARTS = set(os.environ.get("BENCH_PARTS", "pages,search").split(","))
SCOPED = [("fractions", "bench-0"), ('"exit tickets"', "bench-0"), ("students", "bench-0")]


@dataclass
class Row:
    what: str
    backend: str
    connections: int
    rps: float
    p50: float
    p95: float
    p99: float
    errors: int
    requests: int
    cpu_ms: float  # CPU of the page server's processes per request served


def env_for(database_url: str) -> dict[str, str]:
    env = {
        **os.environ,
        "PRACTICA_ENV": "development",
        "PRACTICA_DEBUG": "false",
        "PRACTICA_VAR_DIR": str(VAR),
        "DATABASE_URL": database_url,
        "PRACTICA_LOG_LEVEL": "WARNING",
    }
    env.pop("PRACTICA_TEST_DATABASE_URL", None)
    return env


def step(message: str) -> None:
    print(f"== {message}", flush=True)


def run(env: dict[str, str], *args: str) -> None:
    subprocess.run(args, env=env, cwd=ROOT, check=True)


def prepare(database_url: str) -> None:
    if os.environ.get("BENCH_SKIP_DATASET"):  # measure whatever is there (e.g. while it builds)
        return
    env = env_for(database_url)
    run(env, str(PRACTICA), "migrate", "--noinput", "-v0")
    run(env, sys.executable, str(ROOT / "bench" / "dataset.py"))


def ensure_pg_database() -> bool:
    """Create the benchmark database if it is missing; False when PostgreSQL is unreachable."""
    import psycopg

    base, _, name = PG_URL.rpartition("/")
    try:
        with psycopg.connect(f"{base}/postgres", autocommit=True, connect_timeout=3) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            if not exists:
                conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as exc:
        print(f"   PostgreSQL at {base} is not reachable ({exc}); skipping it")
        return False
    return True


@contextmanager
def server(database_url: str, **extra: str) -> Iterator[int]:
    port = free_port()
    env = {**env_for(database_url), "PRACTICA_STREAM_PORT": str(free_port()), **extra}
    # The server's own output goes to a file (not the terminal, where it would bury the table):
    # when it does not come up, its last lines say why.
    log_path = VAR / "serve.log"
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            [str(PRACTICA), "serve", "--port", str(port)],
            env=env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        try:
            wait_healthy(port, timeout=120)
        except SystemExit:
            tail = log_path.read_text(errors="replace").splitlines()[-20:]
            print("\n".join(["   the server's last lines:", *tail]), file=sys.stderr)
            raise
        yield port
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)


LUA = """
local paths = {PATHS}
local counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter % #paths) + 1])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %d %d %d %d %.3f %.3f %.3f\\n",
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000))
end
"""


def wrk(
    port: int, paths: list[str], cookie: str, connections: int, seconds: int | None = None
) -> tuple[float, ...]:
    """(req/s, p50 ms, p95 ms, p99 ms, errors, requests) from one wrk run."""
    lua_paths = "{" + ", ".join(json.dumps(p) for p in paths) + "}"
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(LUA.replace("{PATHS}", lua_paths))
    try:
        out = subprocess.run(
            [
                "wrk",
                "-t",
                str(min(2, connections)),  # wrk wants a connection per thread at least
                "-c",
                str(connections),
                "-d",
                f"{seconds or SECONDS}s",
                "-H",
                f"Cookie: {cookie}",
                "-s",
                script.name,
                f"http://127.0.0.1:{port}{paths[0]}",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    finally:
        os.unlink(script.name)
    line = next(x for x in out.splitlines() if x.startswith("RESULT"))
    requests, duration_us, socket_errors, status_errors, p50, p95, p99 = line.split()[1:]
    rps = int(requests) / (int(duration_us) / 1e6)
    errors = int(socket_errors) + int(status_errors)
    return rps, float(p50), float(p95), float(p99), errors, int(requests)


def server_cpu_seconds(port: int) -> float:
    """CPU time (user + system) used so far by the granian processes serving pages on ``port``
    (Linux /proc; the workers carry their parent's command line): measured around a run, it
    gives the server's CPU per request, a figure the load generator's share of the cores and a
    noisy machine distort far less than req/s."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    ours = f"\0--port\0{port}\0".encode()
    for proc in Path("/proc").iterdir():
        try:
            command = (proc / "cmdline").read_bytes() + b"\0"
            if b"granian" not in command or ours not in command:
                continue
            fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError, NotADirectoryError, PermissionError):
            continue
        total += (int(fields[11]) + int(fields[12])) / tick
    return total


def measure(
    rows: list[Row], port: int, cookie: str, what: str, backend: str, paths: list[str], c: int
) -> None:
    # Warm up first (every worker process compiles its templates and fills its caches once),
    # so the figures are the steady state a running server has, not its first seconds. At 16
    # connections at least: one connection would warm one thread, and each other thread's
    # first requests (a new database connection, SQLite's per-connection page cache cold)
    # would land in the measured run's tail.
    wrk(port, paths, cookie, max(c, 16), seconds=WARMUP_SECONDS)
    cpu_before = server_cpu_seconds(port)
    rps, p50, p95, p99, errors, requests = wrk(port, paths, cookie, c)
    cpu_ms = (server_cpu_seconds(port) - cpu_before) * 1000 / max(1, int(requests))
    rows.append(Row(what, backend, c, rps, p50, p95, p99, errors, requests, cpu_ms))
    print(
        f"   {what:34} c={c:<3} {rps:8.0f} req/s  p50 {p50:6.1f}  p99 {p99:7.1f} ms  "
        f"errors {errors}  server CPU {cpu_ms:.2f} ms/req",
        flush=True,
    )


def search_paths() -> list[str]:
    from urllib.parse import urlencode

    paths = [f"/search/?{urlencode({'q': q})}" for q in SEARCHES]
    paths += [f"/search/?{urlencode({'q': q, 'community': c})}" for q, c in SCOPED]
    return paths


def in_process(database_url: str, backend: str) -> list[str]:
    """Search latency without HTTP: bench/search_latency.py in the project's environment."""
    out = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "search_latency.py")],
        env=env_for(database_url),
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [f"   [{backend}] {line}" for line in out.splitlines()]


def pages(rows: list[Row], backend: str, database_url: str) -> None:
    with server(database_url) as port:
        cookie = sign_in(port, MEMBER, PASSWORD)
        if backend == "sqlite" and "pages" in PARTS:
            measure(rows, port, cookie, "/healthz (trivial view)", backend, ["/healthz"], 16)
            measure(rows, port, cookie, "question page", backend, [QUESTION], 16)
            measure(
                rows,
                port,
                cookie,
                "community question list",
                backend,
                ["/c/bench-0/questions/"],
                16,
            )
            measure(rows, port, cookie, "communities list (/c/)", backend, ["/c/"], 16)
            measure(rows, port, cookie, "question page", backend, [QUESTION], 64)
        if "search" in PARTS:
            paths = search_paths()
            # One client: the latency a person sees (the target); four: throughput under load.
            measure(rows, port, cookie, "search page (17 queries, 1M)", backend, paths, 1)
            measure(rows, port, cookie, "search page (17 queries, 1M)", backend, paths, 4)


def pages_one_port(rows: list[Row], database_url: str) -> None:
    """The same pages served on one port with the stream (``practica.asgi``: an ASGI front,
    pages through a2wsgi; PRACTICA_STREAM_PORT=0): what that layout costs against the default
    one (pages on plain WSGI, the stream in its own process)."""
    with server(database_url, PRACTICA_STREAM_PORT="0") as port:
        cookie = sign_in(port, MEMBER, PASSWORD)
        measure(rows, port, cookie, "/healthz, one port (ASGI)", "sqlite", ["/healthz"], 16)
        measure(rows, port, cookie, "question page, one port (ASGI)", "sqlite", [QUESTION], 16)


def table(rows: list[Row]) -> str:
    """The rows, each page's req/s also as a share of the trivial view's in the same run
    ("of ceiling"): the machine's speed varies (2x between sessions here), the share much
    less. The issue's targets at its reference speed (~5,000 req/s for a trivial view) are
    1,000 req/s, i.e. 20%."""
    ceiling = next((r.rps for r in rows if r.what.startswith("/healthz (trivial")), 0.0)
    head = (
        f"{'what':34} {'db':8} {'conns':>5} {'req/s':>8} {'p50 ms':>7} {'p95 ms':>7} "
        f"{'p99 ms':>7} {'errors':>6} {'CPU ms/req':>10} {'of ceiling':>10}"
    )
    lines = [head, "-" * len(head)]
    for r in rows:
        share = f"{r.rps / ceiling:10.0%}" if ceiling and r.backend == "sqlite" else " " * 10
        lines.append(
            f"{r.what:34} {r.backend:8} {r.connections:>5} {r.rps:8.0f} {r.p50:7.1f} "
            f"{r.p95:7.1f} {r.p99:7.1f} {r.errors:>6} {r.cpu_ms:10.2f} {share}"
        )
    return "\n".join(lines)


def main() -> None:
    # A SIGTERM (make interrupted, a timeout) must still stop the server we started.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: run `make bench` (it installs Debian's wrk)")
    VAR.mkdir(parents=True, exist_ok=True)
    sqlite_url = f"sqlite:///{SQLITE_PATH}"
    started = time.monotonic()
    step(f"Dataset on SQLite ({SQLITE_PATH.relative_to(ROOT)})")
    prepare(sqlite_url)
    run(env_for(sqlite_url), str(PRACTICA), "collectstatic", "--noinput", "-v0")
    use_pg = (
        "search" in PARTS and not os.environ.get("BENCH_SKIP_POSTGRES") and ensure_pg_database()
    )
    if use_pg:
        step(f"Dataset on PostgreSQL ({PG_URL})")
        prepare(PG_URL)
    rows: list[Row] = []
    notes: list[str] = []
    step(f"Measuring on SQLite ({SECONDS} s per row; wrk, 2 threads)")
    pages(rows, "sqlite", sqlite_url)
    if "pages" in PARTS:
        pages_one_port(rows, sqlite_url)
    if "search" in PARTS:
        notes += in_process(sqlite_url, "sqlite")
    if use_pg:
        step("Measuring search on PostgreSQL")
        pages(rows, "postgres", PG_URL)
        notes += in_process(PG_URL, "postgres")
    report = "\n".join(
        [
            table(rows),
            "",
            "Search in-process (query.search, one client, each query repeated):",
            *notes,
        ]
    )
    print("\n" + report)
    (VAR / "results.txt").write_text(report + "\n")
    print(f"\n(total {time.monotonic() - started:.0f} s; saved to var/bench/results.txt)")


if __name__ == "__main__":
    main()
