"""Norms: the norm set and its versions, proposals decided by consent (responses, revisions,
withdrawn objections, discussion, nudges), revisit rounds, and the norm settings.

Every lookup goes through ``access.get_community_for`` (a community the caller may not see is a
404, like one that does not exist; signed out, a 401) and every write through
``practica.practice.norms.services``. Reads answer signed-out clients for public communities,
as the web pages do.

Anonymity: no body here pairs a person with an unsigned response. A proposal carries counts,
the reasons given (``signed_by`` only when the responder signed) and the caller's own response.
"""

from __future__ import annotations

from datetime import date, datetime

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema, Status

from practica.accounts.models import User
from practica.api.auth import AUTH, OPTIONAL_AUTH, OPTIONAL_AUTH_OPENAPI, caller, viewer
from practica.api.pagination import paginate
from practica.api.schemas import ErrorOut, PageOut, PageParams, Text
from practica.communities import access
from practica.communities.models import Community, Membership
from practica.lib.errors import NotFound
from practica.practice.norms import selectors, services
from practica.practice.norms.models import (
    Comment,
    Norm,
    NormChange,
    NormSettings,
    NormSetVersion,
    Proposal,
    ProposalKind,
    ProposalStatus,
    Response,
    RevisitChoice,
    RevisitResponse,
    RevisitRound,
    RevisitStatus,
    Stance,
)

router = Router(tags=["norms"])

ONE = "/communities/{slug:slug}/norms"
PROPOSAL = ONE + "/proposals/{proposal_id}"
ROUND = ONE + "/revisits/{round_id}"
DB_INT_MAX = 2**63 - 1

