"""The console commands: ``practica createuser``, ``practica token`` and ``practica serve``."""

from __future__ import annotations

import io
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import defaultdict
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.core.management.base import CommandError, OutputWrapper

from practica.accounts import services
from practica.accounts.models import ApiToken, OrgMembership, OrgRole, User
from practica.cli import main
from practica.lib.errors import Conflict
from practica.lib.testing import Cast
from practica.web.management.commands.serve import Supervisor

PASSWORD = "a sturdy passphrase 42"
BIN = Path(sys.executable).parent


def _counts() -> tuple[int, int, int]:
    return User.objects.count(), EmailAddress.objects.count(), OrgMembership.objects.count()


# --- createuser ---------------------------------------------------------------------------------


def test_createuser_makes_a_verified_account_in_the_organization(cast: Cast) -> None:
    out = io.StringIO()
    call_command(
        "createuser", "Nina.New@Riverside.test", "--password", PASSWORD,
        "--name", "Nina New", "--org", cast.school.slug, stdout=out,
    )  # fmt: skip

    user = User.objects.get(email="nina.new@riverside.test")
    assert user.name == "Nina New"
    assert user.check_password(PASSWORD)
    assert not user.is_staff
    assert EmailAddress.objects.filter(user=user, verified=True, primary=True).exists()
    membership = OrgMembership.objects.get(user=user)
    assert (membership.organization, membership.role) == (cast.school, OrgRole.MEMBER)
    assert "nina.new@riverside.test" in out.getvalue()


def test_createuser_org_admin_and_staff(cast: Cast) -> None:
    call_command(
        "createuser", "ada@riverside.test", "--password", PASSWORD,
        "--org", cast.district.slug, "--org-admin", "--staff", stdout=io.StringIO(),
    )  # fmt: skip

    user = User.objects.get(email="ada@riverside.test")
    assert user.is_staff
    assert OrgMembership.objects.get(user=user, organization=cast.district).role == OrgRole.ADMIN


def test_createuser_without_org_belongs_to_none(db: None) -> None:
    call_command("createuser", "solo@example.test", "--password", PASSWORD, stdout=io.StringIO())

    user = User.objects.get(email="solo@example.test")
    assert not OrgMembership.objects.filter(user=user).exists()


def test_createuser_reads_the_password_from_stdin(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))

    call_command("createuser", "piped@example.test", "--password", "-", stdout=io.StringIO())

    assert User.objects.get(email="piped@example.test").check_password(PASSWORD)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["not-an-email", "--password", PASSWORD], "not a valid e-mail"),
        (["MIA@riverside.test", "--password", PASSWORD], "already exists"),
        (["new@riverside.test", "--password", PASSWORD, "--org", "atlantis"], "No organization"),
        (["new@riverside.test", "--password", PASSWORD, "--org-admin"], "--org-admin needs"),
        (["new@riverside.test", "--password", "12345678"], "Password rejected"),
    ],
    ids=["invalid-email", "existing-account", "unknown-org", "admin-without-org", "weak-password"],
)
def test_createuser_errors_change_nothing(cast: Cast, argv: list[str], message: str) -> None:
    before = _counts()

    with pytest.raises(CommandError, match=message):
        call_command("createuser", *argv, stdout=io.StringIO())

    assert _counts() == before


