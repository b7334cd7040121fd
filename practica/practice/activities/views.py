"""The activity library pages (the activities helper fills these in)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from practica.lib.pagination import paginate
from practica.lib.typing import AuthedHttpRequest
from practica.practice.activities.models import Activity


@login_required
def library(request: AuthedHttpRequest) -> HttpResponse:
    activities = Activity.objects.filter(community__isnull=True)
    return render(request, "activities/library.html", {"page": paginate(request, activities)})
