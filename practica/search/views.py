"""The search page, ``/search/?q=&community=&type=&tag=``: one box over all the viewer may see.

Works without JavaScript (a GET form); with htmx, typing updates the results block in place.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse

from practica.lib.errors import Invalid
from practica.lib.htmx import render_page
from practica.lib.views import service_errors
from practica.search import query
from practica.search.registry import types


def _page_number(raw: str | None) -> int:
    try:
        return max(1, min(int(raw or "1"), query.PAGE_MAX))
    except ValueError:
        return 1


@service_errors
def search(request: HttpRequest) -> HttpResponse:
    params = {
        k: request.GET.get(k, "")[: query.QUERY_MAX] for k in ("q", "community", "type", "tag")
    }
    context: dict[str, Any] = {
        "params": params,
        "types": sorted(types().values(), key=lambda t: t.label or t.name),
        "results": None,
        "scope": None,
        "errors": {},
    }
    try:
        results, scope = query.search_for(
            request.user,
            params["q"],
            community=params["community"],
            type=params["type"],
            tag=params["tag"],
            page=_page_number(request.GET.get("page")),
        )
    except Invalid as exc:
        context["errors"] = exc.errors
    else:
        context.update(results=results, scope=scope)
    return render_page(request, "search/search.html", context, block="results")
