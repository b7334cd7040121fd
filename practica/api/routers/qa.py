"""API v1 endpoints of the qa feature (see docs/api.md and docs/qa.md).

Questions (posts of kind question, struggle or success), answers in ranked order, comments,
helpful votes, educational-value ratings, accepting, edits with revisions, soft deletion,
duplicates, tags and similar posts. Lookups go through the gate: a post of a community the
caller may not see is a 404 (401 when signed out); writes go through ``practica.qa.services``.
"""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from practica.accounts.models import User
from practica.api.auth import AUTH, OPTIONAL_AUTH, OPTIONAL_AUTH_OPENAPI, caller, viewer
from practica.api.pagination import paginate
from practica.api.schemas import ErrorOut, PageOut, PageParams, Text
from practica.communities import access
from practica.communities.models import Community
from practica.lib.errors import Conflict, Invalid
from practica.qa import selectors, services
from practica.qa.models import Answer, Comment, Post, PostKind, Revision
from practica.qa.similar import similar_posts
from practica.tags import services as tag_services
from practica.tags.models import Tag

router = Router(tags=["qa"])

COMMUNITY = "/communities/{slug:slug}"
QUESTION = "/questions/{post_id}"
ANSWER = "/answers/{answer_id}"

READ = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
WRITE = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


# --- Schemas ------------------------------------------------------------------------------------


class QaPersonOut(Schema):
    id: int
    name: str


class TagOut(Schema):
    slug: str
    name: str
    description: str


class TagPage(PageOut):
    items: list[TagOut]


class TagIn(Schema):
    name: Text
    description: Text = ""


class QuestionIn(Schema):
    title: Text
    body: Text = ""
    tags: list[Text] = Field(default_factory=list, description="Tag slugs (at most 5).")
    type: PostKind = PostKind.QUESTION


class QuestionEditIn(Schema):
    title: Text
    body: Text = ""
    tags: list[Text] = Field(default_factory=list)
    reason: Text = Field("", description="Required when editing someone else's post.")


class QuestionSummaryOut(Schema):
    id: int
    type: PostKind
    title: str
    author: QaPersonOut | None
    tags: list[str]
    votes: int
    answer_count: int
    accepted_answer_id: int | None
    best_answer_score: float = Field(..., description="The best rated answer's score; 0 if none.")
    duplicate_of: int | None
    created_at: datetime
    last_activity_at: datetime
    url: str


class QuestionPage(PageOut):
    items: list[QuestionSummaryOut]


class EducationalValueOut(Schema):
    score: float = Field(..., description="Bayesian average, 1-5 (docs/qa.md).")
    count: int
    mean: float | None = Field(..., description="Plain mean of the ratings; null if unrated.")


class LearnedNoteOut(Schema):
    note: str
    value: int
    by: QaPersonOut | None


class AnswerOut(Schema):
    id: int
    post_id: int
    author: QaPersonOut | None
    body: str
    body_html: str
    educational_value: EducationalValueOut
    votes: int
    accepted: bool
    notes: list[LearnedNoteOut]
    created_at: datetime
    edited_at: datetime | None
    url: str


class QuestionOut(QuestionSummaryOut):
    body: str
    body_html: str
    edited_at: datetime | None
    deleted: bool
    duplicates: list[int] = Field(..., description="Posts closed as duplicates of this one.")
    answers: list[AnswerOut] = Field(..., description="Live answers in ranked order.")


class CreatedOut(Schema):
    id: int
    url: str


class AnswerIn(Schema):
    body: Text


class AnswerEditIn(Schema):
    body: Text
    reason: Text = ""


class RatingIn(Schema):
    educational_value: int = Field(..., description="1 (taught me little) to 5 (a lot).")
    note: Text = Field("", description='Optional "what I learned", shown with your name.')


class RatingOut(Schema):
    educational_value: int
    note: str
    answer: EducationalValueOut


class VoteIn(Schema):
    value: int = Field(..., description="-1, 0 (clear your vote) or 1.")


class VoteOut(Schema):
    votes: int
    my_vote: int


class AcceptOut(Schema):
    accepted_answer_id: int | None


class CommentIn(Schema):
    body: Text


class CommentOut(Schema):
    id: int
    post_id: int
    answer_id: int | None
    author: QaPersonOut | None
    body: str
    body_html: str
    created_at: datetime


class CommentPage(PageOut):
    items: list[CommentOut]


class RevisionOut(Schema):
    number: int
    author: QaPersonOut | None
    title: str
    body: str
    tags: list[str]
    reason: str
    created_at: datetime


