"""Generate the benchmark dataset (issue 3, "Speed") into the database of DATABASE_URL.

10,000 people in 20 schools of one network, 200 communities (70% public, 20% organization-wide,
10% private; each person in 5), 100,000 questions and 300,000 answers (cooked HTML, scores set as
the services would leave them), and a search index of 1,000,000 entries: the questions, the
answers, 590,000 channel-post-like documents and the people. Bulk inserts with explicit ids,
then the index is built in one pass (as ``practica reindex`` does): SQLite drops the sync
triggers and rebuilds its FTS5 tables; PostgreSQL builds its GIN index after the load.

    DATABASE_URL=sqlite:///var/bench/bench.sqlite3 .venv/bin/python bench/dataset.py

Run by bench/run.py (``make bench``), which caches the result. Text is generated from a
Zipf-weighted vocabulary of teaching words, deterministic (seeded), so runs are comparable.
"""

from __future__ import annotations

import os
import random
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "practica.settings")

import django

django.setup()

from allauth.account.models import EmailAddress  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from practica.accounts.models import Organization, OrganizationKind, OrgMembership, User  # noqa: E402
from practica.communities.models import Community, JoinPolicy, Membership, Visibility  # noqa: E402
from practica.qa.models import Answer, Post  # noqa: E402
from practica.search import ddl, index, maintenance  # noqa: E402
from practica.search.models import Entry  # noqa: E402
from practica.search.registry import types  # noqa: E402

USERS = int(os.environ.get("BENCH_USERS", "10000"))
COMMUNITIES = 200
QUESTIONS = int(os.environ.get("BENCH_QUESTIONS", "100000"))
ANSWERS_PER_QUESTION = 3
SEARCH_TOTAL = int(os.environ.get("BENCH_SEARCH_TOTAL", "1000000"))
BATCH = 5000
PASSWORD = "bench-password-1"
MEMBER_EMAIL = "member0@bench.test"
MARKER_SLUG = "bench-network"
EPOCH = datetime(2024, 1, 1, tzinfo=UTC)

WORDS = """
students student teacher teachers class classroom lesson lessons learning learn question
questions answer answers math reading writing science history feedback assessment rubric
rubrics group groups discussion practice homework project projects time week day year school
parents parent family families grade grades unit units plan plans planning goal goals skills
skill strategy strategies support help idea ideas work works worked working start started
end ended first next last best better good great hard easy simple problem problems solution
fractions decimals algebra geometry equations graphs data statistics probability vocabulary
phonics fluency comprehension essay essays paragraph evidence argument claim sources
experiment lab hypothesis observation model models energy cells ecosystems climate map maps
timeline primary document documents debate seminar socratic circle circles restorative norms
routine routines warmup exit ticket tickets formative summative quiz quizzes test tests
review reteach scaffold scaffolds differentiation intervention enrichment inclusion language
learners multilingual bilingual special education accommodations behavior engagement
motivation attendance belonging relationships trust culture community meeting meetings
coaching coach observation walkthrough protocol tuning consultancy dilemma colleagues peer
peers mentor mentoring new veteran grading standards mastery portfolio conference
conferences reflection journal journals notebook notebooks manipulatives tiles cubes blocks
number line talks estimation mental strategies word problems bar models tape diagrams ratio
proportion percent integers negative slope function functions linear quadratic exponential
calculator desmos technology laptops tablets slides video videos podcast library books novel
novels poetry poem annotation close read reading workshop writers workshop mini conferring
small whole guided independent partner turn talk think share jigsaw gallery walk carousel
stations centers
""".split()  # noqa: SIM905 (a word list reads best as text)
RARE = """
zeugma palimpsest isomorphism tessellation chiaroscuro anaphora syzygy orthogonal perihelion
photosynthesis mitochondria metacognition scaffolding kinesthetic onomatopoeia hyperbole
""".split()  # noqa: SIM905 (a word list reads best as text)
PHRASES = [
    "exit tickets", "number talks", "formative assessment", "restorative circles",
    "gallery walk", "think pair share", "reading workshop", "word problems", "tape diagrams",
    "socratic seminar", "peer feedback", "growth mindset", "small group instruction",
]  # fmt: skip


def _weights(n: int) -> list[float]:
    """Zipf-like cumulative weights: a few very common words, a long tail."""
    total = 0.0
    cumulative = []
    for rank in range(1, n + 1):
        total += 1.0 / rank
        cumulative.append(total)
    return cumulative


