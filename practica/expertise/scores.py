"""Earned expertise, read by other features (contract; maintained by the expertise app).

Earned expertise is evidence: educational-value ratings and acceptances of a member's answers
in a tag. It is maintained on write from Q&A events, never computed per view.
"""

from __future__ import annotations

from collections.abc import Iterable


def expertise_by_user(
    community_id: int, user_ids: Iterable[int], tag_ids: Iterable[int]
) -> dict[int, float]:
    """Each given user's earned expertise (>= 0) summed over ``tag_ids`` in the community, in
    one query; users without any evidence are absent (read as 0)."""
    # Filled in by the expertise implementation (issue 3); callers may rely on the signature.
    return {}
