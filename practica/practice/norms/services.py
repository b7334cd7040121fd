"""Verbs that change norms: propose, respond, revise, withdraw an objection, discuss, nudge,
adopt or close, revisit, and the norm settings.

Each verb takes the actor first, asks ``communities.access`` whether they may, validates (the
rules are stated once, here, for the forms and the API alike), writes in one transaction and
emits an event delivered after commit. Due-dated work (closing a round, reminders, opening a
revisit round) is scheduled with ``practica.scheduling`` and done by the handlers in
``jobs.py``, which call the ``*_job`` functions below; every one of them is idempotent.

The consent rule itself is :mod:`practica.practice.norms.consent`; docs/norms.md explains it.
"""

from __future__ import annotations

import zoneinfo
from datetime import UTC, date, datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from practica.accounts.models import User
from practica.communities import access
from practica.communities.models import Community, Membership
from practica.lib.errors import Conflict, NotFound
from practica.lib.markdown import cook
from practica.lib.validation import clean_choice, clean_text, raise_if
from practica.notifications.services import notify
from practica.practice.norms import selectors
from practica.practice.norms.models import (
    COMMENT_MAX,
    NOTE_MAX,
    REASON_MAX,
    STATEMENT_MAX,
    WHY_MAX,
    Comment,
    Norm,
    NormChange,
    NormSettings,
    NormSetVersion,
    Nudge,
    NudgeKind,
    Proposal,
    ProposalKind,
    ProposalStatus,
    ProposalVersion,
    Response,
    RevisitChoice,
    RevisitResponse,
    RevisitRound,
    RevisitStatus,
    Stance,
)
from practica.realtime.bus import emit
from practica.scheduling.services import cancel, schedule

DEFAULT_ROUND_DAYS = 7
MAX_ROUND_DAYS = 60
# After a revision the people who objected need time to read it: the round lasts at least this.
MIN_WINDOW_AFTER_REVISION = timedelta(days=2)
REMIND_BEFORE_CLOSE = timedelta(days=1)
REVISIT_ROUND_LENGTH = timedelta(days=14)
REVISIT_REMIND_BEFORE_CLOSE = timedelta(days=3)
QUORUM_MIN, QUORUM_MAX = 1, 100
INTERVAL_MIN, INTERVAL_MAX = 7, 730
MAX_REVISIT_AHEAD_DAYS = 730

JOB_CLOSE = "norms.close"
JOB_REMIND = "norms.remind"
JOB_REVISIT = "norms.revisit"
JOB_REVISIT_CLOSE = "norms.revisit_close"
JOB_REVISIT_REMIND = "norms.revisit_remind"


# --- Dates: read in the time zone of the person who picks them ----------------------------------


def _zone(name: str) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def local_today(zone_name: str) -> date:
    return timezone.now().astimezone(_zone(zone_name)).date()


def start_of(day: date, zone_name: str) -> datetime:
    """Midnight at the start of ``day`` where ``zone_name`` is, as an aware datetime."""
    return datetime.combine(day, time.min, tzinfo=_zone(zone_name)).astimezone(UTC)


def _fmt(day: date) -> str:
    return f"{day:%a %b} {day.day}, {day.year}"


def _clean_close_date(
    errors: dict[str, str], actor: User, closes_on: date | None
) -> datetime | None:
    """The end of the chosen day where the proposer is; after today, at most 60 days ahead
    (None, with a message in ``errors``, otherwise)."""
    today = local_today(actor.timezone)
    day = closes_on or today + timedelta(days=DEFAULT_ROUND_DAYS)
    if day < today:
        errors["closes_on"] = (
            f"{_fmt(day)} is in the past: choose a date after today ({_fmt(today)})."
        )
    elif day == today:
        errors["closes_on"] = (
            "Give members at least until tomorrow to respond: choose a date after today."
        )
    elif day > today + timedelta(days=MAX_ROUND_DAYS):
        errors["closes_on"] = (
            f"A response round lasts at most {MAX_ROUND_DAYS} days: choose "
            f"{_fmt(today + timedelta(days=MAX_ROUND_DAYS))} or earlier."
        )
    else:
        return start_of(day + timedelta(days=1), actor.timezone)
    return None


# --- Small helpers ------------------------------------------------------------------------------


