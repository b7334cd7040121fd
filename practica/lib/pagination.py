"""Every list is paginated; this is the one way pages and the API do it."""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

T = TypeVar("T")

DEFAULT_PAGE_SIZE = 25
MAX_PAGE_SIZE = 100


def paginate(
    request: HttpRequest, queryset: QuerySet[Any], per_page: int = DEFAULT_PAGE_SIZE
) -> Page[Any]:
    """The requested page (``?page=``); out-of-range or junk page numbers give the nearest."""
    paginator = Paginator(queryset, per_page)
    number = request.GET.get("page", "1")
    try:
        return paginator.page(number)
    except PageNotAnInteger:
        return paginator.page(1)
    except EmptyPage:
        return paginator.page(paginator.num_pages)