class Text:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.words = WORDS[:]
        self.rng.shuffle(self.words)
        self.cum = _weights(len(self.words))

    def words_(self, k: int) -> list[str]:
        return self.rng.choices(self.words, cum_weights=self.cum, k=k)

    def title(self) -> str:
        words = self.words_(self.rng.randint(5, 10))
        if self.rng.random() < 0.3:
            words.insert(self.rng.randrange(len(words)), self.rng.choice(PHRASES))
        if self.rng.random() < 0.02:
            words.append(self.rng.choice(RARE))
        return (" ".join(words).capitalize() + "?")[:200]

    def sentence(self) -> str:
        words = self.words_(self.rng.randint(8, 18))
        if self.rng.random() < 0.15:
            words.insert(self.rng.randrange(len(words)), self.rng.choice(PHRASES))
        if self.rng.random() < 0.003:
            words.insert(self.rng.randrange(len(words)), self.rng.choice(RARE))
        return " ".join(words).capitalize() + "."

    def body(self, low: int, high: int) -> str:
        """About ``low``-``high`` words, as sentences drawn from a pool (generating every word
        of 1M documents one by one would dominate the build)."""
        if not hasattr(self, "pool"):
            self.pool = [self.sentence() for _ in range(60_000)]
        count = max(1, self.rng.randint(low, high) // 13)
        return " ".join(self.rng.choices(self.pool, k=count))


def progress(label: str, done: int, total: int, started: float) -> None:
    width = 30
    filled = int(width * done / total) if total else width
    rate = done / max(time.monotonic() - started, 1e-6)
    end = "\n" if done >= total else "\r"
    print(
        f"  {label:>10} [{'#' * filled}{'-' * (width - filled)}] {done:>9,}/{total:,} "
        f"({rate:,.0f}/s)",
        end=end,
        flush=True,
    )


def bulk(label: str, model: Any, total: int, rows: Callable[[int, int], list[Any]]) -> None:
    started = time.monotonic()
    for start in range(0, total, BATCH):
        stop = min(total, start + BATCH)
        model.objects.bulk_create(rows(start, stop), batch_size=BATCH)
        progress(label, stop, total, started)


def is_built() -> bool:
    try:
        return (
            Organization.objects.filter(slug=MARKER_SLUG).exists()
            and Entry.objects.count() >= SEARCH_TOTAL * 0.99
        )
    except Exception:
        return False


def build() -> None:
    text = Text(seed=3)
    rng = random.Random(7)
    started = time.monotonic()
    with transaction.atomic():
        network = Organization.objects.create(
            name="Bench Network", slug=MARKER_SLUG, kind=OrganizationKind.NETWORK
        )
        schools = [
            Organization.objects.create(
                name=f"Bench School {i}",
                slug=f"bench-school-{i}",
                kind=OrganizationKind.SCHOOL,
                parent=network,
            )
            for i in range(20)
        ]
        _people(schools, text)
        community_ids, slugs = _communities(network, rng)
        _memberships(community_ids, rng)
    with transaction.atomic():
        _questions_and_answers(community_ids, slugs, text, rng)
    _search_index(community_ids, slugs, text, rng)
    print(f"  dataset built in {time.monotonic() - started:.0f} s")


def _people(schools: list[Organization], text: Text) -> None:
    password = make_password(PASSWORD)
    first = [
        "Ana",
        "Ben",
        "Chloe",
        "Dev",
        "Ema",
        "Farid",
        "Gita",
        "Hugo",
        "Ines",
        "Jon",
        "Kira",
        "Leo",
        "Mina",
        "Nico",
        "Omar",
        "Pia",
    ]
    last = [
        "Lopez",
        "Chen",
        "Okafor",
        "Silva",
        "Novak",
        "Haddad",
        "Kim",
        "Rossi",
        "Dubois",
        "Nair",
        "Berg",
        "Costa",
    ]

    def users(start: int, stop: int) -> list[User]:
        return [
            User(
                id=i + 1,
                email=f"member{i}@bench.test",
                name=f"{first[i % len(first)]} {last[(i // len(first)) % len(last)]} {i}",
                title="Teacher" if i % 7 else "Instructional coach",
                bio=" ".join(text.words_(20)),
                password=password,
            )
            for i in range(start, stop)
        ]

    bulk("people", User, USERS, users)
    bulk(
        "org seats",
        OrgMembership,
        USERS,
        lambda a, b: [
            OrgMembership(organization=schools[i % len(schools)], user_id=i + 1)
            for i in range(a, b)
        ],
    )


def _communities(network: Organization, rng: random.Random) -> tuple[list[int], dict[int, str]]:
    rows = []
    for i in range(COMMUNITIES):
        roll = i % 10
        visibility = (
            Visibility.PRIVATE
            if roll == 9
            else Visibility.ORGANIZATION
            if roll >= 7
            else Visibility.PUBLIC
        )
        rows.append(
            Community(
                id=i + 1,
                organization=network,
                name=f"Bench Community {i}",
                slug=f"bench-{i}",
                domain="Teaching",
                purpose="A benchmark community.",
                visibility=visibility,
                join_policy=JoinPolicy.OPEN,
                member_count=0,
            )
        )
    Community.objects.bulk_create(rows)
    return [c.id for c in rows], {c.id: c.slug for c in rows}


def _memberships(community_ids: list[int], rng: random.Random) -> None:
    def rows(start: int, stop: int) -> list[Membership]:
        out = []
        for i in range(start, stop):
            # member0 (the signed-in bench member) is in community 1, where its question is.
            chosen = {1} if i == 0 else set()
            while len(chosen) < 5:
                chosen.add(rng.choice(community_ids))
            out.extend(Membership(community_id=c, user_id=i + 1) for c in chosen)
        return out

    bulk("members", Membership, USERS, rows)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE communities_community SET member_count = (SELECT count(*) FROM "
            "communities_membership m WHERE m.community_id = communities_community.id)"
        )


def _community_for(i: int, community_ids: list[int]) -> int:
    # Spread, with community 1 (the measured one) holding a realistic share.
    return community_ids[(i * 7919) % len(community_ids)]


def _questions_and_answers(
    community_ids: list[int], slugs: dict[int, str], text: Text, rng: random.Random
) -> None:
    span = 2 * 365 * 24 * 3600

    def posts(start: int, stop: int) -> list[Post]:
        out = []
        for i in range(start, stop):
            created = EPOCH + timedelta(seconds=span * i / QUESTIONS)
            body = text.body(50, 300)
            out.append(
                Post(
                    id=i + 1,
                    community_id=_community_for(i, community_ids),
                    title=text.title(),
                    body=body,
                    body_html=f"<p>{body}</p>",
                    author_id=rng.randint(1, USERS),
                    created_at=created,
                    last_activity_at=created + timedelta(hours=6),
                    vote_score=rng.randint(-2, 30),
                    answer_count=ANSWERS_PER_QUESTION,
                    best_answer_score=rng.uniform(2.5, 4.8),
                )
            )
        return out

    bulk("questions", Post, QUESTIONS, posts)

    def answers(start: int, stop: int) -> list[Answer]:
        out = []
        for j in range(start, stop):
            post = j // ANSWERS_PER_QUESTION + 1
            count = rng.randint(0, 12)
            total = sum(rng.randint(2, 5) for _ in range(count))
            body = text.body(30, 200)
            out.append(
                Answer(
                    id=j + 1,
                    post_id=post,
                    author_id=rng.randint(1, USERS),
                    body=body,
                    body_html=f"<p>{body}</p>",
                    created_at=EPOCH + timedelta(seconds=span * post / QUESTIONS, hours=2),
                    vote_score=rng.randint(0, 20),
                    ev_sum=total,
                    ev_count=count,
                    ev_score=(total + 3.5 * 5) / (count + 5),
                )
            )
        return out

    bulk("answers", Answer, QUESTIONS * ANSWERS_PER_QUESTION, answers)


def _search_index(
    community_ids: list[int], slugs: dict[int, str], text: Text, rng: random.Random
) -> None:
    """Entries for questions and answers (from the rows just written), channel-post-like
    documents up to SEARCH_TOTAL, and the people; then the one-pass index build."""
    sqlite = connection.vendor == "sqlite"
    with transaction.atomic():
        if sqlite:
            index._sqlite_triggers(drop=True)
        else:
            with connection.cursor() as cursor:
                for name in ddl.POSTGRES_INDEXES:
                    cursor.execute(f"DROP INDEX IF EXISTS {name}")
        Entry.objects.all().delete()
        started = time.monotonic()
        done = 0
        for batch in _qa_entries(slugs):
            Entry.objects.bulk_create(batch, batch_size=BATCH)
            done += len(batch)
            progress("qa index", done, QUESTIONS * (1 + ANSWERS_PER_QUESTION), started)
        extra = max(0, SEARCH_TOTAL - done - USERS)
        span = 2 * 365 * 24 * 3600

        def posts(start: int, stop: int) -> list[Entry]:
            return [
                Entry(
                    type="channel_post",
                    object_id=k + 1,
                    community_id=_community_for(k * 13, community_ids),
                    scope=index.scope_tokens(_community_for(k * 13, community_ids)),
                    title=text.title().rstrip("?"),
                    body=text.body(50, 300),
                    url=f"/c/{slugs[_community_for(k * 13, community_ids)]}/",
                    created_at=EPOCH + timedelta(seconds=span * k / max(extra, 1)),
                )
                for k in range(start, stop)
            ]

        bulk("posts", Entry, extra, posts)
        index._insert_type(types()["person"], None)
        build_started = time.monotonic()
        print("  building the full-text index (one pass)…", flush=True)
        if sqlite:
            index._sqlite_rebuild_fts()
            index._sqlite_triggers(drop=False)
        else:
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
                for sql in ddl.POSTGRES_INDEXES.values():
                    cursor.execute(sql)
        print(f"  full-text index built in {time.monotonic() - build_started:.0f} s")
    statistics()


def statistics(only_if_missing: bool = False) -> None:
    """Planner statistics, as a deployment keeps them (``search.maintenance``). Without them
    SQLite tested the people rule's organization path once per seat (10,000 Python REGEXPs per
    search); PostgreSQL's autovacuum would get there, but later."""
    with connection.cursor() as cursor:
        if connection.vendor != "sqlite":
            if not only_if_missing:
                cursor.execute("ANALYZE")
            return
        cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if only_if_missing and cursor.fetchone():
            return
        cursor.execute(f"PRAGMA analysis_limit = {maintenance.ANALYSIS_LIMIT}")
        cursor.execute("ANALYZE")


def _qa_entries(slugs: dict[int, str]) -> Iterator[list[Entry]]:
    posts = Post.objects.values_list("id", "community_id", "title", "body", "created_at")
    titles: dict[int, tuple[int, str]] = {}
    batch: list[Entry] = []
    for pk, community_id, title, body, created in posts.iterator(chunk_size=BATCH):
        titles[pk] = (community_id, title)
        batch.append(
            Entry(
                type="question",
                object_id=pk,
                community_id=community_id,
                scope=index.scope_tokens(community_id),
                title=title,
                body=body,
                url=f"/c/{slugs[community_id]}/questions/{pk}/",
                created_at=created,
            )
        )
        if len(batch) >= BATCH:
            yield batch
            batch = []
    answers = Answer.objects.values_list("id", "post_id", "body", "created_at")
    for pk, post_id, body, created in answers.iterator(chunk_size=BATCH):
        community_id, title = titles[post_id]
        batch.append(
            Entry(
                type="answer",
                object_id=pk,
                community_id=community_id,
                scope=index.scope_tokens(community_id),
                title=title,
                body=body,
                url=f"/c/{slugs[community_id]}/questions/{post_id}/#answer-{pk}",
                created_at=created,
            )
        )
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def verified_addresses() -> None:
    """Every benchmark person's address verified, as after the confirmation e-mail: with
    mandatory verification (the default) an unverified member's login stops at "confirmation
    e-mail sent" and the pages would be measured signed out. Idempotent (datasets built before
    this step get it on the next run)."""
    have = set(EmailAddress.objects.values_list("user_id", flat=True))
    people = User.objects.filter(email__endswith="@bench.test").values_list("id", "email")
    missing = [
        EmailAddress(user_id=pk, email=email, verified=True, primary=True)
        for pk, email in people.iterator()
        if pk not in have
    ]
    EmailAddress.objects.bulk_create(missing, batch_size=BATCH)
    EmailAddress.objects.filter(email__endswith="@bench.test").update(verified=True)
    if missing:
        print(f"  {len(missing):,} e-mail addresses verified")


def main() -> None:
    if is_built():
        print("  dataset already built (cached)")
        statistics(only_if_missing=True)  # databases built before the build ran ANALYZE
        verified_addresses()
        return
    if Organization.objects.filter(slug=MARKER_SLUG).exists():
        # The rows are there but the index build did not finish (it is one transaction).
        print("  rows cached; building the search index")
        rows = Community.objects.filter(slug__startswith="bench-").values_list("id", "slug")
        slugs = dict(rows)
        _search_index(sorted(slugs), slugs, Text(seed=3), random.Random(7))
        verified_addresses()
        return
    build()
    verified_addresses()


if __name__ == "__main__":
    main()