def _require_member(actor: User, community: Community, what: str) -> None:
    access.require(
        access.is_member(actor, community), f"Only members of {community.name} may {what}."
    )


def proposal_url(proposal: Proposal) -> str:
    return reverse("norms:proposal", args=[proposal.community.slug, proposal.pk])


def _short(text: str, limit: int = 90) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _lock_open(proposal: Proposal) -> Proposal:
    """The proposal, locked for this transaction; Conflict unless its round is still open."""
    locked = (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("community")
        .get(pk=proposal.pk)
    )
    if locked.status != ProposalStatus.OPEN:
        raise Conflict(
            f"This proposal is closed ({locked.get_status_display().lower()}).",
            code="proposal_closed",
        )
    if locked.closes_at <= timezone.now():
        raise Conflict(
            "The response round has ended; the outcome is being recorded.",
            code="proposal_closed",
        )
    return locked


def ensure_settings(community: Community, actor: User | None = None) -> NormSettings:
    """The community's settings row, created with the defaults on first use."""
    row, _ = NormSettings.objects.get_or_create(
        community=community, defaults={"time_zone": actor.timezone if actor else "UTC"}
    )
    return row


def _members(community_id: int) -> list[User]:
    return list(User.objects.filter(community_memberships__community_id=community_id))


# --- Settings -----------------------------------------------------------------------------------


def _clean_settings(
    errors: dict[str, str],
    actor: User,
    quorum_percent: int,
    interval_days: int,
    next_revisit_on: date | None,
    has_norms: bool,
) -> None:
    if not QUORUM_MIN <= quorum_percent <= QUORUM_MAX:
        errors["quorum_percent"] = (
            f"The quorum is a percentage of members: {QUORUM_MIN} to {QUORUM_MAX}."
        )
    if not INTERVAL_MIN <= interval_days <= INTERVAL_MAX:
        errors["revisit_interval_days"] = f"Revisit every {INTERVAL_MIN} to {INTERVAL_MAX} days."
    today = local_today(actor.timezone)
    if next_revisit_on is None:
        if has_norms:
            errors["next_revisit_on"] = "Norms are revisited on purpose: choose a revisit date."
    elif next_revisit_on < today:
        errors["next_revisit_on"] = (
            f"{_fmt(next_revisit_on)} is in the past: choose today ({_fmt(today)}) or later."
        )
    elif next_revisit_on > today + timedelta(days=MAX_REVISIT_AHEAD_DAYS):
        errors["next_revisit_on"] = "Choose a revisit date within the next two years."


def update_settings(
    actor: User,
    community: Community,
    *,
    quorum_percent: int,
    revisit_interval_days: int,
    next_revisit_on: date | None,
) -> NormSettings:
    """Change the quorum, the revisit interval and the next revisit date (coordinators).
    The revisit date is read in the actor's time zone; a new date re-schedules the round."""
    access.require(
        access.can_steward(actor, community),
        "Only coordinators may change how this community decides its norms.",
    )
    errors: dict[str, str] = {}
    has_norms = bool(selectors.current_norms(community))
    _clean_settings(
        errors, actor, quorum_percent, revisit_interval_days, next_revisit_on, has_norms
    )
    raise_if(errors)
    with transaction.atomic():
        ensure_settings(community, actor)
        row = NormSettings.objects.select_for_update().get(community=community)
        row.quorum_percent = quorum_percent
        row.revisit_interval_days = revisit_interval_days
        row.next_revisit_on = next_revisit_on
        row.time_zone = actor.timezone
        row.updated_by = actor
        row.updated_at = timezone.now()
        row.save()
        _schedule_revisit(row)
        emit("norms.settings_updated", community_id=community.pk, actor_id=actor.pk)
    return row


def _schedule_revisit(row: NormSettings) -> None:
    key = f"{JOB_REVISIT}:{row.community_id}"
    if row.next_revisit_on is None:
        cancel(key)
        return
    schedule(
        JOB_REVISIT,
        key,
        start_of(row.next_revisit_on, row.time_zone),
        community_id=row.community_id,
        scheduled_for=row.next_revisit_on.isoformat(),
    )


# --- Proposing ----------------------------------------------------------------------------------


