"""The JSON API v1 (``api``), mounted at /api/v1/ by ``practica.urls``; see docs/api.md.

Ninja handles errors raised inside operations (``practica.api.errors``). A few answers come from
outside them: an unknown path, a known path with the wrong method, the API root. Django would
answer those with an HTML page or plain text, so :class:`PracticaAPI` wraps its URL patterns
to answer JSON there too.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.urls import URLPattern, URLResolver, re_path
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI
from ninja.operation import Operation

from practica.api import errors
from practica.api.routers import (
    activities,
    coaching,
    communities,
    consultancy,
    expertise,
    feedback,
    meetings,
    norms,
    people,
    qa,
    recognition,
    resources,
    search,
    tokens,
    wiki,
)

DESCRIPTION = """
The Practica JSON API. Authenticate with `Authorization: Bearer <token>` (get one from
`POST /api/v1/auth/token`) or, from the browser, with your session (unsafe methods then need
the `X-CSRFToken` header). Errors are always `{"detail", "code"}`; lists are
`{"items", "count", "page", "page_size"}` with `?page=` and `?page_size=` (at most 100).
"""


def _json_errors(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Answer JSON where Django or ninja would answer outside the API's exception handlers."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            response = view(request, *args, **kwargs)
        except Http404:
            return errors.error_response(404, "Not found.", "not_found")
        if response.status_code == 405 and "json" not in response.get("Content-Type", ""):
            allowed = response.get("Allow", "")
            json_response = errors.error_response(
                405,
                f"Method {request.method} is not allowed here (allowed: {allowed}).",
                "method_not_allowed",
            )
            json_response["Allow"] = allowed
            return json_response
        return response

    return wrapper


@csrf_exempt
def _unknown_path(request: HttpRequest, rest: str = "") -> HttpResponse:
    return errors.error_response(404, "No such API endpoint; see /api/v1/docs.", "not_found")


class PracticaAPI(NinjaAPI):
    """NinjaAPI whose every URL answers JSON, including unknown paths under the API."""

    @property
    def urls(self) -> tuple[list[URLResolver | URLPattern], str, str]:
        patterns, app_name, namespace = super().urls
        for pattern in patterns:
            if isinstance(pattern, URLPattern):
                pattern.callback = _json_errors(pattern.callback)
        patterns.append(re_path(r"^(?P<rest>[\s\S]*)$", _unknown_path))
        return patterns, app_name, namespace

    def get_openapi_operation_id(self, operation: Operation) -> str:
        # "list_communities" rather than "practica_api_routers_communities_list_communities":
        # generated clients name their methods after these.
        return operation.view_func.__name__


api = PracticaAPI(
    title="Practica API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
)
errors.install(api)
api.add_router("", tokens.router)
api.add_router("", people.router)
api.add_router("", communities.router)
api.add_router("", norms.router)
api.add_router("", meetings.router)
api.add_router("", activities.router)
api.add_router("", qa.router)
api.add_router("", expertise.router)
api.add_router("", search.router)
api.add_router("", wiki.router)
api.add_router("", recognition.router)
api.add_router("", resources.router)
api.add_router("", consultancy.router)
api.add_router("", feedback.router)
api.add_router("", coaching.router)
