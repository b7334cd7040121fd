"""The badges Practica ships: 27 original badges across learning, helping, sharing, the wiki
and the practices of a community (meetings, consultancy, norms, kudos).

Every rule takes ``user_ids`` (None: everyone, for the backfill) and returns
``{user_id: Evidence}`` in a constant number of queries. Q&A badges read the Q&A rows (live,
not deleted); practice badges read the reputation ledger, whose rows name their causes, so a
new practice badge needs no new table. Rules count causes whose net is positive: an undone
cause (a cancelled meeting, a reverted edit) does not count.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Count, F, Max, QuerySet, Sum

from practica.recognition.badges import Evidence, Rule, badge
from practica.recognition.models import Entry, Helped, Kudos

QA_RATED = ("qa.answer_rated",)
QA_ACCEPTED = ("qa.answer_accepted",)


def _only(qs: QuerySet[Any], field: str, user_ids: list[int] | None) -> QuerySet[Any]:
    return qs if user_ids is None else qs.filter(**{f"{field}__in": user_ids})


def _first_by_user(rows: Any, user_key: str, make: Any) -> dict[int, Evidence]:
    out: dict[int, Evidence] = {}
    for row in rows:
        uid = row[user_key]
        if uid and uid not in out:
            out[uid] = make(row)
    return out


# --- Reading the ledger -------------------------------------------------------------------------


def ledger_rule(reason: str, n: int, what: str, *, distinct_actors: bool = False) -> Rule:
    """Earned by ``n`` causes of ``reason`` that still stand (or ``n`` distinct people they
    concerned, with ``distinct_actors``)."""

    def rule(user_ids: list[int] | None) -> dict[int, Evidence]:
        rows = (
            _only(Entry.objects.filter(reason=reason), "user_id", user_ids)
            .values("user_id", "cause", "community_id", "object_type", "object_id", "actor_id")
            .annotate(net=Sum("points"))
            .filter(net__gt=0)
            .order_by("user_id", "cause")
        )
        groups: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for row in rows:
            groups[row["user_id"]].append(row)
        out = {}
        for uid, causes in groups.items():
            count = len({c["actor_id"] for c in causes}) if distinct_actors else len(causes)
            if count >= n:
                last = causes[-1]
                out[uid] = Evidence(
                    last["community_id"], last["object_type"], last["object_id"], what
                )
        return out

    return rule


# --- Learning -----------------------------------------------------------------------------------


def _rated_by(min_people: int, note: str) -> Rule:
    """An answer of theirs rated 4 or more by ``min_people`` other people."""

    def rule(user_ids: list[int] | None) -> dict[int, Evidence]:
        from practica.qa.models import Rating

        rows = (
            _only(
                Rating.objects.filter(
                    value__gte=4,
                    answer__deleted_at__isnull=True,
                    answer__post__deleted_at__isnull=True,
                ).exclude(user_id=F("answer__author_id")),
                "answer__author_id",
                user_ids,
            )
            .values("answer__author_id", "answer_id", "answer__post__community_id")
            .annotate(n=Count("user_id", distinct=True))
            .filter(n__gte=min_people)
            .order_by("answer__author_id", "-n")
        )
        return _first_by_user(
            rows,
            "answer__author_id",
            lambda r: Evidence(r["answer__post__community_id"], "answer", r["answer_id"], note),
        )

    return rule


badge(
    "taught-something", "Taught Something", tier="bronze", category="learning",
    description="Someone rated an answer of yours 4 or 5 for what it taught them.",
    criteria="Write an answer that another member rates 4 or more for educational value.",
    events=QA_RATED,
)(_rated_by(1, "An answer rated 4+ for what it taught."))  # fmt: skip

badge(
    "lesson-worth-keeping", "Lesson Worth Keeping", tier="silver", category="learning",
    description="Five people rated one of your answers 4 or 5 for educational value.",
    criteria="Write an answer that five different members rate 4 or more for educational value.",
    events=QA_RATED,
)(_rated_by(5, "An answer rated 4+ by five colleagues."))  # fmt: skip

badge(
    "classroom-classic", "Classroom Classic", tier="gold", category="learning",
    description="Fifteen people rated one of your answers 4 or 5: a reference others return to.",
    criteria="Write an answer that fifteen different members rate 4 or more.",
    events=QA_RATED,
)(_rated_by(15, "An answer rated 4+ by fifteen colleagues."))  # fmt: skip


def _learned_notes(n: int, note: str) -> Rule:
    """Rated ``n`` answers with a "what I learned" note (learning out loud)."""

    def rule(user_ids: list[int] | None) -> dict[int, Evidence]:
        from practica.qa.models import Rating

        rows = (
            _only(Rating.objects.exclude(note=""), "user_id", user_ids)
            .values("user_id")
            .annotate(n=Count("id"), last=Max("answer_id"))
            .filter(n__gte=n)
        )
        return {r["user_id"]: Evidence(None, "answer", r["last"], note, None) for r in rows}

    return rule


def _with_community(rule: Rule) -> Rule:
    """Fill in the evidence's community from the answer (rules that only know the answer)."""

    def wrapped(user_ids: list[int] | None) -> dict[int, Evidence]:
        from practica.qa.models import Answer

        found = rule(user_ids)
        ids = [e.object_id for e in found.values() if e.object_id]
        where = dict(Answer.objects.filter(pk__in=ids).values_list("pk", "post__community_id"))
        return {
            uid: Evidence(where.get(e.object_id or 0), e.object_type, e.object_id, e.note)
            for uid, e in found.items()
        }

    return wrapped


