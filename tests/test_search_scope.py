"""Community-scoped search (``Entry.scope``, decision 0008, 2026-11-29): a community filter is
part of the full-text match on SQLite and uses the (community, title) GIN index for prefixes on
PostgreSQL. Scope tokens only narrow a search: the access rule still decides what is found.
Through the public API (``query.search`` / ``search_for`` / the page and the API); the same on
SQLite and PostgreSQL.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection

from practica.communities.models import Community
from practica.lib.errors import NotFound
from practica.lib.testing import Cast
from practica.search import ddl, index, query
from practica.search.models import Entry
from practica.search.query import Filters, search, search_for
from practica.search.registry import Document
from tests.test_search import DOCS, note, note_type  # noqa: F401 (the fixture is used below)

pytestmark = pytest.mark.usefixtures("note_type")


def scoped(user: Any, q: str, community: Community | None) -> list[str]:
    filters = Filters(community_id=community.pk if community else None)
    return sorted(h.title for h in search(user, q, filters=filters).hits)


def move(norm: Any, community: Community) -> None:
    """Re-index ``norm``'s document in ``community`` (what a service does after a move)."""
    document = DOCS[norm.pk]
    DOCS[norm.pk] = Document(
        title=document.title,
        body=document.body,
        url=document.url,
        created_at=document.created_at,
        community_id=community.pk,
    )
    index.update(norm)


def test_scoped_search_finds_only_that_communitys_entries(cast: Cast) -> None:
    communities = {
        "public": cast.public_community,
        "district": cast.org_community,
        "private": cast.private_community,
    }
    for name, community in communities.items():
        note(community, f"Fraction strips in {name}", "Paper strips.")
    note(cast.public_community, "Fraction strips org-wide", "Paper strips.", scope="org")
    note(cast.public_community, "Fraction strips site-wide", "Paper strips.", scope="site")

    for name, community in communities.items():
        expected = [f"Fraction strips in {name}"]
        for q in ("strips", "fraction*", '"paper strips"', "paper fraction*", "strip* fr*"):
            assert scoped(cast.member, q, community) == expected, (name, q)
        hit = search(cast.member, "strips", filters=Filters(community_id=community.pk)).hits[0]
        assert hit.community == community
    assert len(scoped(cast.member, "strips", None)) == 5
    assert len(scoped(cast.member, "fraction*", None)) == 5


def test_scope_narrows_but_never_grants_access(cast: Cast) -> None:
    """A filter on a community the user may not see finds nothing, even when ``search`` is
    called directly (``search_for`` answers 404 before that)."""
    note(cast.private_community, "Secret seating plan", "Seats by interest.")
    note(cast.org_community, "District seating plan", "Seats by interest.")
    private = Filters(community_id=cast.private_community.pk)
    org = Filters(community_id=cast.org_community.pk)
    for who in ("outsider", "org_member", "org_admin"):
        user = getattr(cast, who)
        for q in ("seating", "seat*", "interest seat*"):
            results = search(user, q, filters=private)
            assert results.hits == [] and results.count == 0, (who, q)
    for q in ("seating", "seat*"):
        assert search(None, q, filters=private).count == 0
        assert search(None, q, filters=org).count == 0
        assert search(cast.outsider, q, filters=org).count == 0
        assert [h.title for h in search(cast.org_member, q, filters=org).hits] == [
            "District seating plan"
        ]
        assert [h.title for h in search(cast.member, q, filters=private).hits] == [
            "Secret seating plan"
        ]
    with pytest.raises(NotFound):
        search_for(cast.org_member, "seating", community=cast.private_community.slug)


def test_scope_tokens_are_not_searchable_words(cast: Cast) -> None:
    community = cast.public_community
    note(community, "Warm-up routines", "Start with a puzzle.")
    entry = Entry.objects.get(type="t_note")
    assert entry.scope == f"c{community.pk}"
    assert search(cast.member, f"c{community.pk}").count == 0
    assert search(cast.member, f"c{community.pk}*").count == 0
    assert search(cast.member, f'"c{community.pk}"').count == 0


