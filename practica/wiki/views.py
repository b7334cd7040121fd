"""Wiki pages, the same views for a community's wiki (``/c/<slug>/wiki/``) and an
organization's (``/orgs/<slug>/wiki/``): the URL passes ``scope``. Thin: resolve the space
through the gate, parse a form, call one service, render (or, under htmx, one block).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from practica.communities import access
from practica.communities.views import _community_context
from practica.lib.errors import NotFound
from practica.lib.htmx import render_page
from practica.lib.pagination import paginate
from practica.lib.typing import AuthedHttpRequest
from practica.lib.views import OUTCOME_ERRORS, action_result, form_errors, service_errors
from practica.wiki import diff as wikidiff
from practica.wiki import promotion, selectors, services, spaces
from practica.wiki.forms import PageForm, PromoteForm
from practica.wiki.models import Page
from practica.wiki.spaces import SpaceRef

RECENT_ON_INDEX = 8
CHANGES_DAYS = (1, 7, 30)


def _space(request: HttpRequest, scope: str, slug: str) -> SpaceRef:
    return spaces.get_space_for(request.user, scope, slug)


def _base(request: HttpRequest, ref: SpaceRef) -> dict[str, Any]:
    """The community's (or organization's) header, our tab, and what the wiki's pages share."""
    if ref.community is not None:
        context = _community_context(request, ref.community)
    else:
        org = ref.organization
        assert org is not None
        context = {
            "org": org,
            "ancestors": access.visible_orgs(request.user)
            .filter(pk__in=org.ancestor_ids[:-1])
            .order_by("path"),
            "is_admin": access.can_admin_org(request.user, org),
        }
    context.update(
        active="wiki",
        ref=ref,
        wurl=ref.url,
        can_edit=spaces.can_edit(request.user, ref),
        can_curate=spaces.can_curate(request.user, ref),
    )
    return context


def _page(request: HttpRequest, ref: SpaceRef, page_slug: str, trashed: bool = False) -> Page:
    return selectors.find_page(ref, page_slug, request.user, trashed=trashed).page


def _parents(ref: SpaceRef, page: Page | None) -> list[tuple[int, str]]:
    rows = selectors.pages(ref)
    if page is not None:
        rows = rows.exclude(pk=page.pk)
    return list(rows.values_list("pk", "title")[:500])


# --- Reading ------------------------------------------------------------------------------------


@service_errors
def index(request: HttpRequest, scope: str, slug: str) -> HttpResponse:
    """Every page of the space (by title), the sidebar tree and the latest changes."""
    ref = _space(request, scope, slug)
    context = _base(request, ref)
    context.update(
        page_list=paginate(request, selectors.pages(ref), 50),
        tree=selectors.tree(ref),
        recent=list(selectors.recent_changes(ref)[:RECENT_ON_INDEX]),
    )
    return render(request, "wiki/index.html", context)


@service_errors
def page(request: HttpRequest, scope: str, slug: str, page_slug: str) -> HttpResponse:
    """A page: its text, table of contents, backlinks, contributors; an old slug redirects."""
    ref = _space(request, scope, slug)
    found = selectors.find_page(ref, page_slug, request.user, trashed=True)
    current = found.page
    if found.redirected:
        messages.info(request, f"“{page_slug}” is now called “{current.title}”.")
        return redirect(ref.url("page", current.slug))
    trail = selectors.ancestors(current)
    context = _base(request, ref)
    context.update(
        page=current,
        trail=trail,
        tree=selectors.tree(ref, current, trail),
        backlinks=selectors.backlinks(current),
        contributors=selectors.contributors(current),
        origin=_origin(selectors.promotions(current)),
        watching=selectors.is_watching(request.user, current),
        may_edit=context["can_edit"] and (not current.protected or context["can_curate"]),
    )
    return render_page(request, "wiki/page.html", context, block="watch")


