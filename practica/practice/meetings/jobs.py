"""Due-dated work for meetings (run by ``practica serve``'s scheduler; see practica.scheduling).

- ``meetings.materialize`` (daily, per series): keep the next meetings scheduled and planned.
- ``meetings.opener_reminder`` (7 days and 1 day before, per meeting and opener): notify.
- ``meetings.occurrence_ended`` (at a meeting's end): carry its open action items onward.

Every handler is idempotent: running one twice changes nothing the second time.
"""

from __future__ import annotations

from typing import Any

from practica.practice.meetings import services
from practica.practice.meetings.models import Series
from practica.scheduling.services import handler


@handler("meetings.materialize")
def materialize(payload: dict[str, Any]) -> None:
    series = Series.objects.select_related("community").filter(pk=payload["series_id"]).first()
    if series is not None:
        services.top_up(series)


@handler("meetings.opener_reminder")
def opener_reminder(payload: dict[str, Any]) -> None:
    services.send_opener_reminder(payload["occurrence_id"], payload["user_id"], payload["days"])


@handler("meetings.occurrence_ended")
def occurrence_ended(payload: dict[str, Any]) -> None:
    services.occurrence_ended(payload["occurrence_id"])
