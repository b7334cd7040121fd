"""Schedule due-dated work and run what is due. See ``models.DueJob`` for the guarantees.

    @handler("norms.revisit")
    def open_revisit(payload: dict) -> None: ...

    schedule("norms.revisit", f"norms.revisit:{community.pk}", due_at, community_id=community.pk)

Handlers must be idempotent (a crash between the work and marking it done reruns it) and
re-schedule the next occurrence themselves if the work recurs.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from practica.scheduling.models import DueJob

logger = logging.getLogger(__name__)
Handler = Callable[[dict[str, Any]], None]
CLAIM_TIMEOUT = timedelta(minutes=10)
MAX_ATTEMPTS = 5
_handlers: dict[str, Handler] = {}


def handler(kind: str) -> Callable[[Handler], Handler]:
    """Register the function that does work of ``kind`` (one per kind)."""

    def register(func: Handler) -> Handler:
        _handlers[kind] = func
        return func

    return register


def schedule(kind: str, key: str, due_at: datetime, **payload: Any) -> DueJob:
    """Make sure ``key`` runs at ``due_at`` (create, or move a pending one). A job already done
    is scheduled afresh, so recurring work can reuse its key."""
    job, _ = DueJob.objects.update_or_create(
        key=key,
        defaults={
            "kind": kind,
            "due_at": due_at,
            "payload": payload,
            "claimed_at": None,
            "done_at": None,
            "attempts": 0,
            "last_error": "",
        },
    )
    return job


def cancel(key: str) -> bool:
    """Drop a pending job; True if there was one."""
    deleted, _ = DueJob.objects.filter(key=key, done_at__isnull=True).delete()
    return bool(deleted)


def run_due(now: datetime | None = None, limit: int = 100) -> int:
    """Run every due job (up to ``limit``); return how many succeeded."""
    now = now or timezone.now()
    due = DueJob.objects.filter(
        Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_TIMEOUT),
        done_at__isnull=True,
        due_at__lte=now,
        attempts__lt=MAX_ATTEMPTS,
    ).order_by("due_at")
    done = 0
    for job in due[:limit]:
        if _claim(job, now) and _run(job, now):
            done += 1
    return done


def _claim(job: DueJob, now: datetime) -> bool:
    """The conditional update is the lock: only one runner sees ``updated == 1``."""
    updated = DueJob.objects.filter(
        pk=job.pk, done_at__isnull=True, claimed_at=job.claimed_at
    ).update(claimed_at=now, attempts=job.attempts + 1)
    return updated == 1


def _run(job: DueJob, now: datetime) -> bool:
    func = _handlers.get(job.kind)
    if func is None:
        DueJob.objects.filter(pk=job.pk).update(last_error=f"no handler for {job.kind}")
        logger.error("no handler for due job %s", job.key)
        return False
    try:
        with transaction.atomic():
            func(job.payload)
            # Only mark done if nobody re-scheduled the key meanwhile (the handler may have).
            DueJob.objects.filter(pk=job.pk, claimed_at=now).update(done_at=timezone.now())
    except Exception as exc:
        logger.exception("due job %s failed", job.key)
        DueJob.objects.filter(pk=job.pk).update(claimed_at=None, last_error=repr(exc)[:2000])
        return False
    return True
