"""Due-dated work for consultancy, run by ``practica.scheduling``: asking the presenter for the
follow-up. The handler only unpacks its payload; the service is idempotent."""

from __future__ import annotations

from typing import Any

from practica.practice.consultancy import services
from practica.scheduling.services import handler


@handler(services.JOB_FOLLOWUP)
def request_followup(payload: dict[str, Any]) -> None:
    services.request_followup_job(int(payload["session_id"]))