def test_moving_an_entry_moves_it_between_scoped_results(cast: Cast) -> None:
    a, b = cast.public_community, cast.org_community
    norm = note(a, "Gallery walk protocol", "Students rotate between posters.")
    note(b, "Gallery walk for essays", "Drafts on the walls.")
    assert scoped(cast.member, "gallery", a) == ["Gallery walk protocol"]
    assert scoped(cast.member, "gall*", a) == ["Gallery walk protocol"]

    move(norm, b)
    assert Entry.objects.get(type="t_note", object_id=norm.pk).scope == f"c{b.pk}"
    assert scoped(cast.member, "gallery", a) == []
    assert scoped(cast.member, "gall*", a) == []
    both = ["Gallery walk for essays", "Gallery walk protocol"]
    assert scoped(cast.member, "gallery", b) == both
    assert scoped(cast.member, "gall*", b) == both
    assert scoped(cast.member, "rotate gall*", b) == ["Gallery walk protocol"]
    # ...and so does access: the org community is not for signed-out visitors.
    assert scoped(None, "gallery", None) == []

    move(norm, a)
    assert scoped(cast.member, "gallery", a) == ["Gallery walk protocol"]
    assert scoped(cast.member, "gallery", b) == ["Gallery walk for essays"]


def test_a_bulk_reindex_fills_scope(cast: Cast) -> None:
    note(cast.public_community, "Exit tickets that work")
    note(cast.org_community, "Exit tickets in the district")
    Entry.objects.filter(type="t_note").delete()
    call_command("reindex", "t_note", "--bulk", verbosity=0)
    assert set(Entry.objects.filter(type="t_note").values_list("scope", flat=True)) == {
        f"c{cast.public_community.pk}",
        f"c{cast.org_community.pk}",
    }
    assert scoped(cast.member, "tickets", cast.org_community) == ["Exit tickets in the district"]
    assert scoped(cast.member, "exi*", cast.public_community) == ["Exit tickets that work"]


def test_the_migrations_fill_rule_matches_the_index(cast: Cast) -> None:
    note(cast.public_community, "Number talks")
    note(cast.public_community, "Handbook", scope="site")
    note(cast.public_community, "Calendar", scope="org")
    expected = dict(Entry.objects.filter(type="t_note").values_list("id", "scope"))
    Entry.objects.filter(type="t_note").update(scope="")
    with connection.cursor() as cursor:
        cursor.execute(ddl.FILL_SCOPE)
    assert dict(Entry.objects.filter(type="t_note").values_list("id", "scope")) == expected
    assert sorted(expected.values()) == ["", "", f"c{cast.public_community.pk}"]


def test_prefixes_work_scoped_and_unscoped(cast: Cast) -> None:
    c = cast.public_community
    note(c, "Fractional thinking", "Halves and quarters.")
    note(c, "Teaching decimals", "Place value charts.")
    note(c, "Number talks", "We discuss fractions every day.")
    for community in (None, c):
        assert scoped(cast.member, "fract*", community) == ["Fractional thinking"]
        assert scoped(cast.member, "teachi*", community) == ["Teaching decimals"]  # unstemmed
        assert scoped(cast.member, "fr* th*", community) == ["Fractional thinking"]
        assert scoped(cast.member, "halves fract*", community) == ["Fractional thinking"]
        assert scoped(cast.member, "discuss fract*", community) == []  # titles only
    hit = search(cast.member, "fract*", filters=Filters(community_id=c.pk)).hits[0]
    assert "<mark>Fract" in hit.title_html


def test_page_and_api_search_within_a_community(cast: Cast) -> None:
    norms = note(cast.public_community, "Socratic seminar norms")
    rubric = note(cast.org_community, "Socratic seminar rubric")
    client = cast.client("member")
    page = client.get("/search/", {"q": "socratic", "community": cast.org_community.slug})
    assert page.status_code == 200
    html = page.content.decode()
    assert f"/notes/{rubric.pk}/" in html and f"/notes/{norms.pk}/" not in html
    api = client.get("/api/v1/search", {"q": "semi*", "community": cast.public_community.slug})
    assert api.status_code == 200
    body = api.json()
    assert body["count"] == 1 and [i["title"] for i in body["items"]] == ["Socratic seminar norms"]
    assert body["items"][0]["community"]["slug"] == cast.public_community.slug

    signed_out = cast.client(None).get(
        "/api/v1/search", {"q": "socratic", "community": cast.org_community.slug}
    )
    assert signed_out.status_code == 401
    outsider = cast.client("outsider").get(
        "/api/v1/search", {"q": "socratic", "community": cast.org_community.slug}
    )
    assert outsider.status_code == 404


