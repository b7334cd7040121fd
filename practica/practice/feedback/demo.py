"""The demo's honest feedback, trust pulses and health (called by ``practica.demo``).

- Site Leaders Circle: Daniel, a principal, asked four colleagues how he runs staff meetings
  (anonymous, k=3); everyone answered, so it was released; his reflection is shared.
- Secondary Math Collaborative and Site Leaders Circle: six months of trust pulses, every six
  weeks, with trust rising as the groups settled their norms. Past pulses are written as
  history (closed, totals only — exactly what a pulse keeps); the current one is open.
- Health weeks are summarized from the Q&A demo.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from practica.accounts.models import User
from practica.communities.models import Community
from practica.practice.feedback import health, services, trust
from practica.practice.feedback.models import SCALE_POINTS, Pulse

PULSE_HISTORY = {
    # community slug -> the team's mean agreement (1-7, trust direction) at each past pulse
    "secondary-math": [4.1, 4.4, 4.6, 5.1],
    "site-leaders-circle": [3.8, 4.3, 4.9, 5.4],
}
RESPONDENTS = {"secondary-math": [6, 6, 7, 7], "site-leaders-circle": [5, 5, 6, 6]}


def _people() -> dict[str, User]:
    from practica.demo import PEOPLE

    emails = {p.key: p.email for p in PEOPLE}
    by_email = {u.email: u for u in User.objects.filter(email__in=emails.values())}
    return {key: by_email[email] for key, email in emails.items() if email in by_email}


def _feedback_round(people: dict[str, User]) -> None:
    circle = Community.objects.get(slug="site-leaders-circle")
    asked = ["elena", "robert", "lucia", "angela"]
    request = services.request_feedback(
        people["daniel"],
        circle,
        aspect="How I run our Monday staff meetings",
        context=(
            "I've been told our Monday meetings feel like announcements. I'd like to know "
            "what it is like to sit in one."
        ),
        questions=[
            services.QuestionSpec("What should I keep doing?"),
            services.QuestionSpec("What is one thing I could change first?"),
            services.QuestionSpec("How much do staff get to shape the agenda?", with_scale=True),
        ],
        invitee_ids=[people[k].pk for k in asked],
        closes_at=timezone.now() + timedelta(days=10),
        k=3,
    )
    q1, q2, q3 = request.questions.all()
    answers = {
        "elena": ("You open with a student story; people remember why we are there.",
                  "Send the agenda two days ahead and ask for one item from staff.", 2),
        "robert": ("You follow up on what was said last time. That builds trust.",
                   "Let a teacher lead one segment each week.", 3),
        "lucia": ("Starting and ending on time is a gift.",
                  "Cut announcements to an email; use the time to talk.", 2),
        "angela": ("You admit when you don't know. That makes it safe to ask.",
                   "Ask quieter staff before the meeting what they want raised.", 3),
    }  # fmt: skip
    for key, (keep, change, scale) in answers.items():
        services.respond(
            people[key], request, {q1.pk: (keep, None), q2.pk: (change, None), q3.pk: ("", scale)}
        )
    request.refresh_from_db()
    services.reflect(
        people["daniel"],
        request,
        reflection=(
            "The pattern is clear: what works is the relationships; what doesn't is that staff "
            "barely shape the agenda."
        ),
        will_change=(
            "From next month: announcements go out by e-mail on Friday, the agenda is open for "
            "items until Saturday, and a teacher leads the first ten minutes."
        ),
        shared=True,
    )


def _histogram(
    rng: random.Random, statements: list[dict[str, object]], mean: float, n: int
) -> list[list[int]]:
    """Plausible totals for ``n`` people around ``mean`` (trust direction), per statement."""
    rows = []
    for statement in statements:
        counts = [0] * SCALE_POINTS
        for _ in range(n):
            value = min(SCALE_POINTS, max(1, round(rng.gauss(mean, 0.9))))
            if statement["reverse"]:
                value = SCALE_POINTS + 1 - value
            counts[value - 1] += 1
        rows.append(counts)
    return rows


def _pulse_history() -> None:
    rng = random.Random(20261128)  # the same demo every time
    now = timezone.now()
    for slug, means in PULSE_HISTORY.items():
        community = Community.objects.get(slug=slug)
        config = trust.settings_for(community)
        for i, mean in enumerate(means):
            opened = now - timedelta(weeks=6 * (len(means) - i))
            n = RESPONDENTS[slug][i]
            Pulse.objects.create(
                community=community, statements=config.statements, opened_at=opened,
                closes_at=opened + timedelta(days=config.open_days), closed=True,
                k=config.k, respondents=n,
                histogram=_histogram(rng, config.statements, mean, n),
            )  # fmt: skip
        trust.open_pulse(community)


def load_demo() -> None:
    people = _people()
    with transaction.atomic():
        _feedback_round(people)
        _pulse_history()
        for community in Community.objects.filter(
            slug__in=["secondary-math", "early-literacy", "site-leaders-circle"]
        ):
            health.recompute_weeks(community)
