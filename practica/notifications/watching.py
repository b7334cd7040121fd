"""Watching: questions, wiki pages, tags, channels, communities — any model instance.

    from practica.notifications.watching import watch, watchers, level_for
    watch(user, post, Level.WATCHING)      # or "watching" / "normal" / "muted"
    watchers(post)                         # users WATCHING it (one query)

*Watching* tells the person about all activity on the target (``subscribers.py``); *normal* is
the default (told only when it involves them, by the app that involves them); *muted* hides
every notification whose link points into the target. The Watch row is keyed by
(user, ``app_label.model``, id). Pages and the API reach targets through ``resolve_target``,
which answers "may this person see it" through the access gate.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Model, QuerySet

from practica.communities import access
from practica.lib.errors import Invalid, NotFound
from practica.lib.prepared import first_value
from practica.notifications.models import Level, Watch

if TYPE_CHECKING:
    from practica.accounts.models import User


LEVEL_CHOICES = tuple(Level.choices)  # built once: the enum walk cost ~50 us a page


def control_context(target: str, level: str) -> dict[str, Any]:
    """What ``notifications/_watch.html`` shows for ``target`` ("qa.post:12") at ``level``."""
    dom_id = target.replace(":", "-").replace(".", "-")
    return {"target": target, "dom_id": dom_id, "level": level, "levels": LEVEL_CHOICES}


def target_type(obj: Model) -> str:
    return str(obj._meta.label_lower)


def _url_of(obj: Model) -> str:
    """The target's page: a registered url function, else ``get_absolute_url``, else ""."""
    url_for = _urls.get(target_type(obj))
    if url_for is not None:
        return url_for(obj)[:300]
    get_url = getattr(obj, "get_absolute_url", None)
    return str(get_url())[:300] if callable(get_url) else ""


def watch(user: User, obj: Model, level: str, *, url: str = "") -> Watch | None:
    """Set ``user``'s level on ``obj`` (``normal`` removes the row: it is the default).
    ``url`` is the target's page (defaults to ``obj.get_absolute_url()``): muting hides
    notifications that link under it."""
    if level not in Level.values:
        raise Invalid({"level": f"Choose one of: {', '.join(Level.values)}."})
    key = {"user_id": user.pk, "target_type": target_type(obj), "target_id": obj.pk}
    with transaction.atomic():
        if level == Level.NORMAL:
            Watch.objects.filter(**key).delete()
            return None
        row, _ = Watch.objects.update_or_create(
            **key, defaults={"level": level, "url": url or _url_of(obj)}
        )
    return row


def level_for(user: User, obj: Model) -> str:
    """The person's watch level on ``obj`` (one plain-SQL read: shown on every question page)."""
    where = {"user_id": user.pk, "target_type": target_type(obj), "target_id": obj.pk}
    return str(first_value(Watch, "level", where) or Level.NORMAL)


def watchers(obj: Model, level: str = Level.WATCHING) -> QuerySet[Any]:
    """The people with ``level`` on ``obj`` (a User queryset; filter it further as needed)."""
    from practica.accounts.models import User

    ids = Watch.objects.filter(target_type=target_type(obj), target_id=obj.pk, level=level)
    return User.objects.filter(pk__in=ids.values("user_id"), is_active=True)


def watchers_of_any(targets: Iterable[tuple[str, int]]) -> set[int]:
    """User ids WATCHING any of (type, id) — one query for several targets (tags of a post)."""
    from django.db.models import Q

    q = Q()
    for kind, pk in targets:
        q |= Q(target_type=kind, target_id=pk)
    if not q:
        return set()
    rows = Watch.objects.filter(q, level=Level.WATCHING).values_list("user_id", flat=True)
    return set(rows)


def is_muted_url(user: User, url: str) -> bool:
    """Whether ``url`` points into something ``user`` muted (one indexed query)."""
    muted = Watch.objects.filter(user_id=user.pk, level=Level.MUTED).exclude(url="")
    return any(url.startswith(prefix) for prefix in muted.values_list("url", flat=True))


# --- Targets the pages may name ("qa.post:12") -------------------------------------------------
Resolver = Callable[["User", int], "tuple[Model, str] | None"]
_targets: dict[str, Resolver] = {}
_urls: dict[str, Callable[[Any], str]] = {}


def register_target(kind: str, resolver: Resolver, url: Callable[[Any], str] | None = None) -> None:
    """``resolver(user, id)`` → (object, its url) if ``user`` may see it, else None; ``url``
    gives the page of an object of this kind when it has no ``get_absolute_url``."""
    _targets[kind] = resolver
    if url is not None:
        _urls[kind] = url


def resolve_target(user: User, raw: str) -> tuple[Model, str]:
    """The object named ``type:id`` if the person may see it; NotFound otherwise (never
    telling whether it exists)."""
    kind, _, pk = raw.partition(":")
    resolver = _targets.get(kind)
    found = resolver(user, int(pk)) if resolver is not None and pk.isdigit() else None
    if found is None:
        raise NotFound("Nothing to watch here.")
    return found


def _community(user: User, pk: int) -> tuple[Model, str] | None:
    from practica.communities.models import Community

    community = Community.objects.select_related("organization").filter(pk=pk).first()
    if community is None or not access.can_view_community(user, community):
        return None
    return community, _community_url(community)


def _community_url(community: Any) -> str:
    from django.urls import reverse

    return reverse("communities:home", args=[community.slug])


def _post(user: User, pk: int) -> tuple[Model, str] | None:
    from practica.qa.models import Post

    post = Post.objects.select_related("community__organization").filter(pk=pk).first()
    if post is None or post.deleted_at or not access.can_view_community(user, post.community):
        return None
    return post, post_url(post)


def post_url(post: Any) -> str:
    """A question's page (Q&A's ``get_absolute_url`` when it has one)."""
    get_url = getattr(post, "get_absolute_url", None)
    return str(get_url()) if callable(get_url) else f"/c/{post.community.slug}/questions/{post.pk}/"


def _tag(user: User, pk: int) -> tuple[Model, str] | None:
    from practica.tags.models import Tag

    tag = Tag.objects.select_related("community__organization").filter(pk=pk).first()
    if tag is None or not access.can_view_community(user, tag.community):
        return None
    return tag, _url_of(tag)


def _page(user: User, pk: int) -> tuple[Model, str] | None:
    from practica.wiki.models import Page

    page = (
        Page.objects.select_related("space__community__organization", "space__organization")
        .filter(pk=pk, deleted_at__isnull=True)
        .first()
    )
    if page is None:
        return None
    space = page.space
    if space.community is not None and access.can_view_community(user, space.community):
        return page, _url_of(page)
    if space.organization is not None and access.can_view_org(user, space.organization):
        return page, _url_of(page)
    return None


register_target("communities.community", _community, url=_community_url)
register_target("qa.post", _post, url=post_url)
register_target("tags.tag", _tag)
register_target("wiki.page", _page)