@pytest.mark.parametrize("budget", [0, 20_000])
def test_common_words_rank_title_matches_first(
    cast: Cast, monkeypatch: pytest.MonkeyPatch, budget: int
) -> None:
    """SQLite ranks by bm25 only when its terms are rare enough (BM25_BUDGET); else title
    matches come first, newest first within. Either way: title matches above body matches,
    scoped or not, and prefixes still narrow to titles."""
    monkeypatch.setattr(query, "BM25_BUDGET", budget)
    c = cast.public_community
    note(c, "Manipulatives for algebra", "Tiles and cubes.", age_days=3)
    note(c, "Classroom routines", "A note that mentions manipulatives once.", age_days=1)
    note(cast.org_community, "Manipulatives elsewhere", "Tiles.", age_days=2)
    for community in (None, c):
        found = [h.title for h in search(cast.member, "manipulatives", filters=_in(community)).hits]
        titled = ["Manipulatives for algebra"]
        if community is None:
            titled.append("Manipulatives elsewhere")
        assert sorted(found[:-1]) == sorted(titled) and found[-1] == "Classroom routines"
        assert scoped(cast.member, "manip*", community) == sorted(titled)
        assert scoped(cast.member, "tiles manip*", community) == sorted(titled)


def _in(community: Community | None) -> Filters:
    return Filters(community_id=community.pk if community else None)


# --- The window: newest first, by id bucket on PostgreSQL (decision 0008, 2026-11-30) ----------


@pytest.fixture
def small_buckets(monkeypatch: pytest.MonkeyPatch) -> None:
    """One entry id per bucket and 2 probes, so a handful of notes spans many buckets and both
    branches of PostgreSQL's window (the probes, then one scan of everything older). The index
    is still built on id / 10000: the query stays correct, only slower, with another bucket."""
    monkeypatch.setattr(query, "BUCKET", 1)
    monkeypatch.setattr(query, "PROBES", 2)


@pytest.mark.usefixtures("small_buckets")
def test_the_window_still_finds_old_matches_when_recent_ones_are_few(cast: Cast) -> None:
    old = note(cast.public_community, "Tessellation walk", "Shapes outside.")
    for i in range(6):
        note(cast.public_community, f"Unrelated note {i}", "Nothing to see.")
    note(cast.public_community, "Another tessellation", "Tiles.")
    for community in (None, cast.public_community):
        assert scoped(cast.member, "tessellation", community) == [
            "Another tessellation",
            "Tessellation walk",
        ]
        assert scoped(None, '"tessellation walk"', community) == ["Tessellation walk"]
    assert search(cast.member, "tessellation").count == 2
    assert Entry.objects.filter(object_id=old.pk).exists()


