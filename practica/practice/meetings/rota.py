"""The rota: who opens and who facilitates the next meetings. Pure functions, no database.

The rule, per role (opener, facilitator), applied meeting by meeting in date order:

1. **Fair.** The turn goes to the available member with the *fewest turns so far*; ties go to
   the earliest in the rota order. So nobody gets a second turn before every available member
   has had one, and each round follows the rota order.
2. **Absences.** A member marked absent for a meeting is not available for it. Their count
   does not move, so they take the very next meeting they can attend: skipped, not demoted.
   Only when *everyone* still waiting in a round is absent does someone take a turn early
   (the turn then counts as theirs in the next round, so it evens out).
3. **Swaps.** An agreed swap (two turns of the same round) *pins* the two meetings: ``b``
   opens ``a``'s meeting and ``a`` opens ``b``'s. A member whose turn of the current round is
   pinned to a later meeting is not picked before it (that turn is already placed). A swap
   never lets anyone jump ahead of a member with fewer turns: when absences have moved the
   rounds so that it would (or a swapped member is the only one who can take an earlier
   meeting), the swap cannot hold. A pin that can no longer hold (the member left the rota,
   or marked themselves absent for that meeting) voids the whole swap, and the plan is made
   again without it.
4. **Facilitators** follow the same rule with their own counts; the meeting's opener does not
   also facilitate it unless nobody else is available.

``turns`` holds each member's past turns (plus the offset that puts a newcomer level with the
group), so planning again after a meeting has happened yields the same future.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Slot:
    """One upcoming meeting: its key (the occurrence id) and who will not be there."""

    key: int
    absent: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Pin:
    """Half of an agreed swap: ``member`` takes the turn at slot ``slot``; ``number`` is the
    round the swap was made in (which of their turns it is)."""

    slot: int
    member: int
    swap: int
    number: int = 0


@dataclass(frozen=True)
class Turn:
    """Who holds a slot's turn (None when nobody can), and which of their turns it is
    (0 = their first): turns with the same number form a *round*."""

    member: int | None
    number: int | None = None
    pinned: bool = False


@dataclass(frozen=True)
class Plan:
    openers: list[Turn]
    facilitators: list[Turn]
    void_swaps: frozenset[int] = field(default_factory=frozenset)


def plan_role(
    order: Sequence[int],
    turns: Mapping[int, int],
    slots: Sequence[Slot],
    pins: Sequence[Pin] = (),
    *,
    avoid: Sequence[int | None] | None = None,
) -> tuple[list[Turn], frozenset[int]]:
    """Assign one role to every slot. ``avoid[i]`` is a member who should not take slot ``i``
    if anyone else can (the opener, when planning facilitators). Returns the turns and the ids
    of swaps whose pins could not hold (they are left out of the plan)."""
    void: set[int] = set()
    while True:
        result, broken = _plan_once(
            order, turns, slots, [p for p in pins if p.swap not in void], avoid
        )
        if broken is None:
            return result, frozenset(void)
        void.add(broken)


def _plan_once(
    order: Sequence[int],
    turns: Mapping[int, int],
    slots: Sequence[Slot],
    pins: Sequence[Pin],
    avoid: Sequence[int | None] | None,
) -> tuple[list[Turn], int | None]:
    members = list(dict.fromkeys(order))
    rank = {m: i for i, m in enumerate(members)}
    floor = min((turns.get(m, 0) for m in members), default=0)
    counts = {m: turns.get(m, floor) for m in members}
    index = {slot.key: i for i, slot in enumerate(slots)}
    pinned: dict[int, Pin] = {}
    for pin in pins:  # later pins (newer swaps) override earlier ones on the same slot
        if pin.slot in index:
            pinned[index[pin.slot]] = pin
    # Members' pinned turns: (slot index, round, swap). Until then, that round's turn is placed.
    placed: dict[int, list[tuple[int, int, int]]] = {}
    for i, pin in sorted(pinned.items()):
        placed.setdefault(pin.member, []).append((i, pin.number, pin.swap))

    def reservation(member: int, i: int) -> int | None:
        """The swap that placed ``member``'s current-round turn after meeting ``i``, if any."""
        for j, number, swap in placed.get(member, ()):
            if j > i and counts[member] >= number:
                return swap
        return None

    result: list[Turn] = []
    for i, slot in enumerate(slots):
        avoided = avoid[i] if avoid is not None else None
        fixed = pinned.get(i)
        if fixed is not None:
            if fixed.member not in rank or fixed.member in slot.absent or fixed.member == avoided:
                return result, fixed.swap
            behind = [
                counts[m]
                for m in members
                if m != fixed.member and m not in slot.absent and reservation(m, i) is None
            ]
            if behind and min(behind) < counts[fixed.member]:
                # Someone has had fewer turns (an absence moved the rounds): no jumping ahead.
                return result, fixed.swap
            result.append(Turn(fixed.member, counts[fixed.member], pinned=True))
            counts[fixed.member] += 1
            continue
        available = [m for m in members if m not in slot.absent]
        free = [m for m in available if reservation(m, i) is None]
        candidates = [m for m in free if m != avoided] or free or available
        if not candidates:
            result.append(Turn(None))
            continue
        chosen = min(candidates, key=lambda m: (counts[m], rank[m]))
        broken = reservation(chosen, i)
        if broken is not None:
            # Only they can take this meeting, so their swapped turn later would be a second
            # one in the round: the swap cannot hold.
            return result, broken
        result.append(Turn(chosen, counts[chosen]))
        counts[chosen] += 1
    return result, None


def plan(
    order: Sequence[int],
    opener_turns: Mapping[int, int],
    facilitator_turns: Mapping[int, int],
    slots: Sequence[Slot],
    opener_pins: Sequence[Pin] = (),
    facilitator_pins: Sequence[Pin] = (),
) -> Plan:
    """Openers first; then facilitators, avoiding each meeting's opener."""
    openers, void_openers = plan_role(order, opener_turns, slots, opener_pins)
    avoid = [turn.member for turn in openers]
    facilitators, void_facilitators = plan_role(
        order, facilitator_turns, slots, facilitator_pins, avoid=avoid
    )
    return Plan(openers, facilitators, void_openers | void_facilitators)
