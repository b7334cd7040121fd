from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from practica.lib.pagination import paginate
from practica.lib.typing import AuthedHttpRequest
from practica.notifications import services
from practica.notifications.models import Notification


@login_required
def inbox(request: AuthedHttpRequest) -> HttpResponse:
    notifications = Notification.objects.filter(recipient=request.user).select_related("actor")
    return render(request, "notifications/inbox.html", {"page": paginate(request, notifications)})


@login_required
@require_POST
def read(request: AuthedHttpRequest) -> HttpResponse:
    raw = request.POST.get("id", "")
    services.mark_read(request.user, int(raw) if raw.isdigit() else None)
    return HttpResponseRedirect(reverse("notifications:inbox"))