def _clean_text_fields(
    errors: dict[str, str], kind: str, statement: str, why: str, norm: Norm | None
) -> tuple[str, str]:
    if kind == ProposalKind.RETIRE and norm is not None:
        statement = norm.statement  # retiring keeps the norm's words; the why is the reason
    statement = clean_text(errors, "statement", statement, max_len=STATEMENT_MAX)
    why = clean_text(errors, "why", why, max_len=WHY_MAX, label="Why")
    if kind == ProposalKind.RETIRE and errors.get("why") == "Why is required.":
        errors["why"] = "Say why the group should retire this norm."
    elif errors.get("why") == "Why is required.":
        errors["why"] = "Say why: what this norm would help the group do."
    return statement, why


def _clean_target(
    errors: dict[str, str], community: Community, kind: str, norm: Norm | None
) -> Norm | None:
    if kind == ProposalKind.NEW:
        return None
    if norm is None or norm.community_id != community.pk or norm.retired_at is not None:
        errors["norm"] = "Choose one of the community's current norms."
        return None
    return norm


def propose(
    actor: User,
    community: Community,
    *,
    statement: str,
    why: str,
    closes_on: date | None = None,
    kind: str = ProposalKind.NEW,
    norm: Norm | None = None,
) -> Proposal:
    """Propose a new norm, a change to ``norm`` or its retirement. The round closes at the end
    of ``closes_on`` (default: in 7 days) where the proposer is. Members are asked to respond."""
    _require_member(actor, community, "propose norms")
    errors: dict[str, str] = {}
    kind = clean_choice(errors, "kind", kind, list(ProposalKind.values))
    norm = _clean_target(errors, community, kind, norm)
    statement, why = _clean_text_fields(errors, kind, statement, why, norm)
    if kind == ProposalKind.CHANGE and norm and (statement, why) == (norm.statement, norm.why):
        errors["statement"] = "This is the norm as it stands: change the statement or the why."
    closes_at = _clean_close_date(errors, actor, closes_on)
    raise_if(errors)
    assert closes_at is not None  # no error recorded, so a date was computed
    if norm is not None and norm.proposals.filter(status=ProposalStatus.OPEN).exists():
        raise _proposal_open()
    try:
        with transaction.atomic():
            proposal = _create_proposal(actor, community, kind, norm, statement, why, closes_at)
    except IntegrityError as exc:  # a concurrent proposal about the same norm won the race
        raise _proposal_open() from exc
    return proposal


def _proposal_open() -> Conflict:
    return Conflict(
        "This norm already has an open proposal: join its discussion instead.",
        code="proposal_open",
    )


def _create_proposal(
    actor: User,
    community: Community,
    kind: str,
    norm: Norm | None,
    statement: str,
    why: str,
    closes_at: datetime,
) -> Proposal:
    ensure_settings(community, actor)
    proposal = Proposal.objects.create(
        community=community,
        kind=kind,
        norm=norm,
        proposed_by=actor,
        statement=statement,
        why=why,
        closes_at=closes_at,
    )
    ProposalVersion.objects.create(
        proposal=proposal, number=1, statement=statement, why=why, created_by=actor
    )
    _schedule_round(proposal)
    if norm is not None:
        _record_change_in_revisit(actor, community, norm, proposal)
    message = f"{actor.display_name} proposes a norm: “{_short(statement)}”. Your voice counts."
    if kind == ProposalKind.RETIRE:
        message = (
            f"{actor.display_name} proposes retiring “{_short(statement)}”. Your voice counts."
        )
    for member in _members(community.pk):
        if member.pk != actor.pk:
            notify(member, kind="norms.proposed", message=message, url=proposal_url(proposal))
    emit(
        "norms.proposed",
        community_id=community.pk,
        proposal_id=proposal.pk,
        actor_id=actor.pk,
        kind=kind,
    )
    return proposal


def _schedule_round(proposal: Proposal) -> None:
    """The close at ``closes_at`` and a reminder a day before it (if that is still ahead)."""
    schedule(JOB_CLOSE, f"{JOB_CLOSE}:{proposal.pk}", proposal.closes_at, proposal_id=proposal.pk)
    remind_at = proposal.closes_at - REMIND_BEFORE_CLOSE
    if remind_at > timezone.now():
        schedule(JOB_REMIND, f"{JOB_REMIND}:{proposal.pk}", remind_at, proposal_id=proposal.pk)
    else:
        cancel(f"{JOB_REMIND}:{proposal.pk}")


