"""Glue between services and HTML views: errors become 404/403 pages or form messages."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

from practica.lib.errors import Conflict, Forbidden, Invalid, NotFound, PracticaError

F = TypeVar("F", bound=Callable[..., HttpResponse])

# Errors a view shows to the person as a message or a form error. Forbidden is not among them:
# it propagates to ``service_errors`` and becomes a 403 page, so a denied action is never a 302.
OUTCOME_ERRORS = (Conflict, Invalid, NotFound)


def service_errors(view: F) -> F:
    """Turn NotFound into 404 (or a login redirect for signed-out visitors, which leaks
    nothing about existence) and Forbidden into 403 with the service's message."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            raise Http404(exc.detail) from exc
        except Forbidden as exc:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            raise PermissionDenied(exc.detail) from exc

    return wrapper  # type: ignore[return-value]


def form_errors(form: forms.Form, exc: PracticaError) -> None:
    """Attach a service error to the form: per-field for Invalid, non-field otherwise."""
    if isinstance(exc, Invalid):
        for field, message in exc.errors.items():
            form.add_error(field if field in form.fields else None, message)
    elif exc.code == "slug_taken" and "slug" in form.fields:
        form.add_error("slug", exc.detail)
    else:
        form.add_error(None, exc.detail)


def submit_form(
    request: HttpRequest,
    form: forms.Form,
    write: Callable[[dict[str, Any]], object],
    *,
    success: str,
    to: str,
) -> HttpResponse | None:
    """The POST half of a form page. When the request is a POST and the form is valid, call
    ``write(form.cleaned_data)`` (a service); on success flash ``success`` and return a redirect
    to ``to``. Otherwise (GET, invalid form, or a service error, which is attached to the form)
    return None: the caller renders the page with the form and its errors."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        write(form.cleaned_data)
    except OUTCOME_ERRORS as exc:
        form_errors(form, exc)
        return None
    messages.success(request, success)
    return HttpResponseRedirect(to)


def back(request: HttpRequest, fallback: str) -> HttpResponseRedirect:
    """Redirect to the safe ``next`` parameter, else to ``fallback``."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return HttpResponseRedirect(target)
    return HttpResponseRedirect(fallback)


def action_result(
    request: HttpRequest, exc: PracticaError | None, ok: str, fallback: str
) -> HttpResponse:
    """For one-click POST actions: flash the outcome and go back."""
    if exc is None:
        messages.success(request, ok)
    else:
        messages.error(request, exc.detail)
    return back(request, fallback)


def error_page(request: HttpRequest, status: int, title: str, message: str) -> HttpResponse:
    return render(request, "error.html", {"title": title, "message": message}, status=status)
