"""An event as a calendar entry: an .ics file (RFC 5545, with the event's own time zone) and an
"add to Google Calendar" link. The online link goes only to those who signed up."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import cache
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from bot.services.grants import LEADS
from db.models import Event, Grant

PRODID = "-//TOS bot//ru//"


def _where(event: Event, with_link: bool) -> str:
    parts = [event.address or ""]
    if with_link and event.online_link:
        parts.append(event.online_link)
    return "; ".join(p for p in parts if p)


@cache
def _vtimezone(zone: str) -> bytes:
    """The VTIMEZONE block of a zone. Building it walks the zone's history (about 10 ms), the
    same every time, so it is built once per zone and reused as text."""
    from icalendar import Timezone

    return bytes(Timezone.from_tzid(zone).to_ical())


def ics(event: Event, *, with_link: bool, stamp: datetime, host: str = "tos-bot") -> bytes:
    # icalendar is imported when a file is made, not on every start (about 70 ms).
    from icalendar import Calendar
    from icalendar import Event as CalendarEvent

    zone = ZoneInfo(event.tz)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    entry = CalendarEvent()
    entry.add("uid", f"event-{event.id}@{host}")
    entry.add("dtstamp", stamp.astimezone(UTC))
    start = event.starts_at.astimezone(zone)
    entry.add("dtstart", start)
    entry.add("dtend", start + timedelta(minutes=event.duration_minutes))
    entry.add("summary", event.title)
    entry.add("description", event.description)
    where = _where(event, with_link)
    if where:
        entry.add("location", where)
    if with_link and event.online_link:
        entry.add("url", event.online_link)
    calendar.add_component(entry)
    # The zone's VTIMEZONE goes before the event that refers to it (RFC 5545 allows any order
    # within VCALENDAR; putting it first is what calendar programs expect).
    text = bytes(calendar.to_ical())
    head, _, rest = text.partition(b"BEGIN:VEVENT")
    return head + _vtimezone(event.tz) + b"BEGIN:VEVENT" + rest


def google_link(event: Event, *, with_link: bool) -> str:
    start = event.starts_at.astimezone(UTC)
    end = start + timedelta(minutes=event.duration_minutes)
    query = {
        "action": "TEMPLATE",
        "text": event.title,
        "dates": f"{start:%Y%m%dT%H%M%SZ}/{end:%Y%m%dT%H%M%SZ}",
        "details": event.description,
        "location": _where(event, with_link),
        "ctz": event.tz,
    }
    return "https://calendar.google.com/calendar/render?" + urlencode(query)


def grants_ics(grants: list[Grant], *, stamp: datetime, host: str = "tos-bot") -> bytes:
    """Grant deadlines as all-day entries (the deadline is a day, the same in every zone),
    each with alarms 14, 3 and 1 days before, like the bot's reminders."""
    from icalendar import Alarm, Calendar
    from icalendar import Event as CalendarEvent

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    for grant in grants:
        entry = CalendarEvent()
        entry.add("uid", f"grant-{grant.id}@{host}")
        entry.add("dtstamp", stamp.astimezone(UTC))
        entry.add("dtstart", grant.deadline)
        entry.add("dtend", grant.deadline + timedelta(days=1))
        entry.add("summary", grant.name)
        details = [grant.organiser, grant.eligible, grant.amount]
        entry.add("description", "\n".join(details))
        if grant.link:
            entry.add("url", grant.link)
        entry.add("transp", "TRANSPARENT")
        for days in LEADS:
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", grant.name)
            alarm.add("trigger", timedelta(days=-days))
            entry.add_component(alarm)
        calendar.add_component(entry)
    return bytes(calendar.to_ical())
