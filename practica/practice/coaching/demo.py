"""The demo's coaching and mentoring (called by ``practica.demo``).

- Samuel (physics and maths, Cedar Creek High) coaches Kevin (grade 6 maths, Granite Ridge MS)
  on questioning, with a stretch goal, check-ins and a stretch assignment done.
- Lucia (principal, Willow Bend ES) mentors Daniel (principal, Granite Ridge MS) — each the
  only principal on their campus — across the two districts.
- Angela (principal, Quail Hollow ES) has asked Elena to be her peer; Elena hasn't answered.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from practica.accounts.models import User
from practica.practice.coaching import services
from practica.practice.coaching.models import GoalStatus, Kind


def _people() -> dict[str, User]:
    from practica.demo import PEOPLE

    emails = {p.key: p.email for p in PEOPLE}
    by_email = {u.email: u for u in User.objects.filter(email__in=emails.values())}
    return {key: by_email[email] for key, email in emails.items() if email in by_email}


def load_demo() -> None:
    people = _people()
    today = timezone.localdate()
    with transaction.atomic():
        ask = services.request_match(
            people["kevin"],
            people["samuel"],
            kind=Kind.COACHING,
            message="I want my students to do more of the talking in maths discussions.",
        )
        coaching = services.decide(
            people["samuel"],
            ask.pk,
            accept=True,
            focus="Questioning that gets sixth graders to explain their thinking",
        )
        assert coaching is not None
        stretch = services.add_goal(
            people["kevin"],
            coaching,
            stretch=True,
            text="Lead a lesson study cycle with two colleagues this spring",
        )
        talk = services.add_goal(
            people["samuel"], coaching, text="Students talk at least half of each discussion"
        )
        services.update_goal(people["kevin"], talk, status=GoalStatus.OPEN, progress=60)
        services.update_goal(people["kevin"], stretch, status=GoalStatus.OPEN, progress=25)
        services.check_in(
            people["samuel"],
            coaching,
            held_on=today - timedelta(days=21),
            notes="Watched a recording of Kevin's ratio lesson. He asks good questions, then "
            "answers them himself after two seconds. Agreed: count to seven, silently.",
        )
        services.check_in(
            people["kevin"],
            coaching,
            held_on=today - timedelta(days=7),
            notes="Wait time works — more hands, and Maya explained her double number line "
            "to the class. Next: 'who can add to that?' instead of 'right!'",
        )
        task = services.assign_stretch(
            people["samuel"],
            coaching,
            goal=stretch,
            due_on=today - timedelta(days=2),
            title="Co-plan and teach one research lesson",
            description="Plan with Grace, teach while Samuel and Grace observe students, debrief.",
        )
        services.complete_stretch(
            people["kevin"],
            task,
            reflection="Being observed was easier when they watched students, not me. "
            "The debrief showed three students never spoke; we planned roles for next time.",
        )
        mentor_ask = services.request_match(
            people["daniel"],
            people["lucia"],
            kind=Kind.MENTORING,
            message="You've led a school through a schedule change. I'm about to start one.",
        )
        mentoring = services.decide(
            people["lucia"], mentor_ask.pk, accept=True, focus="Leading a schedule change"
        )
        assert mentoring is not None
        services.add_goal(
            people["daniel"], mentoring, text="A staff-shaped plan for next year's bell schedule"
        )
        services.check_in(
            people["lucia"],
            mentoring,
            held_on=today - timedelta(days=10),
            notes="Talked through who to involve first. Daniel will run two listening sessions "
            "before proposing anything.",
        )
        services.request_match(
            people["angela"],
            people["elena"],
            kind=Kind.PEER,
            message="Would you be a thinking partner this year? We both run schools alone.",
        )