badge(
    "noted", "Noted", tier="bronze", category="learning",
    description="You wrote down what you learned from an answer.",
    criteria="Rate an answer and add a short note on what you learned from it.",
    events=QA_RATED,
)(_with_community(_learned_notes(1, "Wrote down what they learned.")))  # fmt: skip

badge(
    "reflective-practitioner", "Reflective Practitioner", tier="silver", category="learning",
    description="Ten times you wrote down what you learned from a colleague's answer.",
    criteria="Rate ten answers with a note on what you learned from each.",
    events=QA_RATED,
)(_with_community(_learned_notes(10, "Ten notes on what they learned.")))  # fmt: skip


@badge(
    "curious-mind",
    "Curious Mind",
    tier="bronze",
    category="learning",
    description="You asked a question that a colleague answered.",
    criteria="Ask a question that receives at least one answer from someone else.",
    events=("qa.answer_posted",),
)
def curious_mind(user_ids: list[int] | None) -> dict[int, Evidence]:
    from practica.qa.models import Answer

    rows = (
        _only(
            Answer.objects.filter(
                deleted_at__isnull=True, post__deleted_at__isnull=True, post__kind="question"
            ).exclude(author_id=F("post__author_id")),
            "post__author_id",
            user_ids,
        )
        .values("post__author_id", "post_id", "post__community_id")
        .order_by("post__author_id", "post_id")
    )
    return _first_by_user(
        rows,
        "post__author_id",
        lambda r: Evidence(
            r["post__community_id"], "post", r["post_id"], "Asked, and was answered."
        ),
    )


# --- Helping ------------------------------------------------------------------------------------


def _accepted(n: int, note: str) -> Rule:
    def rule(user_ids: list[int] | None) -> dict[int, Evidence]:
        from practica.qa.models import Post

        rows = (
            _only(
                Post.objects.filter(
                    deleted_at__isnull=True,
                    accepted_answer__isnull=False,
                    accepted_answer__deleted_at__isnull=True,
                ).exclude(author_id=F("accepted_answer__author_id")),
                "accepted_answer__author_id",
                user_ids,
            )
            .values("accepted_answer__author_id")
            .annotate(n=Count("id"), last=Max("accepted_answer_id"), c=Max("community_id"))
            .filter(n__gte=n)
        )
        return {
            r["accepted_answer__author_id"]: Evidence(r["c"], "answer", r["last"], note)
            for r in rows
        }

    return rule


badge(
    "first-hand", "First Hand", tier="bronze", category="helping",
    description="A colleague accepted your answer as the one that helped.",
    criteria="Have one of your answers accepted by the person who asked.",
    events=QA_ACCEPTED,
)(_accepted(1, "An answer accepted by the asker."))  # fmt: skip

badge(
    "helping-hand", "Helping Hand", tier="silver", category="helping",
    description="Ten of your answers were accepted.",
    criteria="Have ten of your answers accepted by the people who asked.",
    events=QA_ACCEPTED,
)(_accepted(10, "Ten accepted answers."))  # fmt: skip

badge(
    "pillar", "Pillar of the Community", tier="gold", category="helping",
    description="Fifty of your answers were accepted.",
    criteria="Have fifty of your answers accepted by the people who asked.",
    events=QA_ACCEPTED,
)(_accepted(50, "Fifty accepted answers."))  # fmt: skip


