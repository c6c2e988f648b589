"""What an organiser may type for an event: durations, dates, links, seats, audiences."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.services import event_drafts
from bot.services.validation import InvalidInput

NOW = datetime(2026, 11, 22, 7, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("typed", "minutes"),
    [
        ("90", 90),
        ("2", 120),
        ("1:30", 90),
        ("1,5 ч", 90),
        ("1.5", 90),
        ("2 h", 120),
        ("3 часа", 180),
        ("15", 15),
        ("48 ч", 2880),
    ],
)
def test_durations(typed: str, minutes: int) -> None:
    assert event_drafts.duration(typed) == minutes


@pytest.mark.parametrize("typed", ["", "0", "14", "три", "1:30:00", "400 ч", "-5"])
def test_bad_durations(typed: str) -> None:
    with pytest.raises(InvalidInput):
        event_drafts.duration(typed)


def test_when_is_read_in_the_events_zone() -> None:
    moment = event_drafts.when("25.12.2026 10:00", "Asia/Yakutsk", NOW)
    assert moment.astimezone(UTC) == datetime(2026, 12, 25, 1, 0, tzinfo=UTC)
    assert event_drafts.when(" 1.2.2027 9.05 ", "Europe/Moscow", NOW).hour == 9
    for bad, key in (
        ("25.12.2026", "evadm-when-format"),
        ("32.12.2026 10:00", "evadm-when-format"),
        ("22.11.2026 09:59", "evadm-when-past"),  # 06:59 UTC in Moscow: a minute ago
        ("01.01.2031 10:00", "evadm-when-too-far"),
    ):
        with pytest.raises(InvalidInput) as info:
            event_drafts.when(bad, "Europe/Moscow", NOW)
        assert info.value.key == key, bad


def test_calendar_days_follow_the_events_zone() -> None:
    # 07:00 UTC is already 16:00 on the 22nd in Yakutsk, still the 22nd in Kaliningrad.
    late = datetime(2026, 11, 22, 20, 0, tzinfo=UTC)  # the 23rd in Yakutsk
    assert not event_drafts.day_allowed(late.date(), "Asia/Yakutsk", late)
    assert event_drafts.day_allowed(late.date(), "Europe/Kaliningrad", late)


def test_deadlines() -> None:
    starts = NOW + timedelta(days=10)
    assert event_drafts.deadline_before(starts, "start") is None
    assert event_drafts.deadline_before(starts, "1d") == starts - timedelta(days=1)
    with pytest.raises(InvalidInput):
        event_drafts.deadline_before(starts, "forged")
    with pytest.raises(InvalidInput) as info:
        event_drafts.check_deadline(starts + timedelta(minutes=1), starts, NOW)
    assert info.value.key == "evadm-deadline-after-start"
    with pytest.raises(InvalidInput) as info:
        event_drafts.check_deadline(NOW, starts, NOW)
    assert info.value.key == "evadm-deadline-past"


def test_links_seats_and_texts() -> None:
    assert event_drafts.online_link(" https://zoom.us/j/1 ") == "https://zoom.us/j/1"
    for bad in ("zoom.us/j/1", "javascript:alert(1)", "https://localhost", "https://a b.ru"):
        with pytest.raises(InvalidInput):
            event_drafts.online_link(bad)
    assert event_drafts.capacity("1 000") == 1000
    for bad in ("0", "-1", "100001", "many"):
        with pytest.raises(InvalidInput):
            event_drafts.capacity(bad)
    assert event_drafts.description("  Строка  один \n\n\n\nдва  ") == "Строка один\n\nдва"
    with pytest.raises(InvalidInput) as info:
        event_drafts.title("/start")
    assert info.value.key == "validation-command-in-answer"
    with pytest.raises(InvalidInput):
        event_drafts.description("x" * 3001)


def test_audience_names_each_region_once() -> None:
    assert event_drafts.audience("Татарстан, 63; tatarstan", "ru") == ["16", "63"]
    assert event_drafts.audience("2", "ru") == ["02"]
    for bad in ("", "Атлантида", "область"):  # unknown, or matches many regions
        with pytest.raises(InvalidInput):
            event_drafts.audience(bad, "ru")
