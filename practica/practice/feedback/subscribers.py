"""Start a new community's rhythms: its first trust pulse on the cadence and the weekly health
summary (due-dated jobs; both reschedule themselves)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from practica.practice.feedback import health, trust
from practica.realtime.bus import Event, subscribe
from practica.scheduling.services import schedule


@subscribe("communities.community_created")
def start_rhythms(event: Event) -> None:
    community_id = int(event.payload["community_id"])
    now = timezone.now()
    cadence = trust.TrustSettings.objects.filter(community_id=community_id).first()
    days = cadence.cadence_days if cadence else 42
    schedule(
        trust.JOB_OPEN,
        f"{trust.JOB_OPEN}:{community_id}",
        now + timedelta(days=days),
        community_id=community_id,
    )
    schedule(
        health.JOB_WEEKLY,
        f"{health.JOB_WEEKLY}:{community_id}",
        now + timedelta(days=7),
        community_id=community_id,
    )
