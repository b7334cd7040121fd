"""The activity library: its contents, browsing and search, adapting with lineage, editing,
validation, the API, the loader and command, and the demo's adaptations."""

from __future__ import annotations

import io
import json
from collections import Counter
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from practica.accounts.services import create_api_token
from practica.communities import access
from practica.communities.models import Community, Membership, Role
from practica.lib.errors import Forbidden, Invalid, NotFound
from practica.lib.testing import Cast
from practica.practice.activities import selectors, services
from practica.practice.activities.forms import ActivityForm
from practica.practice.activities.library import BOTH, IN_PERSON, LIBRARY, VIRTUAL
from practica.practice.activities.loader import load_library
from practica.practice.activities.models import Activity, Purpose
from practica.practice.activities.selectors import ActivityFilters

API = "/api/v1"


def library_row(slug: str) -> Activity:
    return Activity.objects.get(community__isnull=True, slug=slug)


def adapt(cast: Cast, who: str = "member", community: Community | None = None, **fields: Any):
    """Adapt "draw-what-i-say" (by default into the organization community) as ``who``."""
    fields.setdefault("note", "Tuned for our group.")
    return services.adapt_activity(
        getattr(cast, who),
        fields.pop("source", None) or library_row("draw-what-i-say"),
        community or cast.org_community,
        **fields,
    )


def api_client(user: Any) -> Client:
    _, raw = create_api_token(user, "test")
    return Client(headers={"Authorization": f"Bearer {raw}"})


def post_json(client: Client, path: str, data: Any, method: str = "post") -> Any:
    return getattr(client, method)(API + path, json.dumps(data), content_type="application/json")


# --- The library's contents (plain data) ---------------------------------------------------------


def test_library_has_a_year_of_weekly_openers() -> None:
    assert len(LIBRARY) >= 52
    assert len({a.slug for a in LIBRARY}) == len(LIBRARY)
    assert len({a.title.casefold() for a in LIBRARY}) == len(LIBRARY)


def test_every_purpose_is_used_several_times() -> None:
    counts = Counter(a.purpose for a in LIBRARY)
    assert set(counts) == set(Purpose.values)
    assert min(counts.values()) >= 5, counts


def test_lengths_settings_and_group_sizes_vary() -> None:
    assert all(5 <= a.minutes <= 30 for a in LIBRARY)
    assert {5, 10, 15, 20, 25, 30} <= {a.minutes for a in LIBRARY}
    settings = Counter(a.setting for a in LIBRARY)
    assert set(settings) == {IN_PERSON, VIRTUAL, BOTH}
    assert min(settings.values()) >= 4, settings
    assert all(1 <= a.group[0] <= a.group[1] for a in LIBRARY)
    assert len({a.group for a in LIBRARY}) >= 10


def test_every_activity_is_runnable_from_its_steps() -> None:
    for a in LIBRARY:
        assert 3 <= len(a.steps) <= 7, a.slug
        assert a.summary and a.materials, a.slug
        # The library obeys the same rules as an adaptation.
        errors: dict[str, str] = {}
        services.clean_activity(errors, a.model_fields())
        assert errors == {}, (a.slug, errors)


def test_sharing_activities_say_passing_is_fine() -> None:
    for a in LIBRARY:
        if a.purpose == Purpose.VULNERABILITY:
            text = " ".join(a.steps).lower()
            assert any(w in text for w in ("pass", "optional", "only if they")), a.slug


# --- Loading: the data migration and the command -------------------------------------------------


def test_a_fresh_database_has_the_library(db: None) -> None:
    """The data migration loaded it (the test database is built by migrating)."""
    rows = {a.slug: a for a in Activity.objects.filter(community__isnull=True)}
    assert set(rows) == {a.slug for a in LIBRARY}
    entry = LIBRARY[0]
    row = rows[entry.slug]
    assert row.steps == list(entry.steps)
    assert row.search_text == row.search_text.casefold()
    assert entry.title.casefold() in row.search_text