def _helped(n: int, note: str) -> Rule:
    def rule(user_ids: list[int] | None) -> dict[int, Evidence]:
        rows = (
            _only(Helped.objects.all(), "helper_id", user_ids)
            .values("helper_id")
            .annotate(n=Count("person_id", distinct=True), c=Max("community_id"))
            .filter(n__gte=n)
        )
        return {r["helper_id"]: Evidence(r["c"], "community", r["c"], note) for r in rows}

    return rule


HELP_EVENTS = (
    "qa.answer_rated", "qa.vote_changed", "qa.answer_accepted", "consultancy.session_completed",
)  # fmt: skip

badge(
    "good-neighbour", "Good Neighbour", tier="bronze", category="helping",
    description="You helped five different colleagues.",
    criteria="Help five different people: they rate your answer 3+, vote it helpful, accept it, "
    "or you support their consultancy.",
    events=HELP_EVENTS,
)(_helped(5, "Helped five different colleagues."))  # fmt: skip

badge(
    "community-anchor", "Community Anchor", tier="gold", category="helping",
    description="You helped twenty-five different colleagues.",
    criteria="Help twenty-five different people (see Good Neighbour for what counts).",
    events=HELP_EVENTS,
)(_helped(25, "Helped twenty-five different colleagues."))  # fmt: skip


# --- Sharing ------------------------------------------------------------------------------------


def _posts(kind: str, note: str, n: int = 1, **lookups: Any) -> Rule:
    def rule(user_ids: list[int] | None) -> dict[int, Evidence]:
        from practica.qa.models import Post

        rows = (
            _only(
                Post.objects.filter(kind=kind, deleted_at__isnull=True, **lookups),
                "author_id",
                user_ids,
            )
            .values("author_id")
            .annotate(n=Count("id"), last=Max("id"), c=Max("community_id"))
            .filter(n__gte=n)
        )
        return {r["author_id"]: Evidence(r["c"], "post", r["last"], note) for r in rows}

    return rule


badge(
    "open-door",
    "Open Door",
    tier="bronze",
    category="sharing",
    description="You shared a struggle and three colleagues answered.",
    criteria="Share a struggle (a challenge you are facing) that receives three answers.",
    events=("qa.answer_posted",),
)(_posts("struggle", "A struggle shared that drew three answers.", answer_count__gte=3))

badge(
    "brave-space", "Brave Space", tier="silver", category="sharing",
    description="Five times you shared a struggle and got help.",
    criteria="Share five struggles that each receive at least one answer.",
    events=("qa.answer_posted",),
)(_posts("struggle", "Five struggles shared, each answered.", 5, answer_count__gte=1))  # fmt: skip

badge(
    "bright-spot", "Bright Spot", tier="bronze", category="sharing",
    description="You shared a success that three colleagues found helpful.",
    criteria="Share a success (what worked) that reaches three helpful votes.",
    events=("qa.vote_changed",),
)(_posts("success", "A success three colleagues found helpful.", vote_score__gte=3))  # fmt: skip


# --- Wiki ---------------------------------------------------------------------------------------

WIKI_EVENTS = ("wiki.revision_saved", "recognition.wiki_stood")

badge(
    "scribe", "Scribe", tier="bronze", category="wiki",
    description="A wiki edit of yours stood: nobody reverted it.",
    criteria="Make a wiki edit that is not reverted within a week (or that others build on).",
    events=WIKI_EVENTS,
)(ledger_rule("wiki_revision_stood", 1, "A wiki edit that stood."))  # fmt: skip

badge(
    "librarian", "Librarian", tier="silver", category="wiki",
    description="Ten of your wiki edits stood.",
    criteria="Make ten wiki edits that stand.",
    events=WIKI_EVENTS,
)(ledger_rule("wiki_revision_stood", 10, "Ten wiki edits that stood."))  # fmt: skip

badge(
    "from-answer-to-wiki", "From Answer to Wiki", tier="silver", category="wiki",
    description="One of your answers was promoted into the community's wiki.",
    criteria="Write an answer good enough that it is promoted to the wiki.",
    events=("wiki.answer_promoted",),
)(ledger_rule("answer_promoted", 1, "An answer promoted to the wiki."))  # fmt: skip


# --- Community practice: meetings, consultancy, norms, kudos --------------------------------------

MEETING = ("meetings.attendance_recorded",)
CONSULTANCY = ("consultancy.session_completed",)

