"""Search latency in-process (no HTTP): ``query.search`` for the benchmark's queries as the
signed-in bench member (5 communities) and as a signed-out visitor (every public community),
each repeated; prints p50/p95/max per group. Run by bench/run.py against DATABASE_URL."""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "practica.settings")

import django

django.setup()

from django.contrib.auth.models import AnonymousUser  # noqa: E402
from run import SCOPED, SEARCHES  # noqa: E402

from practica.accounts.models import User  # noqa: E402
from practica.communities.models import Community  # noqa: E402
from practica.search.query import Filters, search  # noqa: E402

REPEAT = int(os.environ.get("BENCH_SEARCH_REPEAT", "5"))


def timed(user: object, q: str, filters: Filters | None = None) -> float:
    started = time.perf_counter()
    search(user, q, filters=filters)
    return (time.perf_counter() - started) * 1000


def summary(label: str, samples: list[float]) -> str:
    samples.sort()
    p95 = samples[max(0, int(len(samples) * 0.95) - 1)]
    return (
        f"{label:34} n={len(samples):<4} p50 {statistics.median(samples):6.1f} ms  "
        f"p95 {p95:6.1f} ms  max {samples[-1]:6.1f} ms"
    )


def main() -> None:
    member = User.objects.get(email="member0@bench.test")
    scope = {slug: Community.objects.get(slug=slug).pk for _, slug in SCOPED}
    for user, label in ((member, "member of 5 communities"), (AnonymousUser(), "signed out")):
        for q in SEARCHES:  # warm the caches once
            search(user, q)
        samples: list[float] = []
        worst: list[tuple[float, str]] = []
        for _ in range(REPEAT):
            for q in SEARCHES:
                ms = timed(user, q)
                samples.append(ms)
                worst.append((ms, q))
            for q, slug in SCOPED:
                samples.append(timed(user, q, Filters(community_id=scope[slug])))
        print(summary(label, samples))
        slowest = sorted(worst, reverse=True)[:3]
        print("  slowest: " + ", ".join(f"{q} {ms:.0f} ms" for ms, q in slowest))


if __name__ == "__main__":
    main()
