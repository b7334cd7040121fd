"""The Jinja2 environment for our pages: Django's url/static, messages, and small filters."""

from __future__ import annotations

from collections import ChainMap
from collections.abc import Callable, KeysView, MutableMapping
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.templatetags.static import static
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.timesince import timesince
from jinja2 import Environment, pass_context
from markupsafe import Markup, escape

from practica.communities.tabs import community_tabs
from practica.lib.remembered import Remembered


@pass_context
def url(context: Any, name: str, *args: Any, **kwargs: Any) -> str:
    """``reverse`` for templates, remembered per process: a page calls it ~20-50 times (nav,
    tabs, forms) and reversing costs ~25 us each, a tenth of a fast page's CPU. The answer
    depends only on the arguments, the URLconf and the script prefix, which are all in the key
    (read once per request: ``_url_base``)."""
    try:
        key = (*_url_base(context), name, args, tuple(sorted(kwargs.items())) if kwargs else ())
        hash(key)
    except TypeError:  # an unhashable argument: reverse it every time
        return reverse(name, args=args or None, kwargs=kwargs or None)
    return _reversed(key)


@lru_cache(maxsize=16384)
def _reversed(key: tuple[Any, ...]) -> str:
    _prefix, _urlconf, name, args, kwargs = key
    return reverse(name, args=args or None, kwargs=dict(kwargs) or None)


@lru_cache(maxsize=1024)
def _static(path: str) -> str:
    """``static`` remembered per process: the base template links ~13 assets on every page, and
    their URLs change only with a new collectstatic (a deploy, which restarts the workers)."""
    return static(path)


class _Remembered:
    """Rendered HTML kept per process under a key that holds every input of the rendering (so
    it can never be stale), the least recently used dropped beyond ``size`` entries."""

    def __init__(self, size: int = 4096) -> None:
        self._html: Remembered[Markup] = Remembered(size)

    def get_or_render(self, key: tuple[Any, ...], render: Callable[[], str]) -> Markup:
        return self._html.get_or_make(key, lambda: Markup(render()))  # noqa: S704 (autoescaped)


_community_headers = _Remembered()
_site_headers = _Remembered()
_community_cards = _Remembered()


def _url_base(context: Any) -> tuple[str, Any]:
    """The script prefix and URLconf the page's links are reversed against, read once per
    request (each read goes through asgiref's ``Local``, ~8 us) and kept on it: they cannot
    change while a view renders its response."""
    request = context.get("request")
    base = getattr(request, "_practica_url_base", None)
    if base is None:
        base = (get_script_prefix(), get_urlconf())
        if request is not None:
            request._practica_url_base = base
    return base


@pass_context
def community_header(context: Any) -> Markup:
    """``communities/_header.html``, rendered once per process for each distinct set of the
    values it shows (the community's row fields, its organization's name, the active tab, the
    viewer's steward link and pending-request count) — every community page shows it, and it
    reversed ~15 URLs each time. The key holds every input, so it can never show stale data."""
    community = context["community"]
    org = community.organization
    key = (
        community.pk, community.slug, community.name, community.domain, community.visibility,
        community.join_policy, community.member_count, org.slug, org.name,
        context.get("active"), bool(context.get("can_steward")),
        int(context.get("request_count") or 0), *_url_base(context),
    )  # fmt: skip
    template = context.environment.get_template("communities/_header.html")
    return _community_headers.get_or_render(
        key,
        lambda: template.render(
            community=community,
            active=key[9],
            can_steward=key[10],
            request_count=key[11],
        ),
    )


@pass_context
def community_card(context: Any, c: Any, role: str | None = None) -> Markup:
    """``communities/_card.html`` for community ``c``, remembered per process for each distinct
    set of what it shows (lists show 20 a page; a card cost ~25 us to render). The key holds
    every input, so a rename, a new member or a moved community shows at once."""
    key = (
        c.pk, c.slug, c.name, c.domain, c.visibility, c.member_count, c.organization.name,
        role, *_url_base(context),
    )  # fmt: skip
    template = context.environment.get_template("communities/_card.html")
    return _community_cards.get_or_render(key, lambda: template.render(c=c, role=role))


def csrf_input(token: str) -> Markup:
    """The hidden CSRF field for ``token`` (an f-string: ``Markup.format`` cost ~70 us)."""
    return Markup(f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(token)}">')  # noqa: S704


# The site header's top-level sections, marked aria-current when the page is inside one.
_SECTIONS = ("/c/", "/orgs/", "/activities/", "/notifications/")
_CSRF_SLOT = Markup("<!--csrf-input-->")


@pass_context
def site_header(context: Any) -> Markup:
    """The site header of a Jinja page (see :func:`render_site_header`)."""
    return render_site_header(context.environment, context["request"], context["csrf_input"])