def _origin(rows: list[Any]) -> dict[str, Any] | None:
    """Where a promoted page came from: the question, and who wrote what was promoted."""
    if not rows:
        return None
    post = rows[0].post
    authors: dict[int, Any] = {}
    for row in rows:
        author = row.answer.author if row.answer is not None else post.author
        if author is not None:
            authors.setdefault(author.pk, author)
    return {
        "title": post.title,
        "url": promotion.question_url(post),
        "authors": list(authors.values()),
    }


@service_errors
def history(request: HttpRequest, scope: str, slug: str, page_slug: str) -> HttpResponse:
    """Every revision, newest first; pick two to compare."""
    ref = _space(request, scope, slug)
    current = _page(request, ref, page_slug)
    context = _base(request, ref)
    context.update(page=current, revisions=paginate(request, selectors.history(current), 50))
    return render(request, "wiki/history.html", context)


@service_errors
def revision(
    request: HttpRequest, scope: str, slug: str, page_slug: str, revision_id: int
) -> HttpResponse:
    """One revision's text as it was saved (Markdown), with a revert button."""
    ref = _space(request, scope, slug)
    current = _page(request, ref, page_slug)
    context = _base(request, ref)
    context.update(page=current, revision=selectors.get_revision(current, revision_id))
    return render(request, "wiki/revision.html", context)


@service_errors
def diff(request: HttpRequest, scope: str, slug: str, page_slug: str) -> HttpResponse:
    """``?from=&to=`` (revision ids; default: the newest revision against the one before it),
    ``&view=inline`` (default) or ``side``."""
    ref = _space(request, scope, slug)
    current = _page(request, ref, page_slug)
    new = selectors.get_revision(current, request.GET.get("to") or current.current_revision_id)
    raw_from = request.GET.get("from")
    if raw_from:
        old = selectors.get_revision(current, raw_from)
    else:
        previous = selectors.history(current).filter(number__lt=new.number).first()
        old = previous or new
    view = "side" if request.GET.get("view") == "side" else "inline"
    context = _base(request, ref)
    context.update(
        page=current,
        old=old,
        new=new,
        view=view,
        result=wikidiff.diff(old.body, new.body),
        title_changed=old.title != new.title,
    )
    return render(request, "wiki/diff.html", context)


@service_errors
def changes(request: HttpRequest, scope: str, slug: str) -> HttpResponse:
    """Recent changes in this wiki (``?days=1|7|30``; default: everything, newest first)."""
    ref = _space(request, scope, slug)
    raw = request.GET.get("days", "")
    days = int(raw) if raw.isdigit() and int(raw) in CHANGES_DAYS else None
    context = _base(request, ref)
    context.update(
        changes=paginate(request, selectors.recent_changes(ref, days), 50),
        days=days,
        day_choices=CHANGES_DAYS,
    )
    return render(request, "wiki/changes.html", context)


@login_required
@service_errors
def trash(request: AuthedHttpRequest, scope: str, slug: str) -> HttpResponse:
    ref = _space(request, scope, slug)
    access.require(
        spaces.can_curate(request.user, ref),
        f"Only {spaces.who_curates(ref)} see the trash.",
    )
    context = _base(request, ref)
    context["trashed"] = paginate(request, selectors.trash(ref), 50)
    return render(request, "wiki/trash.html", context)


# --- Writing ------------------------------------------------------------------------------------


def _require_editor(request: HttpRequest, ref: SpaceRef, current: Page | None) -> None:
    access.require(spaces.can_edit(request.user, ref), f"Only {spaces.who_edits(ref)} may edit.")
    if current is not None and current.protected:
        access.require(
            spaces.can_curate(request.user, ref),
            f"This page is protected: only {spaces.who_curates(ref)} may edit it.",
        )


def _save(request: AuthedHttpRequest, ref: SpaceRef, current: Page | None, form: PageForm) -> Any:
    data = form.cleaned_data
    parent = None
    if data.get("parent"):
        parent = selectors.pages(ref).filter(pk=data["parent"]).first()
    return services.save_page(
        request.user,
        ref,
        page=current,
        title=data["title"],
        body=data["body"],
        summary=data["summary"],
        base_revision_id=data.get("base_revision") if current is not None else None,
        slug=data["slug"] or None,
        parent=parent,
        keep_parent=False,
    )