def _record_change_in_revisit(
    actor: User, community: Community, norm: Norm, proposal: Proposal
) -> None:
    """Proposing a change during a revisit round is that member's word on the norm."""
    revisit = selectors.open_revisit(community)
    if revisit is None:
        return
    RevisitResponse.objects.update_or_create(
        round=revisit,
        norm=norm,
        user=actor,
        defaults={
            "choice": RevisitChoice.CHANGE,
            "proposal": proposal,
            "note": "",
            "updated_at": timezone.now(),
        },
    )


# --- Responding ---------------------------------------------------------------------------------


def respond(
    actor: User, proposal: Proposal, *, stance: str, reason: str = "", signed: bool = False
) -> Response:
    """Agree, stand aside (optional reason) or object (reason required) to the latest version.
    One response per member, changed in place until the round closes. Adopts the proposal if
    consent now holds (see :mod:`consent`)."""
    _require_member(actor, proposal.community, "respond to proposals")
    errors: dict[str, str] = {}
    stance = clean_choice(errors, "stance", stance, list(Stance.values))
    reason = clean_text(
        errors, "reason", reason, max_len=REASON_MAX, required=stance == Stance.OBJECT
    )
    if errors.get("reason") == "Reason is required.":
        errors["reason"] = "An objection needs a reason: say what harm you see, so it can be met."
    raise_if(errors)
    if stance == Stance.AGREE:
        reason = ""  # agreement needs no reason, and none is shown
    with transaction.atomic():
        locked = _lock_open(proposal)
        response, _ = Response.objects.update_or_create(
            proposal=locked,
            user=actor,
            defaults={
                "version": locked.current_version,
                "stance": stance,
                "reason": reason,
                "signed": signed,
                "updated_at": timezone.now(),
            },
        )
        # No user and no stance in the payload: an unsigned objection must stay unattributed.
        emit("norms.responded", community_id=locked.community_id, proposal_id=locked.pk)
        _adopt_if_consent(locked, at_close=False)
    return response


def withdraw_objection(actor: User, proposal: Proposal) -> Response:
    """The objector stops blocking: their response becomes a stand-aside (reason kept) on the
    latest version, which they may still change to agreement."""
    _require_member(actor, proposal.community, "respond to proposals")
    with transaction.atomic():
        locked = _lock_open(proposal)
        response = (
            Response.objects.select_for_update()
            .filter(proposal=locked, user=actor, stance=Stance.OBJECT)
            .first()
        )
        if response is None:
            raise Conflict("You have no objection to withdraw here.", code="no_objection")
        response.stance = Stance.STAND_ASIDE
        response.version = locked.current_version
        response.updated_at = timezone.now()
        response.save(update_fields=["stance", "version", "updated_at"])
        emit("norms.responded", community_id=locked.community_id, proposal_id=locked.pk)
        _adopt_if_consent(locked, at_close=False)
    return response


# --- Revising -----------------------------------------------------------------------------------


def revise(
    actor: User,
    proposal: Proposal,
    *,
    statement: str,
    why: str,
    note: str = "",
    closes_on: date | None = None,
) -> ProposalVersion:
    """The proposer's new version. Objections to the old text stop blocking and their authors
    are asked to respond again; agreements and stand-asides carry over (their authors are told,
    and may change them). The round lasts at least two more days, or until ``closes_on``."""
    _require_member(actor, proposal.community, "revise proposals")
    access.require(
        proposal.proposed_by_id == actor.pk,
        "Only the person who proposed it may revise it: suggest a change in the discussion.",
    )
    errors: dict[str, str] = {}
    statement, why = _clean_text_fields(errors, proposal.kind, statement, why, proposal.norm)
    note = clean_text(errors, "note", note, max_len=NOTE_MAX, required=False, label="Note")
    closes_at = _clean_close_date(errors, actor, closes_on) if closes_on else proposal.closes_at
    if not errors and (statement, why) == (proposal.statement, proposal.why):
        errors["statement"] = "Nothing changed: edit the statement or the why."
    raise_if(errors)
    assert closes_at is not None  # no error recorded, so a date was computed
    with transaction.atomic():
        locked = _lock_open(proposal)
        version = _add_version(actor, locked, statement, why, note, closes_at)
        _tell_responders_of_revision(actor, locked)
        emit(
            "norms.revised",
            community_id=locked.community_id,
            proposal_id=locked.pk,
            version=version.number,
            actor_id=actor.pk,
        )
        _adopt_if_consent(locked, at_close=False)
    return version


