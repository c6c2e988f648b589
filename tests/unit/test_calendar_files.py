from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

from icalendar import Calendar

from bot.services.calendar_files import google_link, ics
from db.models import Event

START = datetime(2026, 12, 25, 1, 0, tzinfo=UTC)  # 10:00 in Yakutsk


def webinar() -> Event:
    return Event(
        id=7,
        kind="webinar",
        title="Вебинар: гранты для ТОС",
        description="Как подать заявку; вопросы, ответы",
        starts_at=START,
        duration_minutes=90,
        tz="Asia/Yakutsk",
        format="hybrid",
        online_link="https://example.org/room",
        address="Якутск, ул. Ленина, 1",
    )


def test_ics_parses_back_with_the_events_zone() -> None:
    raw = ics(webinar(), with_link=True, stamp=START)
    calendar = Calendar.from_ical(raw)
    (entry,) = calendar.walk("VEVENT")
    start = entry.decoded("dtstart")
    assert str(start.tzinfo) == "Asia/Yakutsk" and (start.hour, start.minute) == (10, 0)
    assert start.astimezone(UTC) == START
    assert (entry.decoded("dtend") - start).total_seconds() == 90 * 60
    assert str(entry["summary"]) == "Вебинар: гранты для ТОС"
    assert str(entry["url"]) == "https://example.org/room"
    assert "Якутск, ул. Ленина, 1" in str(entry["location"])
    assert [str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")] == ["Asia/Yakutsk"]


def test_link_only_for_participants() -> None:
    raw = ics(webinar(), with_link=False, stamp=START)
    assert b"example.org/room" not in raw
    assert "example.org" not in google_link(webinar(), with_link=False)
    query = parse_qs(urlsplit(google_link(webinar(), with_link=True)).query)
    assert query["dates"] == ["20261225T010000Z/20261225T023000Z"]
    assert query["ctz"] == ["Asia/Yakutsk"]
    assert "https://example.org/room" in query["location"][0]