def _editor(
    request: AuthedHttpRequest, ref: SpaceRef, current: Page | None, initial: dict[str, Any]
) -> HttpResponse:
    """The create/edit form page; on a conflict the same page shows both versions, with the
    editor's text merged and marked in the editor (status 409): nothing they typed is lost."""
    form = PageForm(request.POST or None, initial=initial, parents=_parents(ref, current))
    conflict: services.EditConflict | None = None
    if request.method == "POST" and form.is_valid():
        try:
            saved = _save(request, ref, current, form)
        except services.EditConflict as exc:
            conflict = exc
            form = _conflict_form(request, ref, current, exc)
        except OUTCOME_ERRORS as exc:
            form_errors(form, exc)
        else:
            return redirect(_saved_url(request, ref, saved))
    context = _base(request, ref)
    context.update(form=form, page=current, conflict=conflict)
    status = 409 if conflict is not None else 200
    return render(request, "wiki/edit.html", context, status=status)


def _conflict_form(
    request: AuthedHttpRequest, ref: SpaceRef, current: Page | None, exc: services.EditConflict
) -> PageForm:
    """The form again, its text now the merge with conflict markers, based on the revision
    saved meanwhile (so saving the resolved text is an ordinary edit)."""
    data = request.POST.copy()
    data["body"] = exc.merged
    data["base_revision"] = str(exc.current.pk)
    form = PageForm(data, parents=_parents(ref, current))
    form.is_valid()
    return form


def _saved_url(request: HttpRequest, ref: SpaceRef, saved: services.Saved) -> str:
    if not saved.changed:
        messages.info(request, "No changes: the page already says exactly that.")
    elif saved.merged:
        messages.success(
            request,
            "Saved. Someone else edited this page meanwhile; your changes did not overlap "
            "theirs, so both are in.",
        )
    else:
        messages.success(request, "Page created." if saved.created else "Saved.")
    return ref.url("page", saved.page.slug)


@login_required
@service_errors
def new(request: AuthedHttpRequest, scope: str, slug: str) -> HttpResponse:
    """Create a page (``?title=`` from a "create" link, ``?parent=`` to place it)."""
    ref = _space(request, scope, slug)
    _require_editor(request, ref, None)
    initial = {"title": request.GET.get("title", "")[:200], "parent": request.GET.get("parent")}
    return _editor(request, ref, None, initial)


@login_required
@service_errors
def edit(request: AuthedHttpRequest, scope: str, slug: str, page_slug: str) -> HttpResponse:
    ref = _space(request, scope, slug)
    current = _page(request, ref, page_slug)
    _require_editor(request, ref, current)
    initial = {
        "title": current.title,
        "slug": current.slug,
        "parent": current.parent_id,
        "body": current.body,
        "base_revision": current.current_revision_id,
    }
    return _editor(request, ref, current, initial)


@login_required
@require_POST
@service_errors
def revert(request: AuthedHttpRequest, scope: str, slug: str, page_slug: str) -> HttpResponse:
    ref = _space(request, scope, slug)
    current = _page(request, ref, page_slug)
    raw = request.POST.get("revision", "")
    error = None
    ok = ""
    try:
        if not raw.isdigit():
            raise NotFound("Choose a revision of this page to revert to.")
        saved = services.revert(request.user, ref, current, int(raw))
        ok = f"Reverted: revision {saved.revision.number} now reads like the one you chose."
    except OUTCOME_ERRORS as exc:
        error = exc
    return action_result(request, error, ok, ref.url("page", current.slug))


@login_required
@require_POST
@service_errors
def delete(request: AuthedHttpRequest, scope: str, slug: str, page_slug: str) -> HttpResponse:
    ref = _space(request, scope, slug)
    current = _page(request, ref, page_slug)
    error = None
    try:
        services.delete_page(request.user, ref, current)
    except OUTCOME_ERRORS as exc:
        error = exc
    ok = f"“{current.title}” is in the trash; it can be restored from there."
    return action_result(request, error, ok, ref.url("index"))


