"""One template per page; HTMX requests get just the named block of the same template."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template import engines
from django.template.backends.utils import csrf_input
from jinja2_fragments import render_block
from markupsafe import Markup


def render_page(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    *,
    block: str | None = None,
    status: int = 200,
) -> HttpResponse:
    """Render ``template``; when the request comes from htmx and ``block`` is given, render only
    that block (the partial the page already contains), so there is one source of markup."""
    if block and getattr(request, "htmx", False):
        env = engines["jinja2"].env  # type: ignore[attr-defined]
        full = {
            "request": request,
            "user": request.user,
            "csrf_input": Markup(csrf_input(request)),  # noqa: S704 (Django builds it escaped)
            "csrf_token": get_token(request),
            **context,
        }
        return HttpResponse(render_block(env, template, block, full), status=status)
    return render(request, template, context, status=status)
