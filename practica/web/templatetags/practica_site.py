"""The site header for the pages rendered by Django's template language (allauth's account
pages): ``{% load practica_site %}{% site_header %}`` renders the very header the Jinja pages
show (``practica/jinja2/_site_header.html``), so there is one header to keep."""

from __future__ import annotations

from typing import Any

from django import template
from django.middleware.csrf import get_token
from django.template import engines
from markupsafe import Markup

from practica.web.jinja import csrf_input, render_site_header

register = template.Library()


@register.simple_tag(takes_context=True)
def site_header(context: Any) -> Markup:
    request = context["request"]
    environment = engines["jinja2"].env  # type: ignore[attr-defined]
    return render_site_header(environment, request, csrf_input(get_token(request)))
