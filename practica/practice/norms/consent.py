"""The consent rule as plain arithmetic (no database), so it can be stated, read and tested once.

A proposal is decided by *consent*, not majority:

- A response *counts toward* the latest version when it agrees or stands aside (on any version:
  revising does not undo an agreement) or objects to the latest version.
- An objection to the latest version *stands* and blocks adoption; it ends only when the
  proposer revises (a new version) or the objector withdraws it.
- Someone whose objection was to an earlier version is *awaiting the revision*: they do not
  count and do not block, but early adoption waits for them (see :attr:`Tally.adoptable_now`),
  so a revision can never be used to adopt past the people who objected.
- The *quorum* is ``ceil(members × percent / 100)`` current members (at least one).

See docs/decisions/0004-norms-by-consent.md for why.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

AGREE, STAND_ASIDE, OBJECT = "agree", "stand_aside", "object"


def quorum_needed(members: int, percent: int) -> int:
    """How many current members must have responded: ``ceil(members × percent / 100)``, ≥ 1."""
    return max(1, -(-members * percent // 100))


@dataclass(frozen=True)
class Tally:
    """Counts for one proposal, over *current* members only."""

    members: int
    quorum_percent: int
    agree: int = 0
    stand_aside: int = 0
    objections: int = 0  # standing: objections to the latest version
    awaiting_revision: int = 0  # objected to an earlier version, not yet responded again

    @property
    def responded(self) -> int:
        return self.agree + self.stand_aside + self.objections

    @property
    def needed(self) -> int:
        return quorum_needed(self.members, self.quorum_percent)

    @property
    def quorum_met(self) -> bool:
        return self.responded >= self.needed

    @property
    def consent(self) -> bool:
        """Quorum and no standing objection: the proposal is adopted if this holds at close."""
        return self.quorum_met and self.objections == 0

    @property
    def adoptable_now(self) -> bool:
        """Consent, and nobody is still to look at a revision made after their objection: the
        proposal is adopted the moment this first holds."""
        return self.consent and self.awaiting_revision == 0


def tally(
    rows: Iterable[tuple[str, int]], *, members: int, quorum_percent: int, current_version: int
) -> Tally:
    """The tally of ``rows`` — ``(stance, version responded to)`` of current members only."""
    counts = {AGREE: 0, STAND_ASIDE: 0, OBJECT: 0}
    awaiting = 0
    for stance, version in rows:
        if stance == OBJECT and version != current_version:
            awaiting += 1
        else:
            counts[stance] += 1
    return Tally(
        members=members,
        quorum_percent=quorum_percent,
        agree=counts[AGREE],
        stand_aside=counts[STAND_ASIDE],
        objections=counts[OBJECT],
        awaiting_revision=awaiting,
    )
