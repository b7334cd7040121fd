from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from practica.lib.errors import Invalid, NotFound
from practica.lib.htmx import render_page
from practica.lib.pagination import paginate
from practica.lib.typing import AuthedHttpRequest
from practica.notifications import delivery, kinds, services, watching
from practica.notifications.models import EmailFrequency

FILTERS = {"all": "All", "unread": "Unread", "read": "Read"}


@login_required
def inbox(request: AuthedHttpRequest) -> HttpResponse:
    shown = request.GET.get("show", "all")
    shown = shown if shown in FILTERS else "all"
    notifications = services.visible_to(request.user).select_related("actor")
    if shown == "unread":
        notifications = notifications.filter(read_at__isnull=True)
    elif shown == "read":
        notifications = notifications.filter(read_at__isnull=False)
    context = {"page": paginate(request, notifications), "shown": shown, "filters": FILTERS}
    return render(request, "notifications/inbox.html", context)


@login_required
@require_POST
def read(request: AuthedHttpRequest) -> HttpResponse:
    raw = request.POST.get("id", "")
    services.mark_read(request.user, int(raw) if raw.isdigit() else None)
    return HttpResponseRedirect(reverse("notifications:inbox"))


@login_required
def bell(request: AuthedHttpRequest) -> HttpResponse:
    """The header's unread count alone (live.js re-fetches it on notifications events)."""
    return render(request, "notifications/_bell.html", {})


def _quiet_until(raw: str, now: datetime) -> datetime | None:
    if raw in services.QUIET_CHOICES:
        delta = services.QUIET_CHOICES[raw]
        return None if delta is None else now + delta
    raise Invalid({"quiet_until": "Choose one of the pauses offered."})


@login_required
@require_http_methods(["GET", "POST"])
def settings_page(request: AuthedHttpRequest) -> HttpResponse:
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            if "quiet" in request.POST:
                services.set_quiet(
                    request.user, _quiet_until(request.POST["quiet"], timezone.now())
                )
            else:
                choices = {
                    k.key: request.POST[f"email-{k.key}"]
                    for k in kinds.CATALOGUE
                    if f"email-{k.key}" in request.POST
                }
                services.update_email_choices(request.user, choices)
            return HttpResponseRedirect(reverse("notifications:settings") + "?saved=1")
        except Invalid as exc:
            errors = exc.errors
    prefs = services.settings_for(request.user)
    rows = [(k, services.email_choice(prefs, k.key)) for k in kinds.CATALOGUE]
    context: dict[str, Any] = {
        "rows": rows,
        "frequencies": EmailFrequency.choices,
        "prefs": prefs,
        "quiet": prefs.is_quiet(),
        "errors": errors,
        "saved": request.GET.get("saved") == "1",
    }
    return render(request, "notifications/settings.html", context, status=422 if errors else 200)


@csrf_exempt  # mail clients POST here without a CSRF token (RFC 8058); the signed token is the key
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """One-click unsubscribe: works signed out, and only ever for the token's own person.
    GET shows a confirmation (link scanners must not unsubscribe anyone); POST applies it."""
    from practica.accounts.models import User

    try:
        user_id, kind = delivery.read_unsubscribe_token(token)
    except signing.BadSignature:
        return render(request, "notifications/unsubscribe.html", {"bad": True}, status=400)
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        return render(request, "notifications/unsubscribe.html", {"bad": True}, status=400)
    label = kinds.resolve(kind).label if kind else None
    done = request.method == "POST"
    if done:
        services.unsubscribe(user, kind)
    context = {"bad": False, "done": done, "label": label, "email": user.email, "token": token}
    return render(request, "notifications/unsubscribe.html", context)


@login_required
@require_POST
def watch(request: AuthedHttpRequest) -> HttpResponse:
    """Set the watch level on ``target`` ("qa.post:12"); back to ``next`` (or the target)."""
    target = request.POST.get("target", "")
    level = request.POST.get("level", "")
    try:
        obj, url = watching.resolve_target(request.user, target)
    except NotFound:
        return render(
            request,
            "error.html",
            {"title": "Not found", "message": "Nothing to watch here."},
            status=404,
        )
    try:
        watching.watch(request.user, obj, level, url=url)
    except Invalid as exc:
        return HttpResponse(exc.errors["level"], status=422, content_type="text/plain")
    context = watching.control_context(target, watching.level_for(request.user, obj))
    if getattr(request, "htmx", False):
        return render_page(request, "notifications/_watch.html", context)
    back = request.POST.get("next", "") or url or "/"
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}):
        back = url or "/"
    return HttpResponseRedirect(back)