def test_load_library_upserts_by_slug_and_is_idempotent(cast: Cast) -> None:
    adaptation = adapt(cast)
    assert load_library().created == 0
    assert load_library().unchanged == len(LIBRARY)
    changed = library_row("draw-what-i-say")
    changed.title = "Old title"
    changed.save()
    library_row("one-word-story").delete()
    result = load_library()
    assert (result.created, result.updated, result.unchanged) == (1, 1, len(LIBRARY) - 2)
    assert library_row("draw-what-i-say").title == "Draw What I Say"
    assert library_row("draw-what-i-say").pk == changed.pk  # same row: lineage survives
    adaptation.refresh_from_db()
    assert adaptation.title == "Draw What I Say"  # adaptations are never touched
    assert adaptation.adapted_from_id == changed.pk


def test_load_activities_command(db: None) -> None:
    out = io.StringIO()
    call_command("load_activities", stdout=out)
    assert f"{len(LIBRARY)} activities (0 added, 0 updated, {len(LIBRARY)} unchanged)" in (
        out.getvalue()
    )


# --- Browsing, filtering, searching --------------------------------------------------------------


def titles(filters: ActivityFilters, user: Any = None) -> list[str]:
    return [a.title for a in selectors.library(user, filters)]


@pytest.mark.parametrize(
    ("filters", "check"),
    [
        (ActivityFilters(purpose="trust"), lambda a: a.purpose == "trust"),
        (ActivityFilters(max_duration=10), lambda a: a.duration_minutes <= 10),
        (ActivityFilters(setting="virtual"), lambda a: a.virtual),
        (ActivityFilters(setting="in_person"), lambda a: a.in_person),
        (ActivityFilters(group_size=50), lambda a: a.min_group <= 50 <= a.max_group),
        (
            ActivityFilters(purpose="energizer", max_duration=5, setting="in_person"),
            lambda a: a.purpose == "energizer" and a.duration_minutes <= 5 and a.in_person,
        ),
    ],
)
def test_filters(cast: Cast, filters: ActivityFilters, check: Any) -> None:
    found = list(selectors.library(cast.member, filters))
    expected = [a for a in Activity.objects.filter(community__isnull=True) if check(a)]
    assert found and {a.pk for a in found} == {a.pk for a in expected}


def test_only_virtual_filter_excludes_in_person_only(cast: Cast) -> None:
    assert "Scrap Paper Bridge" not in titles(ActivityFilters(setting="virtual"))
    assert "Desk Tour" not in titles(ActivityFilters(setting="in_person"))


def test_search_is_case_insensitive_and_looks_in_steps(cast: Cast) -> None:
    # "stapler" is in Desk Tour's steps and Scrap Paper Bridge's summary.
    assert titles(ActivityFilters(q="STAPLER")) == ["Desk Tour", "Scrap Paper Bridge"]
    # Every word must match, in any field.
    assert titles(ActivityFilters(q="stapler bridge")) == ["Scrap Paper Bridge"]
    assert titles(ActivityFilters(q="no such word anywhere")) == []


def test_search_folds_accents_case_the_same_on_every_database(cast: Cast) -> None:
    adapt(cast, title="Café Conversations", note="A French twist.")
    found = selectors.community_activities(cast.org_community, ActivityFilters(q="CAFÉ"))
    assert [a.title for a in found] == ["Café Conversations"]


def test_library_page_lists_and_filters(cast: Cast) -> None:
    client = cast.client("member")
    page = client.get("/activities/").content.decode()
    assert f"{len(LIBRARY)} activities" in page
    assert page.count('class="card activity-card') == 24  # paginated
    page = client.get("/activities/?purpose=vulnerability&q=iceberg").content.decode()
    assert "1 activity" in page and "The Iceberg" in page
    last = client.get("/activities/?page=3").content.decode()
    assert last.count('class="card activity-card') == len(LIBRARY) - 48