def _add_version(
    actor: User, proposal: Proposal, statement: str, why: str, note: str, closes_at: datetime
) -> ProposalVersion:
    number = proposal.current_version + 1
    version = ProposalVersion.objects.create(
        proposal=proposal,
        number=number,
        statement=statement,
        why=why,
        note=note,
        created_by=actor,
    )
    proposal.current_version = number
    proposal.statement = statement
    proposal.why = why
    proposal.closes_at = max(closes_at, timezone.now() + MIN_WINDOW_AFTER_REVISION)
    proposal.save(update_fields=["current_version", "statement", "why", "closes_at"])
    _schedule_round(proposal)
    return version


def _tell_responders_of_revision(actor: User, proposal: Proposal) -> None:
    """Each responder is told privately; what they are told depends only on their own stance."""
    url = proposal_url(proposal)
    rows = Response.objects.filter(
        proposal=proposal, user_id__in=selectors.member_ids(proposal.community_id)
    ).select_related("user")
    for row in rows:
        if row.user_id == actor.pk:
            continue
        if row.stance == Stance.OBJECT:
            message = (
                f"“{_short(proposal.statement)}” was revised after objections: please look at "
                "the new version and respond again."
            )
        else:
            message = (
                f"“{_short(proposal.statement)}” was revised. Your response stands; change it "
                "if the new version changes your mind."
            )
        notify(row.user, kind="norms.revised", message=message, url=url, actor=actor)


# --- Discussion and nudges ----------------------------------------------------------------------


def comment(actor: User, proposal: Proposal, *, body: str) -> Comment:
    """Add to a proposal's discussion (Markdown). Comments are always signed."""
    _require_member(actor, proposal.community, "take part in the discussion")
    errors: dict[str, str] = {}
    body = clean_text(errors, "body", body, max_len=COMMENT_MAX, label="Comment")
    raise_if(errors)
    with transaction.atomic():
        created = Comment.objects.create(
            proposal=proposal,
            author=actor,
            body=body,
            html=cook(body),
            version=proposal.current_version,
        )
        emit(
            "norms.commented",
            community_id=proposal.community_id,
            proposal_id=proposal.pk,
            comment_id=created.pk,
            actor_id=actor.pk,
        )
    return created


def nudge(actor: User, proposal: Proposal, member: User) -> Nudge:
    """Ask a member who has not responded for their voice (facilitators and coordinators):
    one nudge per person per proposal per day, whoever sends it."""
    community = proposal.community
    access.require(
        access.can_manage_members(actor, community),
        "Only facilitators and coordinators may nudge members.",
    )
    if not proposal.is_open:
        raise Conflict("This proposal is closed.", code="proposal_closed")
    if not Membership.objects.filter(community=community, user=member).exists():
        raise NotFound("That person is not a member of this community.")
    if member.pk == actor.pk:
        raise Conflict("Respond yourself rather than nudging yourself.", code="nudge_self")
    if Response.objects.filter(proposal=proposal, user=member).exists():
        raise Conflict(f"{member.display_name} has already responded.", code="already_responded")
    try:
        with transaction.atomic():
            sent = Nudge.objects.create(
                proposal=proposal, member=member, sent_by=actor, sent_on=selectors.utc_today()
            )
            notify(
                member,
                kind="norms.nudge",
                message=f"{actor.display_name} would like to hear your voice on "
                f"“{_short(proposal.statement)}” before the round closes.",
                url=proposal_url(proposal),
                actor=actor,
            )
            emit(
                "norms.nudged",
                community_id=community.pk,
                proposal_id=proposal.pk,
                user_id=member.pk,
                actor_id=actor.pk,
            )
    except IntegrityError as exc:
        raise Conflict(
            f"{member.display_name} was already nudged about this today; once a day is enough.",
            code="already_nudged",
        ) from exc
    return sent


# --- Adoption and closing -----------------------------------------------------------------------