class RevisionPage(PageOut):
    items: list[RevisionOut]


class DuplicateIn(Schema):
    duplicate_of: int = Field(..., ge=1, le=2**63 - 1)


class SimilarOut(Schema):
    id: int
    type: PostKind
    title: str
    answer_count: int
    best_answer_score: float
    url: str


class SimilarListOut(Schema):
    items: list[SimilarOut]


# --- Converters ---------------------------------------------------------------------------------


def _person(user: User | None) -> QaPersonOut | None:
    return QaPersonOut(id=user.pk, name=user.display_name) if user else None


def _ev(answer: Answer) -> EducationalValueOut:
    mean = answer.ev_mean
    return EducationalValueOut(
        score=round(answer.ev_score, 4),
        count=answer.ev_count,
        mean=round(mean, 4) if mean is not None else None,
    )


def _summary_fields(post: Post) -> dict[str, object]:
    return {
        "id": post.pk,
        "type": post.kind,
        "title": post.title,
        "author": _person(post.author),
        "tags": [t.slug for t in post.tags.all()],
        "votes": post.vote_score,
        "answer_count": post.answer_count,
        "accepted_answer_id": post.accepted_answer_id,
        "best_answer_score": round(post.best_answer_score, 4),
        "duplicate_of": post.duplicate_of_id,
        "created_at": post.created_at,
        "last_activity_at": post.last_activity_at,
        "url": services.post_url(post),
    }


def _answer_out(answer: Answer, post: Post, notes: list[LearnedNoteOut]) -> AnswerOut:
    answer.post = post
    return AnswerOut(
        id=answer.pk,
        post_id=post.pk,
        author=_person(answer.author),
        body=answer.body,
        body_html=answer.body_html,
        educational_value=_ev(answer),
        votes=answer.vote_score,
        accepted=answer.pk == post.accepted_answer_id,
        notes=notes,
        created_at=answer.created_at,
        edited_at=answer.edited_at,
        url=services.answer_url(answer),
    )


def _question_out(post: Post) -> QuestionOut:
    live = [a for a in selectors.answers_of(post) if a.deleted_at is None]
    ranked = selectors.rank(post, live, selectors.accepted_first(post.community))
    thread = selectors.thread(post, ranked)
    fields = _summary_fields(post)
    fields["tags"] = [t.slug for t in thread.tags]
    return QuestionOut(
        **fields,  # type: ignore[arg-type]
        body=post.body,
        body_html=post.body_html,
        edited_at=post.edited_at,
        deleted=post.deleted_at is not None,
        duplicates=[d.pk for d in thread.duplicates],
        answers=[
            _answer_out(
                a,
                post,
                [
                    LearnedNoteOut(note=r.note, value=r.value, by=_person(r.user))
                    for r in thread.notes.get(a.pk, [])
                ],
            )
            for a in ranked
        ],
    )


def _comment_out(comment: Comment) -> CommentOut:
    return CommentOut(
        id=comment.pk,
        post_id=comment.post_id,
        answer_id=comment.answer_id,
        author=_person(comment.author),
        body=comment.body,
        body_html=comment.body_html,
        created_at=comment.created_at,
    )


def _revision_out(rev: Revision) -> RevisionOut:
    return RevisionOut(
        number=rev.number,
        author=_person(rev.author),
        title=rev.title,
        body=rev.body,
        tags=rev.tags.split(),
        reason=rev.reason,
        created_at=rev.created_at,
    )


def _tag_out(tag: Tag) -> TagOut:
    return TagOut(slug=tag.slug, name=tag.name, description=tag.description)


# --- Lookups through the gate -------------------------------------------------------------------


def _community(request: HttpRequest, slug: str) -> tuple[Community, User | AnonymousUser]:
    user = viewer(request)
    return access.get_community_for(user, slug), user


def _post(request: HttpRequest, post_id: int, *, write: bool = False) -> Post:
    user = caller(request) if write else viewer(request)
    return selectors.post_for(user, post_id)


def _answer(request: HttpRequest, answer_id: int, *, write: bool = False) -> Answer:
    user = caller(request) if write else viewer(request)
    answer = selectors.answer_for(user, answer_id)
    return answer


# --- Lists, asking, similar, tags ---------------------------------------------------------------


class ListParams(PageParams):
    sort: Text = Field("newest", description="newest, active, unanswered or top.")
    tag: Text = Field("", description="A tag slug.")
    type: PostKind | None = None