READ = {200: None, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
WRITE = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


# --- Schemas ------------------------------------------------------------------------------------


class NormPersonOut(Schema):
    id: int
    name: str


class NormOut(Schema):
    id: int
    position: int = Field(..., description="Order in the set (gaps are possible).")
    statement: str
    why: str
    version: int = Field(..., description="1, plus one for each adopted change.")
    proposed_by: NormPersonOut | None = Field(..., description="Who proposed its current text.")
    adopted_at: datetime


class NormPage(PageOut):
    items: list[NormOut]


class SnapshotNormOut(Schema):
    id: int
    statement: str
    why: str


class NormSetVersionOut(Schema):
    number: int
    change: NormChange
    norm_id: int
    statement: str = Field(..., description="The norm's text as adopted, changed or retired.")
    proposal_id: int | None
    proposed_by: NormPersonOut | None
    adopted_at: datetime
    norms: list[SnapshotNormOut] = Field(..., description="The whole set after this version.")


class NormSetVersionPage(PageOut):
    items: list[NormSetVersionOut]


class NormSettingsOut(Schema):
    quorum_percent: int
    revisit_interval_days: int
    next_revisit_on: date | None
    time_zone: str = Field(..., description="The zone dates are read in.")


class NormSettingsIn(Schema):
    quorum_percent: int = Field(..., description="1 to 100.")
    revisit_interval_days: int = Field(..., description="7 to 730.")
    next_revisit_on: date | None = Field(
        None, description="Today or later, in your time zone; required once norms exist."
    )


class NormProposalIn(Schema):
    kind: ProposalKind = ProposalKind.NEW
    norm_id: int | None = Field(
        None, ge=1, le=DB_INT_MAX, description="The norm to change or retire."
    )
    statement: Text = Field("", description="The norm; ignored when retiring.")
    why: Text
    closes_on: date | None = Field(
        None, description="Last day for responses (your time zone); default in 7 days."
    )


class NormProposalOut(Schema):
    id: int
    kind: ProposalKind
    status: ProposalStatus
    norm_id: int | None
    statement: str
    why: str
    version: int
    proposed_by: NormPersonOut | None
    created_at: datetime
    closes_at: datetime = Field(..., description="Responses are accepted until this instant.")
    decided_at: datetime | None
    members: int = Field(..., description="Current members.")
    responded: int = Field(..., description="Current members counted toward the latest version.")
    objections: int = Field(..., description="Standing objections (to the latest version).")


class NormProposalPage(PageOut):
    items: list[NormProposalOut]


class NormProposalVersionOut(Schema):
    number: int
    statement: str
    why: str
    note: str
    created_at: datetime


class NormReasonOut(Schema):
    reason: str
    signed_by: NormPersonOut | None = Field(..., description="Only if the responder signed.")


class NormMyResponseOut(Schema):
    stance: Stance
    reason: str
    signed: bool
    version: int = Field(..., description="The proposal version responded to.")
    updated_at: datetime


class NormProposalDetailOut(NormProposalOut):
    quorum_needed: int
    agree: int
    stand_aside: int
    awaiting_revision: int = Field(
        ..., description="Members who objected to an earlier version and have not responded."
    )
    objection_reasons: list[NormReasonOut]
    earlier_objection_reasons: list[NormReasonOut]
    stand_aside_reasons: list[NormReasonOut]
    versions: list[NormProposalVersionOut]
    my_response: NormMyResponseOut | None


class NormResponseIn(Schema):
    stance: Stance
    reason: Text = Field("", description="Required to object; optional to stand aside.")
    signed: bool = Field(False, description="Show your name with your reason.")


class NormReviseIn(Schema):
    statement: Text = Field("", description="Ignored when retiring.")
    why: Text
    note: Text = Field("", description="What changed.")
    closes_on: date | None = Field(None, description="A new last day; default: unchanged.")


class NormCommentIn(Schema):
    body: Text = Field(..., description="Markdown.")


class NormCommentOut(Schema):
    id: int
    author: NormPersonOut | None
    body: str
    html: str = Field(..., description="Sanitized HTML of the Markdown.")
    version: int
    created_at: datetime


class NormCommentPage(PageOut):
    items: list[NormCommentOut]


class NormWaitingOut(Schema):
    id: int
    name: str
    nudged_today: bool


class NormWaitingPage(PageOut):
    items: list[NormWaitingOut]


class NormNudgeIn(Schema):
    user_id: int = Field(..., ge=1, le=DB_INT_MAX)


class NormNudgeOut(Schema):
    user_id: int
    sent_on: date


class NormRevisitOut(Schema):
    id: int
    status: RevisitStatus
    scheduled_for: date
    norm_set_version: int
    opened_at: datetime
    closes_at: datetime
    closed_at: datetime | None


class NormRevisitPage(PageOut):
    items: list[NormRevisitOut]


class NormRevisitItemOut(Schema):
    norm_id: int
    statement: str
    reaffirmed: int
    changes_proposed: int
    my_choice: RevisitChoice | None


class NormRevisitDetailOut(NormRevisitOut):
    members: int
    took_part: int
    norms: list[NormRevisitItemOut]


class NormReaffirmIn(Schema):
    note: Text = ""


class NormReaffirmOut(Schema):
    norm_id: int
    choice: RevisitChoice
    note: str
    updated_at: datetime


# --- Converters (never query: lists load what they need up front) ------------------------------


def _person(user: User | None) -> NormPersonOut | None:
    return NormPersonOut(id=user.pk, name=user.display_name) if user is not None else None


def _norm_out(norm: Norm) -> NormOut:
    return NormOut(
        id=norm.pk,
        position=norm.position,
        statement=norm.statement,
        why=norm.why,
        version=norm.version,
        proposed_by=_person(norm.proposed_by),
        adopted_at=norm.adopted_at,
    )


def _set_version_out(version: NormSetVersion) -> NormSetVersionOut:
    return NormSetVersionOut(
        number=version.number,
        change=NormChange(version.change),
        norm_id=version.norm_id,
        statement=version.statement,
        proposal_id=version.proposal_id,
        proposed_by=_person(version.proposed_by),
        adopted_at=version.adopted_at,
        norms=[SnapshotNormOut(**n) for n in version.snapshot],
    )


def _settings_out(row: NormSettings) -> NormSettingsOut:
    return NormSettingsOut(
        quorum_percent=row.quorum_percent,
        revisit_interval_days=row.revisit_interval_days,
        next_revisit_on=row.next_revisit_on,
        time_zone=row.time_zone,
    )


def _proposal_fields(proposal: Proposal, members: int) -> dict[str, object]:
    return {
        "id": proposal.pk,
        "kind": proposal.kind,
        "status": proposal.status,
        "norm_id": proposal.norm_id,
        "statement": proposal.statement,
        "why": proposal.why,
        "version": proposal.current_version,
        "proposed_by": _person(proposal.proposed_by),
        "created_at": proposal.created_at,
        "closes_at": proposal.closes_at,
        "decided_at": proposal.decided_at,
        "members": members,
    }


def _reason_out(reason: selectors.Reason) -> NormReasonOut:
    return NormReasonOut(reason=reason.text, signed_by=_person(reason.signed_by))


def _my_response_out(response: Response | None) -> NormMyResponseOut | None:
    if response is None:
        return None
    return NormMyResponseOut(
        stance=Stance(response.stance),
        reason=response.reason,
        signed=response.signed,
        version=response.version,
        updated_at=response.updated_at,
    )


def _detail_out(proposal: Proposal, user: User | AnonymousUser) -> NormProposalDetailOut:
    detail = selectors.proposal_detail(proposal, user if isinstance(user, User) else None)
    tally = detail.tally
    return NormProposalDetailOut(
        **_proposal_fields(proposal, tally.members),  # type: ignore[arg-type]
        responded=tally.responded,
        objections=tally.objections,
        quorum_needed=tally.needed,
        agree=tally.agree,
        stand_aside=tally.stand_aside,
        awaiting_revision=tally.awaiting_revision,
        objection_reasons=[_reason_out(r) for r in detail.objections],
        earlier_objection_reasons=[_reason_out(r) for r in detail.earlier_objections],
        stand_aside_reasons=[_reason_out(r) for r in detail.stand_asides],
        versions=[
            NormProposalVersionOut(
                number=v.number,
                statement=v.statement,
                why=v.why,
                note=v.note,
                created_at=v.created_at,
            )
            for v in detail.versions
        ],
        my_response=_my_response_out(detail.mine),
    )


def _comment_out(comment: Comment) -> NormCommentOut:
    return NormCommentOut(
        id=comment.pk,
        author=_person(comment.author),
        body=comment.body,
        html=comment.html,
        version=comment.version,
        created_at=comment.created_at,
    )


def _round_out(revisit: RevisitRound) -> NormRevisitOut:
    return NormRevisitOut(
        id=revisit.pk,
        status=RevisitStatus(revisit.status),
        scheduled_for=revisit.scheduled_for,
        norm_set_version=revisit.norm_set_version,
        opened_at=revisit.opened_at,
        closes_at=revisit.closes_at,
        closed_at=revisit.closed_at,
    )


# --- Lookups through the gate -------------------------------------------------------------------


def _community(request: HttpRequest, slug: str) -> tuple[Community, User | AnonymousUser]:
    user = viewer(request)
    return access.get_community_for(user, slug), user


def _proposal(request: HttpRequest, slug: str, proposal_id: int) -> Proposal:
    community = access.get_community_for(caller(request), slug)
    return selectors.get_proposal(community, proposal_id)


# --- The norm set -------------------------------------------------------------------------------


@router.get(
    ONE,
    auth=OPTIONAL_AUTH,
    response={**READ, 200: NormPage},
    openapi_extra=OPTIONAL_AUTH_OPENAPI,
)
def list_norms(request: HttpRequest, slug: str, paging: Query[PageParams]) -> dict[str, object]:
    """The community's adopted norms, in their order."""
    community, _ = _community(request, slug)
    norms = Norm.objects.filter(community=community, retired_at__isnull=True)
    return paginate(
        norms.select_related("proposed_by").order_by("position", "id"), paging, _norm_out
    )


@router.get(
    ONE + "/versions",
    auth=OPTIONAL_AUTH,
    response={**READ, 200: NormSetVersionPage},
    openapi_extra=OPTIONAL_AUTH_OPENAPI,
)
def list_norm_set_versions(
    request: HttpRequest, slug: str, paging: Query[PageParams]
) -> dict[str, object]:
    """Every version of the norm set, newest first: what changed, who proposed it, when it
    was adopted, and the whole set after it."""
    community, _ = _community(request, slug)
    return paginate(selectors.set_versions(community), paging, _set_version_out)


@router.get(
    ONE + "/settings",
    auth=OPTIONAL_AUTH,
    response={**READ, 200: NormSettingsOut},
    openapi_extra=OPTIONAL_AUTH_OPENAPI,
)
def get_norm_settings(request: HttpRequest, slug: str) -> NormSettingsOut:
    """The quorum, the revisit interval and the next revisit date."""
    community, _ = _community(request, slug)
    return _settings_out(selectors.settings_for(community))


@router.put(ONE + "/settings", auth=AUTH, response={**WRITE, 200: NormSettingsOut})
def update_norm_settings(
    request: HttpRequest, slug: str, payload: NormSettingsIn
) -> NormSettingsOut:
    """Coordinators: change the quorum, the interval, the next revisit date (not in the past;
    422 ``invalid`` otherwise, and nothing changes)."""
    user = caller(request)
    community = access.get_community_for(user, slug)
    row = services.update_settings(
        user,
        community,
        quorum_percent=payload.quorum_percent,
        revisit_interval_days=payload.revisit_interval_days,
        next_revisit_on=payload.next_revisit_on,
    )
    return _settings_out(row)


# --- Proposals ----------------------------------------------------------------------------------


@router.get(
    ONE + "/proposals",
    auth=OPTIONAL_AUTH,
    response={**READ, 200: NormProposalPage},
    openapi_extra=OPTIONAL_AUTH_OPENAPI,
)
def list_norm_proposals(
    request: HttpRequest,
    slug: str,
    paging: Query[PageParams],
    status: ProposalStatus | None = None,
) -> dict[str, object]:
    """Proposals, newest first, with their counts; ``?status=open|adopted|not_adopted``."""
    community, _ = _community(request, slug)
    rows = selectors.proposals_with_counts(community)
    if status is not None:
        rows = rows.filter(status=status)
    members = selectors.member_count(community.pk)

    def item(p: Proposal) -> NormProposalOut:
        fields = _proposal_fields(p, members)
        return NormProposalOut(**fields, responded=p.responded, objections=p.objections)  # type: ignore[attr-defined, arg-type]

    return paginate(rows, paging, item)


@router.post(ONE + "/proposals", auth=AUTH, response={**WRITE, 201: NormProposalDetailOut})
def create_norm_proposal(
    request: HttpRequest, slug: str, payload: NormProposalIn
) -> Status[NormProposalDetailOut]:
    """Members: propose a new norm, or (``kind`` change/retire with ``norm_id``) a change to one.
    A past ``closes_on`` is 422; a norm with an open proposal already is 409 ``proposal_open``."""
    user = caller(request)
    community = access.get_community_for(user, slug)
    norm = None
    if payload.norm_id is not None:
        norm = Norm.objects.filter(pk=payload.norm_id, community=community).first()
        if norm is None:
            raise NotFound("No such norm in this community's set.")
    proposal = services.propose(
        user,
        community,
        kind=payload.kind,
        norm=norm,
        statement=payload.statement,
        why=payload.why,
        closes_on=payload.closes_on,
    )
    return Status(201, _detail_out(selectors.get_proposal(community, proposal.pk), user))


@router.get(
    PROPOSAL,
    auth=OPTIONAL_AUTH,
    response={**READ, 200: NormProposalDetailOut},
    openapi_extra=OPTIONAL_AUTH_OPENAPI,
)
def get_norm_proposal(
    request: HttpRequest, slug: str, proposal_id: int = Path(..., ge=1, le=DB_INT_MAX)
) -> NormProposalDetailOut:
    """A proposal: its versions, counts, the reasons given (a name only where the responder
    signed) and your own response."""
    community, user = _community(request, slug)
    return _detail_out(selectors.get_proposal(community, proposal_id), user)


@router.put(PROPOSAL + "/response", auth=AUTH, response={**WRITE, 200: NormProposalDetailOut})
def respond_to_norm_proposal(
    request: HttpRequest,
    slug: str,
    payload: NormResponseIn,
    proposal_id: int = Path(..., ge=1, le=DB_INT_MAX),
) -> NormProposalDetailOut:
    """Members: your response to the latest version (agree; stand aside, optional reason;
    object, reason required). Changeable until the round closes (409 ``proposal_closed``).
    The answer shows the proposal after it: ``status`` is ``adopted`` if consent was reached."""
    user = caller(request)
    proposal = _proposal(request, slug, proposal_id)
    services.respond(
        user, proposal, stance=payload.stance, reason=payload.reason, signed=payload.signed
    )
    return _detail_out(selectors.get_proposal(proposal.community, proposal.pk), user)


@router.post(
    PROPOSAL + "/withdraw-objection", auth=AUTH, response={**WRITE, 200: NormProposalDetailOut}
)
def withdraw_norm_objection(
    request: HttpRequest, slug: str, proposal_id: int = Path(..., ge=1, le=DB_INT_MAX)
) -> NormProposalDetailOut:
    """Withdraw your objection: you stand aside instead (409 ``no_objection`` if you have
    none)."""
    user = caller(request)
    proposal = _proposal(request, slug, proposal_id)
    services.withdraw_objection(user, proposal)
    return _detail_out(selectors.get_proposal(proposal.community, proposal.pk), user)


@router.post(PROPOSAL + "/versions", auth=AUTH, response={**WRITE, 201: NormProposalDetailOut})
def revise_norm_proposal(
    request: HttpRequest,
    slug: str,
    payload: NormReviseIn,
    proposal_id: int = Path(..., ge=1, le=DB_INT_MAX),
) -> Status[NormProposalDetailOut]:
    """The proposer: a new version. Objectors are asked to respond again; agreements carry
    over. Others: 403."""
    user = caller(request)
    proposal = _proposal(request, slug, proposal_id)
    services.revise(
        user,
        proposal,
        statement=payload.statement,
        why=payload.why,
        note=payload.note,
        closes_on=payload.closes_on,
    )
    return Status(201, _detail_out(selectors.get_proposal(proposal.community, proposal.pk), user))


@router.get(
    PROPOSAL + "/comments",
    auth=OPTIONAL_AUTH,
    response={**READ, 200: NormCommentPage},
    openapi_extra=OPTIONAL_AUTH_OPENAPI,
)
def list_norm_proposal_comments(
    request: HttpRequest,
    slug: str,
    paging: Query[PageParams],
    proposal_id: int = Path(..., ge=1, le=DB_INT_MAX),
) -> dict[str, object]:
    """The proposal's discussion, oldest first."""
    community, _ = _community(request, slug)
    proposal = selectors.get_proposal(community, proposal_id)
    return paginate(selectors.comments(proposal), paging, _comment_out)


@router.post(PROPOSAL + "/comments", auth=AUTH, response={**WRITE, 201: NormCommentOut})
def add_norm_proposal_comment(
    request: HttpRequest,
    slug: str,
    payload: NormCommentIn,
    proposal_id: int = Path(..., ge=1, le=DB_INT_MAX),
) -> Status[NormCommentOut]:
    """Members: add to the discussion (Markdown; signed with your name)."""
    user = caller(request)
    proposal = _proposal(request, slug, proposal_id)
    return Status(201, _comment_out(services.comment(user, proposal, body=payload.body)))


@router.get(
    PROPOSAL + "/waiting", auth=AUTH, response={**READ, 200: NormWaitingPage, 403: ErrorOut}
)
def list_norm_proposal_waiting(
    request: HttpRequest,
    slug: str,
    paging: Query[PageParams],
    proposal_id: int = Path(..., ge=1, le=DB_INT_MAX),
) -> dict[str, object]:
    """Facilitators and coordinators: members who have not responded at all (those asked to
    look at a revision are not listed: that would name who objected)."""
    user = caller(request)
    proposal = _proposal(request, slug, proposal_id)
    access.require(
        access.can_manage_members(user, proposal.community),
        "Only facilitators and coordinators see who has not responded.",
    )
    nudged = selectors.nudged_today(proposal)

    def item(m: Membership) -> NormWaitingOut:
        return NormWaitingOut(
            id=m.user.pk, name=m.user.display_name, nudged_today=m.user.pk in nudged
        )

    waiting = selectors.waiting_for(proposal) if proposal.is_open else Membership.objects.none()
    return paginate(waiting, paging, item)


@router.post(PROPOSAL + "/nudges", auth=AUTH, response={**WRITE, 201: NormNudgeOut})
def nudge_about_norm_proposal(
    request: HttpRequest,
    slug: str,
    payload: NormNudgeIn,
    proposal_id: int = Path(..., ge=1, le=DB_INT_MAX),
) -> Status[NormNudgeOut]:
    """Facilitators and coordinators: ask a member who has not responded for their voice (a
    notification). Once a day per member (409 ``already_nudged``); 409 ``already_responded``."""
    user = caller(request)
    proposal = _proposal(request, slug, proposal_id)
    access.require(
        access.can_manage_members(user, proposal.community),
        "Only facilitators and coordinators may nudge members.",
    )
    member = User.objects.filter(pk=payload.user_id).first()
    if member is None:
        raise NotFound("That person is not a member of this community.")
    sent = services.nudge(user, proposal, member)
    return Status(201, NormNudgeOut(user_id=member.pk, sent_on=sent.sent_on))


# --- Revisit rounds -----------------------------------------------------------------------------


@router.get(
    ONE + "/revisits",
    auth=OPTIONAL_AUTH,
    response={**READ, 200: NormRevisitPage},
    openapi_extra=OPTIONAL_AUTH_OPENAPI,
)
def list_norm_revisits(
    request: HttpRequest, slug: str, paging: Query[PageParams]
) -> dict[str, object]:
    """Revisit rounds, newest first."""
    community, _ = _community(request, slug)
    return paginate(selectors.rounds(community), paging, _round_out)


@router.get(
    ROUND,
    auth=OPTIONAL_AUTH,
    response={**READ, 200: NormRevisitDetailOut},
    openapi_extra=OPTIONAL_AUTH_OPENAPI,
)
def get_norm_revisit(
    request: HttpRequest, slug: str, round_id: int = Path(..., ge=1, le=DB_INT_MAX)
) -> NormRevisitDetailOut:
    """A revisit round: per norm, how many reaffirmed it or proposed a change, and your word."""
    community, user = _community(request, slug)
    detail = selectors.round_detail(
        selectors.get_round(community, round_id), user if isinstance(user, User) else None
    )
    return NormRevisitDetailOut(
        **_round_out(detail.round).model_dump(),
        members=detail.members,
        took_part=detail.took_part,
        norms=[
            NormRevisitItemOut(
                norm_id=item.norm.pk,
                statement=item.norm.statement,
                reaffirmed=item.reaffirmed,
                changes_proposed=item.changes,
                my_choice=RevisitChoice(item.mine.choice) if item.mine else None,
            )
            for item in detail.norms
        ],
    )


@router.put(ROUND + "/norms/{norm_id}", auth=AUTH, response={**WRITE, 200: NormReaffirmOut})
def reaffirm_norm(
    request: HttpRequest,
    slug: str,
    payload: NormReaffirmIn,
    round_id: int = Path(..., ge=1, le=DB_INT_MAX),
    norm_id: int = Path(..., ge=1, le=DB_INT_MAX),
) -> NormReaffirmOut:
    """Members: reaffirm a norm in an open round (409 ``round_closed`` after). To propose a
    change instead, create a proposal (``kind`` change or retire): it counts as your word."""
    user = caller(request)
    community = access.get_community_for(user, slug)
    revisit = selectors.get_round(community, round_id)
    norm = Norm.objects.filter(pk=norm_id, community=community).first()
    if norm is None:
        raise NotFound("No such norm in this community's set.")
    saved: RevisitResponse = services.reaffirm(user, revisit, norm, note=payload.note)
    return NormReaffirmOut(
        norm_id=norm.pk,
        choice=RevisitChoice(saved.choice),
        note=saved.note,
        updated_at=saved.updated_at,
    )
