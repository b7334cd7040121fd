"""The consultancy feature's part of the demo (called by practica.demo after the communities,
norms and meetings): in the Site Leaders Circle, a completed consultancy on a new principal's hard
case (contributions in every step, her reflection and her follow-up), the Circle's own shorter
version of the consultancy protocol, and one upcoming tuning session.

Everything goes through the services; only the timestamps are moved into the past afterwards,
so the completed session reads as having happened five weeks ago.
"""

from __future__ import annotations

import zoneinfo
from datetime import datetime, time, timedelta

from django.db.models import F
from django.utils import timezone

from practica.accounts.models import User
from practica.communities.models import Community
from practica.practice.consultancy import services
from practica.practice.consultancy.loader import load_library
from practica.practice.consultancy.models import Contribution, Protocol, Session

CIRCLE = "site-leaders-circle"
LA = "America/Los_Angeles"

CASE_CONTEXT = """\
I am in my second year at a K-5 school of about 380 students, and the only administrator on site.
This year the district adopted a structured literacy block: 30 minutes of explicit phonics every
morning, with new decodable readers and a common assessment every six weeks.

Our upper-grade team is led, informally but unmistakably, by a teacher who has been at the school
for more than twenty years. Staff go to her before they come to me. She was not part of choosing
the new block, and in our last staff meeting she said, kindly and in front of everyone, that
"we have seen programs come and go." Since then two teachers on her team have quietly gone back
to their old routines, and the first common assessment is in three weeks.
"""

CASE_DILEMMA = """\
If I insist on the block as written, I risk making the most respected teacher in the building
feel pushed aside by a principal who has been here for a year, and I may lose the team with her.
If I let it slide, I am not doing what our students need, and I am telling every other teacher
that the adoption is optional. I also wonder whether some of her doubts are right.
"""

FOCUS = (
    "How can I hold our school to the new literacy block without making our most respected "
    "teacher leader feel pushed aside?"
)

MATERIALS = """\
- The district's one-page summary of the literacy block (shared in the Circle's drive)
- Our school's schedule for the morning block
"""

# (step index, author key, text): the group's contributions, step by step.
CONTRIBUTIONS: tuple[tuple[int, str, str], ...] = (
    (1, "robert", "Has she seen the block taught well anywhere, in a classroom like hers?"),
    (1, "lucia", "Does the district allow any flexibility in how the 30 minutes are used?"),
    (1, "daniel", "When the two teachers went back to their old routines, did they tell you?"),
    (2, "lucia", "What do you think she is protecting when she says programs come and go?"),
    (
        2,
        "robert",
        "What would it look like if she were leading this change instead of resisting it?",
    ),
    (
        2,
        "daniel",
        "Which matters more to you in the next three weeks: the assessment, or the relationship?",
    ),
    (
        3,
        "robert",
        (
            "I hear a principal who respects this teacher and is a little afraid of her. "
            "That's honest, and it's normal in year two."
        ),
    ),
    (
        3,
        "lucia",
        (
            "Twenty years means she has watched several reforms arrive with promises. Her "
            "doubt may be about trust in the district, not about phonics."
        ),
    ),
    (
        3,
        "daniel",
        (
            "What if the first conversation is one-to-one and starts with asking for her read"
            " on what the team needs to make the block work?"
        ),
    ),
    (
        3,
        "robert",
        (
            "The assessment in three weeks could be a shared question instead of a test of "
            "loyalty: let's look at the results together and decide."
        ),
    ),
    (
        4,
        "angela",
        (
            "I came in thinking this was about compliance. I'm leaving thinking it is about "
            "whether she trusts that this adoption will last and that her expertise counts. "
            "I'll ask her to co-lead the first data conversation."
        ),
    ),
    (5, "lucia", "Clarifying questions stayed short this time; that helped."),
    (
        5,
        "daniel",
        (
            "Listening silently was harder than I expected, and more useful. I'd like us to "
            "keep the full 15 minutes."
        ),
    ),
)

REFLECTION = """\
What struck me most was Lucía's point that the doubt might be about trust in the district, not
about phonics. I had been preparing arguments for the method. What I will try:

1. Meet her one to one before the next team meeting and ask for her read first.
2. Invite her to co-lead the conversation about the first common assessment.
3. Be honest with the team that I will hold the block for this year, and that we will judge it
   by our own students' results together.
"""

TRIED = """\
I met her after school the following Tuesday and asked what she thought the team needed. She
talked for forty minutes: about two earlier programs that were dropped after a year, and about
her worry that the decodable readers are too thin for her strongest readers. I asked her to
co-lead the first assessment conversation with me, and she agreed on the condition that we look
at the strongest readers' results as carefully as the others'.
"""

HAPPENED = """\
The assessment conversation was the best team meeting I have had here. She presented the data
herself and proposed ten minutes of the block for extension reading with the strongest readers,
which the district coach approved. Both teachers who had drifted are back to the full block.
It is not all solved: she still doubts the program will last, and said so. But she said it to
me first, not in the staff meeting.
"""


def _people() -> dict[str, User]:
    emails = {
        "angela": "angela.brooks@manzanita.test",
        "elena": "elena.marquez@cedarcreek.test",
        "robert": "robert.nakamura@manzanita.test",
        "daniel": "daniel.foster@cedarcreek.test",
        "lucia": "lucia.herrera@cedarcreek.test",
        "renata": "renata.okafor@sierrafoothills.test",
    }
    users = User.objects.in_bulk(list(emails.values()), field_name="email")
    return {key: users[email] for key, email in emails.items()}