@router.get(
    COMMUNITY + "/questions",
    auth=OPTIONAL_AUTH,
    response={200: QuestionPage, **READ},
    openapi_extra=OPTIONAL_AUTH_OPENAPI,
)
def list_questions(request: HttpRequest, slug: str, params: Query[ListParams]) -> dict[str, object]:
    """The community's live posts: ``sort`` newest, active, unanswered or top (by the best
    answer's educational value); filter by ``tag`` and ``type``."""
    community, _ = _community(request, slug)
    if params.sort not in selectors.SORTS:
        raise Invalid({"sort": "Choose one of: newest, active, unanswered, top."})
    rows = selectors.post_list(community, sort=params.sort, tag=params.tag, kind=params.type or "")
    return paginate(rows, params, lambda p: QuestionSummaryOut(**_summary_fields(p)))  # type: ignore[arg-type]


@router.post(COMMUNITY + "/questions", auth=AUTH, response={201: CreatedOut, **WRITE})
def ask_question(request: HttpRequest, slug: str, payload: QuestionIn) -> Status[CreatedOut]:
    """Post a question, struggle or success (members). Unknown tags are created only by members
    who may create tags; others get a 422 and nothing is written."""
    user = caller(request)
    community = access.get_community_for(user, slug)
    post = services.create_post(
        user,
        community,
        title=payload.title,
        body=payload.body,
        tags=payload.tags,
        kind=payload.type,
    )
    return Status(201, CreatedOut(id=post.pk, url=services.post_url(post)))


@router.get(
    COMMUNITY + "/similar",
    auth=OPTIONAL_AUTH,
    response={200: SimilarListOut, **READ},
    openapi_extra=OPTIONAL_AUTH_OPENAPI,
)
def similar_questions(
    request: HttpRequest, slug: str, title: str = Query("", max_length=300)
) -> SimilarListOut:
    """Up to 5 posts of the community similar to ``title``: answered first, with their best
    answer's score."""
    community, _ = _community(request, slug)
    return SimilarListOut(
        items=[
            SimilarOut(
                id=p.pk,
                type=PostKind(p.kind),
                title=p.title,
                answer_count=p.answer_count,
                best_answer_score=round(p.best_answer_score, 4),
                url=services.post_url(p),
            )
            for p in similar_posts(community, title)
        ]
    )


@router.get(
    COMMUNITY + "/tags",
    auth=OPTIONAL_AUTH,
    response={200: TagPage, **READ},
    openapi_extra=OPTIONAL_AUTH_OPENAPI,
)
def list_tags(request: HttpRequest, slug: str, paging: Query[PageParams]) -> dict[str, object]:
    community, _ = _community(request, slug)
    return paginate(selectors.community_tags(community), paging, _tag_out)


@router.post(COMMUNITY + "/tags", auth=AUTH, response={201: TagOut, **WRITE})
def create_tag(request: HttpRequest, slug: str, payload: TagIn) -> Status[TagOut]:
    """Create a tag (needs the CREATE_TAGS privilege)."""
    user = caller(request)
    community = access.get_community_for(user, slug)
    tag = tag_services.create_tag(
        user, community, name=payload.name, description=payload.description
    )
    return Status(201, _tag_out(tag))


# --- One question -------------------------------------------------------------------------------


@router.get(
    QUESTION,
    auth=OPTIONAL_AUTH,
    response={200: QuestionOut, **READ},
    openapi_extra=OPTIONAL_AUTH_OPENAPI,
)
def get_question(request: HttpRequest, post_id: int) -> QuestionOut:
    """A post with its live answers in ranked order (accepted first unless the community turned
    that off, then by educational-value score)."""
    return _question_out(_post(request, post_id))


@router.put(QUESTION, auth=AUTH, response={200: QuestionOut, **WRITE})
def edit_question(request: HttpRequest, post_id: int, payload: QuestionEditIn) -> QuestionOut:
    """Save a new revision (authors; others need EDIT_OTHERS and a ``reason``)."""
    post = _post(request, post_id, write=True)
    services.edit_post(
        caller(request),
        post,
        title=payload.title,
        body=payload.body,
        tags=payload.tags,
        reason=payload.reason,
    )
    return _question_out(selectors.post_for(caller(request), post.pk))


@router.delete(QUESTION, auth=AUTH, response={204: None, **WRITE})
def delete_question(request: HttpRequest, post_id: int) -> Status[None]:
    """Soft-delete (author or moderator); undo with ``POST .../restore``."""
    services.delete_post(caller(request), _post(request, post_id, write=True))
    return Status(204, None)


