"""The platform around the features: health, logs, settings, the event bus, error pages."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from practica.lib import env
from practica.lib.logging import JsonFormatter
from practica.lib.testing import Cast
from practica.realtime import bus

ROOT = Path(__file__).resolve().parent.parent


def test_healthz_reports_the_database(client, db) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["database"] == "ok"


def test_healthz_is_503_when_the_database_fails(client, db) -> None:
    from unittest import mock

    from django.db import connection

    with mock.patch.object(connection, "cursor", side_effect=RuntimeError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "error: RuntimeError"}


def test_each_request_logs_one_json_line(cast: Cast, caplog) -> None:
    with caplog.at_level(logging.INFO, logger="practica.request"):
        cast.client("member").get("/c/")
    records = [r for r in caplog.records if r.name == "practica.request"]
    assert len(records) == 1
    line = json.loads(JsonFormatter().format(records[0]))
    assert line["method"] == "GET" and line["path"] == "/c/" and line["status"] == 200
    assert line["user_id"] == cast.member.pk
    assert isinstance(line["duration_ms"], float)


def test_not_found_page_is_ours(cast: Cast) -> None:
    response = cast.client("member").get("/no/such/page/")
    assert response.status_code == 404
    assert "Not found" in response.content.decode()


@pytest.mark.parametrize(
    ("helper", "name", "raw"),
    [
        (env.env_bool, "X_BOOL", "ture"),
        (lambda n: env.env_int(n, 1), "X_INT", "ten"),
        (lambda n: env.env_int(n, 1, minimum=1), "X_INT", "0"),
        (lambda n: env.env_choice(n, ("a", "b"), "a"), "X_CHOICE", "c"),
    ],
)
def test_env_helpers_fail_loudly(monkeypatch, helper, name: str, raw: str) -> None:
    monkeypatch.setenv(name, raw)
    with pytest.raises(ImproperlyConfigured, match=name):
        helper(name)


def test_env_secret_reads_a_file(monkeypatch, tmp_path) -> None:
    secret = tmp_path / "s"
    secret.write_text("from-file\n")
    monkeypatch.setenv("X_SECRET_FILE", str(secret))
    assert env.env_secret("X_SECRET") == "from-file"


def _production_env(**extra: str) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("PRACTICA_")}
    return {
        **clean,
        "PRACTICA_ENV": "production",
        "PRACTICA_SECRET_KEY": "k3y-" + "0123456789abcdefghij" * 3,
        "PRACTICA_ALLOWED_HOSTS": "practica.example.org",
        **extra,
    }


def test_production_settings_pass_the_deploy_check(tmp_path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=_production_env(
            DJANGO_SETTINGS_MODULE="practica.settings", PRACTICA_VAR_DIR=str(tmp_path)
        ),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path) -> None:
    env_vars = _production_env(
        DJANGO_SETTINGS_MODULE="practica.settings", PRACTICA_VAR_DIR=str(tmp_path)
    )
    del env_vars["PRACTICA_SECRET_KEY"]
    result = subprocess.run(
        [sys.executable, "-m", "django", "check"],
        cwd=ROOT,
        env=env_vars,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "PRACTICA_SECRET_KEY" in result.stderr


def test_events_are_delivered_only_after_commit(transactional_db) -> None:
    seen: list[bus.Event] = []

    def listener(event: bus.Event) -> None:
        seen.append(event)

    bus.subscribe("test.thing_happened")(listener)
    try:
        with transaction.atomic():
            bus.emit("test.thing_happened", thing_id=1)
            assert seen == []
        assert [e.payload for e in seen] == [{"thing_id": 1}]
        with pytest.raises(RuntimeError), transaction.atomic():
            bus.emit("test.thing_happened", thing_id=2)
            raise RuntimeError("rolled back")
        assert [e.payload for e in seen] == [{"thing_id": 1}]
    finally:
        bus._subscribers["test.thing_happened"].remove(listener)


def test_event_payloads_must_be_json(db) -> None:
    with pytest.raises(TypeError):
        bus.emit("test.bad", when=object())


def test_a_failing_subscriber_does_not_stop_the_others(transactional_db, caplog) -> None:
    seen: list[str] = []

    def broken(event: bus.Event) -> None:
        raise ValueError("boom")

    def fine(event: bus.Event) -> None:
        seen.append(event.name)

    bus.subscribe("test.fanout")(broken)
    bus.subscribe("test.fanout")(fine)
    try:
        with transaction.atomic():
            bus.emit("test.fanout")
        assert seen == ["test.fanout"]
        assert "failed on test.fanout" in caplog.text
    finally:
        bus._subscribers["test.fanout"].clear()


def _logout_token(page: str) -> str:
    """The CSRF token inside the header's logout form (not another form's further down)."""
    from django.urls import reverse

    form = page.split(f'action="{reverse("account_logout")}">', 1)[1].split("</form>", 1)[0]
    return form.split('<input type="hidden" name="csrfmiddlewaretoken" value="', 1)[1].split('"')[0]


def test_the_remembered_site_header_shows_each_reader_their_own(cast: Cast) -> None:
    """The site header is rendered once per process for each set of what it shows (decision
    0015): each person sees their own name and unread count, a rename or a new notification
    shows at once, the section is marked, the search page keeps its query, and the logout
    form's CSRF input is this response's own (it still logs out under enforced CSRF checks)."""
    from django.test import Client
    from django.urls import reverse

    from practica.notifications import services as notifications

    communities = reverse("communities:list")
    member, coordinator = cast.client("member"), cast.client("coordinator")
    for _ in range(2):  # the second round is served from the remembered headers
        mine = member.get(communities).content.decode()
        theirs = coordinator.get(communities).content.decode()
        assert cast.member.display_name in mine and cast.coordinator.display_name not in mine
        assert cast.coordinator.display_name in theirs and cast.member.display_name not in theirs
        assert f'href="{communities}" aria-current="page"' in mine
    orgs = member.get(reverse("accounts:org-list")).content.decode()
    assert f'href="{communities}" aria-current="page"' not in orgs

    type(cast.member).objects.filter(pk=cast.member.pk).update(name="Mia Renamed")
    assert "Mia Renamed" in member.get(communities).content.decode()
    notifications.notify(cast.member, kind="test.hello", message="One for Mia")
    assert 'aria-label="1 unread"' in member.get(communities).content.decode()
    assert 'aria-label="1 unread"' not in coordinator.get(communities).content.decode()

    search = reverse("search:search")
    found = member.get(search, {"q": "fractions & more"}).content.decode()
    assert 'value="fractions &amp; more"' in found
    assert 'name="q" placeholder="Search…" value=""' in member.get(communities).content.decode()

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(cast.member)
    page = strict.get(communities).content.decode()
    token = _logout_token(page)
    response = strict.post(reverse("account_logout"), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert "_auth_user_id" not in strict.session


def test_the_account_pages_show_the_site_header_of_every_other_page(cast: Cast) -> None:
    """allauth's pages (Django templates) render the Jinja pages' own header: the search box,
    the sections, the unread count, the person's menu with a logout that works under enforced
    CSRF checks; signed out, the log-in and sign-up links."""
    from django.test import Client
    from django.urls import reverse

    from practica.notifications import services as notifications

    notifications.notify(cast.member, kind="test.hello", message="One for Mia")
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(cast.member)
    page = strict.get(reverse("account_email")).content.decode()
    assert page.count('class="site-header"') == 1
    assert 'role="search"' in page and 'name="q" placeholder="Search…"' in page
    assert f'href="{reverse("notifications:inbox")}"' in page
    assert f'href="{reverse("activities:library")}"' in page
    assert 'aria-label="1 unread"' in page
    assert cast.member.display_name in page
    token = _logout_token(page)
    assert strict.post(reverse("account_logout"), {"csrfmiddlewaretoken": token}).status_code == 302
    assert "_auth_user_id" not in strict.session

    signed_out = Client().get(reverse("account_login")).content.decode()
    assert signed_out.count('class="site-header"') == 1
    assert f'href="{reverse("account_signup")}"' in signed_out
    assert cast.member.display_name not in signed_out


def _routes() -> list[tuple[str, str]]:
    """(sample path, view name) of every named page route (not the admin's, not the API's
    ninja routes): each pattern's converters filled with sample values."""
    import re
    import uuid

    from django.urls import URLPattern, URLResolver, get_resolver

    samples = {
        "int": "7",
        "slug": "somecom",
        "str": "word",
        "path": "a/b",
        "uuid": str(uuid.UUID(int=7)),
    }
    routes: list[tuple[str, str]] = []

    def walk(patterns: list[URLPattern | URLResolver], prefix: str, namespace: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                inner = f"{namespace}{p.namespace}:" if p.namespace else namespace
                walk(p.url_patterns, prefix + str(p.pattern), inner)
            elif isinstance(p, URLPattern) and p.name:
                pattern = prefix + str(p.pattern)
                if "^" in pattern or "(?P" in pattern:  # regular expressions: not sampled
                    continue
                path = re.sub(r"<(\w+):\w+>", lambda m: samples[m.group(1)], pattern)
                routes.append((f"/{path}", f"{namespace}{p.name}"))

    walk(get_resolver().url_patterns, "", "")
    return [(path, name) for path, name in routes if not path.startswith(("/admin/", "/api/"))]


def test_every_page_route_resolves_to_its_own_view() -> None:
    """The URLconf puts the busiest pages first (practica/urls.py): no pattern may shadow
    another app's, whatever the order."""
    from django.urls import resolve

    routes = _routes()
    assert len(routes) > 150
    shadowed = [(path, name, resolve(path).view_name) for path, name in routes]
    assert [s for s in shadowed if s[1] != s[2]] == []
