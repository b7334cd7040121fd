"""iCalendar (RFC 5545) feeds of meetings, built with the ``icalendar`` library.

Each meeting is its own VEVENT (not an RRULE): meetings are materialized, and one can be
cancelled (``STATUS:CANCELLED``) or moved without exceptions to a rule. Times carry the
series' zone (``DTSTART;TZID=America/Los_Angeles:20260310T153000``) with the matching
VTIMEZONE, so calendars show 15:30 on both sides of a daylight-saving change. In a person's
own feed their turns are marked in the title ("You open: ...", "You facilitate: ...").
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable, Iterable
from datetime import date
from typing import TYPE_CHECKING

from django.utils import timezone
from icalendar import Calendar, Event

from practica.practice.meetings.models import AgendaKind, Occurrence, OccurrenceStatus

if TYPE_CHECKING:
    from practica.accounts.models import User


def event_for(occ: Occurrence, *, url: str, host: str, person: User | None = None) -> Event:
    tz = zoneinfo.ZoneInfo(occ.series.timezone)
    title = f"{occ.series.title} · {occ.community.name}"
    categories = ["Meeting"]
    if person is not None and occ.opener_id == person.pk:
        title = f"You open: {title}"
        categories.append("Your opener turn")
    elif person is not None and occ.facilitator_id == person.pk:
        title = f"You facilitate: {title}"
        categories.append("Your facilitator turn")
    lines = []
    if occ.status == OccurrenceStatus.CANCELLED:
        lines.append("Cancelled." + (f" {occ.cancel_reason}" if occ.cancel_reason else ""))
    if occ.opener is not None:
        activity = f" ({occ.activity.title})" if occ.activity is not None else ""
        lines.append(f"Opener (community building): {occ.opener.display_name}{activity}")
    if occ.facilitator is not None:
        lines.append(f"Facilitator: {occ.facilitator.display_name}")
    if occ.series.video_url:
        lines.append(f"Video: {occ.series.video_url}")
    agenda = [i for i in occ.agenda.all() if i.kind != AgendaKind.CARRIED_ACTION]
    if agenda:
        lines.append("Agenda:")
        lines += [f"- {item.title} ({item.minutes} min)" for item in agenda]
    lines.append(url)

    event = Event()
    event.add("uid", f"meeting-{occ.pk}@{host}")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", occ.starts_at.astimezone(tz))
    event.add("dtend", occ.ends_at.astimezone(tz))
    event.add("summary", title)
    event.add("description", "\n".join(lines))
    event.add("url", url)
    location = occ.series.place or occ.series.video_url
    if location:
        event.add("location", location)
    event.add("status", "CANCELLED" if occ.status == OccurrenceStatus.CANCELLED else "CONFIRMED")
    event.add("categories", categories)
    return event


def feed(
    occurrences: Iterable[Occurrence],
    *,
    name: str,
    host: str,
    url_for: Callable[[Occurrence], str],
    person: User | None = None,
) -> bytes:
    """The whole calendar as bytes (``text/calendar``)."""
    cal = Calendar()
    cal.add("prodid", "-//Practica//Meetings//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    days = []
    for occ in occurrences:
        cal.add_component(event_for(occ, url=url_for(occ), host=host, person=person))
        days.append(occ.starts_at.date())
    if days:
        # VTIMEZONE rules covering the feed's span (a year either side), not 1970-2038.
        cal.add_missing_timezones(
            first_date=date(min(days).year - 1, 1, 1), last_date=date(max(days).year + 2, 1, 1)
        )
    return bytes(cal.to_ical())