@router.post(QUESTION + "/restore", auth=AUTH, response={200: QuestionOut, **WRITE})
def restore_question(request: HttpRequest, post_id: int) -> QuestionOut:
    post = services.restore_post(caller(request), _post(request, post_id, write=True))
    return _question_out(selectors.post_for(caller(request), post.pk))


@router.get(
    QUESTION + "/revisions",
    auth=OPTIONAL_AUTH,
    response={200: RevisionPage, **READ},
    openapi_extra=OPTIONAL_AUTH_OPENAPI,
)
def question_revisions(
    request: HttpRequest, post_id: int, paging: Query[PageParams]
) -> dict[str, object]:
    """Every revision of the post, newest first (1 is the original)."""
    post = _post(request, post_id)
    rows = Revision.objects.filter(post=post, answer__isnull=True).select_related("author")
    return paginate(rows.order_by("-number"), paging, _revision_out)


@router.put(QUESTION + "/duplicate", auth=AUTH, response={200: QuestionSummaryOut, **WRITE})
def close_duplicate(request: HttpRequest, post_id: int, payload: DuplicateIn) -> dict[str, object]:
    """Close as a duplicate of another post of the same community (linked both ways)."""
    user = caller(request)
    post = _post(request, post_id, write=True)
    original = Post.objects.filter(pk=payload.duplicate_of, community=post.community).first()
    if original is None:
        raise Invalid({"duplicate_of": "No post with that number in this community."})
    services.close_as_duplicate(user, post, original)
    return _summary_fields(selectors.post_for(user, post.pk))


@router.delete(QUESTION + "/duplicate", auth=AUTH, response={200: QuestionSummaryOut, **WRITE})
def reopen_question(request: HttpRequest, post_id: int) -> dict[str, object]:
    user = caller(request)
    post = services.reopen(user, _post(request, post_id, write=True))
    return _summary_fields(selectors.post_for(user, post.pk))


@router.post(QUESTION + "/answers", auth=AUTH, response={201: CreatedOut, **WRITE})
def answer_question(request: HttpRequest, post_id: int, payload: AnswerIn) -> Status[CreatedOut]:
    answer = services.post_answer(
        caller(request), _post(request, post_id, write=True), body=payload.body
    )
    return Status(201, CreatedOut(id=answer.pk, url=services.answer_url(answer)))


@router.post(QUESTION + "/vote", auth=AUTH, response={200: VoteOut, **WRITE})
def vote_question(request: HttpRequest, post_id: int, payload: VoteIn) -> VoteOut:
    """Your helpful vote on the post: -1, 0 (none) or 1; not on your own."""
    score = services.vote(
        caller(request), post=_post(request, post_id, write=True), value=payload.value
    )
    return VoteOut(votes=score, my_vote=payload.value)


@router.get(
    QUESTION + "/comments",
    auth=OPTIONAL_AUTH,
    response={200: CommentPage, **READ},
    openapi_extra=OPTIONAL_AUTH_OPENAPI,
)
def question_comments(
    request: HttpRequest, post_id: int, paging: Query[PageParams]
) -> dict[str, object]:
    """Comments on the post itself (not on its answers), oldest first."""
    post = _post(request, post_id)
    rows = Comment.objects.filter(post=post, answer__isnull=True, deleted_at__isnull=True)
    return paginate(
        rows.select_related("author").order_by("created_at", "pk"), paging, _comment_out
    )


@router.post(QUESTION + "/comments", auth=AUTH, response={201: CommentOut, **WRITE})
def comment_question(request: HttpRequest, post_id: int, payload: CommentIn) -> Status[CommentOut]:
    comment = services.add_comment(
        caller(request), _post(request, post_id, write=True), body=payload.body
    )
    return Status(201, _comment_out(comment))


# --- Answers ------------------------------------------------------------------------------------


@router.get(
    ANSWER,
    auth=OPTIONAL_AUTH,
    response={200: AnswerOut, **READ},
    openapi_extra=OPTIONAL_AUTH_OPENAPI,
)
def get_answer(request: HttpRequest, answer_id: int) -> AnswerOut:
    answer = _answer(request, answer_id)
    thread = selectors.thread(answer.post, [answer])
    notes = [
        LearnedNoteOut(note=r.note, value=r.value, by=_person(r.user))
        for r in thread.notes.get(answer.pk, [])
    ]
    return _answer_out(answer, answer.post, notes)


@router.put(ANSWER, auth=AUTH, response={200: AnswerOut, **WRITE})
def edit_answer(request: HttpRequest, answer_id: int, payload: AnswerEditIn) -> AnswerOut:
    """Save a new revision (authors; others need EDIT_OTHERS and a ``reason``)."""
    answer = _answer(request, answer_id, write=True)
    services.edit_answer(caller(request), answer, body=payload.body, reason=payload.reason)
    fresh = _answer(request, answer_id, write=True)
    return _answer_out(fresh, fresh.post, [])


