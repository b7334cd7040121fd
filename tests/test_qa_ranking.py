"""Properties of the educational-value score (practica.qa.ranking), checked with hypothesis."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from practica.qa import ranking

ratings = st.lists(st.integers(min_value=1, max_value=5), max_size=60)
priors = st.floats(min_value=1.0, max_value=5.0, allow_nan=False)


@given(ratings, priors)
def test_bounded_between_1_and_5(values: list[int], prior: float) -> None:
    assert 1.0 <= ranking.score_of(values, prior) <= 5.0


@given(ratings.filter(bool), priors, st.data())
def test_monotone_in_each_rating(values: list[int], prior: float, data: st.DataObject) -> None:
    i = data.draw(st.integers(min_value=0, max_value=len(values) - 1))
    if values[i] == 5:
        return
    raised = [*values[:i], values[i] + 1, *values[i + 1 :]]
    assert ranking.score_of(raised, prior) > ranking.score_of(values, prior)


@given(ratings, priors, st.randoms())
def test_order_stable(values: list[int], prior: float, rnd: object) -> None:
    shuffled = list(values)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    assert ranking.score_of(shuffled, prior) == pytest.approx(ranking.score_of(values, prior))


@given(priors)
def test_no_ratings_is_the_prior(prior: float) -> None:
    assert ranking.score_of([], prior) == pytest.approx(prior)


@given(st.integers(min_value=0, max_value=100_000), st.integers(min_value=0, max_value=20_000))
def test_community_prior_is_bounded(extra: int, count: int) -> None:
    total = min(count * 5, count + extra)  # a feasible sum of ``count`` ratings
    assert 1.0 <= ranking.community_prior(total, count) <= 5.0


@given(st.integers(min_value=0, max_value=1_000_000), st.integers(min_value=0, max_value=200_000))
def test_one_five_star_never_outranks_forty_ratings_averaging_4_6(extra: int, count: int) -> None:
    """Whatever the community's ratings (hence its prior), the promise holds."""
    prior = ranking.community_prior(min(count * 5, count + extra), count)
    forty = [5] * 24 + [4] * 16  # mean 4.6
    assert sum(forty) / len(forty) == pytest.approx(4.6)
    assert ranking.score_of(forty, prior) > ranking.score_of([5], prior)


def test_a_community_rating_everything_5_has_a_clamped_prior() -> None:
    assert ranking.community_prior(5 * 10_000, 10_000) == ranking.PRIOR_MAX
    assert ranking.community_prior(10_000, 10_000) == ranking.PRIOR_MIN


def test_worked_example_in_the_docs() -> None:
    assert ranking.score_of([5], 4.0) == pytest.approx(25 / 6)
    assert ranking.score_of([5] * 24 + [4] * 16, 4.0) == pytest.approx(204 / 45)
    assert ranking.community_prior(0, 0) == ranking.MIDPOINT