def _adopt_if_consent(proposal: Proposal, *, at_close: bool) -> bool:
    """Adopt ``proposal`` (locked by the caller) if consent holds; True if it was adopted."""
    result = selectors.tally_for(proposal)
    if result.consent if at_close else result.adoptable_now:
        _adopt(proposal)
        return True
    return False


def _adopt(proposal: Proposal) -> None:
    community = proposal.community
    now = timezone.now()
    ensure_settings(community)
    # The settings row is the community's lock: norm-set versions are numbered one at a time.
    settings_row = NormSettings.objects.select_for_update().get(community=community)
    claimed = Proposal.objects.filter(pk=proposal.pk, status=ProposalStatus.OPEN).update(
        status=ProposalStatus.ADOPTED, decided_at=now
    )
    if not claimed:
        return
    proposal.status, proposal.decided_at = ProposalStatus.ADOPTED, now
    norm, change = _apply(proposal, now)
    version = _record_set_version(community, norm, change, proposal, now)
    _keep_revisit_calendar(settings_row)
    cancel(f"{JOB_REMIND}:{proposal.pk}")
    cancel(f"{JOB_CLOSE}:{proposal.pk}")
    _tell_proposer(proposal, f"The group adopted your proposal “{_short(proposal.statement)}”.")
    emit(
        "norms.adopted",
        community_id=community.pk,
        proposal_id=proposal.pk,
        norm_id=norm.pk,
        norm_set_version=version.number,
        kind=proposal.kind,
    )


def _apply(proposal: Proposal, now: datetime) -> tuple[Norm, str]:
    """Write the adopted proposal into the norm set; return the norm and the kind of change."""
    if proposal.kind == ProposalKind.NEW:
        last = Norm.objects.filter(community=proposal.community).aggregate(m=Max("position"))
        norm = Norm.objects.create(
            community=proposal.community,
            statement=proposal.statement,
            why=proposal.why,
            position=(last["m"] or 0) + 1,
            proposed_by=proposal.proposed_by,
            adopted_at=now,
        )
        proposal.norm = norm
        proposal.save(update_fields=["norm"])
        return norm, NormChange.ADOPT
    norm = Norm.objects.select_for_update().get(pk=proposal.norm_id or 0)
    if proposal.kind == ProposalKind.RETIRE:
        norm.retired_at = now
        norm.save(update_fields=["retired_at"])
        return norm, NormChange.RETIRE
    norm.statement, norm.why = proposal.statement, proposal.why
    norm.version += 1
    norm.proposed_by, norm.adopted_at = proposal.proposed_by, now
    norm.save(update_fields=["statement", "why", "version", "proposed_by", "adopted_at"])
    return norm, NormChange.CHANGE


def _record_set_version(
    community: Community, norm: Norm, change: str, proposal: Proposal, now: datetime
) -> NormSetVersion:
    last = NormSetVersion.objects.filter(community=community).aggregate(m=Max("number"))
    snapshot = [
        {"id": n.pk, "statement": n.statement, "why": n.why}
        for n in selectors.current_norms(community)
    ]
    return NormSetVersion.objects.create(
        community=community,
        number=(last["m"] or 0) + 1,
        change=change,
        norm=norm,
        statement=norm.statement,
        proposal=proposal,
        proposed_by=proposal.proposed_by,
        adopted_at=now,
        snapshot=snapshot,
    )


def _keep_revisit_calendar(row: NormSettings) -> None:
    """A norm set gets a revisit date when it first has norms, and loses it when it has none."""
    has_norms = Norm.objects.filter(community_id=row.community_id, retired_at__isnull=True)
    if row.next_revisit_on is None and has_norms.exists():
        row.next_revisit_on = local_today(row.time_zone) + timedelta(days=row.revisit_interval_days)
    elif row.next_revisit_on is not None and not has_norms.exists():
        row.next_revisit_on = None
    else:
        return
    row.save(update_fields=["next_revisit_on"])
    _schedule_revisit(row)


def _tell_proposer(proposal: Proposal, message: str) -> None:
    proposer = proposal.proposed_by
    if proposer is not None:
        notify(proposer, kind="norms.decided", message=message, url=proposal_url(proposal))


