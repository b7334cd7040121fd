"""Searching the index: parse a query safely, filter by the access gate, rank, highlight.

``search(user, q, ...)`` answers one page of results the user may see, and nothing else: the
access rule is part of the SQL (``_access``), never a filter applied after ranking, so neither
results nor counts can reveal what a user may not see.

The query language (docs/search.md): words (all must match, stemmed), ``"exact phrases"``,
``prefix*`` (on titles and names only: a prefix over bodies costs seconds at 1M rows). Anything
else — unbalanced quotes, FTS operators and punctuation, NUL — is dropped by :func:`parse`, so
no input can raise a syntax error in either database.

Speed (measured in docs/decisions/0008-search-on-fts5-and-postgres.md): the matches are ranked
within a window of at most ``WINDOW`` rows that pass the access filter (the newest on SQLite;
bm25 there only when the terms are rare enough, else title matches first); only the page's rows
are read whole; the count is capped (``1,000+``); snippets are computed for the page shown only.
A community filter is part of the SQLite full-text match (``Entry.scope``), on top of the SQL.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from markupsafe import Markup

from practica.communities import access
from practica.communities.models import Community
from practica.lib.errors import Invalid
from practica.lib.remembered import Remembered
from practica.search.ddl import BUCKET
from practica.search.index import MARK_CLOSE, MARK_OPEN, scope_tokens, tag_slug
from practica.search.registry import types

COUNT_CAP = 1000  # counts above this show as "1,000+"
WINDOW = COUNT_CAP + 1  # matches ranked per query at most (and counted: "1,000+")
# SQLite: bm25 ranks the window only when its terms' doclists hold at most this many documents
# in all (its IDF pass reads them whole); beyond, title matches first (see _sqlite_page).
BM25_BUDGET = 20_000
# PostgreSQL: the newest id buckets (ddl.BUCKET entries each) probed one by one before one scan
# of all older entries (see _postgres_page).
PROBES = 24
QUERY_MAX = 200  # characters of the query that are read
TERMS_MAX = 12
PAGE_SIZE = 20
PAGE_MAX = COUNT_CAP // 10  # deep pages are not offered (the window would not cover them)
SNIPPET_WORDS = 28
# PostgreSQL: ts_headline reads at most this many characters of a body. It parses (and stems)
# all the text it is given: ~0.3 ms per 1.4 KB body, 5-8 ms for a page of 20; ~3.5 ms with
# 1,000 characters. A body whose first match lies further in shows its lead instead.
HEADLINE_CHARS = 1_000

_PHRASE = re.compile(r'"([^"]*)"')
_WORD = re.compile(r"[^\W_]+\*?")  # letters and digits; "_" is punctuation here
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class ParsedQuery:
    """The safe form of a query: lower-cased words (\\w+ only), phrases and title prefixes."""

    words: tuple[str, ...] = ()
    phrases: tuple[tuple[str, ...], ...] = ()
    prefixes: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.words or self.phrases or self.prefixes)

    @property
    def has_main(self) -> bool:
        return bool(self.words or self.phrases)

    def _fts5_terms(self) -> list[str]:
        return [f'"{w}"' for w in self.words] + [f'"{" ".join(p)}"' for p in self.phrases]

    def _fts5_text(self, expression: str) -> str:
        """Keep user terms off the ``scope`` column. Scope tokens contain digits ("c123"), so
        only a query with a digit needs the column filter (which doubles bm25's cost)."""
        terms = [*self.words, *(w for p in self.phrases for w in p)]
        if any(ch.isdigit() for term in terms for ch in term):
            return "{title tags body} : (" + expression + ")"
        return expression

    def fts5_main(self) -> str:
        """FTS5 MATCH for the main table: every term quoted, implicitly ANDed."""
        return self._fts5_text(" ".join(self._fts5_terms()))

    def fts5_main_terms(self) -> list[str]:
        """Each term of :meth:`fts5_main` alone (to probe how common it is)."""
        return [self._fts5_text(term) for term in self._fts5_terms()]

    def fts5_title(self) -> str:
        """The main terms, all in the title (the order of the common-words ranking)."""
        return "{title} : (" + " ".join(self._fts5_terms()) + ")"

    def fts5_prefix(self) -> str:
        return "title : (" + " ".join(f'"{p}"*' for p in self.prefixes) + ")"

    def fts5_prefix_terms(self) -> list[str]:
        return [f'title : "{p}"*' for p in self.prefixes]

    def websearch(self) -> str:
        """Input for websearch_to_tsquery: bare words and quoted phrases only ("or" and "-"
        would be operators there, so they never pass)."""
        words = [w for w in self.words if w != "or"]
        phrases = [f'"{" ".join(w for w in p if w != "or")}"' for p in self.phrases]
        return " ".join(words + phrases)

    def tsquery_prefix(self) -> str:
        """to_tsquery('simple') input for ``title_tsv`` (titles and names only)."""
        return " & ".join(f"{p}:*" for p in self.prefixes)


def parse(raw: str) -> ParsedQuery:
    """Turn anything a person may type into a safe query (never raises)."""
    text = (raw or "")[:QUERY_MAX].replace("\x00", " ")
    text = text.replace(MARK_OPEN, " ").replace(MARK_CLOSE, " ")
    phrases: list[tuple[str, ...]] = []
    for match in _PHRASE.finditer(text):
        phrase = tuple(w.lower() for w in re.findall(r"[^\W_]+", match.group(1)))
        if phrase:
            phrases.append(phrase[:TERMS_MAX])
    rest = _PHRASE.sub(" ", text).replace('"', " ")  # an unbalanced quote is just dropped
    words: list[str] = []
    prefixes: list[str] = []
    for token in _WORD.findall(rest):
        token = token.lower()
        if token.endswith("*"):
            stem = token[:-1]
            if len(stem) >= 2:
                prefixes.append(stem)
            elif stem:
                words.append(stem)
        else:
            words.append(token)
    return ParsedQuery(
        words=tuple(dict.fromkeys(words))[:TERMS_MAX],
        phrases=tuple(dict.fromkeys(phrases))[:TERMS_MAX],
        prefixes=tuple(dict.fromkeys(prefixes))[:TERMS_MAX],
    )


# --- Results ------------------------------------------------------------------------------------


@dataclass
class Hit:
    type: str
    type_label: str
    object_id: int
    title: str
    title_html: Markup
    snippet_html: Markup
    url: str
    created_at: datetime | None
    community: Community | None


@dataclass
class Results:
    query: ParsedQuery
    hits: list[Hit] = field(default_factory=list)
    count: int = 0  # capped at COUNT_CAP + 1
    page: int = 1
    page_size: int = PAGE_SIZE

    @property
    def capped(self) -> bool:
        return self.count > COUNT_CAP

    @property
    def count_label(self) -> str:
        return f"{COUNT_CAP:,}+" if self.capped else f"{self.count:,}"

    @property
    def shown_count(self) -> int:
        return min(self.count, COUNT_CAP)

    @property
    def num_pages(self) -> int:
        return max(1, min(PAGE_MAX, -(-self.shown_count // self.page_size)))

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1


@dataclass(frozen=True)
class Filters:
    community_id: int | None = None
    type: str | None = None
    tag: str | None = None


def search(
    user: Any,
    q: str,
    *,
    filters: Filters | None = None,
    page: int = 1,
    page_size: int = PAGE_SIZE,
) -> Results:
    """One page of what ``user`` may find for ``q``; see the module docstring."""
    parsed = parse(q)
    filters = filters or Filters()
    page = max(1, min(int(page), PAGE_MAX))
    results = Results(query=parsed, page=page, page_size=page_size)
    if parsed.empty:
        return results
    if user is None:
        user = AnonymousUser()
    where, params = _conditions(user, filters)
    offset = (page - 1) * page_size
    if connection.vendor == "postgresql":
        # The page's snippets come with its rows (one statement).
        rows, count = _postgres_page(parsed, where, params, page_size, offset)
        snippets = {r["id"]: (r["title_hl"], r["body_hl"]) for r in rows}
    else:
        rows, count = _sqlite_page(parsed, filters, where, params, page_size, offset)
        snippets = _sqlite_snippets(parsed, [r["id"] for r in rows]) if rows else {}
    results.count = min(count, COUNT_CAP + 1)
    if rows:
        results.hits = _hits(rows, snippets, parsed)
    return results


# --- Access and filters (the same SQL on both databases) ----------------------------------------


def _conditions(user: Any, filters: Filters) -> tuple[list[str], list[Any]]:
    where: list[str] = []
    params: list[Any] = []
    rule, rule_params = _access(user)
    if rule:
        where.append(rule)
        params.extend(rule_params)
    if filters.community_id is not None:
        # bigint on PostgreSQL: btree_gin's int8 operator class takes no cross-type comparison,
        # and a plain parameter left the (community_id, tsv) GIN index unused for the community.
        cast = "%s::bigint" if connection.vendor == "postgresql" else "%s"
        where.append(f"e.community_id = {cast}")
        params.append(int(filters.community_id))
    if filters.type:
        where.append("e.type = %s")
        params.append(filters.type)
    if filters.tag:
        where.append("e.tags LIKE %s ESCAPE '\\'")
        params.append("%|" + _like_escape(tag_slug(filters.tag)) + "|%")
    return where, params


def _like_escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _access(user: Any) -> tuple[str, list[Any]]:
    """The gate as one SQL condition on ``e``: "" for staff (who may see everything).

    Communities: ``visible_communities``; organization-wide entries: ``visible_orgs``; entries
    with neither: everyone; types with a ``visible`` hook: that hook alone. Each is a subquery
    compiled from the gate's own querysets, so the rule is never restated here.

    Compiling those querysets cost ~1.5 ms a search; the SQL and its parameters are a function
    of the viewer alone (the gate's querysets are built from ``Viewer`` fields, and the hooks'
    contract says the same), so it is remembered per process under every field of the viewer,
    the registered types and the database (``_remembered_access``). The rows the subqueries
    read are read when the search runs.
    """
    viewer = access.viewer_for(user)
    if viewer.is_staff:
        return "", []
    hooks = tuple((name, t.visible) for name, t in types().items())
    key = (
        connection.alias, connection.vendor, hooks, viewer.user_id,
        viewer.within_org_ids, viewer.direct_org_ids, viewer.admin_paths,
        frozenset(viewer.roles.items()), viewer.invited,
    )  # fmt: skip
    sql, params = _remembered_access.get_or_make(key, lambda: _compile_access(user))
    return sql, list(params)


def _compile_access(user: Any) -> tuple[str, tuple[Any, ...]]:
    hooked = {name: t.visible for name, t in types().items() if t.visible is not None}
    plain = "e.type NOT IN (" + ", ".join(["%s"] * len(hooked)) + ")" if hooked else "1 = 1"
    plain_params: list[Any] = list(hooked)
    clauses: list[str] = [f"(e.community_id IS NULL AND e.organization_id IS NULL AND {plain})"]
    params: list[Any] = list(plain_params)
    communities = _subquery(access.visible_communities(user).values("pk"))
    if communities:
        clauses.append(f"(e.community_id IN ({communities[0]}) AND {plain})")
        params.extend(communities[1] + plain_params)
    orgs = _subquery(access.visible_orgs(user).values("pk"))
    if orgs:
        clauses.append(f"(e.community_id IS NULL AND e.organization_id IN ({orgs[0]}) AND {plain})")
        params.extend(orgs[1] + plain_params)
    for name, visible in hooked.items():
        assert visible is not None
        found = _subquery(visible(user))
        if found:
            clauses.append(f"(e.type = %s AND {_object_in(found[0])})")
            params.extend([name, *found[1]])
    return "(" + " OR ".join(clauses) + ")", tuple(params)


# A condition is a few KB at most (a viewer's community ids): 1,024 viewers ~ a few MB.
_remembered_access: Remembered[tuple[str, tuple[Any, ...]]] = Remembered(1024)


def _object_in(subquery: str) -> str:
    """``e.object_id`` is in the hook's one-column ``subquery``.

    PostgreSQL: a correlated ``EXISTS`` that cannot be hashed (``OFFSET 0``), checked for the
    window's rows of that type only. ``IN`` built a hash of every visible object first: the
    people rule of a member sharing a network with 10,000 people cost ~5-7 ms per search as
    soon as one person matched. Same rule, same result."""
    if connection.vendor == "postgresql":
        exists = "EXISTS (SELECT 1 FROM ({}) v(pk) WHERE v.pk = e.object_id OFFSET 0)"
        return exists.format(subquery)
    return f"e.object_id IN ({subquery})"


def _subquery(queryset: Any) -> tuple[str, list[Any]] | None:
    """The queryset's SQL (unordered) and parameters, or None when it can match nothing."""
    try:
        # No ORDER BY: an IN list needs none, and SQLite sorted it (10,000 people: ~6 ms).
        sql, params = queryset.order_by().query.sql_with_params()
    except EmptyResultSet:
        return None
    return sql, list(params)


def _where(where: list[str]) -> str:
    return "".join(f" AND {w}" for w in where)


# --- SQLite FTS5 --------------------------------------------------------------------------------


def _scope_match(filters: Filters) -> str:
    """The community filter as an FTS5 condition on the ``scope`` column ("" without one).
    Built from the integer id only; it narrows the match, and the SQL conditions (access, and
    ``e.community_id`` itself) still apply."""
    if filters.community_id is None:
        return ""
    return f' AND scope : "{scope_tokens(int(filters.community_id))}"'


def _sqlite_page(
    parsed: ParsedQuery,
    filters: Filters,
    where: list[str],
    params: list[Any],
    limit: int,
    offset: int,
) -> tuple[list[dict[str, Any]], int]:
    """Rank the newest WINDOW visible matches: by bm25 (title 10, tags 4, body 1) when the
    terms are rare enough for bm25 to be cheap, else title matches first; newest first within.

    FTS5's bm25 computes each term's IDF by reading the term's whole doclist, whatever the
    window: ~45 ms for a word in every document of 1M, ~100 ms with a column filter. So one
    capped probe (:func:`_sqlite_bm25_affordable`) decides; a word that common has an IDF near
    zero anyway, so bm25 would barely tell its matches apart.
    """
    scope = _scope_match(filters)
    prefix_join = ""
    match_params: list[Any]
    if parsed.has_main:
        source = "search_entry_fts"
        match_params = [parsed.fts5_main() + scope]
        if parsed.prefixes:
            prefix_join = (
                " JOIN search_title_fts ON search_title_fts.rowid = search_entry_fts.rowid"
                " AND search_title_fts MATCH %s"
            )
            match_params = [parsed.fts5_prefix(), *match_params]
        probes = parsed.fts5_main_terms()
        score = "bm25(search_entry_fts, 10.0, 4.0, 1.0, 0.0)"
    else:
        source = "search_title_fts"
        match_params = [parsed.fts5_prefix() + scope]
        probes = parsed.fts5_prefix_terms()
        score = "bm25(search_title_fts, 1.0, 0.0)"
    window = f"""
        SELECT {source}.rowid AS id/*score*/
        FROM {source}{prefix_join}
        JOIN search_entry e ON e.id = {source}.rowid
        WHERE {source} MATCH %s{_where(where)}
        ORDER BY {source}.rowid DESC
        LIMIT {WINDOW}
    """  # noqa: S608 (identifiers are constants; values are parameters)
    tail: list[Any] = []
    if _sqlite_bm25_affordable(source, probes):
        scored = window.replace("/*score*/", f", {score} AS score")
        ranked = f"SELECT w.id, w.score FROM ({scored}) w"  # noqa: S608
        prefix = ""
    elif parsed.has_main:
        # Title matches first: the main terms all in the title, among the window's rows only
        # (rowid >= the window's oldest, so FTS5 reads that part of the doclists).
        prefix = f"""
            WITH w AS MATERIALIZED ({window}),
            t AS MATERIALIZED (
                SELECT rowid AS id FROM search_entry_fts
                WHERE search_entry_fts MATCH %s AND rowid >= (SELECT min(id) FROM w)
            )
        """  # noqa: S608
        ranked = "SELECT w.id, t.id IS NULL AS score FROM w LEFT JOIN t ON t.id = w.id"
        tail = [parsed.fts5_title() + scope]
    else:  # common title prefixes: newest first
        ranked = f"SELECT w.id, 0 AS score FROM ({window}) w"  # noqa: S608
        prefix = ""
    sql = f"""
        {prefix}
        SELECT e.id, e.type, e.object_id, e.community_id, e.title, e.body, e.url, e.created_at,
               p.total
        FROM (
            SELECT r.id, r.score, count(*) OVER () AS total
            FROM ({ranked}) r
            ORDER BY r.score, r.id DESC
            LIMIT %s OFFSET %s
        ) p JOIN search_entry e ON e.id = p.id
        ORDER BY p.score, p.id DESC
    """  # noqa: S608 (identifiers are constants; values are parameters)
    args = [*match_params, *params, *tail]
    rows = _fetch(sql, [*args, limit, offset])
    count = int(rows[0]["total"]) if rows else _count_only(sql, args, offset)
    return rows, count


def _sqlite_bm25_affordable(source: str, probes: list[str]) -> bool:
    """Whether bm25's IDF pass is cheap: the terms' doclists hold at most BM25_BUDGET
    documents in all. One query; each term's count stops at the budget (~1 ms for a word in
    every document)."""
    if not probes:
        return True
    # Identifiers are constants; values are parameters.
    one = f"(SELECT count(*) FROM (SELECT 1 FROM {source} WHERE {source} MATCH %s LIMIT %s))"  # noqa: S608
    args: list[Any] = []
    for probe in probes:
        args.extend([probe, BM25_BUDGET + 1])
    row = _fetch_tuples("SELECT " + ", ".join([one] * len(probes)), args)[0]
    return sum(int(n) for n in row) <= BM25_BUDGET


def _count_only(sql: str, args: list[Any], offset: int) -> int:
    """The count when the requested page is past the end (rare: a hand-made ?page=)."""
    if offset == 0:
        return 0
    rows = _fetch(sql, [*args, 1, 0])
    return int(rows[0]["total"]) if rows else 0


# --- PostgreSQL ---------------------------------------------------------------------------------


def _pg_tsquery(parsed: ParsedQuery) -> tuple[str, list[Any]]:
    """The whole query as one tsquery (for ts_headline)."""
    parts: list[str] = []
    params: list[Any] = []
    if parsed.has_main:
        parts.append("websearch_to_tsquery('english', %s)")
        params.append(parsed.websearch())
    if parsed.prefixes:
        parts.append("to_tsquery('simple', %s)")
        params.append(parsed.tsquery_prefix())
    return " && ".join(parts), params


def _postgres_page(
    parsed: ParsedQuery, where: list[str], params: list[Any], limit: int, offset: int
) -> tuple[list[dict[str, Any]], int]:
    """Rank (ts_rank, weights A title > B tags > C body) a window of the newest WINDOW
    visible matches; the page's rows come with their highlighted title and body excerpt.

    Words and phrases match ``tsv``, probed newest first **one id bucket at a time**
    (``id / ddl.BUCKET``, a column of the GIN index on (community_id, id / BUCKET, tsv)): each
    probe is a GIN scan of the bucket AND the words, and the probes stop once the window is full.
    One GIN scan of the whole index instead built the whole match bitmap of a common word before
    the LIMIT (115,000 entries for ``fractions``: 20-30 ms), and a table scan read each row's
    ``tsv`` from TOAST. Only the last bucket probed may be taken in part (its oldest matches).
    Prefixes alone match the title-only ``title_tsv`` (GIN on (community_id, title_tsv)) in one
    scan, so a prefix never scans body lexemes.

    ``ts_rank``, not ``ts_rank_cd``: the cover density of a phrase query cost ~5 µs a row
    (5 ms for a full window, ~0.7 ms with ts_rank); both weigh A > B > C the same way. ``tsv``
    is kept in the row (migration 0005_tsv_inline), so neither the phrase recheck nor the
    ranking reads it back from TOAST."""
    conditions: list[str] = []
    tsparams: list[Any] = []
    if parsed.has_main:
        conditions.append("e.tsv @@ websearch_to_tsquery('english', %s)")
        tsparams.append(parsed.websearch())
    if parsed.prefixes:
        conditions.append("e.title_tsv @@ to_tsquery('simple', %s)")
        tsparams.append(parsed.tsquery_prefix())
    if parsed.has_main:
        score = "ts_rank(e.tsv, websearch_to_tsquery('english', %s))"
        score_params = [parsed.websearch()]
    else:
        score = "ts_rank(e.title_tsv, to_tsquery('simple', %s))"
        score_params = [parsed.tsquery_prefix()]
    matches = f"""
        SELECT e.id, {score} AS score
        FROM search_entry e
        WHERE {" AND ".join(conditions)}{_where(where)}
    """  # noqa: S608 (identifiers are constants; values are parameters)
    window_params: list[Any] = []
    if parsed.has_main:
        # The newest PROBES buckets one by one (OFFSET 0 keeps each probe a scan of its own;
        # the bucket is bigint, like the index's), then, only if the window is not full yet,
        # one scan of everything older: words that rare have a small match bitmap, and
        # probing every bucket cost ~0.2 ms each (100 at 1M entries). Append runs its
        # branches in order and stops at the LIMIT. "e.id + 0": a bitmap of the primary key
        # over most of the table, ANDed with the GIN scan, cost 65 ms.
        top = f"(SELECT coalesce(max(id), 0) / {BUCKET} FROM search_entry)"  # noqa: S608
        window = f"""
            (SELECT m.id, m.score
             FROM generate_series({top}, {top} - {PROBES - 1}, -1) AS b(n),
             LATERAL ({matches} AND (e.id / {BUCKET}) = b.n::bigint OFFSET 0) m)
            UNION ALL
            ({matches} AND e.id + 0 < ({top} - {PROBES - 1}) * {BUCKET})
            LIMIT {WINDOW}
        """  # noqa: S608
        window_params = [*score_params, *tsparams, *params]
    else:
        window = f"{matches} LIMIT {WINDOW}"
    # The window's rows are scored, counted and sorted by id; only the page's rows are then
    # read whole (reading 2,000 bodies to keep 20 cost more than the ranking) and highlighted
    # (in the same statement: a second query cost a round trip and its planning).
    tsquery, headline_params = _pg_tsquery(parsed)
    sql = f"""
        SELECT e.id, e.type, e.object_id, e.community_id, e.title, e.body, e.url, e.created_at,
               p.total,
               ts_headline('english', e.title, q.query, %s) AS title_hl,
               ts_headline('english', left(e.body, {HEADLINE_CHARS}), q.query, %s) AS body_hl
        FROM (SELECT {tsquery} AS query) q CROSS JOIN (
            SELECT w.id, w.score, count(*) OVER () AS total
            FROM ({window}) w
            ORDER BY w.score DESC, w.id DESC
            LIMIT %s OFFSET %s
        ) p JOIN search_entry e ON e.id = p.id
        ORDER BY p.score DESC, p.id DESC
    """  # noqa: S608 (identifiers are constants; values are parameters)
    title_options = f'StartSel="{MARK_OPEN}", StopSel="{MARK_CLOSE}", HighlightAll=true'
    options = (
        f'StartSel="{MARK_OPEN}", StopSel="{MARK_CLOSE}", MaxWords={SNIPPET_WORDS}, '
        'MinWords=12, MaxFragments=2, FragmentDelimiter=" … "'
    )
    all_params = [
        title_options,
        options,
        *headline_params,
        *score_params,
        *tsparams,
        *params,
        *window_params,
    ]
    with transaction.atomic():
        with connection.cursor() as cursor:
            # JIT compilation added ~40 ms to these short queries (GOTCHAS.md).
            cursor.execute("SET LOCAL jit = off")
        rows = _fetch(sql, [*all_params, limit, offset])
        if rows or offset == 0:
            count = int(rows[0]["total"]) if rows else 0
        else:
            probe = _fetch(sql, [*all_params, 1, 0])
            count = int(probe[0]["total"]) if probe else 0
    return rows, count


# --- Snippets (for the page shown only) ---------------------------------------------------------


def _sqlite_snippets(parsed: ParsedQuery, ids: list[int]) -> dict[int, tuple[str, str]]:
    """entry id -> (highlighted title, highlighted body excerpt), with MARK_* around matches
    (SQLite; PostgreSQL's come with the page's rows, see _postgres_page)."""
    marks = list(ids)
    placeholders = ", ".join(["%s"] * len(marks))
    if not parsed.has_main:
        return {}
    sql = f"""
        SELECT rowid,
               highlight(search_entry_fts, 0, %s, %s),
               snippet(search_entry_fts, 2, %s, %s, ' … ', {SNIPPET_WORDS})
        FROM search_entry_fts
        WHERE search_entry_fts MATCH %s AND rowid IN ({placeholders})
    """  # noqa: S608
    rows = _fetch_tuples(
        sql, [MARK_OPEN, MARK_CLOSE, MARK_OPEN, MARK_CLOSE, parsed.fts5_main(), *marks]
    )
    return {row[0]: (row[1], row[2]) for row in rows}


def _marked_html(text: str) -> Markup:
    """Escape ``text``, then turn the private-use marks into <mark> elements."""
    escaped = html.escape(text, quote=False)
    return Markup(  # noqa: S704 (escaped above; only our own marks become tags)
        escaped.replace(MARK_OPEN, "<mark>").replace(MARK_CLOSE, "</mark>")
    )


def _mark_prefixes(text: str, prefixes: tuple[str, ...]) -> str:
    """Mark the words of an (unmarked) title that start with one of ``prefixes``."""
    if not prefixes:
        return text
    pattern = re.compile(r"\b(" + "|".join(re.escape(p) for p in prefixes) + r")\w*", re.I)
    return pattern.sub(lambda m: f"{MARK_OPEN}{m.group(0)}{MARK_CLOSE}", text)


def _lead(body: str) -> str:
    words = _SPACES.split(body.strip())
    lead = " ".join(words[:SNIPPET_WORDS])
    return lead + (" …" if len(words) > SNIPPET_WORDS else "")


def _hits(
    rows: list[dict[str, Any]], snippets: dict[int, tuple[str, str]], parsed: ParsedQuery
) -> list[Hit]:
    registered = types()
    community_ids = {r["community_id"] for r in rows if r["community_id"] is not None}
    communities = Community.objects.in_bulk(list(community_ids)) if community_ids else {}
    hits = []
    for row in rows:
        title, body = snippets.get(row["id"], (row["title"], ""))
        if connection.vendor == "sqlite":
            title = _mark_prefixes(title, parsed.prefixes)
        if MARK_OPEN not in body:
            body = _lead(row["body"])
        search_type = registered.get(row["type"])
        hits.append(
            Hit(
                type=row["type"],
                type_label=(search_type.label if search_type else "") or row["type"].title(),
                object_id=int(row["object_id"]),
                title=row["title"],
                title_html=_marked_html(title),
                snippet_html=_marked_html(body),
                url=row["url"],
                created_at=_datetime(row["created_at"]),
                community=communities.get(row["community_id"]),
            )
        )
    return hits


def _datetime(value: Any) -> datetime | None:
    if value is not None and not isinstance(value, datetime):
        value = parse_datetime(str(value))
    if value is not None and timezone.is_naive(value):
        value = timezone.make_aware(value, UTC)  # SQLite keeps UTC without an offset
    return value


def _fetch(sql: str, params: list[Any]) -> list[dict[str, Any]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        columns = [c[0] for c in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def _fetch_tuples(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


# --- The entry point of the page and the API ----------------------------------------------------


def search_for(
    user: Any,
    q: str,
    *,
    community: str = "",
    type: str = "",
    tag: str = "",
    page: int = 1,
    page_size: int = PAGE_SIZE,
) -> tuple[Results, Community | None]:
    """Validate the filters, then :func:`search`. ``community`` is a slug seen through the gate
    (NotFound when the user may not see it, exactly like a missing one); an unknown ``type`` or
    an over-long tag is Invalid."""
    errors: dict[str, str] = {}
    type = (type or "").strip()
    if type and type not in types():
        known = ", ".join(sorted(types()))
        errors["type"] = f"Unknown type {type[:40]!r}: choose one of {known}."
    tag = (tag or "").strip()
    if len(tag) > 100:
        errors["tag"] = "A tag is at most 100 characters."
    if errors:
        raise Invalid(errors)
    scope = access.get_community_for(user, community.strip()) if community.strip() else None
    filters = Filters(community_id=scope.pk if scope else None, type=type or None, tag=tag or None)
    return search(user, q, filters=filters, page=page, page_size=page_size), scope