def render_site_header(environment: Environment, request: Any, csrf_input: str) -> Markup:
    """``_site_header.html`` (the brand, the search box, the navigation, the person's menu),
    rendered once per process for each distinct set of what it shows: who is signed in (id,
    name, initials, colour, staff flag), the section the page is in, the unread count, the URL
    base. Its only per-request part, the logout form's CSRF input, is filled in afterwards.
    A search page's header (its box shows the query) is rendered every time. Also called by
    the Django-template pages (allauth's), so every page has the same header."""
    user = request.user
    path = request.path
    section = next((s for s in _SECTIONS if path.startswith(s)), "")
    base = {"request": request}  # what url() and _url_base() read of a context
    search_url = url(base, "search:search")
    query = request.GET.get("q", "") if path == search_url else ""
    signed_in = bool(user.is_authenticated)
    unread = unread_notifications(request) if signed_in else 0
    values = {"section": section, "query": query, "unread": unread, "signed_in": signed_in}
    template = environment.get_template("_site_header.html")

    def render() -> str:
        return template.render(request=request, user=user, csrf_input=_CSRF_SLOT, **values)

    if query:
        html = Markup(render())  # noqa: S704 (an autoescaped template's output)
    else:
        person = (
            (user.pk, user.display_name, user.initials, user.avatar_hue, bool(user.is_staff))
            if signed_in
            else None
        )
        key = (person, section, unread, *_url_base(base))
        html = _site_headers.get_or_render(key, render)
    if not signed_in:
        return html
    # Markup(): the input is trusted HTML; Markup.replace would escape a plain str.
    return html.replace(_CSRF_SLOT, Markup(str(csrf_input)))  # noqa: S704


@receiver(setting_changed)
def _forget_reversed(*, setting: str, **kwargs: Any) -> None:
    """Tests that swap the URLconf must not see URLs reversed against the previous one."""
    if setting == "ROOT_URLCONF":
        _reversed.cache_clear()
    if setting in ("STATIC_URL", "STORAGES"):
        _static.cache_clear()


def avatar(user: Any, size: str = "md") -> Markup:
    """A generated avatar: the person's initials on a colour derived from their e-mail."""
    # Every value escaped here (Markup.format's escaping formatter cost ~70 us a call, and the
    # header shows an avatar on every page).
    return Markup(  # noqa: S704
        f'<span class="avatar avatar-{escape(size)}" style="--hue:{int(user.avatar_hue)}" '
        f'aria-hidden="true">{escape(user.initials)}</span>'
    )


def widget(bound_field: Any, autofocus: bool = False) -> Markup:
    """Render a form field's widget with accessible attributes (help and error wiring)."""
    attrs: dict[str, Any] = {}  # Django adds aria-describedby="<id>_helptext" for help text
    if bound_field.errors:
        attrs["aria-invalid"] = "true"
    if autofocus:
        attrs["autofocus"] = True
    return Markup(bound_field.as_widget(attrs=attrs))  # noqa: S704 (Django escapes widgets)


def unread_notifications(request: Any) -> int:
    """The signed-in person's unread count for the header (one indexed count query)."""
    from practica.notifications.services import unread_count

    user = getattr(request, "user", None)
    return unread_count(user) if user is not None and user.is_authenticated else 0


def ago(value: Any) -> str:
    if not value:
        return ""
    return f"{timesince(value, timezone.now()).split(',')[0]} ago"


def localtime(value: Any, fmt: str = "%b %-d, %Y %H:%M") -> str:
    if not value:
        return ""
    return timezone.localtime(value).strftime(fmt)


def paragraphs(value: str) -> Markup:
    """Plain text with blank-line paragraphs and line breaks, escaped."""
    blocks = [b.strip() for b in str(value or "").split("\n\n") if b.strip()]
    return Markup(  # noqa: S704 (every piece below is escaped or a constant)
        "".join(
            Markup("<p>{}</p>").format(Markup("<br>").join(escape(line) for line in b.splitlines()))
            for b in blocks
        )
    )


class _Globals(ChainMap[str, Any]):
    """A template's globals (Jinja's ``ChainMap`` of its own over the environment's), with
    ``keys()`` a real dict view: on every ``{% import %}``/``{% from ... import %}`` Jinja
    subtracts the imported template's global keys from the importer's, and through
    ``ChainMap``'s pure-Python membership test that cost ~60 us per import (~0.3 ms of the
    question page). The view is a snapshot, which is all a set difference needs."""

    def keys(self) -> KeysView[str]:
        merged: dict[str, Any] = {}
        for mapping in reversed(self.maps):
            merged.update(mapping)
        return merged.keys()


class _Environment(Environment):
    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        """As Jinja's (the template's globals over the environment's, changes to the latter
        still seen), as a :class:`_Globals`."""
        return _Globals({} if d is None else d, self.globals)


def environment(**options: Any) -> Environment:
    env = _Environment(**options)  # autoescape: set in settings.TEMPLATES
    env.globals.update(
        url=url,
        static=_static,
        community_header=community_header,
        community_card=community_card,
        site_header=site_header,
        messages=get_messages,
        avatar=avatar,
        widget=widget,
        unread_notifications=unread_notifications,
        community_tabs=community_tabs,
        site_name=settings.SITE_NAME,
        stream_port=settings.REALTIME_STREAM_PORT,
        debug=settings.DEBUG,
    )
    env.filters.update(ago=ago, localtime=localtime, paragraphs=paragraphs)
    return env
