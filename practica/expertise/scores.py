"""Earned expertise, read by other features (contract; maintained by the expertise app).

Earned expertise is evidence: educational-value ratings and acceptances of a member's answers
in a tag. It is maintained on write from Q&A events, never computed per view.

The formula (docs/experts.md), per live answer in a live post carrying the tag::

    evidence(answer) = max(0, mean_rating - 3) * log2(1 + rating_count)
                       + ACCEPT_BONUS   if it is the post's accepted answer

    earned(user, tag) = sum of evidence over the user's answers in posts with that tag

Ratings of 3 ("taught me something, nothing more") and below add nothing and never subtract:
a member is not punished for trying. The log weight makes forty ratings averaging 4.6 outweigh
a single 5. Rows are *recomputed* from the source rows on every event (``recompute``), never
incremented, so replaying, missing or duplicating an event cannot make them drift;
``recompute_all`` (``practica recompute-expertise``) rebuilds every row the same way.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone

from practica.expertise.models import EarnedExpertise
from practica.qa.models import Answer, Post

NEUTRAL_RATING = 3
ACCEPT_BONUS = 1.5
PRECISION = 6  # stored scores are rounded, so the live and rebuilt values compare equal

PostTag = Post.tags.through


def expertise_by_user(
    community_id: int, user_ids: Iterable[int], tag_ids: Iterable[int]
) -> dict[int, float]:
    """Each given user's earned expertise (>= 0) summed over ``tag_ids`` in the community, in
    one query; users without any evidence are absent (read as 0)."""
    users, tags = list(user_ids), list(tag_ids)
    if not users or not tags:
        return {}
    rows = (
        EarnedExpertise.objects.filter(
            community_id=community_id, user_id__in=users, tag_id__in=tags
        )
        .values("user_id")
        .annotate(total=Sum("score"))
        .values_list("user_id", "total")
    )
    return {user_id: round(float(total), PRECISION) for user_id, total in rows}


def answer_evidence(rating_sum: int, rating_count: int, accepted: bool) -> float:
    """One answer's evidence (see the module docstring); >= 0."""
    teaching = 0.0
    if rating_count:
        mean = rating_sum / rating_count
        teaching = max(0.0, mean - NEUTRAL_RATING) * math.log2(1 + rating_count)
    return teaching + (ACCEPT_BONUS if accepted else 0.0)


@dataclass
class _Tally:
    score: float = 0.0
    answers: int = 0
    ratings: int = 0
    accepted: int = 0


Key = tuple[int, int]  # (user_id, tag_id)


def _evidence(
    community_id: int, user_ids: list[int] | None, tag_ids: list[int] | None
) -> dict[Key, _Tally]:
    """Evidence per (user, tag) from the source rows, in two queries. ``None`` = no limit."""
    answers = Answer.objects.filter(
        post__community_id=community_id,
        deleted_at__isnull=True,
        post__deleted_at__isnull=True,
        author__isnull=False,
    )
    post_tags = PostTag.objects.filter(
        post__community_id=community_id, post__deleted_at__isnull=True
    )
    if user_ids is not None:
        answers = answers.filter(author_id__in=user_ids)
        post_tags = post_tags.filter(post_id__in=answers.values("post_id"))
    if tag_ids is not None:
        post_tags = post_tags.filter(tag_id__in=tag_ids)
        answers = answers.filter(post_id__in=post_tags.values("post_id"))
    tags_of: dict[int, list[int]] = defaultdict(list)
    for post_id, tag_id in post_tags.values_list("post_id", "tag_id"):
        tags_of[post_id].append(tag_id)
    rows = (
        answers.values("id", "author_id", "post_id", "post__accepted_answer_id")
        .annotate(rating_sum=Sum("ratings__value"), rating_count=Count("ratings__id"))
        .order_by("id")
    )
    tallies: dict[Key, _Tally] = defaultdict(_Tally)
    for row in rows:
        accepted = row["post__accepted_answer_id"] == row["id"]
        evidence = answer_evidence(row["rating_sum"] or 0, row["rating_count"], accepted)
        if evidence <= 0:
            continue
        for tag_id in tags_of.get(row["post_id"], ()):
            tally = tallies[(row["author_id"], tag_id)]
            tally.score += evidence
            tally.answers += 1
            tally.ratings += row["rating_count"]
            tally.accepted += int(accepted)
    return tallies


def recompute(
    community_id: int, user_ids: Iterable[int], tag_ids: Iterable[int] | None = None
) -> None:
    """Make the rows of ``user_ids`` (limited to ``tag_ids`` when given) equal to what the
    source rows say now: upsert those with evidence, delete those without. Idempotent."""
    users = sorted({u for u in user_ids if u is not None})
    if not users:
        return
    tags = sorted(set(tag_ids)) if tag_ids is not None else None
    with transaction.atomic():
        desired = _evidence(community_id, users, tags)
        scope = Q(community_id=community_id, user_id__in=users)
        if tags is not None:
            scope &= Q(tag_id__in=tags)
        _write(community_id, scope, desired)


def recompute_community(community_id: int) -> int:
    """Rebuild every row of one community from the source; returns the number of rows."""
    with transaction.atomic():
        desired = _evidence(community_id, None, None)
        _write(community_id, Q(community_id=community_id), desired)
    return len(desired)


def _write(community_id: int, scope: Q, desired: dict[Key, _Tally]) -> None:
    """Delete the rows in ``scope`` without evidence, then upsert ``desired`` in one batch."""
    now = timezone.now()
    existing = EarnedExpertise.objects.filter(scope).values_list("pk", "user_id", "tag_id")
    doomed = [pk for pk, user_id, tag_id in existing if (user_id, tag_id) not in desired]
    if doomed:
        EarnedExpertise.objects.filter(pk__in=doomed).delete()
    rows = [
        EarnedExpertise(
            community_id=community_id,
            user_id=user_id,
            tag_id=tag_id,
            score=round(t.score, PRECISION),
            answers=t.answers,
            ratings=t.ratings,
            accepted=t.accepted,
            updated_at=now,
        )
        for (user_id, tag_id), t in desired.items()
    ]
    EarnedExpertise.objects.bulk_create(
        rows,
        batch_size=500,
        update_conflicts=True,
        unique_fields=["user", "tag"],
        update_fields=["score", "answers", "ratings", "accepted", "updated_at", "community"],
    )
