"""Properties of the credibility score (docs/resources.md), with hypothesis: bounded, monotone
in ratings, views are not an input, one person's repeated ratings count once, decay with age.
The formula is tested directly, then the same properties end to end through the services."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from practica.lib.testing import Cast
from practica.resources import services
from practica.resources.credibility import Signal, score
from practica.resources.models import Resource

signals = st.builds(
    Signal,
    value=st.one_of(st.none(), st.integers(1, 5)),
    used=st.booleans(),
    expertise=st.floats(0, 1e6, allow_nan=False),
    rated_age_days=st.floats(0, 5000, allow_nan=False),
    used_age_days=st.floats(0, 5000, allow_nan=False),
)


@given(st.lists(signals, max_size=40))
def test_the_score_is_bounded(people: list[Signal]) -> None:
    assert 0.0 <= score(people) <= 100.0


@given(st.lists(signals, min_size=1, max_size=20), st.data())
def test_raising_a_rating_never_lowers_the_score(people: list[Signal], data: Any) -> None:
    i = data.draw(st.integers(0, len(people) - 1))
    low = data.draw(st.integers(1, 5))
    high = data.draw(st.integers(low, 5))
    p = people[i]
    before = Signal(low, p.used, p.expertise, p.rated_age_days, p.used_age_days)
    after = Signal(high, p.used, p.expertise, p.rated_age_days, p.used_age_days)
    rest = people[:i] + people[i + 1 :]
    assert score([*rest, after]) >= score([*rest, before]) - 1e-9


@given(st.lists(signals, max_size=20), st.floats(0, 1e6, allow_nan=False))
def test_a_new_five_never_lowers_and_a_new_one_never_raises(
    people: list[Signal], expertise: float
) -> None:
    base = score(people)
    assert score([*people, Signal(5, False, expertise)]) >= base - 1e-9
    assert score([*people, Signal(1, False, expertise)]) <= base + 1e-9


@given(st.lists(signals, max_size=20), st.integers(1, 5), st.floats(0, 3000, allow_nan=False))
def test_older_signals_count_less(people: list[Signal], value: int, age: float) -> None:
    """A fresh 5 lifts the score at least as much as the same 5 given ``age`` days ago."""
    fresh = score([*people, Signal(5, True, 0.0, 0.0, 0.0)])
    old = score([*people, Signal(5, True, 0.0, age, age)])
    assert fresh >= old - 1e-9


def test_a_neutral_resource_and_the_extremes() -> None:
    assert score([]) == pytest.approx(37.5)  # neutral mean, no evidence of use
    assert score([Signal(5, True, 0.0)]) > score([Signal(5, False, 0.0)]) > score([])
    assert score([Signal(1, False, 0.0)]) < score([])


# --- The same properties through the services (one database per example: few examples) ---------


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.integers(1, 5), min_size=1, max_size=6), st.integers(0, 10))
def test_one_person_cannot_push_a_resource_up(cast: Cast, ratings: list[int], views: int) -> None:
    resource = services.create_resource(
        cast.member, cast.org_community, title="Hypothesis", url="https://example.org/h"
    )
    twin = services.create_resource(
        cast.member, cast.org_community, title="Twin", url="https://example.org/t"
    )
    for value in ratings:
        services.rate(cast.expert, resource, value)
    services.rate(cast.expert, twin, ratings[-1])
    for _ in range(views):
        services.record_view(resource, cast.org_member)
    resource.refresh_from_db()
    twin.refresh_from_db()
    assert resource.rating_count == 1
    assert resource.credibility == pytest.approx(twin.credibility)
    assert resource.view_count == views
    Resource.objects.filter(pk__in=[resource.pk, twin.pk]).delete()