@router.delete(ANSWER, auth=AUTH, response={204: None, **WRITE})
def delete_answer(request: HttpRequest, answer_id: int) -> Status[None]:
    services.delete_answer(caller(request), _answer(request, answer_id, write=True))
    return Status(204, None)


@router.post(ANSWER + "/restore", auth=AUTH, response={200: AnswerOut, **WRITE})
def restore_answer(request: HttpRequest, answer_id: int) -> AnswerOut:
    services.restore_answer(caller(request), _answer(request, answer_id, write=True))
    fresh = _answer(request, answer_id, write=True)
    return _answer_out(fresh, fresh.post, [])


@router.get(
    ANSWER + "/revisions",
    auth=OPTIONAL_AUTH,
    response={200: RevisionPage, **READ},
    openapi_extra=OPTIONAL_AUTH_OPENAPI,
)
def answer_revisions(
    request: HttpRequest, answer_id: int, paging: Query[PageParams]
) -> dict[str, object]:
    answer = _answer(request, answer_id)
    rows = Revision.objects.filter(answer=answer).select_related("author").order_by("-number")
    return paginate(rows, paging, _revision_out)


@router.put(ANSWER + "/rating", auth=AUTH, response={200: RatingOut, **WRITE})
def rate_answer(request: HttpRequest, answer_id: int, payload: RatingIn) -> RatingOut:
    """Rate how much the answer taught you, 1-5 (422 otherwise), with an optional note;
    changeable; 403 on your own answer."""
    user = caller(request)
    answer = _answer(request, answer_id, write=True)
    rating = services.rate_answer(user, answer, value=payload.educational_value, note=payload.note)
    fresh = Answer.objects.get(pk=answer.pk)
    return RatingOut(educational_value=rating.value, note=rating.note, answer=_ev(fresh))


@router.post(ANSWER + "/accept", auth=AUTH, response={200: AcceptOut, **WRITE})
def accept_answer(request: HttpRequest, answer_id: int) -> AcceptOut:
    """Accept the answer (the asker, or a facilitator, coordinator or moderator; 403 for
    others); replaces an earlier choice."""
    post = services.accept_answer(caller(request), _answer(request, answer_id, write=True))
    return AcceptOut(accepted_answer_id=post.accepted_answer_id)


@router.delete(ANSWER + "/accept", auth=AUTH, response={200: AcceptOut, **WRITE})
def unaccept_answer(request: HttpRequest, answer_id: int) -> AcceptOut:
    """Withdraw the acceptance of this answer."""
    user = caller(request)
    answer = _answer(request, answer_id, write=True)
    access.require(
        services.may_accept(user, answer.post),
        "Only the person who asked (or a facilitator, coordinator or moderator) may change "
        "the accepted answer.",
    )
    if answer.post.accepted_answer_id != answer.pk:
        raise Conflict("This answer is not the accepted one.", code="not_accepted")
    post = services.unaccept(user, answer.post)
    return AcceptOut(accepted_answer_id=post.accepted_answer_id)


@router.post(ANSWER + "/vote", auth=AUTH, response={200: VoteOut, **WRITE})
def vote_answer(request: HttpRequest, answer_id: int, payload: VoteIn) -> VoteOut:
    score = services.vote(
        caller(request), answer=_answer(request, answer_id, write=True), value=payload.value
    )
    return VoteOut(votes=score, my_vote=payload.value)


@router.get(
    ANSWER + "/comments",
    auth=OPTIONAL_AUTH,
    response={200: CommentPage, **READ},
    openapi_extra=OPTIONAL_AUTH_OPENAPI,
)
def answer_comments(
    request: HttpRequest, answer_id: int, paging: Query[PageParams]
) -> dict[str, object]:
    answer = _answer(request, answer_id)
    rows = Comment.objects.filter(answer=answer, deleted_at__isnull=True).select_related("author")
    return paginate(rows.order_by("created_at", "pk"), paging, _comment_out)


@router.post(ANSWER + "/comments", auth=AUTH, response={201: CommentOut, **WRITE})
def comment_answer(request: HttpRequest, answer_id: int, payload: CommentIn) -> Status[CommentOut]:
    answer = _answer(request, answer_id, write=True)
    comment = services.add_comment(caller(request), answer.post, body=payload.body, answer=answer)
    return Status(201, _comment_out(comment))
