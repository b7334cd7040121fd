"""The wiki's part of the demo (called by ``practica.demo`` after the communities, norms,
meetings and the Q&A demo).

The story: Cedar Creek Unified keeps an onboarding wiki for new staff. Thomas (assistant
superintendent) started it; Priya (the district's math coach) wrote most of the first-week page
and the PLC guide; Renata (the network coordinator) tightened the PLC protocol. The pages link
to each other, so each shows its backlinks; the glossary is protected. In the Secondary Math
Collaborative's wiki, Marcus and Hannah keep a lesson-study page, and Priya promoted a useful
answer from Q&A (when the Q&A demo has one).

Every write goes through the services; only the timestamps are moved back afterwards, so the
history reads like a few weeks of work.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from practica.accounts.models import Organization, User
from practica.communities.models import Community
from practica.wiki import promotion, render, services, spaces
from practica.wiki.models import Page, Revision

DISTRICT = "cedar-creek-usd"
COMMUNITY = "secondary-math"
EMAILS = {
    "thomas": "thomas.whitfield@cedarcreek.test",
    "priya": "priya.raman@cedarcreek.test",
    "renata": "renata.okafor@sierrafoothills.test",
    "marcus": "marcus.bell@cedarcreek.test",
    "hannah": "hannah.liu@cedarcreek.test",
}

WELCOME = """Welcome to Cedar Creek Unified. This wiki is where we write down what a new colleague
would otherwise have to learn by asking around. Anyone in the district office can improve a page;
teachers read it from their school.

## Start here

