"""The trust pulse: a few statements about psychological safety, answered anonymously on a
7-point scale, on a cadence (default every 6 weeks) or on demand.

No answer is ever stored: a response adds one to the histogram bin of each statement it rated
(inside a row lock), and a receipt (an HMAC) stops a second response. Results — team-level
means per statement and overall, with the spread — exist only for a closed pulse with at least
``k`` respondents (default 5). Reverse-worded statements are flipped (8 - v) before averaging,
so higher always means more trust.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from practica.accounts.models import User
from practica.communities import access
from practica.communities.models import Community, Membership
from practica.lib.errors import Conflict, Forbidden, Invalid
from practica.notifications.services import notify
from practica.practice.feedback import anonymity
from practica.practice.feedback.models import (
    SCALE_POINTS,
    STATEMENT_MAX,
    Pulse,
    Receipt,
    TrustSettings,
)

__all__ = ["TrustSettings"]
from practica.realtime.bus import emit
from practica.scheduling.services import schedule

PURPOSE = "pulse"
JOB_OPEN = "trust.open"
JOB_CLOSE = "trust.close"
MIN_STATEMENTS, MAX_STATEMENTS = 3, 9

# Our own wording; communities edit them. "reverse": agreeing signals *less* trust.
DEFAULT_STATEMENTS: list[dict[str, Any]] = [
    {"text": "When I get something wrong here, it isn't held against me.", "reverse": False},
    {"text": "We can raise difficult problems and disagreements openly.", "reverse": False},
    {
        "text": "Ideas that differ from the group's usual thinking tend to get brushed aside.",
        "reverse": True,
    },
    {
        "text": "I can try something new in my practice and share how it went, even if it flopped.",
        "reverse": False,
    },
    {"text": "Asking someone in this community for help feels awkward.", "reverse": True},
    {"text": "What I'm good at is recognized and put to use here.", "reverse": False},
]


def settings_for(community: Community) -> TrustSettings:
    found, _ = TrustSettings.objects.get_or_create(
        community=community, defaults={"statements": DEFAULT_STATEMENTS}
    )
    return found


def update_settings(
    actor: User,
    community: Community,
    *,
    statements: list[dict[str, Any]],
    cadence_days: int,
    k: int,
) -> TrustSettings:
    """Stewards edit the statements, cadence (14-365 days) and threshold (3-20). Changes apply
    to the next pulse; a running pulse keeps the statements it opened with."""
    access.require(access.can_steward(actor, community), "Only stewards change the trust pulse.")
    errors: dict[str, str] = {}
    cleaned: list[dict[str, Any]] = []
    for s in statements:
        text = str(s.get("text", "")).strip()
        if text:
            cleaned.append({"text": text, "reverse": bool(s.get("reverse"))})
    if not MIN_STATEMENTS <= len(cleaned) <= MAX_STATEMENTS:
        errors["statements"] = f"Use between {MIN_STATEMENTS} and {MAX_STATEMENTS} statements."
    elif any(len(s["text"]) > STATEMENT_MAX or "\x00" in s["text"] for s in cleaned):
        errors["statements"] = f"Keep each statement under {STATEMENT_MAX} characters."
    if not 14 <= cadence_days <= 365:
        errors["cadence_days"] = "Run the pulse every 14 to 365 days."
    if not 3 <= k <= 20:
        errors["k"] = "Show results only when at least 3 (and at most 20) people answered."
    if errors:
        raise Invalid(errors)
    with transaction.atomic():
        found = settings_for(community)
        found.statements, found.cadence_days, found.k = cleaned, cadence_days, k
        found.save()
        emit("trust.settings_updated", community_id=community.pk, actor_id=actor.pk)
    return found


def open_pulse(community: Community, *, actor: User | None = None) -> Pulse:
    """Open a pulse now (a steward on demand, or the cadence job) and tell the members."""
    if actor is not None:
        access.require(access.can_steward(actor, community), "Only stewards open a trust pulse.")
    config = settings_for(community)
    now = timezone.now()
    with transaction.atomic():
        if Pulse.objects.filter(community=community, closed=False).exists():
            raise Conflict("A trust pulse is already open.", code="pulse_open")
        pulse = Pulse.objects.create(
            community=community,
            statements=config.statements,
            opened_at=now,
            closes_at=now + timedelta(days=config.open_days),
            k=config.k,
            histogram=[[0] * SCALE_POINTS for _ in config.statements],
        )
        schedule(JOB_CLOSE, f"{JOB_CLOSE}:{pulse.pk}", pulse.closes_at, pulse_id=pulse.pk)
        from django.urls import reverse

        url = reverse("feedback:trust", args=[community.slug])
        for m in Membership.objects.filter(community=community).select_related("user"):
            notify(
                m.user,
                kind="trust_pulse",
                url=url,
                message=f"{community.name}: the trust pulse is open (2 minutes, anonymous).",
            )
        emit("trust.pulse_opened", community_id=community.pk, pulse_id=pulse.pk)
    return pulse


def cadence_job(community_id: int) -> None:
    """Due every ``cadence_days``: open a pulse unless one is open; schedule the next."""
    community = Community.objects.filter(pk=community_id).first()
    if community is None:
        return
    config = settings_for(community)
    if not Pulse.objects.filter(community=community, closed=False).exists():
        open_pulse(community)
    due = timezone.now() + timedelta(days=config.cadence_days)
    schedule(JOB_OPEN, f"{JOB_OPEN}:{community.pk}", due, community_id=community.pk)


def current_pulse(community: Community) -> Pulse | None:
    return Pulse.objects.filter(community=community, closed=False).first()


def has_answered(pulse: Pulse, user: User) -> bool:
    digest = anonymity.receipt_digest(PURPOSE, pulse.pk, user.pk)
    return Receipt.objects.filter(purpose=PURPOSE, digest=digest).exists()


def respond(user: User, community: Community, values: dict[int, int]) -> None:
    """Add ``user``'s answers (statement index -> 1..7; skipping some is fine) to the open
    pulse's histogram. Members only, once per pulse."""
    access.require(access.is_member(user, community), "Only members answer the trust pulse.")
    with transaction.atomic():
        pulse = Pulse.objects.select_for_update().filter(community=community, closed=False).first()
        if pulse is None or pulse.closes_at <= timezone.now():
            raise Conflict("There is no open trust pulse.", code="no_pulse")
        if not values or any(
            not (0 <= i < len(pulse.statements)) or not (1 <= v <= SCALE_POINTS)
            for i, v in values.items()
        ):
            raise Invalid({"values": f"Answer each statement from 1 to {SCALE_POINTS}."})
        try:
            with transaction.atomic():
                Receipt.objects.create(
                    purpose=PURPOSE, digest=anonymity.receipt_digest(PURPOSE, pulse.pk, user.pk)
                )
        except IntegrityError:
            raise Conflict(
                "You have already answered this pulse.", code="already_answered"
            ) from None
        histogram = [list(row) for row in pulse.histogram]
        for i, v in values.items():
            histogram[i][v - 1] += 1
        pulse.histogram = histogram
        pulse.respondents += 1
        pulse.save(update_fields=["histogram", "respondents"])


