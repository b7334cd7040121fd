"""The shared activity library: community-building openers written for Practica.

Plain data, loaded into the database by a data migration (so a fresh install has it) and by
``practica load_activities`` (after this text changes). Both upsert by ``slug``: never rename a
slug, since meetings and adaptations point at the row; change the text instead.

What every entry must be (``tests/test_activities.py`` checks the countable parts):
- original writing for this project, for educators and teams in a Community of Practice;
- runnable by a first-time facilitator from its 3-7 steps alone, in 5-30 minutes;
- safe: taking part is optional, "pass" is always allowed where people share something
  personal, and no student or family is ever named.
"""

from __future__ import annotations

from dataclasses import dataclass

from practica.practice.activities.models import Purpose

IN_PERSON = "in_person"
VIRTUAL = "virtual"
BOTH = "both"


@dataclass(frozen=True)
class LibraryActivity:
    """One library entry. ``group`` is the (smallest, largest) group it works for; ``setting``
    is IN_PERSON, VIRTUAL or BOTH."""

    slug: str
    title: str
    purpose: Purpose
    minutes: int
    group: tuple[int, int]
    setting: str
    summary: str
    materials: str
    steps: tuple[str, ...]

    def model_fields(self) -> dict[str, object]:
        """The ``Activity`` field values for this entry (``search_text`` aside)."""
        return {
            "title": self.title,
            "purpose": str(self.purpose),
            "summary": self.summary,
            "duration_minutes": self.minutes,
            "min_group": self.group[0],
            "max_group": self.group[1],
            "in_person": self.setting in (IN_PERSON, BOTH),
            "virtual": self.setting in (VIRTUAL, BOTH),
            "materials": self.materials,
            "steps": list(self.steps),
        }


