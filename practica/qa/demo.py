"""The qa feature's part of the demo (called by practica.demo after the communities).

Questions, struggles and successes in the three demo communities, written as these teachers
and principals would: fractions and proportional reasoning, reading fluency and decodable
texts, parent conferences, the isolation of a principal who is the only administrator on site.
Answers carry ratings and "what I learned" notes that make the ranking visible: in the
fractions thread a single 5-star answer sits *below* one that five colleagues rated 4.6 on
average. Every write goes through the services; only timestamps are moved back afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone

from practica.accounts.models import User
from practica.communities.models import Community
from practica.qa import services
from practica.qa.models import Answer, Post
from practica.tags import services as tag_services


@dataclass(frozen=True)
class A:
    """An answer: who, what, ratings as (rater, 1-5, note) and whether the asker accepted it."""

    author: str
    body: str
    ratings: tuple[tuple[str, int, str], ...] = ()
    accepted: bool = False
    comments: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class P:
    author: str
    kind: str
    title: str
    body: str
    tags: tuple[str, ...] = ()
    answers: tuple[A, ...] = ()
    comments: tuple[tuple[str, str], ...] = ()
    days_ago: int = 1
    votes: tuple[str, ...] = field(default=())


EMAILS = {
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
    "renata": "renata.okafor@sierrafoothills.test",
    "elena": "elena.marquez@cedarcreek.test",
    "robert": "robert.nakamura@manzanita.test",
    "daniel": "daniel.foster@cedarcreek.test",
    "lucia": "lucia.herrera@cedarcreek.test",
}

TAGS: dict[str, tuple[str, tuple[tuple[str, str], ...]]] = {
    "secondary-math": (
        "marcus",
        (
            ("fractions", "Meaning, comparing and operating on fractions, grades 6-9."),
            ("proportional-reasoning", "Ratios, rates, percent and scaling."),
            ("algebra-1", "Linear relationships, equations and functions in Algebra I."),
            ("student-discourse", "Getting students to talk about and critique each other's math."),
            ("assessment", "Exit tickets, retakes, grading practices."),
            ("new-teachers", "First and second years in the classroom: ask anything."),
            ("parents", "Conferences, e-mails and partnering with families."),
        ),
    ),
    "early-literacy": (
        "jasmine",
        (
            ("reading-fluency", "Accuracy, rate and expression; repeated reading and more."),
            ("phonics", "Systematic phonics routines and sequences."),
            ("decodable-texts", "Choosing and using decodable books."),
            ("phonological-awareness", "Hearing and playing with the sounds of language, TK-1."),
            ("english-learners", "Oral language and literacy for multilingual learners."),
            ("assessment", "Screeners, progress monitoring and reading the data together."),
            ("parents", "Family conferences and reading at home."),
        ),
    ),
    "site-leaders-circle": (
        "renata",
        (
            ("isolation", "Leading when you're the only administrator on site."),
            ("staff-culture", "Trust, morale and collaboration among staff."),
            ("difficult-conversations", "Feedback, conflict and hard news."),
            ("scheduling", "Master schedules, coverage and time for collaboration."),
            ("new-principals", "The first years in the role."),
        ),
    ),
}

MATH: tuple[P, ...] = (
    P(
        "grace",
        "question",
        "Slope as a rate: what context do you introduce it with?",
        "Ramps? Cell phone plans? Walking on a number line? I want something my students "
        "feel, not just read.",
        ("algebra-1", "proportional-reasoning"),
        days_ago=4,
    ),
    P(
        "aisha",
        "success",
        "Students wrote the test review questions, and they were harder than mine",
        "Each group wrote two questions for a unit review and an answer key with a common "
        "mistake explained. Their questions were tougher than mine, and the mistake "
        "explanations were the best part.",
        ("assessment", "student-discourse"),
        days_ago=6,
        votes=("priya", "kevin"),
    ),
    P(
        "grace",
        "question",
        "How do I help students see that 3/4 is bigger than 2/3?",
        'My 7th graders keep saying 2/3 is bigger "because 3 is closer to 2 than 4 is to 3". '
        "I've shown common denominators, and they can do the procedure, but they don't *believe* "
        "it. What helps them see it?",
        ("fractions",),
        days_ago=21,
        votes=("hannah", "kevin", "priya"),
        answers=(
            A(
                "samuel",
                "Start from **distance to one whole**. 2/3 is missing 1/3; 3/4 is missing "
                "1/4. Which missing piece is smaller? Have them fold paper strips and lay them "
                "side by "
                "side, then ask them to write the argument in words before any numbers. Once "
                "they can "
                'say "3/4 is closer to 1", common denominators become a way to check, not a '
                "ritual.",
                ratings=(
                    (
                        "grace",
                        5,
                        "Reasoning about the missing piece is what finally landed: "
                        "three students explained it back to me the next day.",
                    ),
                    ("hannah", 5, "I'd never thought of comparing the gaps to one whole."),
                    ("kevin", 4, "Paper strips first, then words, then numbers. Good order."),
                    ("priya", 5, "Writing the argument before computing: stealing that."),
                    ("aisha", 4, ""),
                ),
                comments=(("grace", "Tried it on Friday. It worked!"),),
            ),
            A(
                "kevin",
                "Cross-multiply: 3×3 = 9 and 2×4 = 8, so 3/4 is bigger. Quick and always works.",
                ratings=(("marcus", 5, "Fast for a check."),),
            ),
            A(
                "hannah",
                "I use a number line from 0 to 1 drawn on the board and have students "
                "place both fractions by folding the line. Same idea as strips, but it connects to "
                "the number line they'll need for negative numbers later.",
                ratings=(
                    ("grace", 4, "The link to the number line is worth it."),
                    ("samuel", 4, ""),
                ),
            ),
        ),
    ),
    P(
        "hannah",
        "struggle",
        "My number talk turned into three students talking",
        "I started number talks this month. Today the same three students answered every "
        "prompt, and everyone else waited them out. I felt like I was performing for an empty "
        "room. How do you get the quiet majority in?",
        ("student-discourse", "new-teachers"),
        days_ago=12,
        votes=("grace", "priya"),
        answers=(
            A(
                "priya",
                "Add **think time with a signal**: thumbs on chests, one finger per strategy "
                "they've found. Nobody speaks until most thumbs are up. Then *turn and talk* "
                "before "
                'anyone shares with the room, and call on pairs ("tell us what your partner '
                'did"). It lowers the stakes and you hear from new voices within a week.',
                ratings=(
                    ("hannah", 5, "Sharing your partner's strategy takes the fear out of it."),
                    ("grace", 5, "The silent signal changed who gets to think."),
                    ("kevin", 4, ""),
                ),
                accepted=True,
            ),
            A(
                "aisha",
                "Record every strategy on the board with the student's name, even the "
                'wrong ones, and come back to a wrong one with "what was smart about this?". Kids '
                "join in once being wrong is public and safe.",
                ratings=(("hannah", 4, "Naming what was smart in a wrong answer."),),
            ),
        ),
    ),
    P(
        "kevin",
        "question",
        "Retakes: do they teach responsibility or undermine it?",
        "Our department is split on unlimited retakes for unit tests. I'd like to hear how "
        "people who allow retakes keep students from skipping the first attempt.",
        ("assessment",),
        days_ago=9,
        answers=(
            A(
                "marcus",
                "We allow one retake per unit, after a short **reflection and a practice "
                "set**: the ticket to retake is showing what you did to learn it since. First "
                "attempts didn't drop; what changed is who comes to office hours.",
                ratings=(
                    ("kevin", 4, "The 'ticket to retake' keeps the first attempt serious."),
                    ("aisha", 5, ""),
                ),
            ),
        ),
    ),
    P(
        "priya",
        "success",
        "Desmos card sorts made my Algebra I class argue about slope",
        "We did a card sort matching graphs, tables and stories for linear functions. Partners "
        "had to agree before placing a card. The best moment: two students arguing about "
        "whether a flat line has slope zero or no slope. Happy to share the deck.",
        ("algebra-1", "student-discourse"),
        days_ago=7,
        votes=("hannah", "grace", "samuel"),
        comments=(("hannah", "Please share the deck!"),),
        answers=(
            A(
                "samuel",
                "Lovely. A follow-up that works: give each pair one card that matches "
                "*nothing* and ask them to write the missing representations.",
                ratings=(("priya", 5, "A card that matches nothing: perfect extension."),),
            ),
        ),
    ),
    P(
        "grace",
        "question",
        "Parent conference with a family who thinks math ability is fixed",
        "A dad told me \"I was never a math person either, so she isn't\". I didn't know what to "
        "say. How do you respond without lecturing?",
        ("parents", "new-teachers"),
        days_ago=5,
        answers=(
            A(
                "aisha",
                "Lead with evidence about *his daughter*: bring two pieces of her work from "
                "September and now, and ask him what he notices. Then ask what she's like when she "
                "gets stuck at home. Families change the story when they see growth, not when we "
                "tell them about mindset.",
                ratings=(
                    ("grace", 5, "Show growth in her own work instead of arguing."),
                    ("hannah", 4, ""),
                ),
                accepted=True,
            ),
        ),
    ),
    P(
        "hannah",
        "question",
        "Percent problems: bar models or double number lines?",
        "Which representation do you teach first for percent of a quantity, and why?",
        ("proportional-reasoning",),
        days_ago=3,
    ),
    P(
        "kevin",
        "question",
        "Group roles that don't feel fake in high school",
        "Facilitator, recorder, skeptic... my juniors roll their eyes. Anything that works for "
        "older students?",
        ("student-discourse",),
        days_ago=2,
    ),
    P(
        "samuel",
        "success",
        "Exit tickets with one question and a confidence scale",
        'I cut my exit tickets to one question plus "how sure are you? 1-4". Sorting them takes '
        "two minutes and the confident-but-wrong pile tells me exactly who to pull tomorrow.",
        ("assessment",),
        days_ago=1,
        votes=("kevin", "marcus"),
    ),
)

LITERACY: tuple[P, ...] = (
    P(
        "tyler",
        "struggle",
        "My intervention group hasn't moved in six weeks",
        "Four second graders, daily phonics group, and their progress line is flat. I've "
        "re-taught the same short-vowel patterns three times. I'm starting to feel it's me.",
        ("phonics", "assessment"),
        days_ago=3,
        votes=("nadia", "sofia"),
    ),
    P(
        "ruth",
        "success",
        "Reading buddies with fifth graders raised fluency on both sides",
        "Our fifth graders rehearse a picture book all week, then read it to kindergartners "
        "on Fridays. The older struggling readers finally have a reason to re-read.",
        ("reading-fluency",),
        days_ago=9,
        votes=("brianna", "angela", "tyler"),
    ),
    P(
        "brianna",
        "struggle",
        "Second graders reading fast but not understanding",
        "Several of my students hit their fluency targets on the screener by racing. They "
        "can't retell what they read. I think I taught them that speed is the goal. How do I "
        "undo that?",
        ("reading-fluency",),
        days_ago=18,
        votes=("angela", "nadia"),
        answers=(
            A(
                "sofia",
                "Change what you time and what you praise. Do repeated reading with a "
                "**phrasing** focus: mark phrase breaks with a pencil slash, model it, and score "
                "expression with a simple rubric alongside words per minute. End every timing with "
                "one retell question. When they know you'll ask, they slow to meaning.",
                ratings=(
                    ("brianna", 5, "Scoring expression next to WCPM changed the message."),
                    ("angela", 5, "Phrase slashes are so simple."),
                    ("nadia", 4, ""),
                    ("tyler", 5, ""),
                ),
                accepted=True,
            ),
            A(
                "ruth",
                "Stop showing the timer. Use a one-minute sand timer they can't watch, and "
                "celebrate the best retell of the day.",
                ratings=(("brianna", 4, "Hiding the number helped some kids relax."),),
            ),
        ),
    ),
    P(
        "angela",
        "question",
        "Decodable texts that don't bore my students to tears?",
        'Our decodables are "Sam sat. Sam sat on a mat." The kids decode fine but groan. '
        "What series have you found engaging?",
        ("decodable-texts", "phonics"),
        days_ago=14,
        answers=(
            A(
                "ruth",
                "Look for series with real story arcs organized by our scope and sequence; "
                "and write your own three-sentence stories *with* the kids using only the patterns "
                "they know. They love reading their own silly plots to each other.",
                ratings=(
                    ("angela", 5, "Co-writing decodables with the class: they were thrilled."),
                    ("brianna", 4, ""),
                ),
            ),
        ),
    ),
    P(
        "tyler",
        "question",
        "How often should we progress-monitor students in Tier 2?",
        "We screen three times a year. For students in intervention groups, is every week too "
        "much?",
        ("assessment",),
        days_ago=10,
        answers=(
            A(
                "nadia",
                "Every two weeks is a good default for Tier 2, weekly for Tier 3. What "
                "matters more is that the team actually looks at the graphs together and changes "
                "something when the line is flat after six data points.",
                ratings=(
                    ("tyler", 4, "The six-point rule gives us a trigger to act."),
                    ("sofia", 5, ""),
                ),
                accepted=True,
            ),
        ),
    ),
    P(
        "sofia",
        "success",
        "Oral language warm-ups doubled talk time for my English learners",
        'Before phonics I now do three minutes of sentence frames about a picture ("I notice... '
        'because..."). My newcomers went from silent to chatty in a month.',
        ("english-learners",),
        days_ago=8,
        votes=("nadia", "ruth", "angela"),
    ),
    P(
        "angela",
        "question",
        "Phonological awareness with four-year-olds: where do I start?",
        "I'm new to TK. Rhyming? Syllables? Sounds? And how long should activities be?",
        ("phonological-awareness",),
        days_ago=6,
        answers=(
            A(
                "ruth",
                "Start big and playful: words in a sentence (jump for each word), then "
                "syllables (clap names), then rhyme, then first sounds. Keep it to 5-8 minutes, "
                "many "
                "times a day, inside songs and games.",
                ratings=(
                    ("angela", 5, "Big to small units: words, syllables, rhyme, sounds."),
                    ("nadia", 5, ""),
                ),
            ),
            A(
                "brianna",
                'Name games! "Who has a name that starts like /m/?" Kids care about '
                "their names more than anything.",
                ratings=(("angela", 4, "Using their names makes every child listen."),),
            ),
        ),
    ),
    P(
        "brianna",
        "question",
        "Talking to families about a reading screener result",
        'I need to tell a family their child is "at risk" on the screener. How do you say it '
        "without alarming them?",
        ("parents", "assessment"),
        days_ago=4,
    ),
    P(
        "nadia",
        "question",
        "Heart words: how many per week in first grade?",
        "We're mapping irregular words now. Two? Five?",
        ("phonics",),
        days_ago=2,
    ),
)

LEADERS: tuple[P, ...] = (
    P(
        "lucia",
        "question",
        "How do you run a budget meeting when the news is all cuts?",
        "We lose a position next year. I want staff to hear it from me, honestly, and help "
        "decide what we protect.",
        ("difficult-conversations", "staff-culture"),
        days_ago=2,
    ),
    P(
        "daniel",
        "success",
        "A ten-minute gratitude round turned around our Friday staff meetings",
        "We start every staff meeting with two people thanking a colleague for something "
        "specific. It costs ten minutes and it changed the room.",
        ("staff-culture",),
        days_ago=5,
        votes=("elena", "robert"),
    ),
    P(
        "daniel",
        "struggle",
        "Eight months in and I have no one to think out loud with",
        "I'm the only administrator at my school. My teachers are great, but I can't process "
        "staffing decisions with them, and my supervisor evaluates me. Some evenings I sit in "
        "the car before going home because I have nowhere to put the day. How do you handle it?",
        ("isolation", "new-principals"),
        days_ago=16,
        votes=("elena", "lucia", "robert"),
        answers=(
            A(
                "elena",
                "I set up a standing **20-minute call every Tuesday** with a principal two "
                "districts over. Same time, no agenda required. Half the time we just say what "
                "happened; that alone helps. Also: a notebook in the car. Writing the day down "
                "before driving home keeps it from coming home with me.",
                ratings=(
                    ("daniel", 5, "A standing call with no agenda: I booked one today."),
                    ("lucia", 5, "The car notebook is going in my glovebox."),
                    ("robert", 4, ""),
                    ("angela", 5, ""),
                ),
                accepted=True,
            ),
            A(
                "robert",
                "Find a thinking partner outside education too. A friend who manages a "
                "clinic understands staffing better than most principals I know.",
                ratings=(("daniel", 4, "I hadn't considered someone outside schools."),),
            ),
        ),
    ),
    P(
        "lucia",
        "question",
        "Giving hard feedback to a veteran teacher who was once my peer",
        "I was promoted from within. One of my former teammates is struggling with classroom "
        "management, and I need to address it. Where do I start?",
        ("difficult-conversations", "staff-culture"),
        days_ago=11,
        answers=(
            A(
                "robert",
                'Name the change in relationship first, out loud: "This is awkward for me '
                'too, and I care about you and your students." Then be specific: one observed '
                "moment, its effect on students, and one thing to try. Schedule the follow-up in "
                "the "
                "same conversation.",
                ratings=(("lucia", 5, "Saying the awkwardness out loud first."), ("daniel", 4, "")),
                accepted=True,
            ),
        ),
    ),
    P(
        "robert",
        "success",
        "We found 40 minutes a week for teacher collaboration",
        "By moving specials into a single block on Wednesdays, grade-level teams now share 40 "
        "minutes of common planning. Took two schedule drafts and a lot of listening to the "
        "specials teachers first.",
        ("scheduling",),
        days_ago=7,
        votes=("elena", "daniel"),
    ),
    P(
        "elena",
        "question",
        "How do you protect your calendar for classroom visits?",
        "Every week my walkthrough time gets eaten by discipline and parent calls.",
        ("isolation",),
        days_ago=3,
        answers=(
            A(
                "lucia",
                "I put visits on the calendar as *meetings with the class*, and my office "
                "manager treats them like a parent meeting: only emergencies interrupt.",
                ratings=(("elena", 4, "Booking visits as meetings, with a gatekeeper."),),
            ),
        ),
    ),
    P(
        "angela",
        "question",
        "First staff meeting as a new principal: what did you wish you'd done?",
        "I start in a new building in August.",
        ("new-principals", "staff-culture"),
        days_ago=1,
    ),
)

STORIES: dict[str, tuple[P, ...]] = {
    "secondary-math": MATH,
    "early-literacy": LITERACY,
    "site-leaders-circle": LEADERS,
}


def load_demo() -> None:
    """Create the Q&A of the demo communities. Does nothing if a community is missing or
    already has posts, so calling it twice is harmless."""
    people = {u.email: u for u in User.objects.filter(email__in=EMAILS.values())}
    who = {key: people[email] for key, email in EMAILS.items() if email in people}
    for slug, posts in STORIES.items():
        community = Community.objects.filter(slug=slug).first()
        if community is None or Post.objects.filter(community=community).exists():
            continue
        _tags(community, who)
        for spec in posts:
            _post(community, who, spec)


def _tags(community: Community, who: dict[str, User]) -> None:
    creator_key, tags = TAGS[community.slug]
    for name, description in tags:
        tag_services.create_tag(who[creator_key], community, name=name, description=description)


def _post(community: Community, who: dict[str, User], spec: P) -> None:
    post = services.create_post(
        who[spec.author],
        community,
        kind=spec.kind,
        title=spec.title,
        body=spec.body,
        tags=list(spec.tags),
    )
    for voter in spec.votes:
        services.vote(who[voter], post=post, value=1)
    for author, text in spec.comments:
        services.add_comment(who[author], post, body=text)
    for answer_spec in spec.answers:
        _answer(post, who, answer_spec)
    _move_back(post, spec.days_ago)


def _answer(post: Post, who: dict[str, User], spec: A) -> None:
    answer = services.post_answer(who[spec.author], post, body=spec.body)
    for rater, value, note in spec.ratings:
        services.rate_answer(who[rater], answer, value=value, note=note)
        if value >= 4:
            services.vote(who[rater], answer=answer, value=1)
    for author, text in spec.comments:
        services.add_comment(who[author], post, body=text, answer=answer)
    if spec.accepted:
        assert post.author is not None
        services.accept_answer(post.author, answer)


def _move_back(post: Post, days: int) -> None:
    """Spread the story over the past weeks (answers arrive over the following hours)."""
    created = timezone.now() - timedelta(days=days, hours=3)
    Post.objects.filter(pk=post.pk).update(
        created_at=created, last_activity_at=created + timedelta(hours=5)
    )
    for i, answer_id in enumerate(Answer.objects.filter(post=post).values_list("pk", flat=True)):
        Answer.objects.filter(pk=answer_id).update(created_at=created + timedelta(hours=1 + i))
    post.revisions.filter(answer__isnull=True).update(created_at=created)
