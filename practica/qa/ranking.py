"""The educational-value score: a Bayesian average that small samples cannot game.

    score = (C * prior + sum of ratings) / (C + number of ratings)

``C`` pseudo-ratings at the community's prior are mixed with the real ratings, so an answer
needs several ratings before its score moves far from the prior. The prior is the community's
mean rating, itself shrunk toward the scale's midpoint with ``P`` pseudo-ratings so that a
young community's first few ratings don't set it alone:

    prior = (P * MIDPOINT + community rating sum) / (P + community rating count),
            then clamped to [PRIOR_MIN, PRIOR_MAX] = [2, 4]

The clamp keeps the promise that one 5-star rating never outranks forty ratings averaging 4.6
in *every* community: with C = 5 that holds for any prior below 4.5, and a community that
rates almost everything 5 would otherwise let barely-rated answers float to the top.

Worked example (docs/qa.md): with a prior of 4.0, one 5-star rating scores (5*4 + 5)/6 = 4.17,
while forty ratings averaging 4.6 score (5*4 + 184)/45 = 4.53.

Every function here is pure (no queries); services store the result on write.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import F, FloatField, Value
from django.db.models.expressions import CombinedExpression, ExpressionWrapper
from django.db.models.functions import Cast

C = 5  # pseudo-ratings at the prior, per answer
P = 10  # pseudo-ratings at the midpoint, for the community's prior
MIDPOINT = 3.0
PRIOR_MIN, PRIOR_MAX = 2.0, 4.0
LOWEST, HIGHEST = 1, 5


def community_prior(rating_sum: int, rating_count: int) -> float:
    """The community's mean rating, shrunk toward the midpoint (3.0 with no ratings) and
    clamped to [2, 4]."""
    shrunk = (P * MIDPOINT + rating_sum) / (P + rating_count)
    return min(PRIOR_MAX, max(PRIOR_MIN, shrunk))


def score(rating_sum: int, rating_count: int, prior: float) -> float:
    """The Bayesian average of ``rating_count`` ratings summing to ``rating_sum``; equals
    ``prior`` with no ratings. Bounded by the lowest and highest of the ratings and the prior."""
    return (C * prior + rating_sum) / (C + rating_count)


def score_of(ratings: Iterable[int], prior: float) -> float:
    """``score`` of a list of ratings (for tests and documentation)."""
    values = list(ratings)
    return score(sum(values), len(values), prior)


def score_expression(prior: float) -> CombinedExpression | ExpressionWrapper:
    """``score`` as a database expression over an Answer's ``ev_sum``/``ev_count`` (one UPDATE
    refreshes many answers; the casts avoid integer division on SQLite and PostgreSQL)."""
    numerator = Value(C * prior, output_field=FloatField()) + Cast(F("ev_sum"), FloatField())
    denominator = Value(float(C), output_field=FloatField()) + Cast(F("ev_count"), FloatField())
    return ExpressionWrapper(numerator / denominator, output_field=FloatField())