def test_createuser_rolls_back_the_account_if_joining_fails(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise Conflict("No room.")

    monkeypatch.setattr(services, "add_org_member", refuse)
    before = _counts()

    with pytest.raises(CommandError, match="No room"):
        call_command(
            "createuser", "late@riverside.test", "--password", PASSWORD, "--org", cast.school.slug
        )

    assert _counts() == before


def test_createuser_error_exits_non_zero_from_the_console(
    cast: Cast, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["createuser", "mia@riverside.test", "--password", PASSWORD])

    assert exit_info.value.code == 1
    assert "already exists" in capsys.readouterr().err


# --- token --------------------------------------------------------------------------------------


def test_token_prints_only_a_working_token(cast: Cast) -> None:
    out = io.StringIO()

    call_command("token", "MIA@riverside.test", "--name", "laptop script", stdout=out)

    printed = out.getvalue()
    raw = printed.strip()
    assert printed == raw + "\n"  # one line, nothing else: safe for $(practica token ...)
    assert services.user_for_token(raw) == cast.member
    assert ApiToken.objects.get(user=cast.member).name == "laptop script"


def test_token_default_name(cast: Cast) -> None:
    call_command("token", cast.member.email, stdout=io.StringIO())

    assert ApiToken.objects.get(user=cast.member).name == "API token"


def test_token_unknown_email_is_an_error(cast: Cast) -> None:
    with pytest.raises(CommandError, match="No account"):
        call_command("token", "nobody@riverside.test", stdout=io.StringIO())
    assert not ApiToken.objects.exists()


def test_token_refuses_a_deactivated_account(cast: Cast) -> None:
    User.objects.filter(pk=cast.member.pk).update(is_active=False)

    with pytest.raises(CommandError, match="deactivated"):
        call_command("token", cast.member.email, stdout=io.StringIO())
    assert not ApiToken.objects.exists()


# --- serve: the supervisor ----------------------------------------------------------------------


def _python(code: str) -> list[str]:
    return [sys.executable, "-c", code]


def test_supervisor_stops_the_others_when_one_child_dies() -> None:
    out = io.StringIO()
    started = time.monotonic()

    code = Supervisor(
        {"sleeper": _python("import time; time.sleep(60)"), "quitter": _python("exit(3)")},
        OutputWrapper(out),
    ).run()

    assert code == 3
    assert time.monotonic() - started < 15
    assert "quitter exited with code 3" in out.getvalue()


def test_supervisor_treats_a_clean_exit_as_a_failure() -> None:
    code = Supervisor({"quitter": _python("pass")}, OutputWrapper(io.StringIO())).run()

    assert code == 1


# --- serve: the real thing ----------------------------------------------------------------------


def _free_ports(count: int) -> list[int]:
    """``count`` distinct free ports: all bound at once while choosing, since a port closed
    and asked for again can come straight back (serve then refused stream port == port)."""
    sockets = [socket.socket() for _ in range(count)]
    try:
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return [int(sock.getsockname()[1]) for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def _children_by_parent() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = defaultdict(list)
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # the process ended while we looked
        tree[int(fields[1])].append(int(stat.parent.name))
    return tree


def _descendants(pid: int) -> list[int]:
    tree, found, todo = _children_by_parent(), [], [pid]
    while todo:
        for child in tree.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def _wait_healthy(port: int, server: subprocess.Popen[bytes], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert server.poll() is None, "serve exited before it became healthy"
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as reply:
                if reply.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass  # not listening yet: try again until the deadline
        time.sleep(0.3)
    pytest.fail(f"/healthz did not answer 200 within {timeout} s")


def test_serve_answers_and_stops_with_its_children_on_sigterm(tmp_path: Path) -> None:
    port, stream_port = _free_ports(2)
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.sqlite3'}",
        "PRACTICA_ENV": "development",
        "PRACTICA_VAR_DIR": str(tmp_path),
        "PRACTICA_WEB_WORKERS": "1",
        "PRACTICA_WEB_THREADS": "2",
        "PRACTICA_STREAM_PORT": str(stream_port),
    }
    env.pop("PRACTICA_TEST_DATABASE_URL", None)
    subprocess.run(
        [BIN / "practica", "migrate", "--noinput", "-v", "0"], env=env, check=True, timeout=180
    )
    log = tmp_path / "serve.log"
    with log.open("wb") as sink:
        server = subprocess.Popen(
            [BIN / "practica", "serve", "--port", str(port)],
            env=env, stdout=sink, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    family: list[int] = []
    try:
        _wait_healthy(port, server, timeout=45)
        family = _descendants(server.pid)
        commands = " | ".join(_cmdline(pid) for pid in family)
        assert "practica.wsgi:application" in commands  # pages: plain WSGI
        assert "practica.asgi_stream:application" in commands  # the stream, its own process
        assert "db_worker" in commands
        # The stream answers on its port, with CORS for pages of this hostname only.
        request = urllib.request.Request(
            f"http://127.0.0.1:{stream_port}/events/stream",
            headers={"Origin": f"http://127.0.0.1:{port}"},
        )
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=10)
        assert refused.value.code == 401  # signed out
        assert refused.value.headers["Access-Control-Allow-Origin"] == f"http://127.0.0.1:{port}"

        server.send_signal(signal.SIGTERM)

        assert server.wait(timeout=10) == 0
        deadline = time.monotonic() + 5
        while any(_running(pid) for pid in family) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert [pid for pid in family if _running(pid)] == []
        output = log.read_text()
        assert f"http://127.0.0.1:{port}" in output
        assert "Received SIGTERM" in output
    finally:
        for pid in [server.pid, *family]:  # only processes this test started
            if _running(pid):
                os.kill(pid, signal.SIGKILL)
        server.wait(timeout=5)


def test_serve_gives_sqlite_fewer_threads_than_postgresql() -> None:
    """On SQLite a page thread never waits on the network, so more threads only contend for the
    GIL (p99 37-42 ms with five against 9-16 ms with two); PostgreSQL's waits are overlapped."""
    import multiprocessing

    from django.db import connection

    from practica.web.management.commands.serve import _default_threads

    expected = 2 if connection.vendor == "sqlite" else min(8, multiprocessing.cpu_count() * 2 + 1)
    assert _default_threads() == expected
