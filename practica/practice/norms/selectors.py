"""Reads for norms. Callers fetch the community through the gate first
(``access.get_community_for``); everything here is scoped to that community.

Anonymity: nothing returned here pairs a person with an unsigned response. Reasons come back as
:class:`Reason` (a name only when the responder signed), tallies as counts, and "who has not
responded" only lists people with no response at all (see :func:`waiting_for`).

The community home page and the meeting agenda call :func:`current_norms` and
:func:`norm_set_version`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from practica.accounts.models import User
from practica.communities.models import Community, Membership
from practica.lib.errors import NotFound
from practica.practice.norms.consent import Tally, tally
from practica.practice.norms.models import (
    Comment,
    Norm,
    NormSettings,
    NormSetVersion,
    Nudge,
    NudgeKind,
    Proposal,
    ProposalStatus,
    ProposalVersion,
    Response,
    RevisitChoice,
    RevisitResponse,
    RevisitRound,
    RevisitStatus,
    Stance,
)

# --- The norm set (public contract: the community home and the meeting agenda use these) -------


def current_norms(community: Community) -> list[Norm]:
    """The adopted, not retired norms of ``community``, in their order (one query)."""
    return list(
        Norm.objects.filter(community=community, retired_at__isnull=True)
        .select_related("proposed_by")
        .order_by("position", "id")
    )


def norm_set_version(community: Community) -> NormSetVersion | None:
    """The latest version of the norm set (``.number``, ``.adopted_at``), or None before the
    first adoption."""
    return (
        NormSetVersion.objects.filter(community=community)
        .select_related("proposed_by")
        .order_by("-number")
        .first()
    )


def open_revisit(community: Community) -> RevisitRound | None:
    """The revisit round open now, if any."""
    return RevisitRound.objects.filter(community=community, status=RevisitStatus.OPEN).first()


def settings_for(community: Community) -> NormSettings:
    """The community's norm settings, or the defaults (unsaved) before anyone changed them:
    reads never write."""
    found = NormSettings.objects.filter(community=community).first()
    return found if found is not None else NormSettings(community=community)


def set_versions(community: Community) -> QuerySet[NormSetVersion]:
    """Every version of the norm set, newest first."""
    return NormSetVersion.objects.filter(community=community).select_related("proposed_by")


# --- Proposals ----------------------------------------------------------------------------------


def member_ids(community_id: int) -> QuerySet[Membership, Any]:
    """The current members' ids as a subquery: only their responses count."""
    return Membership.objects.filter(community_id=community_id).values("user_id")


def member_count(community_id: int) -> int:
    return Membership.objects.filter(community_id=community_id).count()


# Ids come from URLs (any number of digits); past this the database would refuse the query.
DB_INT_MAX = 2**63 - 1


def get_proposal(community: Community, proposal_id: int) -> Proposal:
    """The proposal in ``community``; NotFound for any other id (another community's too)."""
    proposal = (
        Proposal.objects.select_related("proposed_by", "norm", "community__organization")
        .filter(pk=proposal_id, community=community)
        .first()
        if 0 < proposal_id <= DB_INT_MAX
        else None
    )
    if proposal is None:
        raise NotFound("No such proposal.")
    return proposal


def proposals_with_counts(community: Community) -> QuerySet[Proposal]:
    """Proposals annotated with ``responded`` and ``objections`` (current members, latest
    version, as :mod:`consent` counts them) in the page query itself: no query per row."""
    members = Q(responses__user_id__in=member_ids(community.pk))
    latest = Q(responses__version=F("current_version"))
    counted = Q(responses__stance__in=[Stance.AGREE, Stance.STAND_ASIDE]) | latest
    standing = Q(responses__stance=Stance.OBJECT) & latest
    return (
        Proposal.objects.filter(community=community)
        .select_related("proposed_by", "norm")
        .annotate(
            responded=Count("responses", filter=members & counted),
            objections=Count("responses", filter=members & standing),
        )
        .order_by("-created_at", "-id")
    )


def open_proposals(community: Community) -> QuerySet[Proposal]:
    return proposals_with_counts(community).filter(status=ProposalStatus.OPEN)


def open_proposal_count(community: Community) -> int:
    """How many proposals wait for responses (one cheap COUNT, for the community home)."""
    return Proposal.objects.filter(community=community, status=ProposalStatus.OPEN).count()


def tally_for(proposal: Proposal, quorum_percent: int | None = None) -> Tally:
    """Counts for ``proposal`` over current members (three small queries)."""
    rows = Response.objects.filter(
        proposal=proposal, user_id__in=member_ids(proposal.community_id)
    ).values_list("stance", "version")
    if quorum_percent is None:
        quorum_percent = settings_for(proposal.community).quorum_percent
    return tally(
        list(rows),
        members=member_count(proposal.community_id),
        quorum_percent=quorum_percent,
        current_version=proposal.current_version,
    )


@dataclass(frozen=True)
class Reason:
    """A reason given with a response; ``signed_by`` only if the responder chose to sign."""

    text: str
    signed_by: User | None


@dataclass(frozen=True)
class ProposalDetail:
    proposal: Proposal
    tally: Tally
    objections: list[Reason]  # standing: to the latest version
    earlier_objections: list[Reason]  # to an earlier version; waiting for a new response
    stand_asides: list[Reason]  # the ones that came with a reason
    mine: Response | None
    versions: list[ProposalVersion]