def close_job(pulse_id: int) -> None:
    """Due at the pulse's end (idempotent). Schedules the next pulse on the cadence."""
    with transaction.atomic():
        pulse = Pulse.objects.select_for_update().filter(pk=pulse_id, closed=False).first()
        if pulse is None:
            return
        pulse.closed = True
        pulse.save(update_fields=["closed"])
        emit(
            "trust.pulse_closed",
            community_id=pulse.community_id,
            pulse_id=pulse.pk,
            released=pulse.released,
        )
        config = settings_for(pulse.community)
        due = pulse.opened_at + timedelta(days=config.cadence_days)
        key = f"{JOB_OPEN}:{pulse.community_id}"
        schedule(JOB_OPEN, key, max(due, timezone.now()), community_id=pulse.community_id)


def close_now(actor: User, pulse: Pulse) -> None:
    access.require(access.can_steward(actor, pulse.community), "Only stewards close a pulse.")
    close_job(pulse.pk)


@dataclass(frozen=True)
class StatementResult:
    text: str
    reverse: bool
    mean: float  # on the trust direction (reverse-worded flipped), 1..7
    spread: float  # standard deviation
    answers: int


@dataclass(frozen=True)
class PulseResult:
    pulse: Pulse
    overall: float
    spread: float
    statements: list[StatementResult]


def _stats(counts: list[int]) -> tuple[float, float, int]:
    n = sum(counts)
    if not n:
        return 0.0, 0.0, 0
    mean = sum((v + 1) * c for v, c in enumerate(counts)) / n
    var = sum(c * ((v + 1) - mean) ** 2 for v, c in enumerate(counts)) / n
    return mean, math.sqrt(var), n


def result(pulse: Pulse) -> PulseResult | None:
    """Team-level results, or None unless the pulse closed with at least ``k`` respondents."""
    if not pulse.released:
        return None
    rows = []
    combined = [0] * SCALE_POINTS
    for statement, counts in zip(pulse.statements, pulse.histogram, strict=True):
        oriented = list(reversed(counts)) if statement["reverse"] else list(counts)
        mean, spread, n = _stats(oriented)
        rows.append(StatementResult(statement["text"], statement["reverse"], mean, spread, n))
        combined = [a + b for a, b in zip(combined, oriented, strict=True)]
    overall, spread, _ = _stats(combined)
    return PulseResult(pulse, overall, spread, rows)


def released_pulses(community: Community, limit: int = 24) -> list[Pulse]:
    """Closed pulses with enough answers, oldest first (the trend)."""
    found = Pulse.objects.filter(community=community, closed=True).order_by("-opened_at")[:limit]
    return [p for p in reversed(list(found)) if p.released]


def member_can_answer(user: User | Any, community: Community, pulse: Pulse | None) -> bool:
    if pulse is None or not user.is_authenticated or not access.is_member(user, community):
        return False
    return not has_answered(pulse, user)


def require_member(user: User | Any, community: Community) -> None:
    if not access.is_member(user, community):
        raise Forbidden("Only members see the trust pulse.")