LIBRARY: tuple[LibraryActivity, ...] = (
    LibraryActivity(
        slug="ask-for-a-small-favor",
        title="Ask for a Small Favor",
        purpose=Purpose.TRUST,
        minutes=15,
        group=(3, 20),
        setting=BOTH,
        summary=(
            "Each person names one small, real thing a colleague could help with this week; offers "
            "are matched on the spot and checked on at the next meeting."
        ),
        materials=(
            "A visible list (chart paper, a whiteboard or a shared document) to record asks and "
            "offers."
        ),
        steps=(
            (
                "Explain the idea: trust grows when we let others help us and then see them follow "
                "through. Asks must be small enough to finish before the next meeting (a second "
                "look at a rubric, ten minutes of advice, borrowing a lesson). Anyone may pass."
            ),
            (
                "Give two minutes of quiet for everyone to think of one ask. The facilitator "
                "shares an ask of their own first, to show how small an ask can be."
            ),
            (
                "Go around once. Each person states their ask in one sentence; the facilitator "
                "writes it down with their name."
            ),
            (
                "Open the floor for offers: anyone who can help says so (or types their name in "
                "the chat next to the ask). Aim for every ask to find a helper, but do not "
                "pressure anyone; an unmatched ask can be taken up after the meeting."
            ),
            "Read the pairs back aloud and have each pair agree when they will connect.",
            (
                "At the start of the next meeting, take two minutes to ask how the favors went. "
                "Celebrate the follow-through; never call out a favor that didn't happen."
            ),
        ),
    ),
    LibraryActivity(
        slug="what-i-need-to-speak-freely",
        title="What I Need to Speak Freely",
        purpose=Purpose.TRUST,
        minutes=15,
        group=(3, 25),
        setting=BOTH,
        summary=(
            "Everyone writes, anonymously, one condition that helps them speak honestly in a "
            "group; the group hears them all and notices what it already does well."
        ),
        materials=(
            "Identical index cards and pens (in person), or an anonymous form or shared board "
            "(virtual)."
        ),
        steps=(
            (
                "Ask the group to think of a meeting where they felt free to say what they really "
                "thought. What made that possible?"
            ),
            (
                "Each person writes, without their name, one ending to the sentence 'I speak most "
                "freely when...'. Allow three minutes."
            ),
            (
                "Collect and shuffle the cards (or reveal the anonymous board). Read every card "
                "aloud, calmly and without comment."
            ),
            (
                "Ask: 'What do you notice? Which of these do we already do here? Which could we do "
                "more?' Take a few answers; no one says which card was theirs."
            ),
            (
                "Close by naming one condition the group will pay attention to today. Keep the "
                "cards: they are good material when the group writes or revisits its norms."
            ),
        ),
    ),
    LibraryActivity(
        slug="draw-what-i-say",
        title="Draw What I Say",
        purpose=Purpose.TRUST,
        minutes=15,
        group=(2, 30),
        setting=BOTH,
        summary=(
            "In pairs, one partner describes a simple picture while the other draws it without "
            "seeing it: a playful way to practice precise explaining and patient listening."
        ),
        materials=(
            "Paper and pens for everyone; 4-6 simple line pictures made of basic shapes (for "
            "example a house built from a triangle, a square and two circles), one per pair. "
            "Virtual: send each picture by private chat."
        ),
        steps=(
            (
                "Pair people up. Partner A receives a picture and keeps it hidden; partner B has a "
                "blank sheet. Virtual pairs turn their cameras away from their paper."
            ),
            (
                "For three minutes, A describes the picture using words only: no gestures and no "
                "naming the object ('draw a house' is not allowed; 'draw a square about the size "
                "of your palm' is). B may ask questions."
            ),
            (
                "Compare the drawing with the picture and enjoy the differences. Then swap roles "
                "with a new picture for another three minutes."
            ),
            (
                "Debrief as a whole group: What made the instructions easy or hard to follow? What "
                "did the listener need from the speaker?"
            ),
            (
                "Connect it to the work: ask what this says about how we explain things to new "
                "colleagues, or to students."
            ),
        ),
    ),
    LibraryActivity(
        slug="the-half-finished-idea",
        title="The Half-Finished Idea",
        purpose=Purpose.TRUST,
        minutes=20,
        group=(3, 15),
        setting=BOTH,
        summary=(
            "Members share an idea for their practice that is not ready yet, and the group may "
            "respond only with what it likes and what it wonders."
        ),
        materials=(
            "A timer. Optional: a card for each person with the two response stems printed on it."
        ),
        steps=(
            (
                "Explain: we usually share polished work, which hides the thinking. Today we share "
                "rough ideas on purpose, and the only responses allowed are 'What I like about "
                "this is...' and 'I wonder...'. No advice and no 'yes, but'."
            ),
            (
                "Give three minutes for each person to pick a half-finished idea: a unit they "
                "might redesign, a routine they want to try, a question they would like to "
                "investigate. Passing is fine."
            ),
            (
                "Volunteers share their idea in about a minute each. After each one, take two or "
                "three responses that use only the two stems."
            ),
            (
                "The facilitator gently turns any advice back into a stem ('Can you make that an I "
                "wonder?')."
            ),
            (
                "Close by asking the presenters how it felt to share something unfinished, and "
                "thank them for going first."
            ),
        ),
    ),
    LibraryActivity(
        slug="trust-timeline",
        title="Trust Timeline",
        purpose=Purpose.TRUST,
        minutes=20,
        group=(3, 20),
        setting=BOTH,
        summary=(
            "Each person sketches how trust grew with one colleague and pinpoints the moment it "
            "changed; the group collects what actually builds trust."
        ),
        materials=(
            "Paper and pens (or a blank slide each); a board or shared document for the group's "
            "list."
        ),
        steps=(
            (
                "Ask everyone to think of a colleague, past or present, whom they came to trust "
                "deeply. They will not name the person."
            ),
            (
                "For four minutes, each person draws a simple line from 'when we met' to 'now' "
                "that rises as trust grew, and marks the one or two moments when it rose most."
            ),
            (
                "In pairs or trios, describe one of those moments: what did the other person do? "
                "(Three minutes each.)"
            ),
            (
                "Back in the whole group, collect those actions in a shared list titled 'What "
                "builds trust here'. Expect items like keeping a confidence, admitting a mistake, "
                "showing up when it wasn't required."
            ),
            (
                "Ask which one or two items the group could practice with each other this month, "
                "and circle them."
            ),
        ),
    ),
    LibraryActivity(
        slug="small-promises-kept",
        title="Small Promises, Kept",
        purpose=Purpose.TRUST,
        minutes=10,
        group=(3, 30),
        setting=BOTH,
        summary=(
            "Each person makes one tiny, visible commitment to the group and checks back at the "
            "next meeting: trust built from follow-through, not speeches."
        ),
        materials=(
            "A place to record the promises that the group will see again next time (a shared "
            "document, or a photo of a chart)."
        ),
        steps=(
            (
                "Explain: trust is mostly built from small promises that are kept. Each person "
                "makes one promise small enough to keep by the next meeting (share a resource, "
                "visit a colleague's room for ten minutes, try one strategy the group discussed)."
            ),
            "Give a minute to think. The facilitator goes first with a promise of their own.",
            (
                "Go around; each person states their promise in one sentence and it is recorded "
                "next to their name. Anyone may pass, or promise something very small."
            ),
            "Save the list where everyone can find it.",
            (
                "At the next meeting, open with a one-minute round: 'Kept it, partly, or not this "
                "time.' No explanations are required and no one is judged; celebrate what was "
                "kept."
            ),
        ),
    ),
    LibraryActivity(
        slug="three-minutes-of-listening",
        title="Three Minutes of Listening",
        purpose=Purpose.TRUST,
        minutes=15,
        group=(2, 40),
        setting=BOTH,
        summary=(
            "Partners take turns talking for three uninterrupted minutes about what is on their "
            "mind while the other only listens, then reflects back one sentence."
        ),
        materials="A timer with a gentle sound. Virtual: breakout rooms of two.",
        steps=(
            (
                "Pair people up (breakout rooms of two online). Explain: one person talks; the "
                "other listens without interrupting, advising or telling their own story. Silences "
                "are allowed."
            ),
            (
                "Offer a prompt the speaker may use or ignore: 'Something on my mind about my work "
                "right now is...'. Speakers choose what and how much to share."
            ),
            "Start the timer for three minutes. The listener stays quiet and attentive.",
            (
                "When time is up, the listener says one sentence back: 'What I heard matters to "
                "you is...'. The speaker may correct it."
            ),
            "Swap roles and repeat.",
            (
                "In the whole group, ask only about the experience, never the content: 'What was "
                "it like to be listened to without interruption? What was hard about only "
                "listening?'"
            ),
        ),
    ),
    LibraryActivity(
        slug="staff-room-playlist",
        title="Staff Room Playlist",
        purpose=Purpose.CAMARADERIE,
        minutes=15,
        group=(3, 30),
        setting=BOTH,
        summary=(
            "Everyone secretly submits the song that gets them through a long day; the group hears "
            "a few seconds of each and guesses whose it is."
        ),
        materials=(
            "A way to play short music clips (a phone and a speaker, or screen sharing with "
            "sound); a form or private messages to collect song titles beforehand."
        ),
        steps=(
            (
                "A day or two before, ask each person privately for one song that gets them "
                "through grading, a long commute or a Monday. Anyone may skip."
            ),
            "Build the playlist in random order and keep the list of who chose what to yourself.",
            (
                "Play 15-20 seconds of each song. The group guesses who chose it; that person "
                "reveals themselves and says in one sentence when they play it."
            ),
            (
                "Keep the pace brisk: stop after about ten songs and save the rest for another "
                "meeting."
            ),
            (
                "Share the full playlist with the group afterwards so people can listen to each "
                "other's picks."
            ),
        ),
    ),
    LibraryActivity(
        slug="our-collective-resume",
        title="Our Collective Resume",
        purpose=Purpose.CAMARADERIE,
        minutes=15,
        group=(4, 30),
        setting=BOTH,
        summary=(
            "The group pools its experience into one playful resume: years in education, "
            "languages, places taught, jobs before teaching, unusual duties survived."
        ),
        materials=(
            "Chart paper and markers, or a shared document with the headings prepared in advance."
        ),
        steps=(
            (
                "Prepare these headings: Total years in education; Grade levels and subjects "
                "taught; Languages spoken; Places we have worked; Jobs we did before education; "
                "Unusual duties survived; Things we could teach in five minutes."
            ),
            (
                "Give the group eight minutes to fill in the headings together; a volunteer adds "
                "up the numbers. In a big group, split into teams that take a few headings each."
            ),
            (
                "Read the finished resume aloud with a flourish, as if presenting a candidate at a "
                "job interview."
            ),
            (
                "Ask: 'What does this resume tell us about what we can learn from each other?' "
                "Note one or two people the group now knows to ask about something."
            ),
        ),
    ),
    LibraryActivity(
        slug="common-ground-hunt",
        title="Common Ground Hunt",
        purpose=Purpose.CAMARADERIE,
        minutes=10,
        group=(4, 60),
        setting=BOTH,
        summary=(
            "Small groups race to find three things they all have in common that have nothing to "
            "do with school, then share the most surprising one."
        ),
        materials="A timer. Virtual: breakout rooms of three or four.",
        steps=(
            "Form groups of three or four with people who don't usually sit together.",
            (
                "Explain the rule: find three things that are true of every person in the group. "
                "Work is off limits (no 'we are all teachers'). Look for the surprising: the same "
                "least favorite vegetable, everyone has broken a bone, everyone learned to swim as "
                "an adult."
            ),
            "Give four minutes. Groups write down their three items.",
            (
                "Each group shares its most surprising item. Then ask for a quick show of hands: "
                "who else in the room shares it?"
            ),
        ),
    ),
    LibraryActivity(
        slug="field-trip-legends",
        title="Field Trip Legends",
        purpose=Purpose.CAMARADERIE,
        minutes=15,
        group=(3, 20),
        setting=BOTH,
        summary=(
            "Colleagues tell short, warm stories from field trips, assemblies and duty days that "
            "still make them smile, with no student named or mocked."
        ),
        materials="None.",
        steps=(
            (
                "Set the frame: stories should be funny or warm, and kind to everyone in them. "
                "Leave out the names of students and families; laugh with people, never at them."
            ),
            (
                "Give a minute to remember a moment from a field trip, an assembly, a bus or lunch "
                "duty, or a school event that still makes you smile."
            ),
            (
                "Volunteers tell their story in about a minute each. Keep going for about twelve "
                "minutes or until the stories run out; no one has to tell one."
            ),
            "Close by asking what these stories remind us about why this work is worth doing.",
        ),
    ),
    LibraryActivity(
        slug="desk-tour",
        title="Desk Tour",
        purpose=Purpose.CAMARADERIE,
        minutes=10,
        group=(3, 15),
        setting=VIRTUAL,
        summary=(
            "In a video meeting, each person shows one object within arm's reach and tells its "
            "story in under a minute."
        ),
        materials=(
            "Cameras on for those who are comfortable; anyone without a camera can describe their "
            "object instead."
        ),
        steps=(
            (
                "Ask everyone to pick one object they can reach without standing up: a mug, a "
                "photo, a gift from a student, a strange stapler."
            ),
            (
                "Give thirty seconds to choose. Say that an object with a simple story is just as "
                "welcome as a dramatic one."
            ),
            (
                "Go around the gallery in a set order (alphabetical by first name works). Each "
                "person shows their object and tells its story in under a minute. Anyone may pass."
            ),
            (
                "Invite people to leave one follow-up question per object in the chat, to be "
                "answered there or after the meeting."
            ),
        ),
    ),
    LibraryActivity(
        slug="team-haiku",
        title="Team Haiku",
        purpose=Purpose.CAMARADERIE,
        minutes=10,
        group=(3, 12),
        setting=BOTH,
        summary=(
            "Three small teams each write one line of a haiku about the group's week without "
            "seeing the others' lines, then the poem is read aloud together."
        ),
        materials="A board or shared document where the poem can be written.",
        steps=(
            (
                "Remind the group of the haiku shape: three lines of about five, seven and five "
                "syllables. Perfect counts are not required."
            ),
            (
                "Split into three small teams (or three volunteers in a small group). Team one "
                "writes the first line, team two the middle, team three the last."
            ),
            (
                "Give the theme 'This week in our work'. Teams have three minutes and may not see "
                "each other's lines."
            ),
            (
                "Reveal the lines in order and read the whole poem aloud together. Enjoy whatever "
                "it turned out to be."
            ),
            (
                "Optional: keep a collection of the group's poems and read them back at the end of "
                "the year."
            ),
        ),
    ),
    LibraryActivity(
        slug="scrap-paper-bridge",
        title="Scrap Paper Bridge",
        purpose=Purpose.CAMARADERIE,
        minutes=30,
        group=(4, 30),
        setting=IN_PERSON,
        summary=(
            "Teams build a bridge between two desks out of scrap paper and tape that must hold a "
            "stapler, then talk about how they worked together."
        ),
        materials=(
            "Per team: 20 sheets of scrap paper, 1 metre (3 feet) of masking tape, scissors, and "
            "two desks or chairs set 30 cm (12 inches) apart. One stapler to test the bridges."
        ),
        steps=(
            (
                "Form teams of three to five and give each team its materials. Set every team's "
                "desks the same distance apart."
            ),
            (
                "Explain the goal: a bridge that spans the gap without touching the floor and "
                "holds a stapler in the middle for ten seconds. Paper and tape only; the desks may "
                "not be moved."
            ),
            "Give twelve minutes to build. Call out the time with six, two and one minute left.",
            (
                "Test each bridge in turn with the stapler while the whole group counts to ten. "
                "Cheer every attempt."
            ),
            (
                "Debrief for about eight minutes: Who took which role? How did you decide what to "
                "try? What would you do differently? What does this remind you of in our work "
                "together?"
            ),
        ),
    ),
    LibraryActivity(
        slug="top-five-by-consensus",
        title="Top Five by Consensus",
        purpose=Purpose.CAMARADERIE,
        minutes=15,
        group=(6, 60),
        setting=VIRTUAL,
        summary=(
            "Breakout rooms must agree on a ranked top five for a light topic (the best school "
            "lunch, the best film about a teacher), then defend their list to everyone."
        ),
        materials=(
            "Breakout rooms of three to five. Topics, for example: the best school lunch, the best "
            "film about a teacher, the best thing to find in a staff room, the best classroom "
            "sound, the best first-day-of-school tradition."
        ),
        steps=(
            (
                "Open breakout rooms of three to five people and give each room a topic (rooms may "
                "share one)."
            ),
            (
                "Each room has six minutes to agree on a ranked top five. Everyone must be able to "
                "live with the final order: no outvoting anyone."
            ),
            (
                "Back in the main room, each room posts its list in the chat and gives a "
                "twenty-second defense of its number one."
            ),
            "Ask: 'How did your room reach agreement? Who changed their mind, and why?'",
        ),
    ),
    LibraryActivity(
        slug="headline-of-the-week",
        title="Headline of the Week",
        purpose=Purpose.REFLECTION,
        minutes=10,
        group=(3, 30),
        setting=BOTH,
        summary=(
            "Each person sums up their week as a newspaper headline of eight words or fewer; the "
            "group asks a question about a few of them."
        ),
        materials="Sticky notes and pens, or the meeting chat.",
        steps=(
            (
                "Ask everyone to write a headline of at most eight words that captures their week, "
                "the way a newspaper would print it ('Local Teacher Survives Report Card Week')."
            ),
            "Give two minutes. Headlines may be funny, serious or both.",
            (
                "Everyone reads their headline aloud (or posts it in the chat at the same moment). "
                "No comments yet."
            ),
            (
                "Choose three or four headlines that made people curious and invite one question "
                "for each; the author answers briefly or passes."
            ),
        ),
    ),
    LibraryActivity(
        slug="one-student-one-moment",
        title="One Student, One Moment",
        purpose=Purpose.REFLECTION,
        minutes=15,
        group=(3, 20),
        setting=BOTH,
        summary=(
            "Each person recalls one moment with a student this week that stayed with them, and "
            "shares what they noticed and what they still wonder."
        ),
        materials="Paper for notes.",
        steps=(
            (
                "Ask everyone to recall one moment with a student from the past week that stayed "
                "with them: a breakthrough, a puzzle, a worry, a laugh."
            ),
            (
                "Set the privacy rule: no names and no details that could identify a student or "
                "family."
            ),
            "Give two minutes to jot down 'What I noticed' and 'What I still wonder'.",
            (
                "Volunteers share both in about a minute. The group listens; after each, one "
                "person may offer a 'that makes me think of...' connection."
            ),
            (
                "Close by asking: 'Did anything you heard change how you will look at a student "
                "tomorrow?'"
            ),
        ),
    ),
    LibraryActivity(
        slug="letter-to-september-me",
        title="Letter to September Me",
        purpose=Purpose.REFLECTION,
        minutes=15,
        group=(2, 40),
        setting=BOTH,
        summary=(
            "Each person writes a short letter to the version of themselves who started this "
            "school year, then reads one line aloud if they wish."
        ),
        materials="Paper and pens, or any writing app. Quiet background music is a nice touch.",
        steps=(
            (
                "Explain: write to the person you were when this school year began. What would you "
                "tell them now?"
            ),
            (
                "Offer sentence starters: 'You are going to be surprised by...', 'Don't worry so "
                "much about...', 'Make time for...'."
            ),
            "Write quietly for six minutes. The letter is private.",
            (
                "Invite volunteers to read one line aloud without explaining it. Leave a moment of "
                "silence after each."
            ),
            "Suggest people keep the letter and read it again next September.",
        ),
    ),
    LibraryActivity(
        slug="the-lesson-id-teach-again",
        title="The Lesson I'd Teach Again",
        purpose=Purpose.REFLECTION,
        minutes=20,
        group=(3, 16),
        setting=BOTH,
        summary=(
            "Members describe a lesson or session that truly worked, and the group pulls out the "
            "ingredients it could use more often."
        ),
        materials=(
            "A board or shared document with two columns: 'What happened' and 'Why it worked'."
        ),
        steps=(
            (
                "Ask everyone to recall a lesson, workshop or meeting they led that went really "
                "well: one they would happily teach again tomorrow."
            ),
            "Give three minutes to note what happened and why they think it worked.",
            (
                "In trios, each person describes their lesson in two minutes. Listeners ask 'What "
                "made that work?' at least once."
            ),
            (
                "Back in the whole group, each trio names two ingredients their lessons shared. "
                "Record them on the board."
            ),
            (
                "Look at the list together and ask each person which ingredient they want to use "
                "on purpose next week."
            ),
        ),
    ),
    LibraryActivity(
        slug="keep-tweak-drop",
        title="Keep, Tweak, Drop",
        purpose=Purpose.REFLECTION,
        minutes=10,
        group=(2, 40),
        setting=BOTH,
        summary=(
            "A quick personal inventory: one practice to keep, one to tweak and one to drop, with "
            "one of the three shared aloud."
        ),
        materials=(
            "A half sheet of paper per person with three boxes labelled Keep, Tweak and Drop (or "
            "the same headings in a document)."
        ),
        steps=(
            (
                "Ask everyone to think about their own practice over the last few weeks: teaching, "
                "leading, planning, or how they look after themselves."
            ),
            (
                "For four minutes, write one item per box: something to keep doing, something to "
                "adjust, something to stop doing."
            ),
            (
                "Go around; each person reads one of their three boxes, whichever they choose. "
                "Anyone may pass."
            ),
            (
                "Invite people to look at the sheet again before the next meeting and notice what "
                "changed."
            ),
        ),
    ),
    LibraryActivity(
        slug="quiet-write-loud-listen",
        title="Quiet Write, Loud Listen",
        purpose=Purpose.REFLECTION,
        minutes=15,
        group=(3, 25),
        setting=BOTH,
        summary=(
            "Five minutes of silent writing on a prompt, then each person reads one sentence aloud "
            "while everyone else simply listens."
        ),
        materials="Paper and pens; the prompt written where everyone can see it.",
        steps=(
            (
                "Post a prompt, for example: 'What do I understand now about my work that I didn't "
                "a year ago?'"
            ),
            "Write silently for five minutes without stopping. Spelling and polish don't matter.",
            "Each person underlines one sentence they are willing to share.",
            (
                "Go around and read the underlined sentences aloud, with no comments or applause "
                "in between. Passing is allowed."
            ),
            (
                "After the last sentence, pause for ten seconds of silence, then ask: 'What did "
                "you notice in what we heard?'"
            ),
        ),
    ),
    LibraryActivity(
        slug="mapping-my-energy",
        title="Mapping My Energy",
        purpose=Purpose.REFLECTION,
        minutes=20,
        group=(2, 30),
        setting=BOTH,
        summary=(
            "Each person graphs their energy across a typical week, marks the peaks and dips, and "
            "shares one insight and one small change."
        ),
        materials="Paper and pens or a blank slide; a sample graph to show what is meant.",
        steps=(
            (
                "Show an example: the days of the week along the bottom, energy from low to high "
                "up the side, and one line drawn across."
            ),
            (
                "Give five minutes for everyone to draw their own week and label two peaks and two "
                "dips with what was happening."
            ),
            (
                "In pairs, share what you notice: what fills you up, and what drains you? (Three "
                "minutes each.)"
            ),
            (
                "Each person chooses one small change to try next week, such as moving a hard task "
                "to a peak or protecting a dip with a break."
            ),
            "Volunteers share their change with the whole group.",
        ),
    ),
    LibraryActivity(
        slug="stand-if-youve-ever",
        title="Stand If You've Ever...",
        purpose=Purpose.ENERGIZER,
        minutes=5,
        group=(5, 80),
        setting=BOTH,
        summary=(
            "The facilitator reads quick statements about life in education; people stand, raise a "
            "hand or react on camera if a statement is true for them."
        ),
        materials=(
            "A list of 10-12 statements, for example: ...laminated something and then lost it; "
            "...taught a lesson you planned that morning; ...eaten lunch in under five minutes; "
            "...learned something from a student this week; ...cried at a graduation."
        ),
        steps=(
            (
                "Explain the signal: stand up (in the room) or raise a hand or react with an emoji "
                "(online). Anyone may stay seated at any time, for any reason."
            ),
            (
                "Read the statements one at a time, briskly. Pause a beat after each so people can "
                "look around and see who else stood."
            ),
            (
                "End with two or three statements that point toward the meeting's work, such as "
                "'...tried something new this month because of a colleague'."
            ),
            "Thank the group and move on; no discussion is needed.",
        ),
    ),
    LibraryActivity(
        slug="would-you-rather-school-edition",
        title="Would You Rather: School Edition",
        purpose=Purpose.ENERGIZER,
        minutes=10,
        group=(4, 60),
        setting=BOTH,
        summary=(
            "Quick-fire dilemmas from school life: people pick a side of the room or an emoji, and "
            "a few explain their choice."
        ),
        materials=(
            "A list of 6-8 dilemmas, for example: an extra planning period every day, or a "
            "classroom that is always the perfect temperature? Grade 100 essays, or chaperone 3 "
            "dances?"
        ),
        steps=(
            "Mark two sides of the room (or two emoji reactions online) for the two options.",
            (
                "Read the first dilemma. Everyone moves or reacts within ten seconds; there is no "
                "middle ground."
            ),
            "Ask one person from each side to give a one-sentence reason.",
            "Repeat with the remaining dilemmas, keeping the pace quick.",
            "End with a dilemma suggested by someone in the group.",
        ),
    ),
    LibraryActivity(
        slug="alphabet-of-our-work",
        title="Alphabet of Our Work",
        purpose=Purpose.ENERGIZER,
        minutes=10,
        group=(3, 30),
        setting=BOTH,
        summary=(
            "Against the clock, the group finds a word for every letter from A to Z that belongs "
            "to its shared work."
        ),
        materials=(
            "A board or shared document with the letters A to Z down the side; a three-minute "
            "timer."
        ),
        steps=(
            "Name the domain, for example 'teaching mathematics' or 'leading a school'.",
            (
                "Start the timer for three minutes. Anyone calls out words for any letter; a "
                "scribe writes down the first word heard for each letter."
            ),
            (
                "When time is up, count the letters filled. If there are gaps, give one more "
                "minute for the hardest letters (X is always fun)."
            ),
            (
                "Pick the three most surprising words and ask whoever offered them to explain in "
                "one sentence."
            ),
        ),
    ),
    LibraryActivity(
        slug="one-word-story",
        title="One-Word Story",
        purpose=Purpose.ENERGIZER,
        minutes=5,
        group=(4, 20),
        setting=BOTH,
        summary=(
            "The group tells a ridiculous story together, one word per person at a time, starting "
            "from a school-themed opening line."
        ),
        materials=(
            "A set speaking order: around the circle in the room, or the order of names in the "
            "gallery online."
        ),
        steps=(
            (
                "Set the order and give an opening line: 'On Monday morning the copy machine woke "
                "up and...'"
            ),
            "Each person adds exactly one word, quickly. Hesitating is fine; any word is fine.",
            (
                "Keep going for about three minutes or until the story reaches a natural (or "
                "absurd) end. The facilitator may say 'The end' to close it."
            ),
            "Ask a volunteer to retell the whole story in one breath.",
        ),
    ),
    LibraryActivity(
        slug="arms-length-scavenger-hunt",
        title="Arm's-Length Scavenger Hunt",
        purpose=Purpose.ENERGIZER,
        minutes=10,
        group=(3, 40),
        setting=VIRTUAL,
        summary=(
            "In a video call, the facilitator names a kind of object and everyone races to show "
            "one on camera from within arm's reach."
        ),
        materials=(
            "A list of 8-10 prompts, for example: something older than you, something blue, "
            "something a student gave you, something that makes a noise, the oddest pen you own."
        ),
        steps=(
            (
                "Explain: when a prompt is called, find a matching object you can reach without "
                "leaving your seat and hold it up to the camera. People without a camera type what "
                "they found in the chat."
            ),
            "Call the first prompt and count down from ten.",
            "Point out one or two of the best finds and ask their owners for a one-sentence story.",
            (
                "Continue through the prompts, finishing with 'something that reminds you why you "
                "do this work'."
            ),
        ),
    ),
    LibraryActivity(
        slug="silent-line-up",
        title="Silent Line-Up",
        purpose=Purpose.ENERGIZER,
        minutes=10,
        group=(6, 40),
        setting=IN_PERSON,
        summary=(
            "Without speaking, the group arranges itself in a line by a hidden fact, such as "
            "birthday or years in education, then checks how it did."
        ),
        materials=(
            "Open floor space where everyone can move comfortably. Anyone who prefers not to move "
            "can be an observer."
        ),
        steps=(
            (
                "Explain the rule: line up in order without talking or writing. Gestures are fine. "
                "Invite anyone who would rather not move to observe instead."
            ),
            (
                "Give the first order: birthdays from January to December (month and day only, not "
                "the year)."
            ),
            (
                "When the group thinks it is done, go down the line and have each person say their "
                "date. Celebrate the result either way."
            ),
            (
                "Try a second order, such as years working in education, from newest to "
                "longest-serving."
            ),
            (
                "Ask the observers and the group: 'How did you communicate without words? Who took "
                "the lead?'"
            ),
        ),
    ),
    LibraryActivity(
        slug="rock-paper-scissors-cheer-squads",
        title="Rock-Paper-Scissors Cheer Squads",
        purpose=Purpose.ENERGIZER,
        minutes=5,
        group=(8, 100),
        setting=IN_PERSON,
        summary=(
            "A loud, quick tournament: whoever loses a round of rock-paper-scissors becomes the "
            "winner's cheering section, until two huge squads face off."
        ),
        materials="Open space to move around.",
        steps=(
            "Everyone finds a partner and plays one round of rock-paper-scissors.",
            "The loser becomes the winner's fan and follows them around, cheering their name.",
            (
                "Winners find another winner and play again; the player who loses joins the new "
                "winner's squad together with all of their own fans."
            ),
            (
                "Continue until only two players remain, each with a huge cheering section. Play "
                "the final as best of three."
            ),
            "Applaud the champion, then point out that everyone ended up cheering for someone.",
        ),
    ),
    LibraryActivity(
        slug="my-week-in-three-emoji",
        title="My Week in Three Emoji",
        purpose=Purpose.ENERGIZER,
        minutes=5,
        group=(3, 50),
        setting=VIRTUAL,
        summary=(
            "Everyone sums up their week in exactly three emoji in the chat; the group guesses the "
            "stories behind a few of them."
        ),
        materials="A video meeting with a chat that supports emoji.",
        steps=(
            (
                "Ask everyone to type, but not yet send, exactly three emoji that tell the story "
                "of their week."
            ),
            "Count down from three and have everyone send at once.",
            (
                "Pick three or four messages. The group guesses the story, then the author tells "
                "it in one or two sentences."
            ),
            (
                "End with the facilitator's own three emoji for how they hope the rest of the "
                "meeting will go."
            ),
        ),
    ),
    LibraryActivity(
        slug="specific-thanks",
        title="Specific Thanks",
        purpose=Purpose.APPRECIATION,
        minutes=10,
        group=(3, 30),
        setting=BOTH,
        summary=(
            "Appreciations that land, built on one simple frame: 'When you..., it helped me...'."
        ),
        materials="The frame written where everyone can see it: 'When you ___, it helped me ___.'",
        steps=(
            (
                "Explain why specifics matter: 'thanks for everything' is kind, but 'when you "
                "shared your seating chart, it helped me calm my fourth period' tells a colleague "
                "exactly what they did well."
            ),
            (
                "Give two minutes for everyone to think of something specific that a colleague in "
                "this group (or at their school) did recently."
            ),
            (
                "Volunteers share using the frame, speaking directly to the person if they are "
                "present."
            ),
            "The person appreciated says only 'thank you': no deflecting ('oh, it was nothing').",
            "Continue until everyone who wants to has spoken, or time runs out.",
        ),
    ),
    LibraryActivity(
        slug="sticky-note-shower",
        title="Sticky-Note Shower",
        purpose=Purpose.APPRECIATION,
        minutes=15,
        group=(4, 25),
        setting=IN_PERSON,
        summary=(
            "Each person's name goes on a sheet on the wall; everyone circulates writing short "
            "appreciations on sticky notes, and each person takes their sheet home."
        ),
        materials=(
            "One sheet of paper per person with their name at the top, taped to the wall; sticky "
            "notes and pens for everyone."
        ),
        steps=(
            (
                "Tape up the named sheets around the room before people arrive (or have people "
                "write their own as they come in)."
            ),
            (
                "Explain: write a specific, kind note for as many colleagues as you can. Sign it "
                "or leave it anonymous. Make sure every sheet gets notes."
            ),
            (
                "Circulate for eight minutes. The facilitator quietly watches for sheets with few "
                "notes, adds to them, and asks a few others to do the same."
            ),
            "Everyone collects their own sheet and reads it silently for a minute.",
            "Invite anyone who wishes to read aloud one note that meant something to them.",
        ),
    ),
    LibraryActivity(
        slug="spotlight-opt-in",
        title="Spotlight, Opt-In",
        purpose=Purpose.APPRECIATION,
        minutes=10,
        group=(4, 20),
        setting=BOTH,
        summary=(
            "One volunteer steps into the spotlight and receives three specific appreciations from "
            "colleagues, then a new volunteer takes their place."
        ),
        materials="None.",
        steps=(
            (
                "Ask who would like to be in the spotlight today. No one is put there without "
                "asking; if no one volunteers, the facilitator goes first."
            ),
            (
                "Three colleagues each offer the volunteer one specific appreciation: something "
                "they did, a quality they show, a way they have helped."
            ),
            "The volunteer listens and answers only 'thank you'.",
            "Repeat with a new volunteer as time allows, about two minutes each.",
            (
                "Keep track of who has been in the spotlight so that, over several meetings, "
                "everyone who wants a turn gets one."
            ),
        ),
    ),
    LibraryActivity(
        slug="thank-you-beyond-the-room",
        title="Thank You Beyond the Room",
        purpose=Purpose.APPRECIATION,
        minutes=15,
        group=(2, 40),
        setting=BOTH,
        summary=(
            "Each person writes a short thank-you note to someone outside the group whose work "
            "often goes unseen (a custodian, an aide, office staff, a bus driver) and plans to "
            "deliver it."
        ),
        materials="Note cards and pens (or e-mail); envelopes are optional.",
        steps=(
            (
                "Ask: who made your work possible this month without being asked to? Think beyond "
                "this group: custodians, aides, office and cafeteria staff, bus drivers, a parent "
                "volunteer."
            ),
            (
                "Each person picks one person and writes a three-sentence note: what they did, how "
                "it helped, and thank you."
            ),
            "Give eight minutes to write.",
            (
                "Each person says aloud whom they wrote to (a role or a name) and when they will "
                "deliver the note."
            ),
            "At the next meeting, ask how the deliveries went.",
        ),
    ),
    LibraryActivity(
        slug="strength-spotting",
        title="Strength Spotting",
        purpose=Purpose.APPRECIATION,
        minutes=20,
        group=(3, 30),
        setting=BOTH,
        summary=(
            "In trios, one person tells a short success story and the listeners name the strengths "
            "they heard in it."
        ),
        materials=(
            "A short list of strength words for anyone who wants help naming them: patience, "
            "creativity, persistence, humor, organization, courage, fairness, curiosity, warmth."
        ),
        steps=(
            (
                "Form trios (breakout rooms online). Each person thinks of a recent moment at work "
                "that went well because of something they did."
            ),
            "The first person tells their story in two minutes.",
            (
                "The other two name the strengths they heard, with evidence: 'I heard patience, "
                "when you waited for her to answer.' The storyteller only listens."
            ),
            "Rotate until everyone has told a story (about six minutes per person).",
            (
                "Back together, ask: 'Was it easy or hard to hear your strengths named? Did anyone "
                "hear a strength they hadn't seen in themselves?'"
            ),
        ),
    ),
    LibraryActivity(
        slug="appreciation-waterfall",
        title="Appreciation Waterfall",
        purpose=Purpose.APPRECIATION,
        minutes=5,
        group=(4, 40),
        setting=VIRTUAL,
        summary=(
            "Everyone types an appreciation for a colleague in the chat and, on the count of "
            "three, all press Enter at once."
        ),
        materials=(
            "A video meeting with a chat, and an order that says who appreciates whom (for "
            "example, the next person in alphabetical order of first names)."
        ),
        steps=(
            (
                "Post the order in the chat so everyone knows whose name comes after theirs; the "
                "last person appreciates the first."
            ),
            "Give two minutes to type, without sending, one specific appreciation for that person.",
            (
                "Count down from three and have everyone press Enter at the same moment. Enjoy the "
                "waterfall."
            ),
            "Give a minute of quiet to read. People may react to the messages with an emoji.",
        ),
    ),
    LibraryActivity(
        slug="the-unsung-task",
        title="The Unsung Task",
        purpose=Purpose.APPRECIATION,
        minutes=10,
        group=(3, 20),
        setting=BOTH,
        summary=(
            "The group names the invisible work that keeps it going (booking the room, sending "
            "reminders, welcoming newcomers) and thanks the people who do it."
        ),
        materials="A board or shared document.",
        steps=(
            (
                "Explain: much of what keeps a group healthy is invisible, such as setting up the "
                "room, sending reminders, welcoming new people or checking on someone who was "
                "absent."
            ),
            (
                "For three minutes, everyone lists invisible tasks they have seen colleagues do "
                "for the group or the school."
            ),
            "Read the list aloud and, where the person is known and present, thank them by name.",
            (
                "Ask: 'Is any of this work falling on the same few people? Could we share it?' "
                "Note any offers to take a task on."
            ),
        ),
    ),
    LibraryActivity(
        slug="where-my-name-comes-from",
        title="Where My Name Comes From",
        purpose=Purpose.GETTING_TO_KNOW,
        minutes=15,
        group=(3, 20),
        setting=BOTH,
        summary=(
            "Each person shares the story behind their name (who chose it, what it means, a "
            "nickname that stuck) in about a minute."
        ),
        materials="None.",
        steps=(
            (
                "Invite everyone to think about their name: who chose it, whether it carries a "
                "meaning or a family story, a nickname, or how it usually gets mispronounced."
            ),
            "The facilitator goes first, to show the length (about a minute) and the tone.",
            (
                "Go around the group. Every story is welcome, including 'there isn't much of a "
                "story'. Anyone may pass, or talk about a nickname instead."
            ),
            (
                "After each story, the group says the name back together, pronounced the way its "
                "owner prefers."
            ),
        ),
    ),
    LibraryActivity(
        slug="my-first-paid-job",
        title="My First Paid Job",
        purpose=Purpose.GETTING_TO_KNOW,
        minutes=10,
        group=(3, 30),
        setting=BOTH,
        summary=(
            "Everyone shares the first job they were ever paid for and one skill from it they "
            "still use in their work today."
        ),
        materials="None.",
        steps=(
            (
                "Ask everyone to remember the first job they were ever paid for, however small: "
                "babysitting, a paper route, a summer at a car wash."
            ),
            (
                "Give a minute to think of one skill or lesson from that job that still shows up "
                "in their work."
            ),
            "Go around: the job in one sentence, the skill in one sentence.",
            "Close by pointing out any skills that came up more than once.",
        ),
    ),
    LibraryActivity(
        slug="where-we-grew-up",
        title="Where We Grew Up",
        purpose=Purpose.GETTING_TO_KNOW,
        minutes=15,
        group=(4, 50),
        setting=BOTH,
        summary=(
            "Everyone marks where they grew up on a shared map, and the group looks at the "
            "patterns and surprises."
        ),
        materials=(
            "A large printed map and sticky dots (in person), or a shared online map or a slide "
            "with a map image (virtual)."
        ),
        steps=(
            (
                "Show the map and ask everyone to place one dot where they spent most of their "
                "childhood. Anyone may choose another place that matters to them instead."
            ),
            "Give three minutes for everyone to add their dot.",
            (
                "Step back (or zoom out) and ask: 'What do you notice? Clusters? Someone from far "
                "away?'"
            ),
            "Invite three or four people to say one thing about the place their dot marks.",
            "Keep the map (or the file) and let new members add their dot when they join.",
        ),
    ),
    LibraryActivity(
        slug="question-card-interviews",
        title="Question Card Interviews",
        purpose=Purpose.GETTING_TO_KNOW,
        minutes=15,
        group=(4, 60),
        setting=BOTH,
        summary=(
            "Pairs draw question cards and interview each other, switching partners every few "
            "minutes."
        ),
        materials=(
            "Cards (or a numbered list online) of light questions, for example: What skill would "
            "you love to learn? What book have you given as a gift? What is your favorite time of "
            "the school year? What are you proud of that isn't work? What did you want to be at "
            "age ten? Where do you go to think?"
        ),
        steps=(
            "Pair people with someone they know least. Each person draws (or is given) a question.",
            (
                "Partners ask each other their questions, two minutes each. Anyone may answer a "
                "different question from the list instead."
            ),
            "Swap cards with your partner, find a new partner and repeat. Do three or four rounds.",
            (
                "Back in the group, ask two or three people to share something they learned about "
                "a colleague, with that colleague's permission."
            ),
        ),
    ),
    LibraryActivity(
        slug="why-i-said-yes",
        title="Why I Said Yes",
        purpose=Purpose.GETTING_TO_KNOW,
        minutes=15,
        group=(3, 16),
        setting=BOTH,
        summary=(
            "Members tell the story of the moment they decided to go into education, or to take on "
            "their current role."
        ),
        materials="None.",
        steps=(
            (
                "Ask everyone to recall when they said yes to this work: becoming a teacher, a "
                "principal, a coach, taking this role or joining this community."
            ),
            "Give a minute to think about who or what was part of that decision.",
            (
                "Go around, about a minute each. Stories can be inspiring, accidental or funny; "
                "all are welcome. Anyone may pass."
            ),
            (
                "After everyone has shared, ask: 'What do our reasons have in common? Do they "
                "still hold today?'"
            ),
        ),
    ),
    LibraryActivity(
        slug="hidden-talent-bingo",
        title="Hidden Talent Bingo",
        purpose=Purpose.GETTING_TO_KNOW,
        minutes=20,
        group=(10, 60),
        setting=IN_PERSON,
        summary=(
            "Players mingle to find colleagues who match the squares of a bingo card of hidden "
            "talents and experiences, collecting a different name for each square."
        ),
        materials=(
            "A printed 4x4 bingo card per person. Example squares: plays an instrument; has lived "
            "in another country; cooks a dish without a recipe; has run a race; speaks three "
            "languages; has been on radio or TV; grows vegetables; can juggle; builds or fixes "
            "things; was in a band; has taught adults; knits or sews; has an unusual pet; writes "
            "poetry; has a black belt; has met someone famous."
        ),
        steps=(
            (
                "Hand out the cards and explain: find a different colleague for each square and "
                "write their name in it. Each name may be used only once."
            ),
            "When you find a match, ask one follow-up question before moving on.",
            (
                "Mingle for ten minutes. Call out 'Bingo!' for a full row, but keep going for a "
                "full card."
            ),
            (
                "Back together, ask about the most surprising talents. Invite a few people to "
                "promise a short demonstration at a future meeting."
            ),
        ),
    ),
    LibraryActivity(
        slug="two-truths-and-a-goal",
        title="Two Truths and a Goal",
        purpose=Purpose.GETTING_TO_KNOW,
        minutes=15,
        group=(3, 20),
        setting=BOTH,
        summary=(
            "A twist on a party game: each person shares two true facts about themselves and one "
            "goal for the year phrased as if it were true, and the group guesses which is the "
            "goal."
        ),
        materials="Paper for notes.",
        steps=(
            (
                "Each person writes two true facts about themselves and one thing they hope to "
                "achieve this year, phrased as if it had already happened ('I ran a whole unit "
                "with student-led groups')."
            ),
            "Give three minutes to write.",
            "Each person reads their three statements; the group guesses which one is the goal.",
            (
                "After the reveal, the person says one sentence about the goal. Others may offer "
                "help: 'I can help with that.'"
            ),
            "Note the goals and the offers so the group can check back on them later in the year.",
        ),
    ),
    LibraryActivity(
        slug="background-tour",
        title="Background Tour",
        purpose=Purpose.GETTING_TO_KNOW,
        minutes=10,
        group=(3, 20),
        setting=VIRTUAL,
        summary=(
            "In a video meeting, everyone sets a virtual background of (or holds up a photo of) a "
            "place that matters to them and says why in a minute."
        ),
        materials=(
            "A video platform that allows virtual backgrounds. Anyone who can't use one, or "
            "prefers not to, may hold up a photo or simply describe the place."
        ),
        steps=(
            (
                "Before the meeting, invite everyone to find a picture of a place that matters to "
                "them: where they grew up, a favorite trail, their first classroom, a kitchen "
                "table."
            ),
            "At the start, give one minute for people to switch on their backgrounds.",
            (
                "Go around the gallery in a set order. Each person names the place and says why it "
                "matters, in a minute or less. Passing is fine."
            ),
            (
                "Invite others to add a question or a 'me too' in the chat while each person "
                "speaks; the speaker can answer afterwards."
            ),
        ),
    ),
    LibraryActivity(
        slug="my-favorite-failure",
        title="My Favorite Failure",
        purpose=Purpose.VULNERABILITY,
        minutes=20,
        group=(3, 16),
        setting=BOTH,
        summary=(
            "Colleagues share a professional failure they learned from; listeners respond only "
            "with thanks, which makes it safe to talk about what went wrong."
        ),
        materials="None.",
        steps=(
            (
                "The facilitator goes first with a real failure of their own: what happened, how "
                "it felt, what it taught. This sets the tone and the length (about two minutes)."
            ),
            (
                "State the rules: sharing is optional and passing is always allowed; what is "
                "shared stays in the room; listeners respond only with 'Thank you for sharing "
                "that', with no advice, fixing or comparing."
            ),
            (
                "Give two minutes of quiet for people to choose a failure they are comfortable "
                "sharing. It doesn't have to be the biggest one."
            ),
            "Volunteers share. After each, the group says 'thank you'.",
            (
                "Close by asking: 'What was it like to hear colleagues talk about failing?' and "
                "thank the group for its courage."
            ),
        ),
    ),
    LibraryActivity(
        slug="still-figuring-it-out",
        title="Still Figuring It Out",
        purpose=Purpose.VULNERABILITY,
        minutes=15,
        group=(3, 20),
        setting=BOTH,
        summary=(
            "Each person finishes the sentence 'Something about my work I'm still figuring out "
            "is...', showing that no one has all the answers."
        ),
        materials="None.",
        steps=(
            (
                "Explain that experienced people are still learners, and that saying what we don't "
                "know yet is how a community knows where to help."
            ),
            (
                "The facilitator completes the sentence first, honestly: 'Something about my work "
                "I'm still figuring out is...'"
            ),
            (
                "Go around; each person completes the sentence in one or two sentences. Passing is "
                "always allowed."
            ),
            (
                "No one responds during the round. Afterwards, ask whether anyone heard something "
                "they could help with, and suggest they follow up after the meeting rather than on "
                "the spot."
            ),
            (
                "Optional: record the topics (without names) as themes for future meetings or "
                "questions to post in the community."
            ),
        ),
    ),
    LibraryActivity(
        slug="the-worry-bowl",
        title="The Worry Bowl",
        purpose=Purpose.VULNERABILITY,
        minutes=20,
        group=(5, 30),
        setting=BOTH,
        summary=(
            "People write a current professional worry anonymously; the worries are read aloud and "
            "colleagues signal 'me too', showing that no one worries alone."
        ),
        materials=(
            "Identical cards and pens and a bowl (in person), or an anonymous form whose answers "
            "the facilitator can read aloud (virtual)."
        ),
        steps=(
            (
                "Explain the purpose: to hear that our worries are shared. Writing is optional, a "
                "blank card is a fine contribution, and no one will try to guess who wrote what."
            ),
            (
                "Everyone writes one worry about their work on a card without their name, folds it "
                "and puts it in the bowl (or submits the anonymous form). Invite people to print "
                "in capitals so handwriting gives nothing away."
            ),
            (
                "The facilitator mixes the cards and reads each one aloud in a neutral voice, "
                "without commenting."
            ),
            (
                "After each worry, anyone who has felt something similar raises a hand (or reacts "
                "online). No discussion yet."
            ),
            (
                "When all are read, ask: 'What do you notice?' Choose one widely shared worry the "
                "group could work on together at a future meeting."
            ),
            "Destroy the cards (or delete the form's answers) in front of the group.",
        ),
    ),
    LibraryActivity(
        slug="the-question-i-didnt-ask",
        title="The Question I Didn't Ask",
        purpose=Purpose.VULNERABILITY,
        minutes=25,
        group=(4, 30),
        setting=BOTH,
        summary=(
            "Members anonymously submit a question they have hesitated to ask at work; the group "
            "explores one or two of them together, without judgment."
        ),
        materials="Cards and a box, or an anonymous form.",
        steps=(
            (
                "Explain: every workplace has questions people feel they 'should' already know the "
                "answer to. Today we collect them anonymously and answer some together."
            ),
            (
                "Everyone writes one question, or leaves the card blank (taking part is optional), "
                "and submits it anonymously. Give three minutes."
            ),
            (
                "The facilitator reads all the questions aloud without comment, and the group "
                "picks one or two to explore today."
            ),
            (
                "Discuss the chosen questions for about twelve minutes. Those who know something "
                "share it; those who also wondered say so."
            ),
            (
                "Promise a place for the rest (the community's questions, or a future meeting) and "
                "keep that promise."
            ),
        ),
    ),
    LibraryActivity(
        slug="learning-in-public",
        title="Learning in Public",
        purpose=Purpose.VULNERABILITY,
        minutes=15,
        group=(3, 40),
        setting=BOTH,
        summary=(
            "A volunteer, ideally the group's leader, tries a brand-new skill in front of everyone "
            "for a few minutes, wobbles included, and the group talks about being a beginner."
        ),
        materials=(
            "Whatever the new skill needs: three soft balls for juggling, a phrase in an "
            "unfamiliar language, a simple origami pattern, a short drawing tutorial."
        ),
        steps=(
            (
                "Ask for a volunteer; the facilitator or leader is ideal, and no one else is ever "
                "pressed to go first. The volunteer picks a skill they genuinely cannot do yet, "
                "and says so out loud."
            ),
            (
                "For five minutes they try it in front of the group, narrating what they are "
                "thinking ('I'm frustrated; I'll try it slower'). The group may cheer, but gives "
                "no tips unless asked."
            ),
            (
                "Invite anyone who wants to join in and try it too; watching is just as welcome, "
                "and anyone may pass."
            ),
            (
                "Debrief: 'What did you see? What did the volunteer do when it went wrong? What "
                "would make it easier to be a beginner in front of each other?'"
            ),
            "Connect it to the classroom: students are beginners in front of each other every day.",
        ),
    ),
    LibraryActivity(
        slug="the-feedback-i-needed",
        title="The Feedback I Needed",
        purpose=Purpose.VULNERABILITY,
        minutes=20,
        group=(3, 16),
        setting=BOTH,
        summary=(
            "People share a piece of hard feedback that turned out to help them, and the group "
            "works out what made it possible to hear."
        ),
        materials="A board or shared document for the final list.",
        steps=(
            (
                "Ask everyone to recall a piece of feedback that stung at first but changed "
                "something for the better. Remind them that passing is allowed and that the people "
                "in their stories should not be identifiable."
            ),
            (
                "Give two minutes to think: What was said? How did it feel? What made it possible "
                "to take in?"
            ),
            "Volunteers share, about two minutes each. Listeners respond only with 'thank you'.",
            (
                "Together, list what made hard feedback possible to hear (trust in the person, "
                "timing, specific examples, a private setting...)."
            ),
            "Ask how the group could give each other feedback in that way.",
        ),
    ),
    LibraryActivity(
        slug="the-iceberg",
        title="The Iceberg",
        purpose=Purpose.VULNERABILITY,
        minutes=20,
        group=(3, 20),
        setting=BOTH,
        summary=(
            "Each person draws an iceberg: what colleagues see of their work above the waterline, "
            "and what it takes below. Sharing anything below the line is optional."
        ),
        materials="Paper and pens, or a blank slide with an iceberg outline.",
        steps=(
            (
                "Draw an iceberg with a waterline. Above the line, each person writes what "
                "colleagues see of their work: the lessons, the schedules, the smile in the "
                "hallway."
            ),
            (
                "Below the line, they write what it takes and what others don't see: the planning "
                "at night, the worries, the calls home, their life outside school. This part is "
                "private unless they choose otherwise."
            ),
            "Give six minutes to draw and write.",
            (
                "In pairs, each person shares one thing from above the line and, only if they "
                "wish, one thing from below. Partners listen without giving advice."
            ),
            (
                "Back together, ask: 'What would change if we remembered each other's icebergs?' "
                "No one is asked to show their drawing."
            ),
        ),
    ),
    LibraryActivity(
        slug="our-why-in-six-words",
        title="Our Why in Six Words",
        purpose=Purpose.PURPOSE,
        minutes=15,
        group=(3, 40),
        setting=BOTH,
        summary=(
            "Each person writes in exactly six words why this community matters to them; together "
            "the statements become a portrait of the group's purpose."
        ),
        materials=(
            "Cards or sticky notes and markers, or a shared board; the community's written purpose."
        ),
        steps=(
            "Read the community's purpose aloud (or show it).",
            (
                "Ask each person to write, in exactly six words, why this community matters to "
                "them. Examples: 'Nobody should figure this out alone.' 'Better questions, braver "
                "teaching, happier kids.'"
            ),
            "Give four minutes. Counting words on fingers is encouraged.",
            "Read the statements aloud one after another without comment, then post them together.",
            (
                "Ask: 'Which words show up more than once? Is anything here missing from our "
                "written purpose?'"
            ),
        ),
    ),
    LibraryActivity(
        slug="the-student-we-serve",
        title="The Student We Serve",
        purpose=Purpose.PURPOSE,
        minutes=20,
        group=(4, 20),
        setting=BOTH,
        summary=(
            "The group invents one composite student from the patterns it sees, then asks what "
            "that student needs from the community this month."
        ),
        materials="Chart paper or a shared document with a simple outline of a person.",
        steps=(
            (
                "Explain: we'll invent one student who stands for many of ours. No real student, "
                "and no identifying detail, goes on the chart."
            ),
            (
                "Give the student a name and an age. Around the outline, the group adds strengths, "
                "interests, struggles and what the student might say about school (eight minutes)."
            ),
            (
                "Ask: 'What does this student need from us, the adults in this community, this "
                "month?' Record the answers."
            ),
            "Each person picks one answer they could act on in their own setting.",
            "Keep the chart and return to it later in the year: has the student changed?",
        ),
    ),
    LibraryActivity(
        slug="headlines-from-the-future",
        title="Headlines from the Future",
        purpose=Purpose.PURPOSE,
        minutes=25,
        group=(4, 40),
        setting=BOTH,
        summary=(
            "Small groups write the headline and opening paragraph of a news story about the "
            "community's work one year from now."
        ),
        materials="Paper or a shared document per group; the community's purpose statement.",
        steps=(
            (
                "Set the scene: it is one year from today, and a local newspaper is writing about "
                "what this community achieved."
            ),
            (
                "In groups of three or four, write a headline and a three-sentence opening "
                "paragraph. Be specific: who benefited, and what changed?"
            ),
            "Give ten minutes to write.",
            "Each group reads its article aloud.",
            (
                "As a whole group, name what the articles have in common and one step the "
                "community could take this month toward those headlines."
            ),
        ),
    ),
    LibraryActivity(
        slug="connect-the-dots",
        title="Connect the Dots",
        purpose=Purpose.PURPOSE,
        minutes=30,
        group=(4, 20),
        setting=IN_PERSON,
        summary=(
            "Members put their current projects on a wall as notes and draw lines where their work "
            "connects; new collaborations often appear."
        ),
        materials="A large sheet of paper on the wall, sticky notes, and markers in two colors.",
        steps=(
            (
                "Each person writes their main current project or focus on one sticky note (a few "
                "words) and places it anywhere on the sheet."
            ),
            "In turn, each person describes their project in one sentence.",
            (
                "For eight minutes, everyone draws lines between notes that connect (shared "
                "students, similar problems, overlapping skills) and writes a word on each line "
                "saying how."
            ),
            "Step back and look: Which notes have the most lines? Which are isolated?",
            (
                "Ask each person to name one line they will follow up on this month, and make sure "
                "every isolated note gets an offer of connection."
            ),
        ),
    ),
    LibraryActivity(
        slug="the-best-meeting-we-ever-had",
        title="The Best Meeting We Ever Had",
        purpose=Purpose.PURPOSE,
        minutes=20,
        group=(3, 20),
        setting=BOTH,
        summary=(
            "Members describe the best collaborative meeting they have ever been part of; the "
            "group draws out its ingredients and picks one for its own meetings."
        ),
        materials="A board or shared document.",
        steps=(
            (
                "Ask everyone to think of the best meeting they have ever been part of: one where "
                "real work got done and people left with more energy than they came with."
            ),
            "In pairs, describe it to each other, two minutes each. What made it work?",
            (
                "Back together, collect the ingredients on the board (a clear purpose, everyone "
                "spoke, someone kept time, there was food...)."
            ),
            (
                "Choose one ingredient to build into the group's own meetings starting next time, "
                "and decide who will make sure it happens."
            ),
        ),
    ),
    LibraryActivity(
        slug="purpose-check-in",
        title="Purpose Check-In",
        purpose=Purpose.PURPOSE,
        minutes=10,
        group=(3, 40),
        setting=BOTH,
        summary=(
            "A quick pulse: everyone rates from 1 to 5 how connected they feel to the community's "
            "purpose this month, and says what would raise it by one point."
        ),
        materials=(
            "Fingers (in person) or a poll or the chat (virtual); the community's written purpose."
        ),
        steps=(
            "Read the community's purpose aloud.",
            (
                "On a count of three, everyone shows 1 to 5 fingers (or answers the poll): how "
                "connected do you feel to this purpose right now?"
            ),
            (
                "Take in the spread without judging it. Low numbers are useful information, not a "
                "problem."
            ),
            "Go around: each person says what would move their number up by one. Anyone may pass.",
            "Pick one suggestion the group can act on before the next meeting.",
        ),
    ),
    LibraryActivity(
        slug="because-of-this-community",
        title="Because of This Community",
        purpose=Purpose.PURPOSE,
        minutes=15,
        group=(3, 30),
        setting=BOTH,
        summary=(
            "Each person shares one thing they tried or changed because of this community and what "
            "happened, so the group sees its own impact."
        ),
        materials="A board or shared document titled 'Because of this community...'.",
        steps=(
            (
                "Ask everyone to recall one thing they tried, changed or learned because of this "
                "community: an idea from a colleague, a resource, a conversation."
            ),
            (
                "Give two minutes to think about what happened as a result, even if it was small "
                "or didn't work."
            ),
            (
                "Go around; each person completes 'Because of this community, I...' and says what "
                "happened. Anyone may pass."
            ),
            "Record the items on the board and read the list back at the end.",
            (
                "Keep the list growing through the year: it is worth sharing with new members and "
                "with the organization's leaders."
            ),
        ),
    ),
)
