"""Where reputation comes from: one registration per source (event name → handler).

    @source("qa.answer_rated")
    def answer_rated(p: dict) -> list[Settle]: ...

A handler reads the event's payload (and, where it must, the emitting app's rows) and returns
what each cause is now worth; ``ledger.settle`` writes the differences. Handlers are pure
"what is it worth" functions, so replaying an event changes nothing. ``ACTIVE_WHEN`` lists the
events that count as a day of contribution for the person named.

Points favour applied value over volume (docs/recognition.md has the table): posting earns
nothing by itself; being rated as educational, accepted, standing in the wiki, opening and
facilitating meetings, and consultancy do.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from practica.realtime import bus
from practica.realtime.bus import Event
from practica.recognition.ledger import Settle, mark_active, settle, undo_all
from practica.recognition.models import Category, Entry

logger = logging.getLogger(__name__)

SourceHandler = Callable[[dict[str, Any]], list[Settle]]
_sources: dict[str, list[SourceHandler]] = {}

# --- Points (docs/recognition.md) ---------------------------------------------------------------
UPVOTE_ANSWER = 2
UPVOTE_POST = 1
DOWNVOTE = -1
# Educational-value rating 1..5 of your answer: weighs more than a helpful vote.
RATING_POINTS = {0: 0, 1: 0, 2: 2, 3: 5, 4: 8, 5: 12}
ACCEPTED = 15
ACCEPTER = 2
ANSWER_PROMOTED = 10
WIKI_STANDS = 5
MEETING_OPENED = 5
MEETING_FACILITATED = 5
CONSULTANCY_PRESENTED = 5
CONSULTANCY_FACILITATED = 10
CONSULTANCY_PARTICIPATED = 3
CONSULTANCY_FOLLOWUP = 5
NORM_ADOPTED = 5
MENTORING_CHECKIN = 3
STRETCH_COMPLETED = 5
WIKI_STAND_DAYS_DEFAULT = 7
JOB_WIKI_STANDS = "recognition.wiki_stands"


def wiki_stand_days() -> int:
    return int(getattr(settings, "RECOGNITION_WIKI_STAND_DAYS", WIKI_STAND_DAYS_DEFAULT))


def source(event_name: str) -> Callable[[SourceHandler], SourceHandler]:
    """Register ``func`` as a source of reputation for ``event_name``."""

    def register(func: SourceHandler) -> SourceHandler:
        handlers = _sources.setdefault(event_name, [])
        if func not in handlers:
            handlers.append(func)
        bus.subscribe(event_name)(dispatch)
        return func

    return register


def registered_sources() -> dict[str, list[SourceHandler]]:
    return {name: list(handlers) for name, handlers in _sources.items()}


def dispatch(event: Event) -> None:
    """The one bus subscriber of recognition: reputation first, then badges (their rules read
    the ledger rows just written), whatever order the modules were imported in."""
    from practica.recognition import badges

    handle(event.name, event.payload)
    badges.on_event(event)


def handle(event_name: str, payload: dict[str, Any]) -> None:
    """Run every source of ``event_name`` and settle what they return; count active days."""
    for func in _sources.get(event_name, []):
        for item in func(payload):
            settle(item, event_name)
    for key in ACTIVE_WHEN.get(event_name, ()):
        for user_id in _ids(payload.get(key)):
            mark_active(user_id, payload.get("community_id"))


def _ids(value: Any) -> list[int]:
    if value is None:
        return []
    if isinstance(value, list):
        return [int(v) for v in value if v]
    return [int(value)]


# Events that count as a day of contribution for the person under that payload key.
ACTIVE_WHEN: dict[str, tuple[str, ...]] = {
    "qa.post_created": ("author_id",),
    "qa.answer_posted": ("author_id",),
    "qa.comment_posted": ("author_id",),
    "qa.answer_rated": ("rater_id",),
    "wiki.revision_saved": ("author_id",),
    "consultancy.session_completed": ("presenter_id", "facilitator_id", "participant_ids"),
    "norms.proposed": ("actor_id",),
    "norms.commented": ("actor_id",),
    "meetings.notes_saved": ("actor_id",),
}


# --- Q&A ----------------------------------------------------------------------------------------


def _vote(p: dict[str, Any]) -> list[Settle]:
    on_answer = p.get("answer_id") is not None
    value = int(p["new_value"])
    points = {1: UPVOTE_ANSWER if on_answer else UPVOTE_POST, -1: DOWNVOTE, 0: 0}[value]
    obj_type, obj_id = ("answer", p["answer_id"]) if on_answer else ("post", p["post_id"])
    if not p.get("author_id"):
        return []
    return [
        Settle(
            cause=f"vote:{obj_type[0]}{obj_id}:u{p['voter_id']}",
            user_id=int(p["author_id"]),
            points=points,
            category=Category.VOTE,
            reason="helpful_vote" if value >= 0 else "unhelpful_vote",
            community_id=p["community_id"],
            actor_id=p["voter_id"],
            object_type=obj_type,
            object_id=obj_id,
            helped=on_answer and value == 1,
        )
    ]


def _rating(p: dict[str, Any]) -> list[Settle]:
    if not p.get("author_id"):
        return []
    value = int(p["new_value"] or 0)
    return [
        Settle(
            cause=f"rating:a{p['answer_id']}:u{p['rater_id']}",
            user_id=int(p["author_id"]),
            points=RATING_POINTS.get(value, 0),
            category=Category.EV,
            reason="answer_rated",
            community_id=p["community_id"],
            actor_id=p["rater_id"],
            object_type="answer",
            object_id=p["answer_id"],
            helped=value >= 3,
        )
    ]


def _acceptance(
    answer_id: int, author_id: int, actor_id: int, community_id: int, points: int
) -> list[Settle]:
    return [
        Settle(
            cause=f"accepted:a{answer_id}",
            user_id=author_id,
            points=ACCEPTED if points else 0,
            category=Category.ACCEPT,
            reason="answer_accepted",
            community_id=community_id,
            actor_id=actor_id,
            object_type="answer",
            object_id=answer_id,
            helped=True,
        ),
        Settle(
            cause=f"accepter:a{answer_id}",
            user_id=actor_id,
            points=ACCEPTER if points and actor_id != author_id else 0,
            category=Category.ACCEPT,
            reason="accepted_an_answer",
            community_id=community_id,
            actor_id=None,
            object_type="answer",
            object_id=answer_id,
        ),
    ]


def _accepted(p: dict[str, Any]) -> list[Settle]:
    out: list[Settle] = []
    actor, community = int(p["actor_id"]), int(p["community_id"])
    if p.get("previous_answer_id") and p.get("previous_author_id"):
        out += _acceptance(
            int(p["previous_answer_id"]), int(p["previous_author_id"]), actor, community, 0
        )
    if p.get("answer_id") and p.get("answer_author_id"):
        out += _acceptance(int(p["answer_id"]), int(p["answer_author_id"]), actor, community, 1)
    return out


def _answer_deleted(p: dict[str, Any]) -> list[Settle]:
    undo_all("answer", [int(p["answer_id"])], "qa.answer_deleted")
    return []


def _post_deleted(p: dict[str, Any]) -> list[Settle]:
    from practica.qa.models import Answer

    answer_ids = list(Answer.objects.filter(post_id=p["post_id"]).values_list("pk", flat=True))
    undo_all("answer", answer_ids, "qa.post_deleted")
    undo_all("post", [int(p["post_id"])], "qa.post_deleted")
    return []


def answer_causes(answer_ids: list[int]) -> list[Settle]:
    """What the votes, ratings, acceptance and promotion of live answers are worth now, read
    from the Q&A rows (restoring an answer or a post re-credits exactly these)."""
    from practica.qa.models import Answer, Post, Rating, Vote

    answers = {
        a.pk: a
        for a in Answer.objects.filter(
            pk__in=answer_ids, deleted_at__isnull=True, post__deleted_at__isnull=True
        ).select_related("post")
    }
    out: list[Settle] = []
    for v in Vote.objects.filter(answer_id__in=answers):
        a = answers[v.answer_id or 0]
        out += _vote(_qa_payload(a, voter_id=v.user_id, new_value=v.value, answer_id=a.pk))
    for r in Rating.objects.filter(answer_id__in=answers):
        a = answers[r.answer_id]
        out += _rating(_qa_payload(a, rater_id=r.user_id, new_value=r.value, answer_id=a.pk))
    for post in Post.objects.filter(accepted_answer_id__in=answers):
        if post.accepted_answer_id is None:
            continue
        a = answers[post.accepted_answer_id]
        if a.author_id and post.author_id:
            out += _acceptance(a.pk, a.author_id, post.author_id, post.community_id, 1)
    for row in (
        Entry.objects.filter(object_type="answer", object_id__in=answers, reason="answer_promoted")
        .values("cause", "user_id", "actor_id", "community_id", "object_id")
        .distinct()
    ):
        out.append(_promoted_settle(dict(row)))
    return out


def _promoted_settle(row: dict[str, Any]) -> Settle:
    return Settle(
        cause=row["cause"],
        user_id=row["user_id"],
        points=ANSWER_PROMOTED,
        category=Category.WIKI,
        reason="answer_promoted",
        community_id=row["community_id"],
        actor_id=row["actor_id"],
        object_type="answer",
        object_id=row["object_id"],
    )


def _qa_payload(answer: Any, **extra: Any) -> dict[str, Any]:
    return {
        "community_id": answer.post.community_id,
        "post_id": answer.post_id,
        "author_id": answer.author_id,
        **extra,
    }


def _answer_restored(p: dict[str, Any]) -> list[Settle]:
    return answer_causes([int(p["answer_id"])])


def _post_restored(p: dict[str, Any]) -> list[Settle]:
    from practica.qa.models import Answer, Post, Vote

    out: list[Settle] = []
    post = Post.objects.filter(pk=p["post_id"], deleted_at__isnull=True).first()
    if post is None:
        return out
    for v in Vote.objects.filter(post_id=post.pk):
        out += _vote(
            {
                "community_id": post.community_id,
                "post_id": post.pk,
                "answer_id": None,
                "voter_id": v.user_id,
                "author_id": post.author_id,
                "new_value": v.value,
            }
        )
    answer_ids = list(Answer.objects.filter(post_id=post.pk).values_list("pk", flat=True))
    return out + answer_causes(answer_ids)


source("qa.vote_changed")(_vote)
source("qa.answer_rated")(_rating)
source("qa.answer_accepted")(_accepted)
source("qa.answer_deleted")(_answer_deleted)
source("qa.answer_restored")(_answer_restored)
source("qa.post_deleted")(_post_deleted)
source("qa.post_restored")(_post_restored)


# --- Wiki ---------------------------------------------------------------------------------------


def _wiki_key(page_id: int, revision_id: int) -> str:
    return f"{JOB_WIKI_STANDS}:p{page_id}:r{revision_id}"


def wiki_settle(payload: dict[str, Any]) -> Settle:
    return Settle(
        cause=f"wiki:r{payload['revision_id']}",
        user_id=int(payload["author_id"]),
        points=WIKI_STANDS,
        category=Category.WIKI,
        reason="wiki_revision_stood",
        community_id=payload.get("community_id"),
        actor_id=None,
        object_type="wiki_page",
        object_id=int(payload["page_id"]),
    )


def credit_wiki_revision(payload: dict[str, Any], event: str) -> None:
    """The revision stood: credit its author, then tell the badge rules (after the row)."""
    settle(wiki_settle(payload), event)
    bus.emit(
        "recognition.wiki_stood",
        page_id=payload["page_id"],
        revision_id=payload["revision_id"],
        author_id=payload["author_id"],
        community_id=payload.get("community_id"),
    )


def _pending_wiki_jobs(page_id: int) -> list[Any]:
    from practica.scheduling.models import DueJob

    return list(
        DueJob.objects.filter(
            key__startswith=f"{JOB_WIKI_STANDS}:p{page_id}:", done_at__isnull=True
        )
    )


def _revision_saved(p: dict[str, Any]) -> list[Settle]:
    """A revision stands if it is not reverted within ``wiki_stand_days()`` (a due job), or
    as soon as someone else builds on it with a revision that is not a revert."""
    from practica.scheduling.services import cancel, schedule

    if not p.get("author_id"):
        return []
    page_id, rev_id = int(p["page_id"]), int(p["revision_id"])
    out: list[Settle] = []
    for job in _pending_wiki_jobs(page_id):
        earlier = int(job.payload["revision_id"])
        if p.get("reverted_to") is not None:
            if earlier > int(p["reverted_to"]):
                cancel(job.key)  # reverted before it could stand: no credit
        elif earlier < rev_id and job.payload.get("author_id") != p["author_id"]:
            cancel(job.key)  # someone else built on it: it stands now
            credit_wiki_revision(job.payload, "wiki.revision_saved")
    if p.get("reverted_to") is None:
        due = timezone.now() + timedelta(days=wiki_stand_days())
        schedule(JOB_WIKI_STANDS, _wiki_key(page_id, rev_id), due, **p)
    return out


def _page_deleted(p: dict[str, Any]) -> list[Settle]:
    from practica.scheduling.services import cancel

    for job in _pending_wiki_jobs(int(p["page_id"])):
        cancel(job.key)
    undo_all("wiki_page", [int(p["page_id"])], "wiki.page_deleted")
    return []


def _page_restored(p: dict[str, Any]) -> list[Settle]:
    rows = (
        Entry.objects.filter(object_type="wiki_page", object_id=p["page_id"])
        .values("cause", "user_id", "community_id", "reason", "actor_id", "object_id")
        .distinct()
    )
    out = []
    for row in rows:
        points = WIKI_STANDS if row["reason"] == "wiki_revision_stood" else 0
        out.append(
            Settle(
                cause=row["cause"],
                user_id=row["user_id"],
                points=points,
                category=Category.WIKI,
                reason=row["reason"],
                community_id=row["community_id"],
                actor_id=row["actor_id"],
                object_type="wiki_page",
                object_id=row["object_id"],
            )
        )
    return out


def _answer_promoted(p: dict[str, Any]) -> list[Settle]:
    if not p.get("answer_author_id"):
        return []
    return [
        _promoted_settle(
            {
                "cause": f"promoted:a{p['answer_id']}",
                "user_id": int(p["answer_author_id"]),
                "actor_id": p.get("actor_id"),
                "community_id": p.get("community_id"),
                "object_id": int(p["answer_id"]),
            }
        )
    ]


source("wiki.revision_saved")(_revision_saved)
source("wiki.page_deleted")(_page_deleted)
source("wiki.page_restored")(_page_restored)
source("wiki.answer_promoted")(_answer_promoted)


# --- Meetings, consultancy, norms ----------------------------------------------------------------


def _practice(
    cause: str, user_id: int, points: int, reason: str, p: dict[str, Any], obj: tuple[str, int]
) -> Settle:
    return Settle(
        cause=cause,
        user_id=user_id,
        points=points,
        category=Category.PRACTICE,
        reason=reason,
        community_id=p.get("community_id"),
        actor_id=p.get("presenter_id") if reason == "consultancy_facilitated" else None,
        object_type=obj[0],
        object_id=obj[1],
        helped=reason in {"consultancy_facilitated", "consultancy_participated"},
    )


def _meeting_held(p: dict[str, Any]) -> list[Settle]:
    """A meeting whose attendance was recorded took place: its opener and facilitator
    contributed."""
    from practica.practice.meetings.models import Occurrence

    occ = Occurrence.objects.filter(pk=p["occurrence_id"]).first()
    if occ is None:
        return []
    obj = ("meeting", occ.pk)
    out = []
    if occ.opener_id:
        out.append(
            _practice(f"opened:m{occ.pk}", occ.opener_id, MEETING_OPENED, "meeting_opened", p, obj)
        )
        mark_active(occ.opener_id, occ.community_id, occ.starts_at.date())
    if occ.facilitator_id:
        cause = f"facilitated:m{occ.pk}"
        reason = "meeting_facilitated"
        out.append(_practice(cause, occ.facilitator_id, MEETING_FACILITATED, reason, p, obj))
        mark_active(occ.facilitator_id, occ.community_id, occ.starts_at.date())
    return out


def _meeting_cancelled(p: dict[str, Any]) -> list[Settle]:
    undo_all("meeting", [int(p["occurrence_id"])], "meetings.occurrence_cancelled")
    return []


def _session_completed(p: dict[str, Any]) -> list[Settle]:
    sid = int(p["session_id"])
    obj = ("consultancy_session", sid)
    presenter = p.get("presenter_id")
    out = []
    if presenter:
        out.append(
            _practice(
                f"presented:s{sid}", presenter, CONSULTANCY_PRESENTED, "consultancy_presented",
                p, obj,
            )
        )  # fmt: skip
    if p.get("facilitator_id"):
        out.append(
            _practice(
                f"facilitated:s{sid}", p["facilitator_id"], CONSULTANCY_FACILITATED,
                "consultancy_facilitated", p, obj,
            )
        )  # fmt: skip
    for uid in _ids(p.get("participant_ids")):
        if uid in (presenter, p.get("facilitator_id")):
            continue
        item = _practice(
            f"participated:s{sid}:u{uid}", uid, CONSULTANCY_PARTICIPATED,
            "consultancy_participated", p, obj,
        )  # fmt: skip
        out.append(replace(item, actor_id=presenter))  # they helped the presenter
    return out


def _followup(p: dict[str, Any]) -> list[Settle]:
    sid = int(p["session_id"])
    return [
        _practice(
            f"followup:s{sid}", p["presenter_id"], CONSULTANCY_FOLLOWUP, "consultancy_followup",
            p, ("consultancy_session", sid),
        )
    ]  # fmt: skip


def _norm_adopted(p: dict[str, Any]) -> list[Settle]:
    from practica.practice.norms.models import Proposal

    proposer = (
        Proposal.objects.filter(pk=p["proposal_id"])
        .values_list("proposed_by_id", flat=True)
        .first()
    )
    if not proposer:
        return []
    obj = ("norm_proposal", int(p["proposal_id"]))
    return [_practice(f"norm:pr{p['proposal_id']}", proposer, NORM_ADOPTED, "norm_adopted", p, obj)]


def _mentoring_checkin(p: dict[str, Any]) -> list[Settle]:
    """A coaching or mentoring conversation took place: the coach helped the coachee (one
    credit per check-in; coaching is not tied to a community, so it counts overall)."""
    rid, cid = int(p["relationship_id"]), int(p["checkin_id"])
    return [
        Settle(
            cause=f"mentored:r{rid}:c{cid}",
            user_id=int(p["coach_id"]),
            points=MENTORING_CHECKIN,
            category=Category.PRACTICE,
            reason="mentoring_checkin",
            community_id=None,
            actor_id=int(p["coachee_id"]),
            object_type="coaching_relationship",
            object_id=rid,
            helped=True,
        )
    ]


def _stretch_completed(p: dict[str, Any]) -> list[Settle]:
    """The coachee did work beyond what they had done before, and reflected on it."""
    rid, aid = int(p["relationship_id"]), int(p["assignment_id"])
    return [
        Settle(
            cause=f"stretch:a{aid}",
            user_id=int(p["coachee_id"]),
            points=STRETCH_COMPLETED,
            category=Category.PRACTICE,
            reason="stretch_completed",
            community_id=None,
            actor_id=None,
            object_type="coaching_relationship",
            object_id=rid,
        )
    ]


source("meetings.attendance_recorded")(_meeting_held)
source("meetings.occurrence_cancelled")(_meeting_cancelled)
source("consultancy.session_completed")(_session_completed)
source("consultancy.followup_recorded")(_followup)
source("norms.adopted")(_norm_adopted)
source("coaching.checkin_recorded")(_mentoring_checkin)
source("coaching.stretch_completed")(_stretch_completed)


# Events that only count as active days still need the dispatcher.
for _name in ACTIVE_WHEN:
    bus.subscribe(_name)(dispatch)
