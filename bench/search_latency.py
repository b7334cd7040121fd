"""Search latency in-process (no HTTP): ``query.search`` for the benchmark's queries as the
signed-in bench member (5 communities) and as a signed-out visitor (every public community),
each repeated (``BENCH_SEARCH_REPEAT``, 5); prints p50/p95/max per group, the slowest three
samples, and with ``BENCH_SEARCH_DETAIL=1`` each query's median. Run by bench/run.py against
DATABASE_URL."""

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
DETAIL = os.environ.get("BENCH_SEARCH_DETAIL", "") == "1"  # also each query's median


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
        for q, slug in SCOPED:
            search(user, q, filters=Filters(community_id=scope[slug]))
        samples: list[float] = []
        worst: list[tuple[float, str]] = []
        per_query: dict[str, list[float]] = {}
        for _ in range(REPEAT):
            for q in SEARCHES:
                ms = timed(user, q)
                samples.append(ms)
                worst.append((ms, q))
                per_query.setdefault(q, []).append(ms)
            for q, slug in SCOPED:
                ms = timed(user, q, Filters(community_id=scope[slug]))
                samples.append(ms)
                worst.append((ms, f"{q} in {slug}"))
                per_query.setdefault(f"{q} in {slug}", []).append(ms)
        print(summary(label, samples))
        slowest = sorted(worst, reverse=True)[:3]
        print("  slowest: " + ", ".join(f"{q} {ms:.0f} ms" for ms, q in slowest))
        if DETAIL:
            for q, times in per_query.items():
                print(f"    {q:32} median {statistics.median(times):6.1f} ms")


if __name__ == "__main__":
    main()
