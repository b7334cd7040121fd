"""Q&A pages: lists, asking (with similar posts as you type), the question page, answering,
comments, votes, ratings, accepting, edits with history, deletion, duplicates, tags, settings.

Thin: parse a form, call one service, render. Every community comes through the gate
(``access.get_community_for``); a post or answer of another community is a 404 here.

The question page is built for speed: the question+answers block (bodies, authors, comments,
"what I learned" notes) is rendered once per ``Post.version`` and cached; what depends on the
viewer (their vote, their rating, the buttons they may use, other apps' panels and extras) is
rendered per request into marked slots of that block. The CSRF token is computed once.
"""

from __future__ import annotations

import hashlib
import re
from functools import cached_property
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.middleware.csrf import get_token
from django.template import engines
from django.urls import get_script_prefix, reverse
from django.views.decorators.http import require_POST
from jinja2_fragments import render_block
from markupsafe import Markup, escape

from practica.accounts.models import User
from practica.communities import access
from practica.communities.models import Community
from practica.communities.views import _community_context
from practica.lib.errors import Invalid, NotFound, PracticaError
from practica.lib.pagination import paginate
from practica.lib.typing import AuthedHttpRequest
from practica.lib.views import OUTCOME_ERRORS, action_result, form_errors, service_errors
from practica.qa import panels, ranking, selectors, services
from practica.qa.forms import (
    AnswerForm,
    AskForm,
    CommentForm,
    DescribeTagForm,
    DuplicateForm,
    EditAnswerForm,
    EditPostForm,
    RateForm,
    SettingsForm,
    TagForm,
)
from practica.qa.models import Answer, Post, PostKind, Revision
from practica.qa.similar import similar_posts
from practica.qa.stamps import list_stamp
from practica.qa.text import word_diff
from practica.recognition.privileges import level_in
from practica.tags import services as tag_services
from practica.web.jinja import csrf_input

LIST_PAGE = 20
HISTORY_PAGE = 20
THREAD_CACHE_SECONDS = 60 * 60 * 24
LIST_CACHE_SECONDS = 60  # how stale a list's relative times may get
SLOT_RE = re.compile(r"<!--slot:([a-z]+)(?::(\d+))?-->")


# --- Rendering ----------------------------------------------------------------------------------


def _env() -> Any:
    return engines["jinja2"].env  # type: ignore[attr-defined]


def _render(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    *,
    block: str | None = None,
    status: int = 200,
) -> HttpResponse:
    """Render with the CSRF token computed once (Jinja2's lazy one re-masks on every use), and
    only ``block`` for htmx requests."""
    # One masked token per response (the question page computed one for its slots already).
    token = context.get("token") or get_token(request)
    full = {
        "request": request,
        "user": request.user,
        "csrf_token": token,
        "csrf_input": csrf_input(token),
        **context,
    }
    if block and getattr(request, "htmx", False):
        html = render_block(_env(), template, block, full)
    else:
        html = _env().get_template(template).render(full)
    return HttpResponse(html, status=status)


def _data(request: HttpRequest) -> Any:
    """The POST data of a form page (an empty POST still binds: an unchecked box is data)."""
    return request.POST if request.method == "POST" else None