def close_job(proposal_id: int) -> str | None:
    """At the close date: adopt if consent holds then, else close as not adopted. Idempotent:
    a proposal already decided is left alone. Returns the outcome, or None if nothing to do."""
    with transaction.atomic():
        proposal = (
            Proposal.objects.select_for_update(of=("self",))
            .select_related("community", "proposed_by")
            .filter(pk=proposal_id, status=ProposalStatus.OPEN)
            .first()
        )
        if proposal is None:
            return None
        if _adopt_if_consent(proposal, at_close=True):
            return ProposalStatus.ADOPTED
        Proposal.objects.filter(pk=proposal.pk).update(
            status=ProposalStatus.NOT_ADOPTED, decided_at=timezone.now()
        )
        cancel(f"{JOB_REMIND}:{proposal.pk}")
        _tell_proposer(
            proposal,
            f"The round on “{_short(proposal.statement)}” closed without consent; "
            "the norm was not adopted. You may propose it again, revised.",
        )
        emit(
            "norms.closed",
            community_id=proposal.community_id,
            proposal_id=proposal.pk,
            outcome=ProposalStatus.NOT_ADOPTED,
        )
    return ProposalStatus.NOT_ADOPTED


def remind_job(proposal_id: int) -> int:
    """Before the close: remind members who have not responded to the latest version (and the
    proposer, if an objection stands). Idempotent per person and day (a ``Nudge`` row of kind
    reminder). Returns how many were reminded."""
    proposal = (
        Proposal.objects.select_related("community", "proposed_by")
        .filter(pk=proposal_id, status=ProposalStatus.OPEN)
        .first()
    )
    if proposal is None:
        return 0
    counted = Response.objects.filter(proposal=proposal).exclude(
        stance=Stance.OBJECT, version__lt=proposal.current_version
    )
    waiting = User.objects.filter(community_memberships__community_id=proposal.community_id)
    waiting = waiting.exclude(pk__in=counted.values("user_id"))
    statement = _short(proposal.statement)
    messages = {
        member: f"The round on “{statement}” is open until {_until(proposal, member)}; your "
        "voice is not heard yet."
        for member in waiting
    }
    proposer = proposal.proposed_by
    if proposer is not None and selectors.tally_for(proposal).objections:
        # One reminder a person: the proposer's is about the objection, which only they can meet.
        messages[proposer] = (
            f"An objection to “{statement}” stands: revise it or talk it through by "
            f"{_until(proposal, proposer)}."
        )
    return sum(_remind(proposal, member, message) for member, message in messages.items())


def _until(proposal: Proposal, reader: User) -> str:
    """The round's last minute in the reader's own time zone."""
    return proposal.open_until.astimezone(_zone(reader.timezone)).strftime("%b %-d, %H:%M")


def _remind(proposal: Proposal, member: User, message: str) -> int:
    with transaction.atomic():
        _, created = Nudge.objects.get_or_create(
            proposal=proposal, member=member, kind=NudgeKind.REMINDER, sent_on=selectors.utc_today()
        )
        if created:
            notify(member, kind="norms.reminder", message=message, url=proposal_url(proposal))
    return int(created)


# --- Revisiting ---------------------------------------------------------------------------------


def open_revisit_job(community_id: int, scheduled_for: date) -> RevisitRound | None:
    """On the revisit date: open a round (idempotent: the date's round is found, not doubled),
    tell every member, and emit ``norms.revisit_opened`` (meetings add an agenda item)."""
    community = Community.objects.filter(pk=community_id).first()
    if community is None:
        return None
    with transaction.atomic():
        row = ensure_settings(community)
        row = NormSettings.objects.select_for_update().get(pk=row.pk)
        existing = RevisitRound.objects.filter(
            community=community, scheduled_for=scheduled_for
        ).first() or selectors.open_revisit(community)
        if existing is not None:
            return existing
        latest = selectors.norm_set_version(community)
        if latest is None or not selectors.current_norms(community):
            return None  # nothing to revisit; the calendar restarts with the next adoption
        revisit = RevisitRound.objects.create(
            community=community,
            scheduled_for=scheduled_for,
            norm_set_version=latest.number,
            closes_at=timezone.now() + REVISIT_ROUND_LENGTH,
        )
        _schedule_revisit_round(revisit)
        url = reverse("norms:revisit", args=[community.slug, revisit.pk])
        for member in _members(community.pk):
            notify(
                member,
                kind="norms.revisit",
                message=f"Time to revisit {community.name}'s norms: reaffirm each one or "
                "propose a change.",
                url=url,
            )
        emit("norms.revisit_opened", community_id=community.pk, round_id=revisit.pk)
    return revisit


