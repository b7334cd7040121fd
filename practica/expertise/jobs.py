"""Due-dated work for routing (run by ``practica.scheduling``): each handler unpacks its
payload and calls the idempotent service."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from practica.expertise import services
from practica.scheduling.services import handler


@handler(services.JOB_REROUTE)
def reroute(payload: dict[str, Any]) -> None:
    due = payload.get("check_at")
    services.reroute_job(
        int(payload["post_id"]),
        int(payload.get("round", 1)),
        datetime.fromisoformat(due) if due else None,
    )