- [[New teacher's first week]]: keys, accounts, your mentor, the first staff meeting.
- [[How our PLC meetings run]]: what happens on Thursday afternoons and how to prepare.
- [[Glossary]]: the acronyms you will hear in your first month.

## Who to ask

Your site principal first, then your mentor. For curriculum and coaching, Priya Raman.
"""

FIRST_WEEK_1 = """The first week is about people, not paperwork. Most of what is below takes ten
minutes if you know where to go.

## Before your first day

- Collect your keys and badge at your school's front office (bring photo ID).
- Activate your district account from the e-mail HR sent you.

## Day one

- Meet your mentor before school; your principal will introduce you.
- Walk the building: your room, the copy room, the nurse, the library.

## By Friday

- Post your syllabus or classroom letter for families.
- Come to your department's [[How our PLC meetings run|PLC meeting]] on Thursday.
"""

FIRST_WEEK_2 = FIRST_WEEK_1.replace(
    "- Activate your district account from the e-mail HR sent you.\n",
    "- Activate your district account from the e-mail HR sent you; the link expires after "
    "seven days, and the help desk (ext. 4100) can send a new one.\n"
    "- Set up the gradebook: Aeries training runs every Tuesday in August.\n",
).replace(
    "- Walk the building: your room, the copy room, the nurse, the library.\n",
    "- Walk the building: your room, the copy room, the nurse, the library.\n"
    "- Learn the safety drill routes posted by your door; the first drill is in week two.\n",
)

FIRST_WEEK_3 = FIRST_WEEK_2.replace(
    "## By Friday\n",
    "## Your mentor\n\nEvery teacher in their first two years has a mentor from the induction "
    "program. Mentors meet you weekly for the first month; the time is protected, so ask your "
    "principal if it gets scheduled over. The words you will hear in these meetings are in the "
    "[[Glossary]].\n\n## By Friday\n",
)

PLC_1 = """Every department meets as a professional learning community (PLC) on Thursdays from 2:15
to 3:30, when students leave early.

## The four questions

1. What do we want students to learn?
2. How will we know they have learned it?
3. What will we do when they haven't?
4. What will we do when they already have?

## A typical meeting

- Check in and review the [[Glossary|norms]] the team agreed on.
- Look at one piece of student work together.
- Agree on one change to try before the next meeting.
"""

PLC_2 = PLC_1.replace(
    "- Check in and review the [[Glossary|norms]] the team agreed on.\n"
    "- Look at one piece of student work together.\n"
    "- Agree on one change to try before the next meeting.\n",
    "1. **Opener (5 min).** One person shares something from their classroom this week.\n"
    "2. **Norms (2 min).** The facilitator reads one of the team's norms aloud.\n"
    "3. **Student work (40 min).** The presenter brings work from three students: one who got "
    "it, one who almost did, one who did not. Describe before you judge.\n"
    "4. **Next step (15 min).** Each teacher names one change to try before the next meeting, "
    "written in the notes.\n"
    "5. **Close (5 min).** What was useful today? Who facilitates next time?\n",
).replace("## A typical meeting", "## A typical meeting (75 minutes)") + (
    "\n## How to prepare\n\nIf it is your turn to present, bring unmarked copies. Anyone new is "
    "welcome to watch a meeting first; see [[New teacher's first week]].\n"
)

GLOSSARY_1 = """Acronyms you will hear in your first month.

- **PLC**: professional learning community; see [[How our PLC meetings run]].
- **IEP**: individualized education program, the plan for a student with a disability.
- **SST**: student study team, where we meet about a student who is struggling.
"""

GLOSSARY_2 = GLOSSARY_1 + (
    "- **MTSS**: multi-tiered system of supports: tier 1 for everyone, tier 2 for small "
    "groups, tier 3 for individual students.\n"
    "- **ELD**: English language development, the daily block for English learners.\n"
    "- **Minimum day**: students leave at 1:50; it is usually a PLC day.\n"
)

LESSON_STUDY = """How the Secondary Math Collaborative runs a lesson-study cycle.

## 1. Choose a research question

Start from something students struggle with, e.g. "Why do students treat the equals sign as
'the answer comes next'?"

## 2. Plan the lesson together

Write the task, the anticipated student strategies, and what we will look for.

## 3. Teach and observe

One of us teaches; the others watch students, not the teacher.

## 4. Debrief

Evidence first, then interpretation. Bring it back to the collaborative's Thursday meeting.
"""

LESSON_STUDY_2 = LESSON_STUDY.replace(
    "One of us teaches; the others watch students, not the teacher.",
    "One of us teaches; the others watch students, not the teacher. Each observer follows "
    "two students and writes down exactly what they say and draw.",
)


def _people() -> dict[str, User]:
    by_email = User.objects.in_bulk(list(EMAILS.values()), field_name="email")
    return {key: by_email[email] for key, email in EMAILS.items() if email in by_email}


def _save(who: User, ref: spaces.SpaceRef, page: Page | None, title: str, body: str,
          summary: str, parent: Page | None = None) -> Page:  # fmt: skip
    if page is not None:
        page.refresh_from_db()
    saved = services.save_page(
        who, ref, page=page, title=title, body=body, summary=summary,
        base_revision_id=page.current_revision_id if page is not None else None,
        parent=parent, keep_parent=page is not None,
    )  # fmt: skip
    return saved.page


def _age(page: Page, days_ago: list[float]) -> None:
    """Spread the page's revisions over the past (oldest first)."""
    now = timezone.now()
    revisions = list(Revision.objects.filter(page=page).order_by("number"))
    for revision, days in zip(revisions, days_ago, strict=False):
        when = now - timedelta(days=days)
        Revision.objects.filter(pk=revision.pk).update(created_at=when)
    last = now - timedelta(days=days_ago[min(len(revisions), len(days_ago)) - 1])
    Page.objects.filter(pk=page.pk).update(created_at=now - timedelta(days=days_ago[0]),
                                           updated_at=last)  # fmt: skip


def _district_wiki(p: dict[str, User]) -> None:
    org = Organization.objects.filter(slug=DISTRICT).first()
    if org is None or not {"thomas", "priya", "renata"} <= set(p):
        return
    ref = spaces.for_organization(org)
    welcome = _save(p["thomas"], ref, None, "Welcome to Cedar Creek", WELCOME, "Start the wiki")
    week = _save(p["priya"], ref, None, "New teacher's first week", FIRST_WEEK_1,
                 "What I wish I had known", parent=welcome)  # fmt: skip
    week = _save(p["thomas"], ref, week, week.title, FIRST_WEEK_2,
                 "Account links expire; gradebook training; safety drills")  # fmt: skip
    week = _save(p["priya"], ref, week, week.title, FIRST_WEEK_3, "Add the mentor program")
    plc = _save(p["priya"], ref, None, "How our PLC meetings run", PLC_1, "First draft",
                parent=welcome)  # fmt: skip
    plc = _save(p["renata"], ref, plc, plc.title, PLC_2,
                "The protocol we use across the network, step by step")  # fmt: skip
    glossary = _save(p["thomas"], ref, None, "Glossary", GLOSSARY_1, "The first acronyms",
                     parent=welcome)  # fmt: skip
    glossary = _save(p["priya"], ref, glossary, glossary.title, GLOSSARY_2,
                     "MTSS, ELD, minimum days")  # fmt: skip
    services.set_protected(p["thomas"], ref, glossary, True)
    _age(welcome, [24])
    _age(week, [23, 16, 3])
    _age(plc, [22, 5])
    _age(glossary, [21, 2])


def _community_wiki(p: dict[str, User]) -> None:
    community = Community.objects.filter(slug=COMMUNITY).first()
    if community is None or not {"marcus", "hannah", "priya"} <= set(p):
        return
    ref = spaces.for_community(community)
    study = _save(p["marcus"], ref, None, "Lesson study cycle", LESSON_STUDY, "How we do it")
    study = _save(p["hannah"], ref, study, study.title, LESSON_STUDY_2,
                  "What observers write down")  # fmt: skip
    _age(study, [12, 4])
    _promote_an_answer(p["priya"], community)


def _promote_an_answer(promoter: User, community: Community) -> None:
    """Promote the best-rated live answer of the Q&A demo, if it has one."""
    from practica.qa.models import Answer

    answer = (
        Answer.objects.filter(
            post__community=community, deleted_at__isnull=True, post__deleted_at__isnull=True
        )
        .select_related("post__community", "author")
        .order_by("-ev_score", "-vote_score", "pk")
        .first()
    )
    if answer is None:
        return
    title = answer.post.title[:180]
    if Page.objects.filter(space__community=community, slug=render.key_for(title)).exists():
        return  # loaded twice, or a page of that name exists: nothing to add
    promotion.promote(promoter, answer.post, answer=answer, title=title)


def load_demo() -> None:
    """Create this feature's demo content through its services."""
    people = _people()
    _district_wiki(people)
    _community_wiki(people)
