"""Access-matrix rows, checked cheaply: one test per row, each cast member's request made
inside a savepoint that is rolled back, so every cell sees the same starting state while the
row's world is built only once (instead of once per cell).

    check_row(cast, ["get", url, data], "302 404 200 ...")

compares the whole row at once and, on a mismatch, shows the expected and actual rows side by
side with the cells that differ — easier to read than nine separate failures.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.http import HttpResponse
from django.test import Client

from practica.accounts.services import create_api_token
from practica.lib.testing import Cast

CAST = (
    "anonymous", "outsider", "org_member", "member", "expert", "facilitator", "coordinator",
    "org_admin", "staff",
)  # fmt: skip

ClientFor = Callable[[str], Client]


def page_client(cast: Cast) -> ClientFor:
    """Session clients (the HTML pages)."""
    return cast.client


def api_client(cast: Cast) -> ClientFor:
    """Bearer-token clients (the API); signed out is a bare client."""

    def make(who: str) -> Client:
        if who == "anonymous":
            return Client()
        _, raw = create_api_token(getattr(cast, who), name="matrix")
        return Client(headers={"Authorization": f"Bearer {raw}"})

    return make


def check_row(
    client_for: ClientFor,
    call: Callable[[Client, str], HttpResponse],
    expected: str,
    *,
    cast_order: tuple[str, ...] = CAST,
    on_redirect: Callable[[str, HttpResponse], None] | None = None,
) -> None:
    """Make ``call(client, who)`` for every cast member, each in a rolled-back savepoint, and
    assert the statuses equal ``expected`` (space-separated, in ``cast_order``)."""
    wanted = expected.split()
    assert len(wanted) == len(cast_order), "one expected status per cast member"
    got = []
    for who in cast_order:
        with transaction.atomic():
            response = call(client_for(who), who)
            got.append(str(response.status_code))
            if on_redirect and response.status_code == 302:
                on_redirect(who, response)
            transaction.set_rollback(True)
    if got != wanted:
        cells = zip(cast_order, wanted, got, strict=True)
        diff = "\n".join(f"{who}: {w} expected, {g}" for who, w, g in cells if w != g)
        raise AssertionError(f"expected {' '.join(wanted)}\n     got {' '.join(got)}\n{diff}")


def login_redirect(who: str, response: Any) -> None:
    """Signed-out visitors are sent to the login page, not elsewhere."""
    if who == "anonymous":
        assert "/accounts/login/" in response["Location"], response["Location"]