def test_bad_filter_values_are_ignored_and_said(cast: Cast) -> None:
    response = cast.client("member").get(
        "/activities/?purpose=nope&max_duration=abc&group_size=-3&setting=moon"
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert f"{len(LIBRARY)} activities" in page
    assert "Select a valid choice" in page


def test_pager_keeps_the_filters(cast: Cast) -> None:
    page = cast.client("member").get("/activities/?setting=virtual&max_duration=20").content
    # 24 per page; "?page=2&setting=virtual&max_duration=20" (escaped in HTML)
    assert b"page=2&amp;" in page and b"setting=virtual" in page


def test_htmx_gets_only_the_results(cast: Cast) -> None:
    response = cast.client("member").get("/activities/?purpose=trust", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="results"')
    assert "<html" not in html and "Ask for a Small Favor" in html


def test_library_page_queries_do_not_grow_with_rows(
    cast: Cast, django_assert_max_num_queries: Any
) -> None:
    client = cast.client("member")
    pages = ("/activities/?q=a", f"/c/{cast.org_community.slug}/activities/")
    adapt(cast)
    baseline = {}
    for url in pages:
        client.get(url)  # warm the session
        with django_assert_max_num_queries(12) as queries:
            client.get(url)
        baseline[url] = len(queries.captured_queries)
    for community in (cast.org_community, cast.public_community, cast.private_community):
        for slug in ("one-word-story", "the-iceberg", "desk-tour", "keep-tweak-drop"):
            adapt(cast, community=community, source=library_row(slug))
    for url in pages:
        with django_assert_max_num_queries(baseline[url]):
            client.get(url)


# --- Adapting and lineage ------------------------------------------------------------------------


def adapt_form(community: str, **overrides: str) -> dict[str, str]:
    data = {
        "community": community,
        "title": "Draw the Graph I Say",
        "purpose": "trust",
        "summary": "One partner describes a graph; the other sketches it.",
        "duration_minutes": "12",
        "min_group": "2",
        "max_group": "30",
        "setting": "virtual",
        "materials": "Graph paper.",
        "steps": "1. Pair up.\n\n- Describe the graph.\n* Compare and swap.\n",
        "note": "Graphs instead of pictures: it doubles as vocabulary practice.",
    }
    return {**data, **overrides}


def test_member_adapts_through_the_page_and_lineage_shows_both_ways(
    cast: Cast, capture_events: Any
) -> None:
    client = cast.client("member")
    source = library_row("draw-what-i-say")
    with capture_events() as events:
        response = client.post(
            "/activities/draw-what-i-say/adapt/", adapt_form(cast.org_community.slug)
        )
    adapted = Activity.objects.get(community=cast.org_community)
    assert response.status_code == 302
    assert response["Location"] == f"/c/{cast.org_community.slug}/activities/draw-the-graph-i-say/"
    assert adapted.adapted_from == source
    assert adapted.steps == ["Pair up.", "Describe the graph.", "Compare and swap."]
    assert (adapted.in_person, adapted.virtual, adapted.duration_minutes) == (False, True, 12)
    assert adapted.created_by == cast.member
    assert [(e.name, e.payload) for e in events] == [
        (
            "activities.adapted",
            {
                "activity_id": adapted.pk,
                "source_id": source.pk,
                "community_id": cast.org_community.pk,
                "actor_id": cast.member.pk,
            },
        )
    ]
    # The adaptation names its source and the note...
    page = client.get(response["Location"]).content.decode()
    assert "Adapted from" in page and "/activities/draw-what-i-say/" in page
    assert "it doubles as vocabulary practice" in page
    # ...and the source lists the adaptation with its community.
    page = client.get("/activities/draw-what-i-say/").content.decode()
    assert "Draw the Graph I Say" in page and cast.org_community.name in page


def test_adapt_form_starts_from_the_source(cast: Cast) -> None:
    page = cast.client("member").get("/activities/the-iceberg/adapt/").content.decode()
    assert "Draw an iceberg with a waterline." in page
    assert 'value="20"' in page  # its duration
    assert "One step per line" in page


def test_adapt_form_offers_only_my_communities(cast: Cast) -> None:
    page = cast.client("org_member").get("/activities/the-iceberg/adapt/").content.decode()
    assert "not a member of one yet" in page
    response = cast.client("org_member").post(
        "/activities/the-iceberg/adapt/", adapt_form(cast.org_community.slug)
    )
    assert response.status_code == 200
    assert not Activity.objects.filter(community__isnull=False).exists()


def test_an_adaptation_can_be_adapted_again(cast: Cast) -> None:
    first = adapt(cast)
    client = cast.client("coordinator")
    response = client.post(
        f"/c/{cast.org_community.slug}/activities/{first.slug}/adapt/",
        adapt_form(cast.public_community.slug, title="Graphs, Publicly"),
    )
    assert response.status_code == 302
    second = Activity.objects.get(community=cast.public_community)
    assert second.adapted_from == first
    assert first.title in client.get(second.get_absolute_url()).content.decode()


def test_same_title_twice_gets_a_new_slug(cast: Cast) -> None:
    assert [adapt(cast).slug for _ in range(3)] == [
        "draw-what-i-say",
        "draw-what-i-say-2",
        "draw-what-i-say-3",
    ]
    assert adapt(cast, title="!!!").slug == "activity"


def test_adapting_copies_omitted_fields(cast: Cast) -> None:
    source = library_row("the-iceberg")
    adapted = adapt(cast, source=source, duration_minutes=10)
    for name in services.EDITABLE:
        if name != "duration_minutes":
            assert getattr(adapted, name) == getattr(source, name), name
    assert adapted.duration_minutes == 10


def test_only_members_adapt_into_a_community(cast: Cast) -> None:
    for who in ("org_member", "org_admin", "staff"):
        with pytest.raises(Forbidden):
            adapt(cast, who)
    assert not Activity.objects.filter(community__isnull=False).exists()


def test_cannot_adapt_a_source_one_may_not_see(cast: Cast) -> None:
    hidden = adapt(cast, community=cast.private_community)
    with pytest.raises(NotFound):
        services.adapt_activity(cast.outsider, hidden, cast.public_community, note="x")


# --- What lineage never shows --------------------------------------------------------------------


def test_lineage_hides_communities_the_viewer_cannot_see(cast: Cast) -> None:
    private = adapt(cast, community=cast.private_community, title="Secret Sketches")
    public = services.adapt_activity(
        cast.member, private, cast.public_community, title="Open Sketches", note="Shared out."
    )
    name = cast.private_community.name
    for who in ("outsider", "org_member", "org_admin"):
        client = cast.client(who)
        source_page = client.get("/activities/draw-what-i-say/").content.decode()
        assert "Secret Sketches" not in source_page and name not in source_page, who
        public_page = client.get(public.get_absolute_url()).content.decode()
        assert "Secret Sketches" not in public_page and name not in public_page, who
        assert "Adapted from" not in public_page, who
        api = api_client(getattr(cast, who))
        data = api.get(f"{API}/activities/draw-what-i-say").json()
        assert data["adaptations"] == [], who
        items = api.get(f"{API}/communities/{cast.public_community.slug}/activities").json()
        assert items["items"][0]["adapted_from"] is None, who
    # Members of the private community see the whole chain.
    member_page = cast.client("member").get("/activities/draw-what-i-say/").content.decode()
    assert "Secret Sketches" in member_page and name in member_page


def test_adaptation_counts_on_cards_count_only_visible_ones(cast: Cast) -> None:
    adapt(cast, community=cast.private_community)
    adapt(cast, community=cast.org_community)
    counts = {
        who: {a.slug: a.adaptation_count for a in selectors.library(getattr(cast, who))}
        for who in ("member", "org_member", "outsider")
    }
    assert counts["member"]["draw-what-i-say"] == 2
    assert counts["org_member"]["draw-what-i-say"] == 1
    assert counts["outsider"]["draw-what-i-say"] == 0


# --- Editing -------------------------------------------------------------------------------------


def edit_form(activity: Activity, **overrides: str) -> dict[str, str]:
    initial = ActivityForm.initial_for(activity, note=activity.adaptation_note)
    return {**{k: str(v) for k, v in initial.items()}, **overrides}


def test_creator_and_facilitators_edit_others_may_not(cast: Cast, capture_events: Any) -> None:
    activity = adapt(cast)
    url = f"/c/{cast.org_community.slug}/activities/{activity.slug}/edit/"
    assert cast.client("expert").post(url, edit_form(activity, title="X")).status_code == 403
    with capture_events() as events:
        response = cast.client("facilitator").post(url, edit_form(activity, title="Renamed"))
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.title == "Renamed" and activity.slug == "draw-what-i-say"  # URL stays
    assert [e.name for e in events] == ["activities.updated"]
    assert events[0].payload == {
        "activity_id": activity.pk,
        "community_id": cast.org_community.pk,
        "actor_id": cast.facilitator.pk,
    }
    assert cast.client("member").post(url, edit_form(activity, title="Mine")).status_code == 302


def test_a_member_who_left_no_longer_edits(cast: Cast) -> None:
    activity = adapt(cast)
    Membership.objects.filter(user=cast.member, community=cast.org_community).delete()
    access.forget_viewer(cast.member)  # as the leave service does
    with pytest.raises(Forbidden):
        services.update_activity(cast.member, activity, note="n", title="t")


def test_library_activities_are_not_edited_in_the_app(cast: Cast) -> None:
    with pytest.raises(Forbidden, match="adapt this one instead"):
        services.update_activity(cast.staff, library_row("desk-tour"), note="n", title="t")


# --- Validation: clear messages, nothing changed -------------------------------------------------


BAD_FIELDS = [
    ({"steps": []}, "steps", "at least one step"),
    ({"steps": ["ok"] * 16}, "steps", "At most 15 steps"),
    ({"steps": ["ok", "  "]}, "steps", "Step 2 is empty"),
    ({"steps": ["x" * 501]}, "steps", "keep each step to 500"),
    ({"steps": ["two\nlines"]}, "steps", "line break"),
    ({"steps": "a string"}, "steps", "list of text"),
    ({"title": "  "}, "title", "Title is required"),
    ({"title": "t" * 121}, "title", "at most 120"),
    ({"summary": ""}, "summary", "required"),
    ({"purpose": "fun"}, "purpose", "Choose one of"),
    ({"duration_minutes": 0}, "duration_minutes", "from 1 to 90"),
    ({"duration_minutes": 91}, "duration_minutes", "from 1 to 90"),
    ({"duration_minutes": True}, "duration_minutes", "whole number"),
    ({"min_group": 8, "max_group": 4}, "max_group", "at least the smallest"),
    ({"max_group": 5000}, "max_group", "from 1 to 1000"),
    ({"in_person": False, "virtual": False}, "setting", "in person, virtual, or both"),
    ({"materials": "m" * 1001}, "materials", "at most 1000"),
    ({"note": ""}, "note", "What changed and why is required"),
    ({"title": "nul\x00"}, "title", "NUL"),
]


@pytest.mark.parametrize(("fields", "field", "message"), BAD_FIELDS)
def test_bad_adaptations_are_refused_and_change_nothing(
    cast: Cast, capture_events: Any, fields: dict[str, Any], field: str, message: str
) -> None:
    before = Activity.objects.count()
    with capture_events() as events, pytest.raises(Invalid) as caught:
        adapt(cast, **fields)
    assert message in caught.value.errors[field]
    assert Activity.objects.count() == before and events == []


@pytest.mark.parametrize(("fields", "field", "message"), BAD_FIELDS)
def test_bad_edits_are_refused_and_change_nothing(
    cast: Cast, fields: dict[str, Any], field: str, message: str
) -> None:
    activity = adapt(cast)
    fields = {"note": "still here", **fields}
    with pytest.raises(Invalid) as caught:
        services.update_activity(cast.member, activity, **fields)
    assert message in caught.value.errors[field]
    fresh = Activity.objects.get(pk=activity.pk)
    assert [getattr(fresh, n) for n in services.EDITABLE] == [
        getattr(activity, n) for n in services.EDITABLE
    ]
    assert fresh.adaptation_note == "Tuned for our group."


def test_page_shows_the_error_and_keeps_the_input(cast: Cast) -> None:
    response = cast.client("member").post(
        "/activities/draw-what-i-say/adapt/",
        adapt_form(cast.org_community.slug, max_group="1", note=""),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Say what you changed and why" in page
    assert not Activity.objects.filter(community__isnull=False).exists()
    response = cast.client("member").post(
        "/activities/draw-what-i-say/adapt/", adapt_form(cast.org_community.slug, max_group="1")
    )
    assert "must be at least the smallest (2)" in response.content.decode()
    assert "Draw the Graph I Say" in response.content.decode()


# --- API -----------------------------------------------------------------------------------------


def test_api_lists_the_library_with_filters(cast: Cast) -> None:
    client = api_client(cast.member)
    data = client.get(f"{API}/activities?purpose=trust&setting=virtual&page_size=3").json()
    assert set(data) == {"items", "count", "page", "page_size"}
    assert data["count"] == Activity.objects.filter(purpose="trust", virtual=True).count()
    assert len(data["items"]) == 3
    assert all(i["purpose"] == "trust" and i["virtual"] for i in data["items"])
    data = client.get(f"{API}/activities?q=stapler&max_duration=15").json()
    assert [i["slug"] for i in data["items"]] == ["desk-tour"]
    bad = client.get(f"{API}/activities?purpose=fun&max_duration=0")
    assert bad.status_code == 422 and {"purpose", "max_duration"} <= set(bad.json()["errors"])


def test_api_list_queries_do_not_grow(cast: Cast, django_assert_max_num_queries: Any) -> None:
    client = api_client(cast.member)
    for slug in ("draw-what-i-say", "one-word-story", "desk-tour"):
        adapt(cast, source=library_row(slug))
    with django_assert_max_num_queries(8):
        assert len(client.get(f"{API}/activities?page_size=100").json()["items"]) == len(LIBRARY)
    with django_assert_max_num_queries(8):
        client.get(f"{API}/communities/{cast.org_community.slug}/activities")


def test_api_adapts_by_slug_id_or_community_path(cast: Cast, capture_events: Any) -> None:
    client = api_client(cast.member)
    path = f"/communities/{cast.org_community.slug}/activities"
    with capture_events() as events:
        response = post_json(client, path, {"source": "the-iceberg", "note": "Ours now."})
    assert response.status_code == 201, response.content
    first = response.json()
    assert first["adapted_from"]["slug"] == "the-iceberg"
    assert first["adapted_from"]["community"] is None
    assert first["steps"] == list(library_row("the-iceberg").steps)  # omitted: copied
    assert [e.name for e in events] == ["activities.adapted"]
    by_id = post_json(
        client, path, {"source": str(first["id"]), "note": "Again.", "title": "Iceberg II"}
    )
    assert by_id.json()["adapted_from"]["id"] == first["id"]
    by_path = post_json(
        client,
        f"/communities/{cast.public_community.slug}/activities",
        {"source": f"{cast.org_community.slug}/{first['slug']}", "note": "Shared."},
    )
    assert by_path.status_code == 201
    assert by_path.json()["adapted_from"]["community"] == cast.org_community.slug
    detail = client.get(f"{API}/activities/the-iceberg").json()
    assert {a["id"] for a in detail["adaptations"]} == {first["id"]}


def test_api_refuses_bad_input_and_changes_nothing(cast: Cast) -> None:
    client = api_client(cast.member)
    path = f"/communities/{cast.org_community.slug}/activities"
    before = Activity.objects.count()
    cases = [
        ({"source": "the-iceberg", "note": "n", "steps": []}, "steps"),
        ({"source": "the-iceberg", "note": ""}, "note"),
        ({"source": "no-such-activity", "note": "n"}, "source"),
        ({"source": "99999999999999999999999", "note": "n"}, "source"),
        ({"source": "private-math/anything", "note": "n"}, "source"),
        ({"source": "the-iceberg", "note": "n", "duration_minutes": 10**12}, "duration_minutes"),
        ({"source": "the-iceberg", "note": "n", "in_person": False, "virtual": False}, "setting"),
    ]
    for payload, field in cases:
        response = post_json(client, path, payload)
        assert response.status_code == 422, (payload, response.content)
        assert field in response.json()["errors"], (payload, response.json())
    assert Activity.objects.count() == before


def test_api_source_hidden_in_a_private_community_looks_missing(cast: Cast) -> None:
    hidden = adapt(cast, community=cast.private_community)
    # Not a member of the target: 403 before the source is even looked at.
    response = post_json(
        api_client(cast.outsider),
        f"/communities/{cast.public_community.slug}/activities",
        {"source": str(hidden.pk), "note": "n"},
    )
    assert response.status_code == 403
    Membership.objects.create(community=cast.public_community, user=cast.outsider, role=Role.MEMBER)
    for source in (str(hidden.pk), f"{cast.private_community.slug}/{hidden.slug}"):
        response = post_json(
            api_client(cast.outsider),
            f"/communities/{cast.public_community.slug}/activities",
            {"source": source, "note": "n"},
        )
        assert response.status_code == 422
        assert response.json()["errors"]["source"] == (
            "No activity you can see has that id or slug."
        )


def test_api_put_replaces_the_fields(cast: Cast, capture_events: Any) -> None:
    activity = adapt(cast)
    client = api_client(cast.member)
    path = f"/communities/{cast.org_community.slug}/activities/{activity.slug}"
    payload = {
        "title": "Sketch It",
        "purpose": "camaraderie",
        "summary": "Short.",
        "duration_minutes": 7,
        "min_group": 2,
        "max_group": 6,
        "in_person": True,
        "virtual": False,
        "steps": ["Pair up.", "Sketch."],
        "note": "Faster.",
    }
    with capture_events() as events:
        response = post_json(client, path, payload, method="put")
    assert response.status_code == 200, response.content
    data = response.json()
    assert (
        data["title"] == "Sketch It" and data["materials"] == "" and data["slug"] == activity.slug
    )
    assert data["adapted_from"]["slug"] == "draw-what-i-say"
    assert [e.name for e in events] == ["activities.updated"]
    bad = post_json(client, path, {**payload, "steps": ["ok", "x" * 600]}, method="put")
    assert bad.status_code == 422 and "Step 2" in bad.json()["errors"]["steps"]
    assert Activity.objects.get(pk=activity.pk).steps == ["Pair up.", "Sketch."]
    incomplete = post_json(client, path, {"title": "Only this"}, method="put")
    assert incomplete.status_code == 422


def test_openapi_documents_the_activity_endpoints(db: None) -> None:
    schema = Client().get(f"{API}/openapi.json").json()
    operations = {
        (method.upper(), path.removeprefix(API))
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if "activities" in operation["tags"]
    }
    assert operations == {
        ("GET", "/activities"),
        ("GET", "/activities/{slug}"),
        ("GET", "/communities/{slug}/activities"),
        ("POST", "/communities/{slug}/activities"),
        ("GET", "/communities/{slug}/activities/{activity_slug}"),
        ("PUT", "/communities/{slug}/activities/{activity_slug}"),
    }
    assert schema["components"]["schemas"]["Purpose"]["enum"] == list(Purpose.values)


# --- Demo ----------------------------------------------------------------------------------------


def test_demo_adaptations_load_on_top_of_the_demo(db: None) -> None:
    from practica.demo import load_demo
    from practica.practice.activities.demo import load_demo_activities

    load_demo()
    load_demo_activities()
    adapted = Activity.objects.filter(community__isnull=False).select_related(
        "community", "adapted_from"
    )
    assert {(a.community.slug, a.adapted_from.slug) for a in adapted} == {  # type: ignore[union-attr]
        ("secondary-math", "alphabet-of-our-work"),
        ("site-leaders-circle", "my-favorite-failure"),
    }
    assert all(a.adaptation_note and a.created_by for a in adapted)
    load_demo_activities()  # a second run adds nothing
    assert Activity.objects.filter(community__isnull=False).count() == 2