@login_required
@require_POST
@service_errors
def restore(request: AuthedHttpRequest, scope: str, slug: str, page_slug: str) -> HttpResponse:
    ref = _space(request, scope, slug)
    current = _page(request, ref, page_slug, trashed=True)
    error = None
    try:
        services.restore_page(request.user, ref, current)
    except OUTCOME_ERRORS as exc:
        error = exc
    return action_result(
        request, error, f"“{current.title}” is back.", ref.url("page", current.slug)
    )


@login_required
@require_POST
@service_errors
def protect(request: AuthedHttpRequest, scope: str, slug: str, page_slug: str) -> HttpResponse:
    ref = _space(request, scope, slug)
    current = _page(request, ref, page_slug)
    on = request.POST.get("protected") == "1"
    services.set_protected(request.user, ref, current, on)
    ok = "Protected: only curators may edit it now." if on else "Anyone who edits may edit it."
    return action_result(request, None, ok, ref.url("page", current.slug))


@login_required
@require_POST
@service_errors
def watch(request: AuthedHttpRequest, scope: str, slug: str, page_slug: str) -> HttpResponse:
    """Watch (``watch=1``) or stop watching; under htmx only the button is re-rendered."""
    ref = _space(request, scope, slug)
    current = _page(request, ref, page_slug)
    on = services.watch(request.user, ref, current, request.POST.get("watch") == "1")
    if getattr(request, "htmx", False):
        context = _base(request, ref)
        context.update(page=current, watching=on)
        return render_page(request, "wiki/page.html", context, block="watch")
    ok = "You will be told about every edit." if on else "You no longer watch this page."
    return action_result(request, None, ok, ref.url("page", current.slug))


# --- Promotion from Q&A -------------------------------------------------------------------------


@login_required
@service_errors
def promote(request: AuthedHttpRequest, scope: str, slug: str, post_id: int) -> HttpResponse:
    """Promote a question (with its best answers) or one answer (``?answer=``) to a page."""
    from practica.qa.models import Answer, Post

    ref = _space(request, scope, slug)
    assert ref.community is not None
    if post_id > selectors.DB_INT_MAX:
        raise NotFound("No such question.")
    post = (
        Post.objects.filter(pk=post_id, community=ref.community, deleted_at__isnull=True)
        .select_related("community", "author")
        .first()
    )
    if post is None:
        raise NotFound("No such question.")
    access.require(
        promotion.may_promote(request.user, post),
        "Promoting to the wiki needs more standing in this community.",
    )
    source = request.POST if request.method == "POST" else request.GET
    raw = source.get("answer", "")
    answer = None
    if raw:
        answer = Answer.objects.filter(
            pk=int(raw) if raw.isdigit() and int(raw) <= selectors.DB_INT_MAX else 0,
            post=post, deleted_at__isnull=True,
        ).select_related("author").first()  # fmt: skip
        if answer is None:
            raise NotFound("No such answer to this question.")
    form = PromoteForm(request.POST or None, initial={"title": post.title, "answer": raw})
    if request.method == "POST" and form.is_valid():
        try:
            saved = promotion.promote(
                request.user, post, answer=answer,
                title=form.cleaned_data["title"], slug=form.cleaned_data["slug"] or None,
            )  # fmt: skip
        except OUTCOME_ERRORS as exc:
            form_errors(form, exc)
        else:
            messages.success(request, "Promoted: the page is in the wiki, crediting the authors.")
            return redirect(ref.url("page", saved.page.slug))
    answers = [answer] if answer is not None else promotion.best_answers(post)
    context = _base(request, ref)
    context.update(
        form=form, post=post, answers=answers, whole=answer is None,
        preview=promotion.compose(post, answers, whole=answer is None),
        question_url=promotion.question_url(post),
    )  # fmt: skip
    return render(request, "wiki/promote.html", context)