@pytest.mark.usefixtures("small_buckets")
def test_the_window_holds_the_newest_matches_ranked_by_relevance(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With more matches than the window holds, the window is the newest of them (with one id
    per bucket and enough probes, exactly), counted as "N+"; within it, relevance orders: a
    title match ranks above newer body-only matches."""
    monkeypatch.setattr(query, "PROBES", 10)
    monkeypatch.setattr(query, "COUNT_CAP", 3)
    monkeypatch.setattr(query, "WINDOW", 4)
    c = cast.public_community
    note(c, "Oldest note", "Mentions geoboards.")
    note(c, "Geoboards for area", "Pegs and bands.")  # title match, in the window
    for i in range(3):
        note(c, f"Newer note {i}", "Mentions geoboards once.")
    results = search(cast.member, "geoboards")
    assert results.capped and results.count == 4
    found = [h.title for h in results.hits]
    assert found[0] == "Geoboards for area"
    assert sorted(found[1:]) == ["Newer note 0", "Newer note 1", "Newer note 2"]
    assert "Oldest note" not in found


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's GIN index")
def test_postgres_index_has_the_bucket_the_query_uses(cast: Cast) -> None:
    assert query.BUCKET == ddl.BUCKET
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'search_entry' AND indexdef "
            "LIKE '%%gin%%tsv%%' AND indexname = 'search_entry_community_bucket_tsv'"
        )
        (definition,) = cursor.fetchone()
    assert f"(id / {ddl.BUCKET})" in definition


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite keeps no statistics unasked")
def test_sqlite_statistics_after_migrate_and_nightly(cast: Cast) -> None:
    """The people rule was planned per org seat without statistics (decision 0008)."""
    from practica.scheduling.models import DueJob
    from practica.scheduling.services import run_due
    from practica.search import maintenance

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")
        assert cursor.fetchone() is not None  # made by post_migrate when the test DB was built
    maintenance.ensure_nightly()
    job = DueJob.objects.get(key=maintenance.STATISTICS_KEY, done_at__isnull=True)
    run_due(job.due_at)
    again = DueJob.objects.get(key=maintenance.STATISTICS_KEY)
    assert again.done_at is None and again.due_at >= job.due_at  # pending again: recurs


# --- PostgreSQL: tsv in the row, snippets with the page, the hooked types' rule ---------------
# (decision 0008, 2026-11-28, second part)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's TOAST storage")
def test_postgres_keeps_tsv_in_the_row(cast: Cast) -> None:
    """0005_tsv_inline: ``tsv`` is stored MAIN (in the row), so rechecks and ranking never
    read it back from TOAST; new rows follow the column's storage."""
    note(cast.public_community, "Pattern blocks", "Hexagons and trapezoids. " * 80)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attstorage FROM pg_attribute "
            "WHERE attrelid = 'search_entry'::regclass AND attname = 'tsv'"
        )
        assert cursor.fetchone()[0] == "m"
    assert titles_of(search(cast.member, '"pattern blocks"')) == ["Pattern blocks"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="ts_headline on PostgreSQL")
def test_postgres_snippet_reads_the_start_of_long_bodies(cast: Cast) -> None:
    """Snippets come with the page's rows; ts_headline reads the first HEADLINE_CHARS of a
    body: a match within them is highlighted, one only further in shows the body's lead."""
    filler = "Counting on and counting back with a number line. " * 40
    assert len(filler) > query.HEADLINE_CHARS
    c = cast.public_community
    note(c, "Early match", "The geoboard starts this note. " + filler)
    note(c, "Late match", filler + "A geoboard only at the end.")
    hits = {h.title: h for h in search(cast.member, "geoboard").hits}
    assert set(hits) == {"Early match", "Late match"}
    assert "<mark>geoboard</mark>" in hits["Early match"].snippet_html
    late = hits["Late match"].snippet_html
    assert "<mark>" not in late and late.startswith("Counting on and counting back")
    assert "<mark>" not in hits["Late match"].title_html
    assert "<mark>Early</mark>" not in hits["Early match"].title_html


def test_people_found_exactly_as_the_people_rule_says(cast: Cast) -> None:
    """The hooked types' rule (a correlated EXISTS on PostgreSQL, IN on SQLite) finds exactly
    the people the rule lets each viewer see."""
    from practica.accounts.models import User
    from practica.communities import access
    from practica.lib.testing import PEOPLE

    people = list(User.objects.filter(email__in=PEOPLE.values()))
    seen: list[bool] = []
    for viewer in [None, *people]:
        rule = set(
            User.objects.filter(access.visible_people_filter(viewer)).values_list("pk", flat=True)
        )
        for person in people:
            found = search(viewer, person.name, filters=Filters(type="person")).hits
            assert (person.pk in {h.object_id for h in found}) is (person.pk in rule), (
                viewer,
                person,
            )
            seen.append(person.pk in rule)
    assert any(seen) and not all(seen)  # both cases are tested


def titles_of(results: query.Results) -> list[str]:
    return sorted(h.title for h in results.hits)
