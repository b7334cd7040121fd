"""The demo's activities: two demo communities that took a library activity and made it theirs.

``load_demo_activities`` runs inside ``practica.demo.load_demo``'s transaction, after the
communities exist; it goes through ``services.adapt_activity`` like a person would.
"""

from __future__ import annotations

from dataclasses import dataclass

from practica.accounts.models import User
from practica.communities.models import Community, Membership, Role
from practica.practice.activities import services
from practica.practice.activities.loader import load_library
from practica.practice.activities.models import Activity


@dataclass(frozen=True)
class DemoAdaptation:
    community: str  # slug
    source: str  # library slug
    title: str
    duration_minutes: int
    in_person: bool
    virtual: bool
    steps: tuple[str, ...]
    note: str


ADAPTATIONS: tuple[DemoAdaptation, ...] = (
    DemoAdaptation(
        community="secondary-math",
        source="alphabet-of-our-work",
        title="Alphabet of Math Talk",
        duration_minutes=8,
        in_person=True,
        virtual=False,
        steps=(
            "Put the letters A to Z on the whiteboard and name the domain: words we hear, or "
            "want to hear, when students reason out loud in math class.",
            "Start a three-minute timer. Anyone calls out words for any letter (conjecture, "
            "justify, counterexample...); the facilitator writes the first word heard.",
            "When time is up, fill the hardest letters together for one more minute.",
            "Circle the one word each of us will teach on purpose next week, and bring a "
            "student quote using it to the next meeting.",
        ),
        note="We narrowed the domain to the language of reasoning, because getting students to "
        "justify is this year's focus, and added a last step so the list turns into practice. "
        "Cut to eight minutes to fit our Thursday after-school slot, in person only since we "
        "meet in Room 214.",
    ),
    DemoAdaptation(
        community="site-leaders-circle",
        source="my-favorite-failure",
        title="A Leadership Failure, Shared in the Circle",
        duration_minutes=25,
        in_person=False,
        virtual=True,
        steps=(
            "This month's facilitator goes first with a real leadership failure: what happened, "
            "how it felt being the only administrator on site, what it taught.",
            "Restate our agreements: sharing is optional and passing is always allowed; nothing "
            "said here reaches supervisors or staff; listeners answer only 'thank you'.",
            "Two minutes of quiet, cameras optional, to choose a failure you are comfortable "
            "sharing.",
            "Volunteers share, about three minutes each. After each, the circle says 'thank you' "
            "and nothing else.",
            "Close with one sentence each: 'What I'd tell a principal in their first year is...'",
        ),
        note="Principals often carry failures alone, so we added the closing advice for first-"
        "year principals, which turns each story into something the next leader can use. We "
        "meet by video across both districts, so it is virtual only, with a longer share time "
        "for our smaller group, and the confidentiality rule is spelled out, because what we "
        "share here must never turn into evaluation.",
    ),
)


def load_demo_activities() -> None:
    """Add the demo adaptations (library loaded first if a test flushed it). Skips any that
    already exist, so running it twice adds nothing."""
    load_library()
    for spec in ADAPTATIONS:
        community = Community.objects.get(slug=spec.community)
        source = Activity.objects.get(community__isnull=True, slug=spec.source)
        if Activity.objects.filter(community=community, adapted_from=source).exists():
            continue
        services.adapt_activity(
            _facilitator(community),
            source,
            community,
            title=spec.title,
            duration_minutes=spec.duration_minutes,
            in_person=spec.in_person,
            virtual=spec.virtual,
            steps=list(spec.steps),
            note=spec.note,
        )


def _facilitator(community: Community) -> User:
    """The community's facilitator (the demo gives each one), else its coordinator."""
    membership = (
        Membership.objects.select_related("user")
        .filter(community=community, role__in=[Role.FACILITATOR, Role.COORDINATOR])
        .order_by("-role")  # "facilitator" sorts after "coordinator"
        .first()
    )
    assert membership is not None, f"{community.slug} has no facilitator or coordinator"
    return membership.user