def _viewer(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


def _base(request: HttpRequest, community: Community) -> dict[str, Any]:
    context = _community_context(request, community)
    context["active"] = "questions"
    context["is_member"] = access.is_member(request.user, community)
    return context


def _question_url(post: Post) -> str:
    return reverse("qa:question", args=[post.community.slug, post.pk])


def _invalid(form: Any) -> Invalid:
    return Invalid({k: " ".join(str(e) for e in v) for k, v in form.errors.items()})


# --- Lists --------------------------------------------------------------------------------------


def _list_context(request: HttpRequest, community: Community, tag_slug: str) -> dict[str, Any]:
    sort = request.GET.get("sort", "newest")
    sort = sort if sort in selectors.SORTS else "newest"
    kind = request.GET.get("type", "")
    kind = kind if kind in PostKind.values else ""
    context = _base(request, community)
    extra = "".join(
        f"&{k}={escape(v)}" for k, v in (("sort", sort), ("type", kind)) if v and v != "newest"
    )
    if tag_slug and request.resolver_match.url_name != "tag":  # type: ignore[union-attr]
        extra += f"&tag={escape(tag_slug)}"
    context.update(
        sort=sort,
        kind=kind,
        tag_slug=tag_slug,
        sorts=selectors.SORT_LABELS,
        kinds=PostKind.choices,
        pager_extra=extra,
    )
    context["results_html"] = _results_html(request, community, context)
    return context


def _results_html(request: HttpRequest, community: Community, context: dict[str, Any]) -> Markup:
    """The list's rows and pager, cached per community ``ListStamp`` (bumped by triggers on any
    change to the community's posts) and per query; read the stamp before the rows, so a
    cached page is never older than its key says. Relative times ("3 hours ago") may lag by up
    to LIST_CACHE_SECONDS; nothing in the block depends on the viewer beyond membership."""
    stamp = list_stamp(community.pk)
    page_number = request.GET.get("page", "1")[:12]
    key = ":".join(
        str(part)
        for part in (
            "qa:list",
            community.pk,
            community.created_at.timestamp(),  # ids are reused by rolled-back tests
            stamp,
            context["sort"],
            context["kind"],
            context["tag_slug"],
            page_number,
            context["pager_extra"],
            int(bool(context["is_member"])),
        )
    )
    html = cache.get(key)
    if html is None:
        rows = selectors.post_list(
            community, sort=context["sort"], tag=context["tag_slug"], kind=context["kind"]
        )
        page = paginate(request, rows, LIST_PAGE)
        html = _env().get_template("qa/_results.html").render({**context, "page": page})
        cache.set(key, html, LIST_CACHE_SECONDS)
    return Markup(html)  # noqa: S704 (rendered by our autoescaping template)


@service_errors
def questions(request: HttpRequest, slug: str) -> HttpResponse:
    """The community's posts: newest, recently active, unanswered or top; by tag and kind."""
    community = access.get_community_for(request.user, slug)
    tag = tag_services.tag_slug(request.GET.get("tag", ""))
    context = _list_context(request, community, tag)
    return _render(request, "qa/list.html", context, block="results")


@service_errors
def tag_page(request: HttpRequest, slug: str, tag: str) -> HttpResponse:
    """One tag: its description (editable by those who may create tags) and its posts."""
    community = access.get_community_for(request.user, slug)
    found = selectors.get_tag(community, tag)
    form = DescribeTagForm(_data(request), initial={"description": found.description})
    if request.method == "POST":
        if not isinstance(request.user, User):
            raise NotFound("No such tag.")
        if form.is_valid():
            try:
                tag_services.describe_tag(request.user, found, **form.cleaned_data)
            except OUTCOME_ERRORS as exc:
                form_errors(form, exc)
            else:
                messages.success(request, "Description saved.")
                return HttpResponseRedirect(request.path)
    context = _list_context(request, community, found.slug)
    context.update(tag=found, describe_form=form)
    context["may_describe"] = tag_services.may_create_tags(_viewer(request), community)
    return _render(request, "qa/list.html", context, block="results")


@service_errors
def tags(request: HttpRequest, slug: str) -> HttpResponse:
    """The community's tags with their descriptions; a form to add one (with CREATE_TAGS)."""
    community = access.get_community_for(request.user, slug)
    may_create = tag_services.may_create_tags(_viewer(request), community)
    form = TagForm(_data(request))
    if request.method == "POST":
        access.require(isinstance(request.user, User), "Sign in to create tags.")
        if form.is_valid():
            try:
                made = tag_services.create_tag(request.user, community, **form.cleaned_data)  # type: ignore[arg-type]
            except OUTCOME_ERRORS as exc:
                form_errors(form, exc)
            else:
                messages.success(request, f"Tag “{made.name}” created.")
                return HttpResponseRedirect(request.path)
    context = _base(request, community)
    context.update(
        page=paginate(request, selectors.community_tags(community), 50),
        form=form,
        may_create=may_create,
    )
    return _render(request, "qa/tags.html", context)


# --- Asking -------------------------------------------------------------------------------------


@login_required
@service_errors
def ask(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    community = access.get_community_for(request.user, slug)
    access.require(
        access.is_member(request.user, community), f"Only members of {community.name} may post."
    )
    initial = {"kind": request.GET.get("type") or PostKind.QUESTION}
    form = AskForm(_data(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            post = services.create_post(
                request.user,
                community,
                kind=data["kind"],
                title=data["title"],
                body=data["body"],
                tags=tag_services.split_names(data["tags"]),
            )
        except OUTCOME_ERRORS as exc:
            form_errors(form, exc)
        else:
            messages.success(request, "Posted. Colleagues will see it in the community.")
            return HttpResponseRedirect(_question_url(post))
    context = _base(request, community)
    title = form["title"].value() or ""
    context.update(
        form=form,
        similar=similar_posts(community, str(title)) if title else [],
        existing_tags=list(selectors.community_tags(community)[:30]),
        may_create_tags=tag_services.may_create_tags(request.user, community),
    )
    return _render(request, "qa/ask.html", context)


@service_errors
def similar(request: HttpRequest, slug: str) -> HttpResponse:
    """The similar-posts box for the title being typed (htmx fragment)."""
    community = access.get_community_for(request.user, slug)
    title = request.GET.get("title", "")[:300]
    context = {"community": community, "similar": similar_posts(community, title), "title": title}
    return _render(request, "qa/_similar.html", context)


# --- The question page --------------------------------------------------------------------------


class _Answers:
    """The post's answers, loaded only when something needs them: when the cached thread and
    the viewer's cached slots are both there, a view needs none (only who wrote the deleted
    ones, which the thread's cache entry keeps)."""

    def __init__(self, post: Post, accepted_first: bool) -> None:
        self.post = post
        self.accepted_first = accepted_first

    @cached_property
    def _loaded(self) -> tuple[list[Answer], list[tuple[int, int | None]]]:
        everything, comment_authors = panels.cached_for_post(
            self.post,
            "qa:answers",
            lambda: (selectors.answers_of(self.post), selectors.comment_authors(self.post)),
        )
        return everything, comment_authors

    @cached_property
    def ranked(self) -> list[Answer]:
        live = [a for a in self._loaded[0] if a.deleted_at is None]
        return selectors.rank(self.post, live, self.accepted_first)

    @property
    def deleted(self) -> list[Answer]:
        return [a for a in self._loaded[0] if a.deleted_at is not None]

    @property
    def comment_authors(self) -> list[tuple[int, int | None]]:
        return self._loaded[1]


def _thread_html(post: Post, answers: _Answers) -> tuple[str, frozenset[int | None]]:
    """The cached question+answers block (no per-viewer content; slots mark where it goes),
    and the authors of the post's deleted answers (who, besides moderators, sees those)."""
    # created_at too: ids can be reused (a rolled-back test, a restored backup), versions restart.
    # "thread2": the entry became (html, deleted answers' authors); a shared cache (Redis) may
    # still hold the old format's plain HTML under the old key after a deploy.
    key = (
        f"qa:thread2:{post.pk}:{post.created_at.timestamp()}:{post.version}:"
        f"{int(answers.accepted_first)}"
    )
    found = cache.get(key)
    if found is None:
        ranked = answers.ranked
        thread = selectors.thread(post, ranked)
        html = (
            _env()
            .get_template("qa/_thread.html")
            .render(
                {"post": post, "answers": ranked, "thread": thread, "community": post.community}
            )
        )
        found = (html, frozenset(a.author_id for a in answers.deleted))
        cache.set(key, found, THREAD_CACHE_SECONDS)
    return found


def _slots(
    request: HttpRequest, post: Post, ranked: list[Answer], context: dict[str, Any]
) -> dict[str, str]:
    """The per-viewer HTML of every slot: controls of the post and each answer, other apps'
    extras under each answer."""
    module = _env().get_template("qa/_controls.html").make_module(context)
    filled = {"post": str(module.post_controls(post))}
    viewer = context.get("viewer")
    if viewer is not None:
        for comment_id, author_id in context["comment_authors"]:
            if author_id == viewer.pk or context.get("may_moderate"):
                filled[f"comment:{comment_id}"] = str(module.comment_delete(comment_id))
    extras = panels.answer_extras_for(request, post, ranked)
    env = _env()
    for answer in ranked:
        filled[f"answer:{answer.pk}"] = str(module.answer_controls(answer))
        filled[f"extra:{answer.pk}"] = "".join(
            env.get_template(template).render({**context, "extra": extra, "answer": answer})
            for template, extra in extras.get(answer.pk, [])
        )
    return filled


def _viewer_slots(
    request: HttpRequest, post: Post, answers: _Answers, context: dict[str, Any]
) -> dict[str, str]:
    """The signed-in viewer's slots, remembered until anything they depend on changes: the
    post's version (every vote, rating, answer, comment and promotion bumps it, so the viewer's
    own votes and ratings are part of it), what the viewer may do here (role, standing,
    staff), and the CSRF secret their forms carry. Anonymous readers get them rendered."""
    viewer = context["viewer"]
    if viewer is None:
        return _render_slots(request, post, answers, context)
    community = post.community
    secret = str(request.META.get("CSRF_COOKIE", ""))
    inputs = (
        viewer.pk, post.pk, post.created_at.timestamp(), post.version, answers.accepted_first,
        community.pk, community.slug, access.role_in(viewer, community),
        bool(viewer.is_staff), level_in(viewer, community), context["may_moderate"],
        context["may_edit_others"], context["may_accept"], bool(context["is_member"]),
        secret, get_script_prefix(),
    )  # fmt: skip
    key = "qa:slots:" + hashlib.sha256(repr(inputs).encode()).hexdigest()
    filled = cache.get(key)
    if filled is None:
        filled = _render_slots(request, post, answers, context)
        cache.set(key, filled, THREAD_CACHE_SECONDS)
    return dict(filled)


def _render_slots(
    request: HttpRequest, post: Post, answers: _Answers, context: dict[str, Any]
) -> dict[str, str]:
    ranked = answers.ranked
    context["mine"] = selectors.mine(context["viewer"], post, ranked)
    context["comment_authors"] = answers.comment_authors
    return _slots(request, post, ranked, context)


def _fill(html: str, filled: dict[str, str]) -> Markup:
    def sub(match: re.Match[str]) -> str:
        name, number = match.group(1), match.group(2)
        return filled.get(f"{name}:{number}" if number else name, "")

    return Markup(SLOT_RE.sub(sub, html))  # noqa: S704 (both parts were rendered escaped)


@service_errors
def question(request: HttpRequest, slug: str, post_id: int) -> HttpResponse:
    community = access.get_community_for(request.user, slug)
    post = selectors.post_in(request.user, community, post_id)
    return _question_response(request, community, post)


def _question_response(
    request: HttpRequest,
    community: Community,
    post: Post,
    *,
    answer_form: AnswerForm | None = None,
    status: int = 200,
) -> HttpResponse:
    viewer = _viewer(request)
    answers = _Answers(post, selectors.accepted_first(community))
    moderator = services.may_moderate(viewer, community)
    context = _base(request, community)
    context.update(
        post=post,
        viewer=viewer,
        may_moderate=moderator,
        may_edit_others=services.may_edit_others(viewer, community),
        may_accept=services.may_accept(viewer, post),
        token=get_token(request),
    )
    thread_html, deleted_by = _thread_html(post, answers)
    context["thread_html"] = _fill(thread_html, _viewer_slots(request, post, answers, context))
    sees_deleted = bool(deleted_by) and (moderator or (viewer and viewer.pk in deleted_by))
    context.update(
        deleted_answers=[
            a
            for a in (answers.deleted if sees_deleted else [])
            if moderator or (viewer and a.author_id == viewer.pk)
        ],
        answer_form=answer_form or AnswerForm(),
        answer_field=_answer_field(answer_form),
    )
    context["post_panels"] = _post_panels_html(request, post, context["token"])
    return _render(request, "qa/question.html", context, status=status)


def _post_panels_html(request: HttpRequest, post: Post, token: str) -> list[Markup]:
    """Each panel beside the question, rendered with a small context of its own (its ``panel``,
    the post, the community, the request and the CSRF input for ``token``) rather than
    ``{% include %}``d with a copy of the whole page's context (~20 us a panel)."""
    base = {
        "request": request,
        "user": request.user,
        "post": post,
        "community": post.community,
        "csrf_token": token,
        "csrf_input": csrf_input(token),
    }
    env = _env()
    return [
        Markup(env.get_template(template).render({**base, "panel": panel}))  # noqa: S704
        for template, panel in panels.post_panels_for(request, post)
    ]


def _answer_field(bound: AnswerForm | None) -> Markup:
    """The answer box: a bound form's (with its errors) rendered now; the empty one rendered
    once per process (Django's widget rendering cost ~0.3 ms a page)."""
    global _EMPTY_ANSWER_FIELD
    if bound is not None:
        return Markup(_env().get_template("macros.html").module.field(bound["body"]))  # noqa: S704 (an autoescaped macro's output)
    if _EMPTY_ANSWER_FIELD is None:
        empty = AnswerForm()["body"]
        macro = _env().get_template("macros.html").module.field
        _EMPTY_ANSWER_FIELD = Markup(macro(empty))  # noqa: S704 (an autoescaped macro's output)
    return _EMPTY_ANSWER_FIELD


_EMPTY_ANSWER_FIELD: Markup | None = None


# --- Answering, commenting ----------------------------------------------------------------------


def _post(request: HttpRequest, slug: str, post_id: int) -> tuple[Community, Post]:
    community = access.get_community_for(request.user, slug)
    return community, selectors.post_in(request.user, community, post_id)


def _answer(request: HttpRequest, slug: str, answer_id: int) -> tuple[Community, Answer]:
    community = access.get_community_for(request.user, slug)
    answer = selectors.answer_for(request.user, answer_id)
    if answer.post.community_id != community.pk:
        raise NotFound("No such answer.")
    return community, answer


@login_required
@require_POST
@service_errors
def answer(request: AuthedHttpRequest, slug: str, post_id: int) -> HttpResponse:
    community, post = _post(request, slug, post_id)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            made = services.post_answer(request.user, post, body=form.cleaned_data["body"])
        except OUTCOME_ERRORS as exc:
            form_errors(form, exc)
        else:
            messages.success(request, "Thank you: your answer is posted.")
            return HttpResponseRedirect(f"{_question_url(post)}#answer-{made.pk}")
    return _question_response(request, community, post, answer_form=form, status=422)


@login_required
@require_POST
@service_errors
def comment(request: AuthedHttpRequest, slug: str, post_id: int) -> HttpResponse:
    _, post = _post(request, slug, post_id)
    return _comment(request, post, None)


@login_required
@require_POST
@service_errors
def answer_comment(request: AuthedHttpRequest, slug: str, answer_id: int) -> HttpResponse:
    _, found = _answer(request, slug, answer_id)
    return _comment(request, found.post, found)


def _comment(request: AuthedHttpRequest, post: Post, found: Answer | None) -> HttpResponse:
    form = CommentForm(request.POST)
    error: PracticaError | None = None if form.is_valid() else _invalid(form)
    if error is None:
        try:
            services.add_comment(request.user, post, body=form.cleaned_data["body"], answer=found)
        except OUTCOME_ERRORS as exc:
            error = exc
    anchor = f"#answer-{found.pk}" if found else "#question"
    return action_result(request, error, "Comment added.", _question_url(post) + anchor)


@login_required
@require_POST
@service_errors
def comment_delete(request: AuthedHttpRequest, slug: str, comment_id: int) -> HttpResponse:
    from practica.qa.models import Comment

    community = access.get_community_for(request.user, slug)
    found = Comment.objects.select_related("post__community").filter(pk=comment_id).first()
    if found is None or found.post.community_id != community.pk:
        raise NotFound("No such comment.")
    selectors.post_in(request.user, community, found.post_id)
    error: PracticaError | None = None
    try:
        services.delete_comment(request.user, found)
    except OUTCOME_ERRORS as exc:
        error = exc
    return action_result(request, error, "Comment deleted.", _question_url(found.post))


# --- Votes, ratings, accepting ------------------------------------------------------------------


def _vote_value(request: HttpRequest) -> int:
    try:
        return int(request.POST.get("value", ""))
    except ValueError:
        return 99  # refused by the service with its message


def _vote_result(
    request: AuthedHttpRequest, post: Post, target: Post | Answer, error: PracticaError | None
) -> HttpResponse:
    if getattr(request, "htmx", False):
        fresh = type(target).objects.get(pk=target.pk)
        key = "post" if isinstance(target, Post) else f"answer:{target.pk}"
        mine = selectors.mine(request.user, post, [target] if isinstance(target, Answer) else [])
        context = {
            "community": post.community,
            "viewer": request.user,
            "mine": mine,
            "is_member": access.is_member(request.user, post.community),
        }
        module = (
            _env()
            .get_template("qa/_controls.html")
            .make_module({**context, "csrf_input": Markup(""), "token": get_token(request)})
        )
        html = str(module.vote_widget(fresh, key, error.detail if error else ""))
        return HttpResponse(html, status=200 if error is None else error.status)
    anchor = f"#answer-{target.pk}" if isinstance(target, Answer) else "#question"
    return action_result(request, error, "Vote saved.", _question_url(post) + anchor)


@login_required
@require_POST
@service_errors
def vote_post(request: AuthedHttpRequest, slug: str, post_id: int) -> HttpResponse:
    _, post = _post(request, slug, post_id)
    error: PracticaError | None = None
    try:
        services.vote(request.user, post=post, value=_vote_value(request))
    except OUTCOME_ERRORS as exc:
        error = exc
    return _vote_result(request, post, post, error)


@login_required
@require_POST
@service_errors
def vote_answer(request: AuthedHttpRequest, slug: str, answer_id: int) -> HttpResponse:
    _, found = _answer(request, slug, answer_id)
    error: PracticaError | None = None
    try:
        services.vote(request.user, answer=found, value=_vote_value(request))
    except OUTCOME_ERRORS as exc:
        error = exc
    return _vote_result(request, found.post, found, error)


@login_required
@require_POST
@service_errors
def rate(request: AuthedHttpRequest, slug: str, answer_id: int) -> HttpResponse:
    _, found = _answer(request, slug, answer_id)
    form = RateForm(request.POST)
    error: PracticaError | None = None if form.is_valid() else _invalid(form)
    if error is None:
        try:
            services.rate_answer(
                request.user,
                found,
                value=form.cleaned_data["educational_value"],
                note=form.cleaned_data["note"],
            )
        except OUTCOME_ERRORS as exc:
            error = exc
    url = f"{_question_url(found.post)}#answer-{found.pk}"
    return action_result(request, error, "Thank you: your rating is saved.", url)


@login_required
@require_POST
@service_errors
def accept(request: AuthedHttpRequest, slug: str, answer_id: int) -> HttpResponse:
    _, found = _answer(request, slug, answer_id)
    error: PracticaError | None = None
    try:
        services.accept_answer(request.user, found)
    except OUTCOME_ERRORS as exc:
        error = exc
    url = f"{_question_url(found.post)}#answer-{found.pk}"
    return action_result(request, error, "Answer accepted.", url)


@login_required
@require_POST
@service_errors
def unaccept(request: AuthedHttpRequest, slug: str, post_id: int) -> HttpResponse:
    _, post = _post(request, slug, post_id)
    error: PracticaError | None = None
    try:
        services.unaccept(request.user, post)
    except OUTCOME_ERRORS as exc:
        error = exc
    return action_result(request, error, "No answer is accepted now.", _question_url(post))


# --- Editing and history ------------------------------------------------------------------------


@login_required
@service_errors
def edit(request: AuthedHttpRequest, slug: str, post_id: int) -> HttpResponse:
    community, post = _post(request, slug, post_id)
    own = post.author_id == request.user.pk
    access.require(
        own or services.may_edit_others(request.user, community),
        "Editing someone else's post takes more standing in this community.",
    )
    initial = {
        "title": post.title,
        "body": post.body,
        "tags": " ".join(t.slug for t in post.tags.all()),
    }
    form = EditPostForm(_data(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.edit_post(
                request.user,
                post,
                title=data["title"],
                body=data["body"],
                tags=tag_services.split_names(data["tags"]),
                reason=data["reason"],
            )
        except OUTCOME_ERRORS as exc:
            form_errors(form, exc)
        else:
            messages.success(request, "Saved: a new revision is in the history.")
            return HttpResponseRedirect(_question_url(post))
    context = _base(request, community)
    context.update(form=form, post=post, own=own, what="post")
    return _render(request, "qa/edit.html", context)


@login_required
@service_errors
def answer_edit(request: AuthedHttpRequest, slug: str, answer_id: int) -> HttpResponse:
    community, found = _answer(request, slug, answer_id)
    own = found.author_id == request.user.pk
    access.require(
        own or services.may_edit_others(request.user, community),
        "Editing someone else's answer takes more standing in this community.",
    )
    form = EditAnswerForm(_data(request), initial={"body": found.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_answer(request.user, found, **form.cleaned_data)
        except OUTCOME_ERRORS as exc:
            form_errors(form, exc)
        else:
            messages.success(request, "Saved: a new revision is in the history.")
            return HttpResponseRedirect(f"{_question_url(found.post)}#answer-{found.pk}")
    context = _base(request, community)
    context.update(form=form, post=found.post, answer=found, own=own, what="answer")
    return _render(request, "qa/edit.html", context)


def _history_rows(page_rows: list[Revision], before: Revision | None) -> list[dict[str, Any]]:
    """Each revision with its diff against the one before it (the original against nothing)."""
    rows = []
    for i, rev in enumerate(page_rows):
        prev = page_rows[i + 1] if i + 1 < len(page_rows) else before
        rows.append(
            {
                "rev": rev,
                "title": word_diff(prev.title if prev else "", rev.title),
                "body": word_diff(prev.body if prev else "", rev.body),
                "tags": word_diff(prev.tags if prev else "", rev.tags),
                "first": prev is None,
            }
        )
    return rows


def _history(
    request: HttpRequest, community: Community, post: Post, found: Answer | None
) -> HttpResponse:
    rows = Revision.objects.filter(post=post).select_related("author").order_by("-number")
    rows = rows.filter(answer=found) if found else rows.filter(answer__isnull=True)
    page = paginate(request, rows, HISTORY_PAGE)
    listed = list(page.object_list)
    before = rows.filter(number=listed[-1].number - 1).first() if listed else None
    context = _base(request, community)
    context.update(post=post, answer=found, page=page, rows=_history_rows(listed, before))
    return _render(request, "qa/history.html", context)


@service_errors
def history(request: HttpRequest, slug: str, post_id: int) -> HttpResponse:
    community, post = _post(request, slug, post_id)
    return _history(request, community, post, None)


@service_errors
def answer_history(request: HttpRequest, slug: str, answer_id: int) -> HttpResponse:
    community, found = _answer(request, slug, answer_id)
    return _history(request, community, found.post, found)


# --- Deleting, restoring, duplicates ------------------------------------------------------------


def _act(request: AuthedHttpRequest, write: Any, ok: str, to: str) -> HttpResponse:
    error: PracticaError | None = None
    try:
        write()
    except OUTCOME_ERRORS as exc:
        error = exc
    return action_result(request, error, ok, to)


@login_required
@require_POST
@service_errors
def delete(request: AuthedHttpRequest, slug: str, post_id: int) -> HttpResponse:
    _, post = _post(request, slug, post_id)
    return _act(
        request,
        lambda: services.delete_post(request.user, post),
        "Deleted. You can still restore it from its page.",
        _question_url(post),
    )


@login_required
@require_POST
@service_errors
def restore(request: AuthedHttpRequest, slug: str, post_id: int) -> HttpResponse:
    _, post = _post(request, slug, post_id)
    return _act(
        request, lambda: services.restore_post(request.user, post), "Restored.", _question_url(post)
    )


@login_required
@require_POST
@service_errors
def answer_delete(request: AuthedHttpRequest, slug: str, answer_id: int) -> HttpResponse:
    _, found = _answer(request, slug, answer_id)
    return _act(
        request,
        lambda: services.delete_answer(request.user, found),
        "Answer deleted. You can restore it from the question page.",
        _question_url(found.post),
    )


@login_required
@require_POST
@service_errors
def answer_restore(request: AuthedHttpRequest, slug: str, answer_id: int) -> HttpResponse:
    _, found = _answer(request, slug, answer_id)
    return _act(
        request,
        lambda: services.restore_answer(request.user, found),
        "Answer restored.",
        f"{_question_url(found.post)}#answer-{found.pk}",
    )


@login_required
@require_POST
@service_errors
def duplicate(request: AuthedHttpRequest, slug: str, post_id: int) -> HttpResponse:
    community, post = _post(request, slug, post_id)
    form = DuplicateForm(request.POST)
    if not form.is_valid():
        return action_result(request, _invalid(form), "", _question_url(post))
    original = Post.objects.filter(pk=form.cleaned_data["duplicate_of"], community=community)
    found = original.select_related("community").first()
    if found is None:
        return action_result(
            request,
            Invalid({"duplicate_of": "No post with that number in this community."}),
            "",
            _question_url(post),
        )
    return _act(
        request,
        lambda: services.close_as_duplicate(request.user, post, found),
        "Closed as a duplicate; both posts link to each other.",
        _question_url(post),
    )


@login_required
@require_POST
@service_errors
def reopen(request: AuthedHttpRequest, slug: str, post_id: int) -> HttpResponse:
    _, post = _post(request, slug, post_id)
    return _act(
        request, lambda: services.reopen(request.user, post), "Reopened.", _question_url(post)
    )


# --- Settings -----------------------------------------------------------------------------------


@login_required
@service_errors
def qa_settings(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    community = access.get_community_for(request.user, slug)
    access.require(
        access.can_steward(request.user, community),
        "Only coordinators (and organization admins) change the Q&A settings.",
    )
    row = services.settings_for(community)
    form = SettingsForm(_data(request), initial={"accepted_first": row.accepted_first})
    if request.method == "POST" and form.is_valid():
        services.update_settings(request.user, community, **form.cleaned_data)
        messages.success(request, "Q&A settings saved.")
        return HttpResponseRedirect(request.path)
    context = _base(request, community)
    prior = ranking.community_prior(row.rating_sum, row.rating_count)
    context.update(form=form, qa=row, prior=prior)
    return _render(request, "qa/settings.html", context)
