"""The resources feature's part of the demo (called by practica.demo after the communities).

Everything is generated here, nothing downloaded: a one-page PDF planning template written by
:func:`minimal_pdf`, a three-second WebM clip made once with the browser's MediaRecorder
(``demo_assets/turn-and-talk.webm``, 12 KB, original), and a link. Colleagues rate them and
say how using them went, through the services.
"""

from __future__ import annotations

from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

from practica.accounts.models import User
from practica.communities.models import Community
from practica.resources import services

ASSETS = Path(__file__).resolve().parent / "demo_assets"


def _pdf_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def minimal_pdf(title: str, lines: list[str]) -> bytes:
    """A valid one-page PDF (Helvetica, US Letter) with ``title`` and ``lines`` of text, written
    by hand: five objects and a correct cross-reference table, no PDF library needed."""
    ops = ["BT", "/F1 18 Tf", "72 720 Td", f"({_pdf_text(title)}) Tj", "/F1 11 Tf", "16 TL", "T*"]
    for line in lines:
        ops += ["T*", f"({_pdf_text(line)}) Tj"]
    ops.append("ET")
    stream = "\n".join(ops).encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    size = len(objects) + 1
    out += f"trailer\n<< /Size {size} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


PLANNING_LINES = [
    "Lesson: ______________________   Date: ________   Class: ________",
    "",
    "1. The task (what will students reason about?)",
    "2. Anticipated strategies - correct, partial and incorrect",
    "3. Launch (3-5 min): how will every student get started?",
    "4. Monitoring: which students, which questions to ask",
    "5. Selecting and sequencing: whose work, in what order, and why",
    "6. Connecting: the mathematical idea the discussion builds toward",
    "7. Exit ticket and what I will look for",
    "",
    "Adapted from the five practices for orchestrating productive discussions.",
]


def _person(email: str) -> User | None:
    return User.objects.filter(email=email).first()


def load_demo() -> None:
    """Create this feature's demo content through its services."""
    math = Community.objects.filter(slug="secondary-math").first()
    literacy = Community.objects.filter(slug="early-literacy").first()
    if math is not None:
        _math(math)
    if literacy is not None:
        _literacy(literacy)


def _signals(
    resource: object,
    ratings: dict[str, int],
    used: dict[str, str],
) -> None:
    for email, value in ratings.items():
        person = _person(email)
        if person is not None:
            services.rate(person, resource, value)  # type: ignore[arg-type]
    for email, note in used.items():
        person = _person(email)
        if person is not None:
            services.mark_used(person, resource, note)  # type: ignore[arg-type]


def _math(community: Community) -> None:
    priya = _person("priya.raman@cedarcreek.test")
    samuel = _person("samuel.osei@cedarcreek.test") or priya
    if priya is None or samuel is None:
        return
    template = services.create_resource(
        priya,
        community,
        title="Discussion planning template (five practices)",
        description="The one-page template our department uses to plan a task-based lesson: "
        "anticipate, monitor, select, sequence, connect. Print it or fill it in on screen.",
        tags=["lesson planning", "discourse"],
        grade_band="6-8",
        audience_role="teacher",
        upload=SimpleUploadedFile(
            "Discussion planning template.pdf",
            minimal_pdf("Planning a discussion-based math lesson", PLANNING_LINES),
            "application/pdf",
        ),
    )
    _signals(
        template,
        {"hannah.liu@cedarcreek.test": 5, "kevin.tran@cedarcreek.test": 4},
        {
            "hannah.liu@cedarcreek.test": "Used it for the tile-pattern task in period 3. "
            "Anticipating wrong strategies ahead of time meant I had questions ready instead of "
            "rescuing students.",
            "grace.kim@cedarcreek.test": "Worked well, but I needed a second page for sequencing "
            "with 34 students.",
        },
    )
    clip = services.create_resource(
        samuel,
        community,
        title="Turn-and-talk routine in 3 seconds (sample clip)",
        description="A very short clip to show how we share classroom routines on video. "
        "Record yours on a phone, keep students' faces out of frame, and add what to watch for.",
        tags=["routines"],
        audience_role="new-teacher",
        upload=SimpleUploadedFile(
            "turn-and-talk.webm", (ASSETS / "turn-and-talk.webm").read_bytes(), "video/webm"
        ),
    )
    _signals(clip, {"priya.raman@cedarcreek.test": 3}, {})
    link = services.create_resource(
        priya,
        community,
        title="Illustrative Mathematics: warm-up routines",
        description="The routine descriptions (Notice and Wonder, Which One Doesn't Belong, "
        "Number Talks) we keep coming back to in the Collaborative.",
        tags=["routines"],
        grade_band="6-8",
        url="https://illustrativemathematics.org/",
    )
    _signals(
        link,
        {"samuel.osei@cedarcreek.test": 4, "hannah.liu@cedarcreek.test": 4},
        {"kevin.tran@cedarcreek.test": "Which One Doesn't Belong got my quietest class talking."},
    )


def _literacy(community: Community) -> None:
    sofia = _person("sofia.alvarez@manzanita.test")
    if sofia is None:
        return
    card = services.create_resource(
        sofia,
        community,
        title="Phonemic awareness warm-up card (K-1)",
        description="Five minutes a day, no materials: blend, segment, delete, substitute. "
        "The card lists the week-by-week progression we follow.",
        tags=["phonemic awareness"],
        grade_band="k-2",
        audience_role="teacher",
        upload=SimpleUploadedFile(
            "warm-up card.pdf",
            minimal_pdf(
                "Phonemic awareness warm-up (5 minutes)",
                [
                    "Week 1-2: blend onset and rime (/m/ ... /at/ -> mat)",
                    "Week 3-4: segment three-phoneme words with fingers",
                    "Week 5-6: delete the first sound (sat without /s/ -> at)",
                    "Week 7-8: substitute sounds (mat -> sat -> sit)",
                    "Keep it oral and quick; no letters yet.",
                ],
            ),
            "application/pdf",
        ),
    )
    _signals(
        card,
        {"brianna.walsh@manzanita.test": 5, "nadia.petrova@manzanita.test": 5},
        {
            "brianna.walsh@manzanita.test": "We do it at the carpet before the phonics lesson. "
            "By week 4 most of my class could segment CVC words without the hand motions.",
        },
    )