badge(
    "icebreaker", "Icebreaker", tier="bronze", category="practice",
    description="You opened a community meeting with a community-building activity.",
    criteria="Be the opener of a meeting that takes place.",
    events=MEETING,
)(ledger_rule("meeting_opened", 1, "Opened a meeting."))  # fmt: skip

badge(
    "warm-welcome", "Warm Welcome", tier="silver", category="practice",
    description="You opened five community meetings.",
    criteria="Be the opener of five meetings that take place.",
    events=MEETING,
)(ledger_rule("meeting_opened", 5, "Opened five meetings."))  # fmt: skip

badge(
    "steady-hand", "Steady Hand", tier="silver", category="practice",
    description="You facilitated three community meetings.",
    criteria="Facilitate three meetings that take place.",
    events=MEETING,
)(ledger_rule("meeting_facilitated", 3, "Facilitated three meetings."))  # fmt: skip

badge(
    "brought-a-dilemma", "Brought a Dilemma", tier="bronze", category="practice",
    description="You presented a real dilemma to a consultancy protocol.",
    criteria="Present in a consultancy session that is completed.",
    events=CONSULTANCY,
)(ledger_rule("consultancy_presented", 1, "Presented a dilemma."))  # fmt: skip

badge(
    "critical-friend", "Critical Friend", tier="bronze", category="practice",
    description="You took part in three consultancy sessions for colleagues.",
    criteria="Participate in three completed consultancy sessions presented by others.",
    events=CONSULTANCY,
)(ledger_rule("consultancy_participated", 3, "A critical friend three times."))  # fmt: skip

badge(
    "mentor",
    "Mentor",
    tier="gold",
    category="practice",
    description="You facilitated consultancy sessions for three different colleagues.",
    criteria="Facilitate completed consultancy sessions for three different presenters.",
    events=CONSULTANCY,
)(ledger_rule("consultancy_facilitated", 3, "Mentored three colleagues.", distinct_actors=True))

badge(
    "thinking-partner", "Thinking Partner", tier="silver", category="practice",
    description="You coached or mentored two colleagues through regular check-ins.",
    criteria="Record coaching or mentoring check-ins with two different colleagues.",
    events=("coaching.checkin_recorded",),
)(ledger_rule("mentoring_checkin", 2, "Coached two colleagues.", distinct_actors=True))  # fmt: skip

badge(
    "stretched", "Stretched", tier="bronze", category="practice",
    description="You took on a stretch assignment and reflected on what you learned.",
    criteria="Complete a stretch assignment agreed with your coach, with a reflection.",
    events=("coaching.stretch_completed",),
)(ledger_rule("stretch_completed", 1, "Completed a stretch assignment."))  # fmt: skip

badge(
    "followed-through", "Followed Through", tier="silver", category="practice",
    description="You came back to tell the group what you tried after your consultancy.",
    criteria="Record a follow-up after presenting in a consultancy session.",
    events=("consultancy.followup_recorded",),
)(ledger_rule("consultancy_followup", 1, "Followed through on a consultancy."))  # fmt: skip

badge(
    "consent-builder", "Consent Builder", tier="bronze", category="practice",
    description="A norm you proposed was adopted by consent.",
    criteria="Propose a norm that the community adopts.",
    events=("norms.adopted",),
)(ledger_rule("norm_adopted", 1, "Proposed a norm that was adopted."))  # fmt: skip


def _kudos(field: str, other: str, note: str) -> Rule:
    def rule(user_ids: list[int] | None) -> dict[int, Evidence]:
        rows = (
            _only(Kudos.objects.all(), field, user_ids)
            .values(field)
            .annotate(n=Count(other, distinct=True), last=Max("id"), c=Max("community_id"))
            .filter(n__gte=3)
        )
        return {r[field]: Evidence(r["c"], "kudos", r["last"], note) for r in rows}

    return rule


badge(
    "appreciated", "Appreciated", tier="bronze", category="practice",
    description="Three different colleagues thanked you with kudos.",
    criteria="Receive kudos from three different people.",
    events=("recognition.kudos_given",),
)(_kudos("recipient_id", "giver_id", "Thanked by three colleagues."))  # fmt: skip

badge(
    "gratitude", "Gratitude", tier="bronze", category="practice",
    description="You thanked three different colleagues with kudos.",
    criteria="Give kudos to three different people.",
    events=("recognition.kudos_given",),
)(_kudos("giver_id", "recipient_id", "Thanked three colleagues."))  # fmt: skip
