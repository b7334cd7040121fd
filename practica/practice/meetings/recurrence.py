"""Dates of a series and their UTC instants. Pure functions: no database.

A series is "every <weekday> at <local time> in <zone>" (weekly, every 2 weeks, or monthly on
the n-th / last weekday). Each meeting's instant is computed from its local date and the wall
clock, so a 15:30 meeting is at 15:30 local time in winter and in summer alike (its UTC instant
moves by an hour at a daylight-saving change). A local time that does not exist on a
spring-forward day (02:30 in most of the US) is read with the offset before the change,
i.e. it lands one hour later on the wall clock; an ambiguous time (the repeated hour in
autumn) is its first occurrence.
"""

from __future__ import annotations

import calendar
import zoneinfo
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta

WEEKLY = "weekly"
BIWEEKLY = "biweekly"
MONTHLY = "monthly"


def zone(name: str) -> zoneinfo.ZoneInfo:
    """The IANA zone; raises ``ValueError`` with a readable message for an unknown name."""
    try:
        if not name or name != name.strip():
            raise zoneinfo.ZoneInfoNotFoundError(name)
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError, TypeError) as exc:
        raise ValueError(f"'{name}' is not a time zone (use a name like America/Chicago).") from exc


def is_zone(name: str) -> bool:
    try:
        zone(name)
    except ValueError:
        return False
    return True


def instant(day: date, wall: time, zone_name: str) -> datetime:
    """The UTC instant of ``wall`` o'clock on ``day`` in ``zone_name``."""
    local = datetime.combine(day, wall.replace(tzinfo=None, fold=0), tzinfo=zone(zone_name))
    return local.astimezone(UTC)


def nth_weekday(year: int, month: int, weekday: int, nth: int) -> date | None:
    """The ``nth`` (1-4, or -1 for the last) ``weekday`` (0 = Monday) of the month."""
    days = [
        d
        for d in calendar.Calendar().itermonthdates(year, month)
        if d.month == month and d.weekday() == weekday
    ]
    if nth == -1:
        return days[-1]
    return days[nth - 1] if 1 <= nth <= len(days) else None


def dates(
    recurrence: str,
    weekday: int,
    start: date,
    end: date | None = None,
    *,
    week_of_month: int = 1,
) -> Iterator[date]:
    """Every meeting date from ``start`` (inclusive) to ``end`` (inclusive, or forever)."""
    if recurrence in (WEEKLY, BIWEEKLY):
        step = timedelta(days=7 if recurrence == WEEKLY else 14)
        day = start + timedelta(days=(weekday - start.weekday()) % 7)
        while end is None or day <= end:
            yield day
            day += step
        return
    if recurrence != MONTHLY:
        raise ValueError(f"unknown recurrence {recurrence!r}")
    year, month = start.year, start.month
    while True:
        day_or_none = nth_weekday(year, month, weekday, week_of_month)
        if day_or_none is not None and day_or_none >= start:
            if end is not None and day_or_none > end:
                return
            yield day_or_none
        if end is not None and date(year, month, 1) > end:
            return
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def describe(recurrence: str, weekday: int, week_of_month: int, wall: time, zone_name: str) -> str:
    """ "Every Tuesday at 15:30 (America/Los_Angeles)" for people."""
    day = calendar.day_name[weekday]
    at = f"{wall:%H:%M} ({zone_name})"
    if recurrence == WEEKLY:
        return f"Every {day} at {at}"
    if recurrence == BIWEEKLY:
        return f"Every other {day} at {at}"
    nth = {1: "first", 2: "second", 3: "third", 4: "fourth", -1: "last"}.get(week_of_month, "")
    return f"The {nth} {day} of each month at {at}"
