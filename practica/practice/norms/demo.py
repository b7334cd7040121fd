"""Demo norms for the *Secondary Math Collaborative* (``practica.demo`` calls
:func:`load_demo_norms` inside its transaction, after the communities exist).

The story: over the autumn the math teachers wrote five norms together, each proposed by a
different member and adopted by consent; one was later reworded, and one (meeting in a
different classroom each time) was retired when half the meetings moved online. Now Kevin's
proposal about trying a colleague's task before critiquing it is under discussion: Grace, a
first-year teacher, objects and signs her objection; the proposal waits for a revision.

Every write goes through the services, as if these people had clicked through the site; only
the timestamps are moved back afterwards, so the history reads like a term's worth of work.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from practica.accounts.models import User
from practica.communities.models import Community
from practica.practice.norms import services
from practica.practice.norms.models import (
    Comment,
    Norm,
    NormSetVersion,
    Proposal,
    ProposalKind,
    ProposalVersion,
    Response,
)

DEMO_SLUG = "secondary-math"
EMAILS = {
    "marcus": "marcus.bell@cedarcreek.test",  # coordinator
    "priya": "priya.raman@cedarcreek.test",  # facilitator
    "samuel": "samuel.osei@cedarcreek.test",
    "aisha": "aisha.rahman@cedarcreek.test",
    "hannah": "hannah.liu@cedarcreek.test",
    "grace": "grace.kim@cedarcreek.test",
    "kevin": "kevin.tran@cedarcreek.test",
}


@dataclass(frozen=True)
class Step:
    """One decided proposal: who proposed what, who agreed (enough for the quorum)."""

    key: str
    proposer: str
    statement: str
    why: str
    agree: tuple[str, ...]
    kind: str = ProposalKind.NEW
    target: str = ""  # the key of the norm a change or retirement is about


STEPS: tuple[Step, ...] = (
    Step(
        "work",
        "priya",
        "We bring real student work, not only our best examples.",
        "We learn most from the tasks that did not go as planned. Polished successes make "
        "everyone else feel behind, and they hide the thinking we came here to study.",
        ("marcus", "hannah", "samuel"),
    ),
    Step(
        "thinking",
        "hannah",
        "We describe what students did and said, never label them “low” or “high”.",
        "Labels stick to children and close down what we notice. Describing the work keeps "
        "us curious about the reasoning behind it, including the reasoning that went wrong.",
        ("priya", "grace", "aisha"),
    ),
    Step(
        "time",
        "marcus",
        "We start and end on time, and Thursday meetings are never about logistics.",
        "Our department meetings drowned in logistics. This hour is for teaching.",
        ("priya", "kevin", "samuel"),
    ),
    Step(
        "rooms",
        "kevin",
        "We meet in a different member's classroom each time.",
        "Seeing where a colleague teaches (the walls, the seating, the board) tells us things "
        "no description can.",
        ("aisha", "hannah", "marcus"),
    ),
    Step(
        "questions",
        "samuel",
        "Before anyone offers advice, we ask the person sharing two questions.",
        "The person sharing knows their classroom better than we do. Questions help them see "
        "it freshly; advice offered too early mostly helps the one giving it.",
        ("priya", "grace", "kevin"),
    ),
    Step(
        "time-change",
        "aisha",
        "We start and end on time; logistics go in the shared notes, not the meeting.",
        "Logistics still need a home, or they leak back into the hour. Writing them down keeps "
        "the meeting for teaching and keeps the people who miss a meeting informed.",
        ("marcus", "priya", "hannah"),
        kind=ProposalKind.CHANGE,
        target="time",
    ),
    Step(
        "small",
        "grace",
        "No question is too small, and no one has to have tried something first to ask.",
        "As a first-year teacher I held questions back for weeks. Saying this out loud makes "
        "it safe for the next new teacher, and the answers help more of us than we admit.",
        ("hannah", "samuel", "kevin"),
    ),
    Step(
        "rooms-retire",
        "kevin",
        "",
        "Half our meetings are online now, and driving between Granite Ridge and Cedar Creek "
        "every other Thursday cost the middle school teachers an hour. We share photos of our "
        "rooms in the notes instead.",
        ("aisha", "marcus", "priya"),
        kind=ProposalKind.RETIRE,
        target="rooms",
    ),
)

OPEN_STATEMENT = "We try a colleague's task with our own students before we critique it."
OPEN_WHY = (
    "Critique lands differently once you have watched your own students struggle with the "
    "same task. It turns “that won't work” into “here is what happened when I tried it”."
)


def load_demo_norms() -> None:
    """Create the demo community's norm history and one open proposal. Does nothing if the
    community is missing or already has proposals, so calling it twice is harmless."""
    community = Community.objects.filter(slug=DEMO_SLUG).first()
    if community is None or Proposal.objects.filter(community=community).exists():
        return
    people = {key: User.objects.get(email=email) for key, email in EMAILS.items()}
    start = timezone.now() - timedelta(days=150)
    adopted: dict[str, Proposal] = {}
    for number, step in enumerate(STEPS):
        proposal = _decide(community, people, step, adopted)
        _move_back(proposal, start + timedelta(days=14 * number))
        adopted[step.key] = proposal
    _open_proposal(community, people)
    services.update_settings(
        people["marcus"],
        community,
        quorum_percent=50,
        revisit_interval_days=90,
        next_revisit_on=services.local_today(people["marcus"].timezone) + timedelta(days=24),
    )


def _decide(
    community: Community, people: dict[str, User], step: Step, adopted: dict[str, Proposal]
) -> Proposal:
    target = None
    if step.target:
        target = Norm.objects.get(proposals=adopted[step.target])
    proposal = services.propose(
        people[step.proposer],
        community,
        kind=step.kind,
        norm=target,
        statement=step.statement,
        why=step.why,
    )
    for key in (step.proposer, *step.agree):  # the fourth response reaches the quorum
        services.respond(people[key], proposal, stance="agree")
    proposal.refresh_from_db()
    return proposal


def _move_back(proposal: Proposal, when: datetime) -> None:
    """Date a decided proposal (and what it wrote) to ``when``: proposed a week earlier."""
    proposed = when - timedelta(days=7)
    Proposal.objects.filter(pk=proposal.pk).update(
        created_at=proposed, decided_at=when, closes_at=when
    )
    ProposalVersion.objects.filter(proposal=proposal).update(created_at=proposed)
    Response.objects.filter(proposal=proposal).update(created_at=when, updated_at=when)
    NormSetVersion.objects.filter(proposal=proposal).update(adopted_at=when)
    if proposal.kind == ProposalKind.RETIRE:
        Norm.objects.filter(proposals=proposal).update(retired_at=when)
    else:
        Norm.objects.filter(proposals=proposal).update(adopted_at=when)


def _open_proposal(community: Community, people: dict[str, User]) -> Proposal:
    kevin = people["kevin"]
    proposal = services.propose(
        kevin,
        community,
        statement=OPEN_STATEMENT,
        why=OPEN_WHY,
        closes_on=services.local_today(kevin.timezone) + timedelta(days=6),
    )
    services.respond(people["aisha"], proposal, stance="agree")
    services.respond(people["samuel"], proposal, stance="agree")
    services.respond(
        people["hannah"],
        proposal,
        stance="stand_aside",
        reason="I teach five sections of Algebra I and cannot promise this every cycle, but I "
        "will not stand in the way.",
    )
    services.respond(
        people["grace"],
        proposal,
        stance="object",
        reason="As a first-year teacher I often cannot try a task before we meet. This would "
        "make me stay quiet instead of sharing what I see. Could it say “when we can”?",
        signed=True,
    )
    first = services.comment(
        people["priya"],
        proposal,
        body="I like the spirit. Maybe the norm is about *how* we critique rather than a "
        "prerequisite for doing it?",
    )
    second = services.comment(
        kevin,
        proposal,
        body="Fair point, Grace. I will wait for a couple more voices, then revise it to "
        "“whenever we can”.",
    )
    services.nudge(people["priya"], proposal, people["marcus"])
    now = timezone.now()
    Proposal.objects.filter(pk=proposal.pk).update(created_at=now - timedelta(days=3))
    ProposalVersion.objects.filter(proposal=proposal).update(created_at=now - timedelta(days=3))
    Comment.objects.filter(pk=first.pk).update(created_at=now - timedelta(days=2, hours=5))
    Comment.objects.filter(pk=second.pk).update(created_at=now - timedelta(days=1, hours=2))
    return proposal
