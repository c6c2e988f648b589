from __future__ import annotations

from datetime import UTC, datetime

from bot.services.events import msk_offset, times

MOMENT = datetime(2026, 12, 25, 1, 0, tzinfo=UTC)  # 10:00 in Yakutsk, 04:00 in Moscow


def test_offsets_from_moscow() -> None:
    assert msk_offset(MOMENT, "Europe/Moscow") == ""
    assert msk_offset(MOMENT, "Asia/Yakutsk") == "+6"
    assert msk_offset(MOMENT, "Europe/Kaliningrad") == "−1"
    assert msk_offset(MOMENT, "Asia/Kamchatka") == "+9"


def test_reader_and_event_zone() -> None:
    assert times(MOMENT, "Asia/Yakutsk", "Europe/Moscow", "МСК") == "04:00 МСК / 10:00 МСК+6"
    assert times(MOMENT, "Asia/Yakutsk", "Asia/Yakutsk", "МСК") == "10:00 МСК+6"
    assert times(MOMENT, "Europe/Moscow", "Europe/Kaliningrad", "MSK") == "03:00 MSK−1 / 04:00 MSK"
    assert times(MOMENT, "Europe/Moscow", "Asia/Kamchatka", "MSK") == "13:00 MSK+9 / 04:00 MSK"