def _schedule_revisit_round(revisit: RevisitRound) -> None:
    schedule(
        JOB_REVISIT_CLOSE,
        f"{JOB_REVISIT_CLOSE}:{revisit.pk}",
        revisit.closes_at,
        round_id=revisit.pk,
    )
    schedule(
        JOB_REVISIT_REMIND,
        f"{JOB_REVISIT_REMIND}:{revisit.pk}",
        revisit.closes_at - REVISIT_REMIND_BEFORE_CLOSE,
        round_id=revisit.pk,
    )


def close_revisit_job(round_id: int) -> bool:
    """Close the round and schedule the next revisit (the interval after today, unless someone
    already chose a later date). Idempotent; True if it closed the round now."""
    with transaction.atomic():
        claimed = RevisitRound.objects.filter(pk=round_id, status=RevisitStatus.OPEN).update(
            status=RevisitStatus.CLOSED, closed_at=timezone.now()
        )
        if not claimed:
            return False
        revisit = RevisitRound.objects.select_related("community").get(pk=round_id)
        row = NormSettings.objects.select_for_update().get(community_id=revisit.community_id)
        today = local_today(row.time_zone)
        if row.next_revisit_on is None or row.next_revisit_on <= today:
            row.next_revisit_on = today + timedelta(days=row.revisit_interval_days)
            row.save(update_fields=["next_revisit_on"])
        _schedule_revisit(row)
        cancel(f"{JOB_REVISIT_REMIND}:{round_id}")
        emit("norms.revisit_closed", community_id=revisit.community_id, round_id=round_id)
    return True


def remind_revisit_job(round_id: int) -> int:
    """Remind members who have said nothing in the round yet; once per round (``reminded_at``
    is set in the same transaction). Returns how many were reminded."""
    with transaction.atomic():
        claimed = RevisitRound.objects.filter(
            pk=round_id, status=RevisitStatus.OPEN, reminded_at__isnull=True
        ).update(reminded_at=timezone.now())
        if not claimed:
            return 0
        revisit = RevisitRound.objects.select_related("community").get(pk=round_id)
        url = reverse("norms:revisit", args=[revisit.community.slug, revisit.pk])
        waiting = [m.user for m in selectors.round_waiting(revisit)]
        for member in waiting:
            notify(
                member,
                kind="norms.revisit_reminder",
                message=f"The norms revisit in {revisit.community.name} closes soon: reaffirm "
                "each norm or propose a change.",
                url=url,
            )
    return len(waiting)


def reaffirm(actor: User, revisit: RevisitRound, norm: Norm, *, note: str = "") -> RevisitResponse:
    """Reaffirm ``norm`` in an open revisit round (replaces a change recorded earlier)."""
    community = revisit.community
    _require_member(actor, community, "revisit norms")
    if not revisit.is_open:
        raise Conflict("This revisit round is closed.", code="round_closed")
    if norm.community_id != community.pk or norm.retired_at is not None:
        raise NotFound("No such norm in this community's set.")
    errors: dict[str, str] = {}
    note = clean_text(errors, "note", note, max_len=NOTE_MAX, required=False, label="Note")
    raise_if(errors)
    with transaction.atomic():
        response, _ = RevisitResponse.objects.update_or_create(
            round=revisit,
            norm=norm,
            user=actor,
            defaults={
                "choice": RevisitChoice.REAFFIRM,
                "note": note,
                "proposal": None,
                "updated_at": timezone.now(),
            },
        )
        emit("norms.reaffirmed", community_id=community.pk, round_id=revisit.pk, norm_id=norm.pk)
    return response


def reaffirm_all(actor: User, revisit: RevisitRound) -> int:
    """Reaffirm every current norm the actor has not spoken about yet; returns how many."""
    _require_member(actor, revisit.community, "revisit norms")
    spoken = set(
        RevisitResponse.objects.filter(round=revisit, user=actor).values_list("norm_id", flat=True)
    )
    todo = [n for n in selectors.current_norms(revisit.community) if n.pk not in spoken]
    with transaction.atomic():
        for norm in todo:
            reaffirm(actor, revisit, norm)
    return len(todo)
