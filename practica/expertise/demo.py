"""The expertise feature's part of the demo (called by practica.demo after the Q&A demo).

- Earned expertise is *derived*: rebuilt here from the Q&A demo's answers, ratings and
  acceptances (the Q&A events are delivered only when the whole demo commits).
- Routing: the two oldest unanswered questions of the Secondary Math Collaborative are routed
  to the members with the strongest earned expertise; the first has waited past the delay and
  is passed on to the next experts (those who declared its topic, once evidence runs out); on
  the second the asker also asks the coach by name. The other unanswered questions are routed
  when the demo commits (the Q&A events are delivered then).
- An expert channel in secondary-math, "Classroom-tested tips", with a few original posts by
  the community's expert and its facilitator, followed by three teachers.
"""

from __future__ import annotations

import contextlib
from datetime import timedelta

from django.utils import timezone

from practica.accounts.models import User
from practica.communities.models import Community
from practica.expertise import scores, services
from practica.expertise.models import Routing
from practica.lib.errors import PracticaError
from practica.qa.models import Post, PostKind
from practica.tags.models import Tag

MATH = "secondary-math"
EMAIL = {
    "priya": "priya.raman@cedarcreek.test",
    "samuel": "samuel.osei@cedarcreek.test",
    "aisha": "aisha.rahman@cedarcreek.test",
    "hannah": "hannah.liu@cedarcreek.test",
    "grace": "grace.kim@cedarcreek.test",
    "kevin": "kevin.tran@cedarcreek.test",
}

POSTS: tuple[tuple[str, str, str, str, str, tuple[str, ...]], ...] = (
    # (author key, kind, title, Markdown body, video link, tag slugs if the community has them)
    (
        "samuel",
        "tip",
        "Let the graph argue first",
        "Before anyone computes a slope, project two lines and ask *which one is steeper, and "
        "how would you convince someone who disagrees?* Students invent rise-over-run on their "
        "own within ten minutes, and the formula arrives as a shortcut for an argument they "
        "already made.\n\nI use distance-time graphs from our own hallway walk: students recognise "
        "their own data and care about it.",
        "",
        ("slope", "linear-functions"),
    ),
    (
        "priya",
        "article",
        "Three questions that turn a worked example into a discussion",
        "A worked example on the board often becomes something to copy. These three prompts, "
        "used in order, turn it into something to think about:\n\n"
        "1. **What did this student do first, and why might they have started there?**\n"
        "2. **Where could a classmate get stuck, and what would you say to them?**\n"
        "3. **Change one number so the method no longer works. What breaks?**\n\n"
        "In lesson-study cycles this term, teachers who used all three saw far more students "
        "explain a step aloud than with a plain example. The third prompt is the one students "
        "remember.",
        "",
        ("lesson-study", "formative-assessment"),
    ),
    (
        "samuel",
        "video",
        "Four-minute number talk: 18 × 5",
        "A real number talk from my period 2 class (faces blurred). Notice the pause after the "
        "first answer: I count to eight before I call on anyone, and three more strategies "
        "appear.",
        "https://video.example.org/cedar-creek/number-talk-18x5",
        ("number-talks",),
    ),
    (
        "aisha",
        "tip",
        "Exit tickets with a confidence dial",
        "Add a 1-4 confidence dial to every exit ticket. The interesting pile is *wrong and "
        "confident*: those students get a short conference the next morning, not more "
        "practice. It takes me four minutes to sort 30 tickets.",
        "",
        ("formative-assessment",),
    ),
)


def _people() -> dict[str, User]:
    found = User.objects.in_bulk(list(EMAIL.values()), field_name="email")
    return {key: found[email] for key, email in EMAIL.items() if email in found}


def load_demo() -> None:
    """Rebuild earned expertise, route a couple of questions, open an expert channel."""
    community = Community.objects.filter(slug=MATH).first()
    if community is None:
        return
    for community_id in Community.objects.values_list("pk", flat=True):
        scores.recompute_community(community_id)
    people = _people()
    _route_demo_questions(community, people)
    _expert_channel(community, people)


def _route_demo_questions(community: Community, people: dict[str, User]) -> None:
    waiting = list(
        Post.objects.filter(
            community=community,
            kind__in=[PostKind.QUESTION, PostKind.STRUGGLE],
            answer_count=0,
            deleted_at__isnull=True,
        )
        .select_related("community", "author")
        .order_by("created_at")[:2]
    )
    if not waiting:
        return
    first = waiting[0]
    services.route_new_post(first.pk)
    # It has waited longer than the community's delay: pass it on to the next experts.
    delay = timedelta(hours=services.settings_for(community).reroute_after_hours + 6)
    Routing.objects.filter(post=first).update(routed_at=timezone.now() - delay)
    services.reroute_job(first.pk, 1)
    if len(waiting) > 1:
        second = waiting[1]
        services.route_new_post(second.pk)
        coach = people.get("priya")
        if second.author is not None and coach is not None and second.author_id != coach.pk:
            # Already routed to the coach by her evidence, or she is busy: nothing to add.
            with contextlib.suppress(PracticaError):
                services.ask_expert(second.author, second, coach.pk)


def _expert_channel(community: Community, people: dict[str, User]) -> None:
    coach = people.get("priya")
    if coach is None:
        return
    channel = services.create_channel(
        coach,
        community,
        name="Classroom-tested tips",
        description="Short, practical moves our experts have tried with real classes: one idea "
        "per post, with what happened.",
    )
    existing = set(Tag.objects.filter(community=community).values_list("slug", flat=True))
    for key, kind, title, body, video, tags in POSTS:
        author = people.get(key)
        if author is None:
            continue
        services.post_to_channel(
            author,
            channel,
            kind=kind,
            title=title,
            body=body,
            video_url=video,
            tags=[t for t in tags if t in existing],
        )
    for key in ("hannah", "grace", "kevin"):
        if key in people:
            services.follow(people[key], channel)
