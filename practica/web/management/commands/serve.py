"""``practica serve``: the production-style single node.

Children, supervised together: granian serving the pages and the API as plain WSGI
(``practica.wsgi``) on PORT; granian serving the SSE stream natively async
(``practica.asgi_stream``) on PRACTICA_STREAM_PORT (default PORT + 1), which pages open at the
same hostname (``data-stream-port``, CORS for that hostname only); the django-tasks database
worker (e-mail and other background work); the scheduler. A SIGINT or SIGTERM is forwarded to
all; when any child dies the others are stopped too, so a process manager (systemd, Docker)
sees one unit that is either wholly up or wholly down.

Why two web processes: behind an ASGI front (a2wsgi) the same pages cost 25-100% more CPU
(docs/performance.md, decision 0010). PRACTICA_STREAM_PORT=0 serves both on one port through
``practica.asgi`` instead (when only one port may be opened). Behind a reverse proxy that
routes ``/events/stream`` to the stream port on the pages' own origin, set
PRACTICA_STREAM_PUBLIC_PORT=0 so pages open the stream there (docs/realtime.md).

Configuration (environment): HOST (127.0.0.1) and PORT (8000), overridden by --host/--port;
PRACTICA_WEB_WORKERS (2) processes x PRACTICA_WEB_THREADS threads each (default: 2 on SQLite,
where more threads only contend for the GIL; on PostgreSQL two per CPU core plus one, at most
8: the most granian considers sensible for Python threads);
PRACTICA_STREAM_PORT (PORT + 1; 0 = one port); PRACTICA_STREAM_WORKERS (1; ~2,000 open streams
each); PRACTICA_WEB_INTERFACE=wsgi serves pages only, without the event stream.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import signal
import subprocess
import sys
import time
from argparse import ArgumentParser
from dataclasses import dataclass, field
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, OutputWrapper
from django.db import DatabaseError, connections

from practica.lib.env import env_int, env_str

GRACE_SECONDS = 10.0  # how long a child may take to finish in-flight work after the signal
# granian's own limit for its workers, inside our grace: a worker signalled while still loading
# Django misses the signal (granian installs its handlers late) and would otherwise never exit.
WEB_KILL_SECONDS = 8
POLL_SECONDS = 0.2
_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
_DB_BACKEND = "django_tasks_db.DatabaseBackend"
# Open SSE streams one worker holds at most (~1,500-2,000 keep a 250 ms p99: GOTCHAS.md).
STREAMS_PER_WORKER = 2048


class Command(BaseCommand):
    help = (
        "Serve Practica: granian (WSGI) plus the background-task worker, stopped together. "
        "Run `practica migrate` and `practica collectstatic` first."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--host", default="", help="Address to bind (default: $HOST).")
        parser.add_argument("--port", type=int, default=0, help="Port to bind (default: $PORT).")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            host = options["host"] or env_str("HOST", "127.0.0.1")
            port = options["port"] or env_int("PORT", 8000, minimum=1)
            workers = env_int("PRACTICA_WEB_WORKERS", 2, minimum=1)
            threads = env_int("PRACTICA_WEB_THREADS", _default_threads(), minimum=1)
            stream_port = env_int("PRACTICA_STREAM_PORT", port + 1 if port < 65535 else 0)
            stream_workers = env_int("PRACTICA_STREAM_WORKERS", 1, minimum=1)
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
        if not 1 <= port <= 65535:
            raise CommandError(f"The port must be between 1 and 65535, not {port}.")
        if stream_port == port or not 0 <= stream_port <= 65535:
            raise CommandError(
                f"PRACTICA_STREAM_PORT must be another port (1-65535), or 0, not {stream_port}."
            )
        self.check_migrations()
        os.environ["PRACTICA_WEB_THREADS"] = str(threads)  # read by practica.asgi's page pool
        interface = env_str("PRACTICA_WEB_INTERFACE", "split" if stream_port else "asgi")
        # Where pages open the stream (settings.REALTIME_STREAM_PORT): this host's stream port,
        # unless the stream is on their own origin (one port, or a proxy: set it to 0).
        os.environ.setdefault(
            "PRACTICA_STREAM_PUBLIC_PORT", str(stream_port if interface == "split" else 0)
        )
        commands = {"web": granian_command(host, port, workers, threads, interface)}
        if interface == "split":
            commands["stream"] = stream_command(host, stream_port, stream_workers)
        if _uses_database_tasks():
            commands["worker"] = worker_command()
        # Due-dated work (reminders, revisit rounds): rows claimed by a conditional update.
        commands["scheduler"] = [sys.executable, "-m", "django", "scheduler"]
        self._announce(url_for(host, port), workers, threads, "worker" in commands)
        returncode = Supervisor(commands, self.stdout).run()
        if returncode:
            raise CommandError("Practica stopped because a process failed.", returncode=returncode)

    def _announce(self, url: str, workers: int, threads: int, worker: bool) -> None:
        tasks = "plus the task worker" if worker else "no task worker (tasks run inline)"
        self.stdout.write(f"Practica at {url} ({workers} web workers x {threads} threads, {tasks})")
        for line in _demo_lines():
            self.stdout.write(line)
        self.stdout.flush()  # the children write to the same stream; keep ours first


def granian_command(
    host: str, port: int, workers: int, threads: int, interface: str = "split"
) -> list[str]:
    """The pages' granian invocation. ``split`` and ``wsgi``: plain WSGI with ``threads``
    threads per worker (which bounds database connections); ``split`` has the stream in its
    own process (:func:`stream_command`), ``wsgi`` has none (pages work, just not live).
    ``asgi``: one port for both (``practica.asgi``: the stream natively, pages as WSGI in a
    thread pool behind it), with backpressure and backlog set for the streams (granian's
    default caps a worker at 1,024 connections, and more just hang)."""
    if interface in ("split", "wsgi"):
        return [
            sys.executable, "-m", "granian",
            "--interface", "wsgi",
            "--host", host,
            "--port", str(port),
            "--workers", str(workers),
            "--blocking-threads", str(threads),
            "--backpressure", str(threads),
            "--respawn-failed-workers",
            "--workers-kill-timeout", str(WEB_KILL_SECONDS),
            "practica.wsgi:application",
        ]  # fmt: skip
    return [
        sys.executable, "-m", "granian",
        "--interface", "asginl",
        "--host", host,
        "--port", str(port),
        "--workers", str(workers),
        "--backpressure", str(STREAMS_PER_WORKER),
        "--backlog", str(STREAMS_PER_WORKER),
        "--respawn-failed-workers",
        "--workers-kill-timeout", str(WEB_KILL_SECONDS),
        "practica.asgi:application",
    ]  # fmt: skip


def stream_command(host: str, port: int, workers: int) -> list[str]:
    """granian serving only ``/events/stream`` (``practica.asgi_stream``), async: an open
    stream holds no thread."""
    return [
        sys.executable, "-m", "granian",
        "--interface", "asginl",
        "--host", host,
        "--port", str(port),
        "--workers", str(workers),
        "--backpressure", str(STREAMS_PER_WORKER),
        "--backlog", str(STREAMS_PER_WORKER),
        "--respawn-failed-workers",
        "--workers-kill-timeout", str(WEB_KILL_SECONDS),
        "practica.asgi_stream:application",
    ]  # fmt: skip


def worker_command() -> list[str]:
    """``practica db_worker``; never with the auto-reloader, whose extra process would swallow
    the signals we forward."""
    return [sys.executable, "-m", "django", "db_worker", "--no-reload"]


def url_for(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


def _default_threads() -> int:
    """Threads per page worker. On SQLite a request never waits on the network, so a thread
    only adds contention for the GIL: two per worker (one can run while the other waits on the
    write lock or the disk) kept the question page's p99 at 9-16 ms against 37-42 ms with five,
    at the same throughput (docs/performance.md). PostgreSQL requests wait on the server, so
    more threads overlap that wait: two per CPU core plus one, at most 8 (granian's advice)."""
    if connections["default"].vendor == "sqlite":
        return 2
    return min(8, multiprocessing.cpu_count() * 2 + 1)


def _uses_database_tasks() -> bool:
    backend = str(settings.TASKS.get("default", {}).get("BACKEND", ""))
    return backend == _DB_BACKEND


def _demo_lines() -> list[str]:
    from practica.demo import is_loaded, login_lines

    try:
        return login_lines() if is_loaded() else []
    except DatabaseError:  # not migrated yet: check_migrations has already said so
        return []


@dataclass
class Supervisor:
    """Runs the commands as children and stops them all when one dies or we are signalled.

    ``run`` returns 0 after a requested stop, otherwise the failed child's exit status."""

    commands: dict[str, list[str]]
    out: OutputWrapper
    signals: list[int] = field(default_factory=list)
    children: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    def run(self) -> int:
        previous = {
            sig: signal.signal(sig, self._on_signal) for sig in (signal.SIGINT, signal.SIGTERM)
        }
        try:
            for name, command in self.commands.items():
                self.children[name] = _spawn(command)
            failed = self._wait_for_first_exit()
        finally:
            self._stop()
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        if failed is None:
            return 0
        return _exit_status(self.children[failed].returncode)

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        self.signals.append(signum)

    def _wait_for_first_exit(self) -> str | None:
        """The name of the first child to exit, or None when a signal asked us to stop."""
        while not self.signals:
            for name, child in self.children.items():
                if child.poll() is not None:
                    self._say(f"{name} exited with code {child.returncode}; stopping.")
                    return name
            time.sleep(POLL_SECONDS)
        self._say(f"Received {signal.Signals(self.signals[0]).name}; stopping.")
        return None

    def _say(self, message: str) -> None:
        self.out.write(message)
        self.out.flush()

    def _stop(self) -> None:
        """Signal every live child, wait up to GRACE_SECONDS (a second signal from outside
        cuts the wait short), then kill whatever is left of each child's process group."""
        seen = len(self.signals)
        self._send(self.signals[0] if self.signals else signal.SIGTERM)
        deadline = time.monotonic() + GRACE_SECONDS
        while self._alive() and time.monotonic() < deadline and len(self.signals) <= seen:
            time.sleep(POLL_SECONDS / 4)
        for child in self.children.values():
            # The whole group, not only the child: granian's workers must not outlive it.
            _kill_group(child.pid)
            child.wait()

    def _alive(self) -> bool:
        return any(child.poll() is None for child in self.children.values())

    def _send(self, sig: int) -> None:
        for child in self.children.values():
            if child.poll() is None:
                with contextlib.suppress(ProcessLookupError):  # exited since the poll
                    child.send_signal(sig)


def _exit_status(returncode: int) -> int:
    """A shell-style status: 128+N for death by signal N, and 1 for a "successful" exit,
    since a server process has no business ending on its own."""
    if returncode < 0:
        return 128 - returncode
    return returncode or 1


def _kill_group(pgid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):  # the group is empty
        os.killpg(pgid, signal.SIGKILL)


def _spawn(command: list[str]) -> subprocess.Popen[bytes]:
    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", "practica.settings")
    # Own process group: a terminal's Ctrl-C reaches only us, and we forward it once (a
    # second SIGINT would make the task worker abandon the task it is running).
    return subprocess.Popen(  # noqa: S603 (our own interpreter, fixed arguments)
        command, env=env, process_group=0, preexec_fn=_die_with_parent
    )


def _die_with_parent() -> None:
    """In the child, before exec: on Linux, get SIGTERM if ``serve`` itself dies (even by
    SIGKILL), so an orphaned granian never keeps holding the port."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
