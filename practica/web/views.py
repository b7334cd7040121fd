"""The home page, health check and error pages."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from practica.communities import selectors
from practica.lib.pagination import paginate


def home(request: HttpRequest) -> HttpResponse:
    """Signed in: your communities, invitations, and communities you could join.
    Signed out: what Practica is, and the public communities."""
    if not request.user.is_authenticated:
        public = paginate(request, selectors.communities_for_listing(None), per_page=12)
        return render(request, "web/landing.html", {"page": public})
    user = request.user
    mine = list(selectors.my_communities(user)[:50])
    discover = selectors.communities_for_listing(request.user).exclude(pk__in=[c.pk for c in mine])
    return render(
        request,
        "web/home.html",
        {
            "mine": mine,
            "discover": paginate(request, discover, per_page=12),
            "invitations": list(selectors.pending_invitations_for(user)[:20]),
        },
    )


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 with the database's status when it answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        database = "ok"
    except Exception as exc:  # any failure means unhealthy; the reason goes in the body
        return JsonResponse(
            {"status": "error", "database": f"error: {exc.__class__.__name__}"}, status=503
        )
    return JsonResponse({"status": "ok", "database": database, "vendor": connection.vendor})


def _error(request: HttpRequest, status: int, title: str, exception: Any = None) -> HttpResponse:
    message = ""
    if exception is not None and exception.args and isinstance(exception.args[0], str):
        message = exception.args[0]
    return render(request, "error.html", {"title": title, "message": message}, status=status)


def not_found(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _error(request, 404, "Not found", exception)


def forbidden(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _error(request, 403, "Not allowed", exception)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(
        request, "error.html", {"title": "Something went wrong", "message": ""}, status=500
    )
