"""Due-dated work for feedback rounds, trust pulses and health summaries (idempotent)."""

from __future__ import annotations

from typing import Any

from practica.practice.feedback import health, services, trust
from practica.scheduling.services import handler


@handler(services.JOB_CLOSE)
def close_feedback(payload: dict[str, Any]) -> None:
    services.close_job(int(payload["request_id"]))


@handler(trust.JOB_OPEN)
def open_pulse(payload: dict[str, Any]) -> None:
    trust.cadence_job(int(payload["community_id"]))


@handler(trust.JOB_CLOSE)
def close_pulse(payload: dict[str, Any]) -> None:
    trust.close_job(int(payload["pulse_id"]))


@handler(health.JOB_WEEKLY)
def weekly_health(payload: dict[str, Any]) -> None:
    health.weekly_job(int(payload["community_id"]))
