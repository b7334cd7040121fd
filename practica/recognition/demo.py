"""The recognition feature's part of the demo (called by practica.demo, after Q&A, wiki,
consultancy and the others).

The demo network is small, so its admin set smaller level thresholds than the defaults (a
real use of per-organization thresholds). The communities have met for months, so members
have past days of contribution. Goals (one close to done), kudos and a leaderboard are created
through the services. The demo loads in one transaction, so the other features' events reach
the ledger only when it commits; the badge backfill runs right after that (on commit).
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from practica.accounts.models import Organization, User
from practica.communities.models import Community
from practica.recognition import badges, ledger, services
from practica.recognition.jobs import ensure_daily_backfill
from practica.recognition.models import Kudos

NETWORK = "sierra-foothills"
EMAILS = {
    "renata": "renata.okafor@sierrafoothills.test",
    "marcus": "marcus.bell@cedarcreek.test",
    "priya": "priya.raman@cedarcreek.test",
    "samuel": "samuel.osei@cedarcreek.test",
    "aisha": "aisha.rahman@cedarcreek.test",
    "hannah": "hannah.liu@cedarcreek.test",
    "grace": "grace.kim@cedarcreek.test",
    "kevin": "kevin.tran@cedarcreek.test",
    "jasmine": "jasmine.ortiz@manzanita.test",
    "nadia": "nadia.petrova@manzanita.test",
    "sofia": "sofia.alvarez@manzanita.test",
    "ruth": "ruth.castillo@manzanita.test",
    "tyler": "tyler.greene@manzanita.test",
    "brianna": "brianna.walsh@manzanita.test",
    "angela": "angela.brooks@manzanita.test",
}
# Level -> (reputation, distinct people helped, days active): a small network's thresholds.
THRESHOLDS = {1: (5, 1, 2), 2: (20, 2, 4), 3: (50, 3, 8), 4: (120, 5, 14)}
# Weeks in which each person contributed before today (the communities meet fortnightly).
HISTORY = {
    "secondary-math": {
        "priya": 16, "marcus": 14, "samuel": 10, "aisha": 8, "hannah": 4, "grace": 2, "kevin": 1,
    },
    "early-literacy": {
        "nadia": 15, "jasmine": 12, "sofia": 9, "ruth": 6, "tyler": 3, "brianna": 2, "angela": 1,
    },
}  # fmt: skip
KUDOS = (
    ("secondary-math", "hannah", "samuel",
     "Your number-talk routine got my quietest period talking about strategies. Thank you!"),
    ("secondary-math", "kevin", "priya",
     "Thanks for sitting in on my lesson and for the one thing to try next. It worked."),
    ("secondary-math", "grace", "aisha",
     "Your card sort on linear functions saved my Tuesday."),
    ("secondary-math", "samuel", "hannah",
     "Sharing the lesson that flopped took courage, and it helped all of us."),
    ("secondary-math", "priya", "marcus",
     "Thank you for keeping the lesson-study cycle going through testing season."),
    ("secondary-math", "aisha", "kevin",
     "Your exit-ticket idea (ask for the likely misconception) is now in my plans every week."),
    ("secondary-math", "marcus", "grace",
     "Thanks for bringing real student work to Thursday's meeting."),
    ("early-literacy", "brianna", "sofia",
     "The decodable-text list you shared is exactly what my group needed."),
    ("early-literacy", "angela", "nadia",
     "Thank you for the calm way you facilitated our data meeting."),
    ("early-literacy", "tyler", "ruth",
     "Your oral-language warm-ups for English learners are a joy to teach."),
)  # fmt: skip


def load_demo() -> None:
    """Create the recognition demo (does nothing if the network is missing or it is loaded)."""
    network = Organization.objects.filter(slug=NETWORK).first()
    if (
        network is None
        or Kudos.objects.filter(community__organization__path__startswith=network.path).exists()
    ):
        return
    who = {u.email: u for u in User.objects.filter(email__in=EMAILS.values())}
    people = {key: who[email] for key, email in EMAILS.items() if email in who}
    communities = Community.objects.select_related("organization").in_bulk(
        list(HISTORY), field_name="slug"
    )
    if "renata" in people:
        services.set_level_requirements(people["renata"], network, THRESHOLDS)
    _history(communities, people)
    _goals_and_kudos(communities, people)
    transaction.on_commit(_after_commit)


def _history(communities: dict[str, Community], people: dict[str, User]) -> None:
    today = timezone.now().date()
    for slug, weeks in HISTORY.items():
        community = communities.get(slug)
        if community is None:
            continue
        for key, count in weeks.items():
            if key in people:
                for week in range(1, count + 1):
                    ledger.mark_active(people[key].pk, community.pk, today - timedelta(weeks=week))


def _goals_and_kudos(communities: dict[str, Community], people: dict[str, User]) -> None:
    today = timezone.now().date()
    month_end = (today.replace(day=1) + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    math = communities.get("secondary-math")
    literacy = communities.get("early-literacy")
    if math is not None and "marcus" in people:
        services.create_goal(
            people["marcus"], math, title="Thank eight colleagues who helped you this month",
            metric="kudos", target=8, starts_on=today.replace(day=1), ends_on=month_end,
        )  # fmt: skip
        services.create_goal(
            people["marcus"], math, title="90% of questions answered within 48 hours",
            metric="answered_48h", target=90, starts_on=today.replace(day=1), ends_on=month_end,
        )  # fmt: skip
        services.update_settings(people["marcus"], math, leaderboard_enabled=True)
    if literacy is not None and "jasmine" in people:
        services.create_goal(
            people["jasmine"], literacy, title="Every member opens a meeting this term",
            metric="members_opened", target=100, starts_on=today - timedelta(days=30),
            ends_on=today + timedelta(days=60),
        )  # fmt: skip
    for slug, giver, recipient, note in KUDOS:
        community = communities.get(slug)
        if community is not None and giver in people and recipient in people:
            services.give_kudos(people[giver], people[recipient], community, note=note)


def _after_commit() -> None:
    """After the demo commits (and every feature's events reached the ledger): award the badges
    already earned and schedule the daily safety net."""
    badges.backfill()
    ensure_daily_backfill()
