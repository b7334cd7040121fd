"""Promoting Q&A to the wiki: an answer (or a question with its best answers) becomes a page of
the community's wiki that credits the authors and links back; the answers then show "now on
the wiki" on the question page (``register_answer_extra`` in ``practica.qa.panels``).

Promoting needs ``Privilege.PROMOTE_TO_WIKI`` in the question's community (and the right to
edit its wiki). The page's first revision is the promoter's (kind ``promote``); the original
authors are named in the text and in :class:`Promotion` rows, which the page reads to show
where it came from.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from practica.lib.errors import Forbidden, Invalid, NotFound
from practica.qa.panels import cached_for_post
from practica.realtime.bus import emit
from practica.recognition.privileges import Privilege, has_privilege
from practica.wiki import services, spaces
from practica.wiki.models import Page, Promotion, Revision, RevisionKind

if TYPE_CHECKING:
    from practica.accounts.models import User
    from practica.qa.models import Answer, Post

BEST_ANSWERS = 3  # a whole question brings its accepted answer and the best-rated others


def question_url(post: Post, answer: Answer | None = None) -> str:
    """The question page (at the answer) in Q&A."""
    try:
        url = reverse("qa:question", args=[post.community.slug, post.pk])
    except NoReverseMatch:  # the Q&A pages are not mounted (a trimmed-down deployment)
        url = f"/c/{post.community.slug}/questions/{post.pk}/"
    return f"{url}#answer-{answer.pk}" if answer is not None else url


def may_promote(user: Any, post: Post) -> bool:
    return has_privilege(user, post.community, Privilege.PROMOTE_TO_WIKI)


def best_answers(post: Post) -> list[Answer]:
    """The accepted answer first, then the best rated, at most :data:`BEST_ANSWERS`."""
    from practica.qa.models import Answer

    live = Answer.objects.filter(post=post, deleted_at__isnull=True).select_related("author")
    ranked = sorted(
        live.order_by("-ev_score", "-vote_score", "created_at")[: BEST_ANSWERS + 1],
        key=lambda a: a.pk != post.accepted_answer_id,
    )
    return ranked[:BEST_ANSWERS]


def _who(user: User | None) -> str:
    return user.display_name if user is not None else "a former member"


def compose(post: Post, answers: list[Answer], whole: bool) -> str:
    """The new page's Markdown: the question (when promoting it whole), each answer under a
    heading naming its author, and a credits line linking back to Q&A."""
    parts = [f"*From the question [{post.title}]({question_url(post)}) in Q&A.*\n"]
    if whole and post.body.strip():
        parts.append(f"## The question\n\n{post.body.strip()}\n")
    for answer in answers:
        heading = f"## Answer by {_who(answer.author)}" if whole or len(answers) > 1 else ""
        parts.append(f"{heading}\n\n{answer.body.strip()}\n" if heading else answer.body.strip())
    names = sorted({_who(a.author) for a in answers} | ({_who(post.author)} if whole else set()))
    parts.append(f"---\n\n*Written by {', '.join(names)} in [Q&A]({question_url(post)}).*\n")
    return "\n\n".join(p.strip("\n") for p in parts) + "\n"


def promote(
    actor: User,
    post: Post,
    *,
    answer: Answer | None = None,
    title: str = "",
    slug: str | None = None,
) -> services.Saved:
    """Create a wiki page in ``post``'s community from ``answer`` (or, with None, from the
    question and its best answers). Raises Forbidden without the privilege, NotFound for a
    deleted post or an answer of another question, Invalid when there is nothing to promote,
    Conflict ``slug_taken`` when the title's page exists (choose another title)."""
    community = post.community
    if not may_promote(actor, post):
        raise Forbidden("Promoting to the wiki needs more standing in this community.")
    if post.deleted_at is not None:
        raise NotFound("No such question.")
    if answer is not None and (answer.post_id != post.pk or answer.deleted_at is not None):
        raise NotFound("No such answer to this question.")
    answers = [answer] if answer is not None else best_answers(post)
    if not answers and not post.body.strip():
        raise Invalid({"answer": "This question has no answers to promote yet."})
    ref = spaces.for_community(community)
    body = compose(post, answers, whole=answer is None)
    with transaction.atomic():
        saved = services.save_page(
            actor, ref, page=None, title=title or post.title, body=body, slug=slug or None,
            summary=f"Promoted from Q&A: {post.title}"[:300],
        )  # fmt: skip
        Revision.objects.filter(pk=saved.revision.pk).update(kind=RevisionKind.PROMOTE)
        saved.revision.kind = RevisionKind.PROMOTE
        rows = [Promotion(page=saved.page, post=post, answer=a, promoted_by=actor) for a in answers]
        if answer is None:
            rows.append(Promotion(page=saved.page, post=post, answer=None, promoted_by=actor))
        Promotion.objects.bulk_create(rows)
        promoted: list[Answer | None] = list(answers) or [None]
        for a in promoted:
            emit(
                "wiki.answer_promoted",
                page_id=saved.page.pk,
                answer_id=a.pk if a is not None else None,
                post_id=post.pk,
                actor_id=actor.pk,
                answer_author_id=a.author_id if a is not None else None,
                community_id=community.pk,
            )
    return saved


# --- On the question page -----------------------------------------------------------------------


def _promotions(post: Post) -> tuple[Page | None, dict[int, Page]]:
    """(the page the whole question became, {answer id: page}), live pages only: one query,
    cached per ``Post.version`` (migration 0002's triggers bump it on every promotion and on
    a promoted page's rename or deletion)."""

    def compute() -> tuple[Page | None, dict[int, Page]]:
        whole: Page | None = None
        by_answer: dict[int, Page] = {}
        rows = (
            Promotion.objects.filter(post=post, page__deleted_at__isnull=True)
            .select_related("page")
            .order_by("created_at", "pk")
        )
        for row in rows:
            if row.answer_id is None:
                whole = whole or row.page
            else:
                by_answer.setdefault(row.answer_id, row.page)
        return whole, by_answer

    return cached_for_post(post, "wiki:promotions", compute)


def answer_extras(
    request: HttpRequest, post: Post, answers: list[Answer]
) -> dict[int, dict[str, Any]]:
    """For ``register_answer_extra``: per answer, the live wiki page it is on and, for those who
    may promote, the link to do it."""
    on_wiki = _promotions(post)[1]
    can = may_promote(request.user, post)
    ref = spaces.SpaceRef(spaces.COMMUNITY, post.community, None, None)
    promote_url = ref.url("promote", post.pk)
    extras: dict[int, dict[str, Any]] = {}
    for a in answers:
        page = on_wiki.get(a.pk)
        if page is None and not can:
            continue
        extras[a.pk] = {
            "wiki_page": page,
            "wiki_url": ref.url("page", page.slug) if page is not None else "",
            "promote_url": f"{promote_url}?answer={a.pk}" if can else "",
        }
    return extras


def post_panel(request: HttpRequest, post: Post) -> dict[str, Any] | None:
    """For ``register_post_panel``: the wiki page the whole question became, and the link to
    promote it for those who may (None, no panel, for everyone else when it is not promoted)."""
    page = _promotions(post)[0]
    can = may_promote(request.user, post)
    if page is None and not can:
        return None
    ref = spaces.SpaceRef(spaces.COMMUNITY, post.community, None, None)
    return {
        "wiki_page": page,
        "wiki_url": ref.url("page", page.slug) if page is not None else "",
        "promote_url": ref.url("promote", post.pk) if can else "",
    }
