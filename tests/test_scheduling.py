"""Due-dated work: scheduled once per key, claimed by one runner, retried after a failure."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from practica.scheduling import services
from practica.scheduling.models import DueJob

RAN: list[dict[str, Any]] = []


@services.handler("test.remember")
def _remember(payload: dict[str, Any]) -> None:
    if payload.get("fail"):
        raise RuntimeError("boom")
    RAN.append(payload)


@pytest.fixture(autouse=True)
def _clear() -> None:
    RAN.clear()


@pytest.fixture(autouse=True)
def _only_our_jobs(db: None) -> None:
    """Start from an empty schedule: other features keep recurring work (digests, backfills)
    scheduled, and these tests count what runs."""
    DueJob.objects.all().delete()


def test_runs_when_due_and_only_once(db: None) -> None:
    now = timezone.now()
    services.schedule("test.remember", "k1", now + timedelta(hours=1), n=1)
    assert services.run_due(now) == 0
    assert services.run_due(now + timedelta(hours=2)) == 1
    assert services.run_due(now + timedelta(hours=3)) == 0
    assert RAN == [{"n": 1}]
    assert DueJob.objects.get(key="k1").done_at is not None


def test_scheduling_the_same_key_moves_it(db: None) -> None:
    now = timezone.now()
    services.schedule("test.remember", "k2", now + timedelta(days=1), n=1)
    services.schedule("test.remember", "k2", now + timedelta(days=3), n=2)
    assert DueJob.objects.filter(key="k2").count() == 1
    assert services.run_due(now + timedelta(days=2)) == 0
    assert services.run_due(now + timedelta(days=4)) == 1
    assert RAN == [{"n": 2}]


def test_a_claimed_job_is_not_run_twice(db: None) -> None:
    now = timezone.now()
    job = services.schedule("test.remember", "k3", now, n=3)
    assert services._claim(job, now)
    assert not services._claim(job, now)  # a second runner loses the race
    assert services.run_due(now + timedelta(minutes=1)) == 0  # claimed, not yet timed out
    assert services.run_due(now + services.CLAIM_TIMEOUT + timedelta(minutes=1)) == 1


def test_failures_are_retried_then_given_up(db: None) -> None:
    now = timezone.now()
    services.schedule("test.remember", "k4", now, fail=True)
    for minute in range(services.MAX_ATTEMPTS + 2):
        services.run_due(now + timedelta(minutes=minute))
    job = DueJob.objects.get(key="k4")
    assert job.done_at is None
    assert job.attempts == services.MAX_ATTEMPTS
    assert "boom" in job.last_error


def test_cancel(db: None) -> None:
    services.schedule("test.remember", "k5", timezone.now())
    assert services.cancel("k5")
    assert not services.cancel("k5")
    assert services.run_due() == 0
