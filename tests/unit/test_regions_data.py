"""Sanity checks for the static list of federal subjects in bot/data/regions.json."""

import json
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

REGIONS_PATH = Path(__file__).resolve().parents[2] / "bot" / "data" / "regions.json"
CHECK_MOMENT = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)
RUSSIAN_OFFSETS_HOURS = set(range(2, 13))


@cache
def _load() -> dict[str, Any]:
    with REGIONS_PATH.open(encoding="utf-8") as f:
        data: dict[str, Any] = json.load(f)
    return data


def _regions() -> list[dict[str, str]]:
    regions: list[dict[str, str]] = _load()["regions"]
    return regions


def _offset_hours(tz: str) -> float:
    offset = CHECK_MOMENT.astimezone(ZoneInfo(tz)).utcoffset()
    assert offset is not None
    return offset / timedelta(hours=1)


def _by_name_ru(name: str) -> dict[str, str]:
    matches = [r for r in _regions() if r["name_ru"] == name]
    assert len(matches) == 1, name
    return matches[0]


def _ru_sort_key(name: str) -> str:
    return name.casefold().replace("ё", "е")


def test_file_loads() -> None:
    data = _load()
    assert set(data) == {"source", "regions"}
    assert "art. 65" in data["source"]
    assert isinstance(data["regions"], list)
    for region in data["regions"]:
        assert set(region) == {"code", "name_ru", "name_en", "tz"}
        assert all(isinstance(v, str) for v in region.values())


def test_exactly_89_regions() -> None:
    assert len(_regions()) == 89


def test_codes_unique_and_numeric() -> None:
    codes = [r["code"] for r in _regions()]
    assert len(set(codes)) == len(codes)
    for code in codes:
        assert code.isdigit() and len(code) in (2, 3), code


def test_names_unique_and_non_empty() -> None:
    for field in ("name_ru", "name_en"):
        names = [r[field] for r in _regions()]
        assert all(n.strip() == n and n for n in names), field
        assert len(set(names)) == len(names), field


def test_time_zones_valid_and_within_russia() -> None:
    for region in _regions():
        hours = _offset_hours(region["tz"])
        assert 2 <= hours <= 12, (region["name_en"], region["tz"], hours)


def test_all_eleven_russian_offsets_present() -> None:
    offsets = {_offset_hours(r["tz"]) for r in _regions()}
    assert offsets == RUSSIAN_OFFSETS_HOURS


def test_spot_checks() -> None:
    expected = {
        "Москва": ("77", "Europe/Moscow"),
        "Калининградская область": ("39", "Europe/Kaliningrad"),
        "Камчатский край": ("41", "Asia/Kamchatka"),
        "Самарская область": ("63", "Europe/Samara"),
        "Новосибирская область": ("54", "Asia/Novosibirsk"),
    }
    for name, (code, tz) in expected.items():
        region = _by_name_ru(name)
        assert (region["code"], region["tz"]) == (code, tz), name


def test_sorted_by_name_ru() -> None:
    names = [r["name_ru"] for r in _regions()]
    assert names == sorted(names, key=_ru_sort_key)