def _library(slug: str) -> Protocol:
    return Protocol.objects.get(slug=slug, community__isnull=True)


def _circle_protocol(circle: Community, people: dict[str, User]) -> Protocol:
    """The Circle's 45-minute version of the consultancy (our meetings are an hour long)."""
    source = _library("consultancy")
    steps = [s.as_snapshot() for s in source.steps.all()]
    steps[0]["minutes"] = 8
    steps[2]["minutes"] = 8
    steps[3]["minutes"] = 12
    steps[5]["name"] = "Debrief and connections"
    steps[5]["purpose"] = (
        "How did the protocol serve the presenter? Then, briefly: where does this dilemma show "
        "up at our own schools? A win at one school becomes a strategy for all of them."
    )
    steps[5]["minutes"] = 7
    return services.adapt_protocol(
        people["renata"],
        source,
        circle,
        title="Circle consultancy (45 minutes)",
        summary="The consultancy protocol fitted to the Circle's hour-long meetings, with a "
        "debrief that connects the case to our own schools.",
        note="Shorter overview and probing steps so it fits an hour with the opener; the debrief "
        "ends with connections to our own schools, which the Circle asked for in our norms.",
        steps=steps,
    )


def _completed_case(circle: Community, people: dict[str, User], protocol: Protocol) -> Session:
    suggestion = services.suggest_facilitator(circle, people["angela"])
    facilitator = suggestion[0] if suggestion else people["elena"]
    others = [
        u.pk
        for key, u in people.items()
        if key in ("elena", "robert", "daniel", "lucia") and u.pk != facilitator.pk
    ]
    session = services.create_session(
        people["angela"],
        circle,
        title="Holding a new literacy block with a team that has seen programs come and go",
        context=CASE_CONTEXT,
        dilemma=CASE_DILEMMA,
        focusing_question=FOCUS,
        materials=MATERIALS,
        protocol=protocol,
        facilitator_id=facilitator.pk,
        participant_ids=others,
        followup_after_days=21,
    )
    services.start_session(facilitator, session)
    for index in range(len(session.steps)):
        if index:
            services.advance_step(facilitator, session)
        for step, key, text in CONTRIBUTIONS:
            if step == index:
                services.add_contribution(people[key], session, body=text)
    services.finish_session(facilitator, session)
    services.write_reflection(people["angela"], session, reflection=REFLECTION)
    services.record_followup(people["angela"], session, tried=TRIED, happened=HAPPENED)
    return session


def _at_half_past_three(days_from_today: int) -> datetime:
    """3:30 pm in the Circle's time zone (the network is in California), some days from today."""
    zone = zoneinfo.ZoneInfo(LA)
    day = timezone.now().astimezone(zone).date() + timedelta(days=days_from_today)
    return datetime.combine(day, time(15, 30), tzinfo=zone)


def _backdate(session: Session, days: int) -> None:
    """Move the whole session to 3:30 pm ``days`` ago, keeping its internal rhythm (each
    contribution keeps its place); the reflection came the next day, the follow-up 22 days on."""
    started = Session.objects.values_list("started_at", flat=True).get(pk=session.pk)
    assert started is not None
    shift = started - _at_half_past_three(-days)
    Session.objects.filter(pk=session.pk).update(
        created_at=F("created_at") - shift - timedelta(days=7),
        scheduled_for=F("started_at") - shift,
        started_at=F("started_at") - shift,
        completed_at=F("completed_at") - shift,
        reflected_at=F("reflected_at") - shift + timedelta(days=1),
        followup_due_at=F("followup_due_at") - shift,
        followup_requested_at=None,
        followup_recorded_at=F("completed_at") - shift + timedelta(days=22),
        updated_at=F("completed_at") - shift + timedelta(days=22),
    )
    Contribution.objects.filter(session=session).update(created_at=F("created_at") - shift)


def _upcoming(circle: Community, people: dict[str, User]) -> Session:
    suggestion = services.suggest_facilitator(circle, people["daniel"])
    facilitator = suggestion[0] if suggestion else people["robert"]
    others = [
        u.pk
        for key, u in people.items()
        if key in ("angela", "elena", "lucia", "robert") and u.pk != facilitator.pk
    ]
    return services.create_session(
        people["daniel"],
        circle,
        title="Tuning our draft master schedule for common planning time",
        context="Next year every grade-level team at our middle school should have a common "
        "planning period, which we have never managed. I have a draft master schedule that "
        "does it, at the cost of moving two electives and splitting one lunch.",
        dilemma="The draft works on paper. I am not sure it works for the people who have to "
        "live in it, and I cannot see the draft's blind spots any more.",
        focusing_question="Where will this schedule hurt, and for whom, and is common planning "
        "time worth it?",
        materials="The draft schedule and last year's, side by side (shared in the Circle's "
        "drive before the meeting).",
        protocol=_library("tuning"),
        facilitator_id=facilitator.pk,
        participant_ids=others,
        scheduled_for=_at_half_past_three(9),
    )


def load_demo() -> None:
    """Create this feature's demo content through its services."""
    load_library()  # idempotent: the migration loaded it, unless the database was flushed since
    circle = Community.objects.get(slug=CIRCLE)
    people = _people()
    protocol = _circle_protocol(circle, people)
    completed = _completed_case(circle, people, protocol)
    _backdate(completed, 36)
    _upcoming(circle, people)
