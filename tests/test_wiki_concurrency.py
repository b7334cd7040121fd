"""Two truly concurrent saves of one page from the same base revision (two threads, each with
its own database connection, released together by a barrier), on SQLite and PostgreSQL.

The page row is locked while saving (``select_for_update``; SQLite's IMMEDIATE transactions
serialize writers the same way), so whichever save comes second sees the first one and merges
with it. Whatever the order: both authors' words survive, or — when they changed the same
line — the second gets an edit conflict that carries their own text, and nothing of theirs was
written over the first.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import close_old_connections, connection, connections

from practica.lib.testing import load_cast
from practica.wiki import services, spaces
from practica.wiki.models import Page, Revision

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def file_database(tmp_path: Path) -> Iterator[None]:
    """On SQLite, race on a database *file*, as production does. The test database lives in
    memory with a shared cache, where a second writer fails at once with "table is locked"
    instead of waiting its turn (the busy timeout does not apply to shared-cache locks); on a
    file, WAL and IMMEDIATE transactions make writers queue. The in-memory database (schema
    and cast) is copied to the file for the test and put back afterwards."""
    if connection.vendor != "sqlite":
        yield
        return
    path = tmp_path / "race.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(path)
    connection.connection.backup(target)
    target.close()
    original = connections.settings["default"]
    memory = connections["default"]
    connections.settings["default"] = {**original, "NAME": str(path)}
    on_file = connections.create_connection("default")
    connections["default"] = on_file
    try:
        yield
    finally:
        on_file.close()
        connections["default"] = memory
        connections.settings["default"] = original


BASE = "Welcome.\nKeys at the front office.\nMentor meeting at 7:30.\nLunch is at noon.\n"


def _race(edits: dict[str, str]) -> tuple[Page, dict[str, Any]]:
    cast = load_cast()
    ref = spaces.for_community(cast.org_community)
    page = services.save_page(cast.member, ref, page=None, title="First week", body=BASE).page
    base = page.current_revision_id
    barrier = threading.Barrier(len(edits))
    results: dict[str, Any] = {}

    def save(who: str, body: str) -> None:
        close_old_connections()
        try:
            author = getattr(cast, who)
            mine = spaces.for_community(cast.org_community)
            barrier.wait(timeout=10)
            results[who] = services.save_page(
                author, mine, page=Page.objects.get(pk=page.pk), title="First week",
                body=body, base_revision_id=base,
            )  # fmt: skip
        except Exception as exc:  # kept for the assertions
            results[who] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=item) for item in edits.items()]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    page.refresh_from_db()
    return page, results


def test_concurrent_edits_of_different_lines_both_survive() -> None:
    ethan = BASE.replace("Welcome.", "Welcome to Riverside!")
    fatima = BASE.replace("Lunch is at noon.", "Lunch is at 12:10 on Wednesdays.")
    page, results = _race({"expert": ethan, "facilitator": fatima})
    assert all(isinstance(r, services.Saved) for r in results.values()), results
    assert "Welcome to Riverside!" in page.body and "12:10 on Wednesdays" in page.body
    assert sorted(Revision.objects.filter(page=page).values_list("kind", flat=True)) == [
        "create", "edit", "merge"
    ]  # fmt: skip
    assert page.revision_count == 3


def test_concurrent_edits_of_the_same_line_give_the_second_a_conflict_with_their_text() -> None:
    ethan = BASE.replace("7:30", "7:15")
    fatima = BASE.replace("7:30", "7:45")
    page, results = _race({"expert": ethan, "facilitator": fatima})
    saved = [who for who, r in results.items() if isinstance(r, services.Saved)]
    conflicted = {who: r for who, r in results.items() if isinstance(r, services.EditConflict)}
    assert len(saved) == 1 and len(conflicted) == 1, results
    [(loser, conflict)] = conflicted.items()
    assert conflict.yours == (ethan if loser == "expert" else fatima)  # their words, kept
    assert conflict.theirs == page.body == (fatima if loser == "expert" else ethan)
    assert "<<<<<<< your version" in conflict.merged and "7:15" in conflict.merged
    assert "7:45" in conflict.merged
    assert page.revision_count == 2