def proposal_detail(proposal: Proposal, viewer: User | None) -> ProposalDetail:
    """Everything a proposal page shows, in a fixed number of queries. Reasons are sorted by
    text, never by time, so their order says nothing about who answered when."""
    rows = list(
        Response.objects.filter(
            proposal=proposal, user_id__in=member_ids(proposal.community_id)
        ).select_related("user")
    )
    quorum = settings_for(proposal.community).quorum_percent
    current = proposal.current_version
    result = tally(
        [(r.stance, r.version) for r in rows],
        members=member_count(proposal.community_id),
        quorum_percent=quorum,
        current_version=current,
    )
    objecting = [r for r in rows if r.stance == Stance.OBJECT]
    return ProposalDetail(
        proposal=proposal,
        tally=result,
        objections=_reasons(r for r in objecting if r.version == current),
        earlier_objections=_reasons(r for r in objecting if r.version != current),
        stand_asides=_reasons(r for r in rows if r.stance == Stance.STAND_ASIDE and r.reason),
        mine=next((r for r in rows if viewer is not None and r.user_id == viewer.pk), None),
        versions=list(proposal.versions.select_related("created_by").order_by("number")),
    )


def _reasons(rows: object) -> list[Reason]:
    reasons = [Reason(r.reason, r.user if r.signed else None) for r in rows]  # type: ignore[attr-defined]
    return sorted(reasons, key=lambda r: (r.signed_by is None, r.text.casefold()))


def comments(proposal: Proposal) -> QuerySet[Comment]:
    return (
        Comment.objects.filter(proposal=proposal)
        .select_related("author")
        .order_by("created_at", "id")
    )


def utc_today() -> date:
    """Nudges are counted per UTC day, so two facilitators in different zones share one day."""
    return timezone.now().date()


def waiting_for(proposal: Proposal) -> QuerySet[Membership]:
    """Members who have not responded to ``proposal`` at all, by name.

    Someone whose objection was to an earlier version is *not* listed (they have a response):
    listing them would tell the facilitator exactly who objected."""
    responders = Response.objects.filter(proposal=proposal).values("user_id")
    return (
        Membership.objects.filter(community_id=proposal.community_id)
        .exclude(user_id__in=responders)
        .select_related("user")
        .order_by("user__name", "user__email")
    )


def nudged_today(proposal: Proposal) -> set[int]:
    """Ids of members already nudged about ``proposal`` today (one query)."""
    return set(
        Nudge.objects.filter(
            proposal=proposal, kind=NudgeKind.NUDGE, sent_on=utc_today()
        ).values_list("member_id", flat=True)
    )


# --- Revisit rounds -----------------------------------------------------------------------------


def get_round(community: Community, round_id: int) -> RevisitRound:
    if not 0 < round_id <= DB_INT_MAX:
        raise NotFound("No such revisit round.")
    found = RevisitRound.objects.filter(pk=round_id, community=community).first()
    if found is None:
        raise NotFound("No such revisit round.")
    return found


def get_norm(community: Community, raw: object) -> Norm | None:
    """The community's norm with id ``raw`` (a string from a form or a URL), or None."""
    text = str(raw or "")
    if not text.isdigit() or not 0 < int(text) <= DB_INT_MAX:
        return None
    return Norm.objects.filter(pk=int(text), community=community).first()


def rounds(community: Community) -> QuerySet[RevisitRound]:
    return RevisitRound.objects.filter(community=community).order_by("-opened_at", "-id")


@dataclass(frozen=True)
class RoundNorm:
    norm: Norm
    reaffirmed: int
    changes: int
    mine: RevisitResponse | None


@dataclass(frozen=True)
class RoundDetail:
    round: RevisitRound
    norms: list[RoundNorm]
    members: int
    took_part: int


def round_detail(revisit: RevisitRound, viewer: User | None) -> RoundDetail:
    """Per-norm counts (current members only) and the viewer's own choices; fixed queries."""
    members = member_ids(revisit.community_id)
    counted = RevisitResponse.objects.filter(round=revisit, user_id__in=members)
    counts: dict[tuple[int, str], int] = {
        (row["norm_id"], row["choice"]): row["n"]
        for row in counted.values("norm_id", "choice").annotate(n=Count("id"))
    }
    mine: dict[int, RevisitResponse] = {}
    if viewer is not None and viewer.is_authenticated:
        mine = {r.norm_id: r for r in RevisitResponse.objects.filter(round=revisit, user=viewer)}
    norms = [
        RoundNorm(
            norm=norm,
            reaffirmed=counts.get((norm.pk, RevisitChoice.REAFFIRM), 0),
            changes=counts.get((norm.pk, RevisitChoice.CHANGE), 0),
            mine=mine.get(norm.pk),
        )
        for norm in current_norms(revisit.community)
    ]
    return RoundDetail(
        round=revisit,
        norms=norms,
        members=member_count(revisit.community_id),
        took_part=counted.values("user_id").distinct().count(),
    )


def round_waiting(revisit: RevisitRound) -> QuerySet[Membership]:
    """Members who have said nothing in the round yet (reaffirming is not secret)."""
    spoke = RevisitResponse.objects.filter(round=revisit).values("user_id")
    return (
        Membership.objects.filter(community_id=revisit.community_id)
        .exclude(user_id__in=spoke)
        .select_related("user")
        .order_by("user__name", "user__email")
    )
