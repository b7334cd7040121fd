"""Due-dated work for norms, run by ``practica.scheduling`` (``practica serve`` runs it).

Each handler only unpacks its payload and calls the service that does the work; every one is
idempotent (see the services' docstrings), as ``scheduling`` requires.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from practica.practice.norms import services
from practica.scheduling.services import handler


@handler(services.JOB_CLOSE)
def close_proposal(payload: dict[str, Any]) -> None:
    services.close_job(int(payload["proposal_id"]))


@handler(services.JOB_REMIND)
def remind_proposal(payload: dict[str, Any]) -> None:
    services.remind_job(int(payload["proposal_id"]))


@handler(services.JOB_REVISIT)
def open_revisit(payload: dict[str, Any]) -> None:
    services.open_revisit_job(
        int(payload["community_id"]), date.fromisoformat(payload["scheduled_for"])
    )


@handler(services.JOB_REVISIT_CLOSE)
def close_revisit(payload: dict[str, Any]) -> None:
    services.close_revisit_job(int(payload["round_id"]))


@handler(services.JOB_REVISIT_REMIND)
def remind_revisit(payload: dict[str, Any]) -> None:
    services.remind_revisit_job(int(payload["round_id"]))
