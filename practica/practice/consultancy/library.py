"""The shared protocol library, written for Practica in its own words.

Plain data, loaded into the database by a data migration (so a fresh install has it) and by
``manage.py load_protocols`` (after this text changes). Both upsert by ``slug``: never rename a
slug, since sessions and adaptations point at the row; change the text instead.

Each step says what it is for, how long it runs, who may speak and what the group writes down
(see ``models.Speakers`` and ``models.ContributionKind``).
"""

from __future__ import annotations

from dataclasses import dataclass

from practica.practice.consultancy.models import ContributionKind as K
from practica.practice.consultancy.models import Speakers as S


@dataclass(frozen=True)
class LibraryStep:
    name: str
    purpose: str
    minutes: int
    speakers: str
    contribution: str


@dataclass(frozen=True)
class LibraryProtocol:
    slug: str
    title: str
    summary: str
    steps: tuple[LibraryStep, ...]


CONSULTANCY = LibraryProtocol(
    slug="consultancy",
    title="Consultancy on a hard case",
    summary=(
        "Six steps for thinking together about one colleague's real dilemma. The presenter "
        "frames a focusing question, the group asks and then talks it through while the "
        "presenter only listens, and the presenter decides what to take away. The group's job "
        "is to widen the presenter's thinking, not to solve the problem for them."
    ),
    steps=(
        LibraryStep(
            "Overview and focusing question",
            "The presenter describes the situation, what they have already tried and what is "
            "at stake, then reads the focusing question aloud. Everyone else listens and notes "
            "what they want to ask. Leave out the names of students and colleagues.",
            10,
            S.PRESENTER,
            K.NONE,
        ),
        LibraryStep(
            "Clarifying questions",
            "Quick questions of fact that the presenter can answer in a sentence: how many, "
            "how long, who decides, what happened next. Save the deeper questions for the next "
            "step; if a question makes the presenter think hard, it belongs there.",
            5,
            S.EVERYONE,
            K.CLARIFYING,
        ),
        LibraryStep(
            "Probing questions",
            "Open questions that help the presenter see the dilemma differently (“What would "
            "success look like to you?”, “What are you assuming about…?”). The presenter may "
            "answer or simply take the question in. At the end, the presenter restates the "
            "focusing question, sharpened by what they heard.",
            10,
            S.EVERYONE,
            K.PROBING,
        ),
        LibraryStep(
            "Discussion while the presenter listens",
            "The group talks about the dilemma among themselves, as if the presenter were not "
            "in the room: what we heard, what might be going on, what we wonder about, what we "
            "might try. The presenter stays silent and takes notes, which frees the group to "
            "think aloud and frees the presenter from defending.",
            15,
            S.PARTICIPANTS,
            K.DISCUSSION,
        ),
        LibraryStep(
            "Presenter reflection",
            "The presenter says what struck them, what they now see differently and what they "
            "might try. The group listens: this is not the moment to respond or to add ideas.",
            5,
            S.PRESENTER,
            K.REFLECTION,
        ),
        LibraryStep(
            "Debrief",
            "Everyone reflects on the process, not the case: did our questions help, did we "
            "stay with the presenter's question, what would we do differently next time?",
            5,
            S.EVERYONE,
            K.REFLECTION,
        ),
    ),
)

TUNING = LibraryProtocol(
    slug="tuning",
    title="Tuning a piece of work",
    summary=(
        "Eight steps for improving a piece of work (a unit plan, an assessment, a family "
        "letter, a schedule) with warm and cool feedback from colleagues. The presenter asks "
        "one question about the work and listens while the group tunes it, like an instrument: "
        "small, specific adjustments, offered kindly."
    ),
    steps=(
        LibraryStep(
            "Introduction",
            "The facilitator names the steps and the norms: be kind, be specific, be helpful; "
            "feedback is about the work, never the person.",
            5,
            S.EVERYONE,
            K.NONE,
        ),
        LibraryStep(
            "Presenting the work",
            "The presenter shares the work and its context, what they hoped it would do, and "
            "the one question they most want feedback on.",
            10,
            S.PRESENTER,
            K.NONE,
        ),
        LibraryStep(
            "Clarifying questions",
            "Brief questions of fact about the work and its setting, answered briefly.",
            5,
            S.EVERYONE,
            K.CLARIFYING,
        ),
        LibraryStep(
            "Looking closely",
            "Everyone reads or examines the work in silence, noting where it meets the "
            "presenter's goal and where it might not yet.",
            5,
            S.EVERYONE,
            K.NONE,
        ),
        LibraryStep(
            "Warm feedback",
            "What in the work already serves its goal, and why. The presenter listens "
            "silently; specific praise teaches as much as critique.",
            7,
            S.PARTICIPANTS,
            K.WARM,
        ),
        LibraryStep(
            "Cool feedback",
            "Gaps, questions and possibilities, framed as wonderings (“I wonder what would "
            "happen if…”) and tied to the presenter's question. The presenter still listens "
            "silently.",
            8,
            S.PARTICIPANTS,
            K.COOL,
        ),
        LibraryStep(
            "Presenter reflection",
            "The presenter responds to what was useful and names the next changes they will "
            "make. No need to answer every point; the group listens.",
            10,
            S.PRESENTER,
            K.REFLECTION,
        ),
        LibraryStep(
            "Debrief",
            "How did the protocol serve us? Was the feedback warm enough to hear and cool "
            "enough to help?",
            5,
            S.EVERYONE,
            K.REFLECTION,
        ),
    ),
)

LIBRARY: tuple[LibraryProtocol, ...] = (CONSULTANCY, TUNING)
