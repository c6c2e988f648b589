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
        assert (
            {"code", "name_ru", "name_en", "tz"}
            <= set(region)
            <= {
                "code",
                "name_ru",
                "name_en",
                "tz",
                "aliases",
                "zones",
            }
        )
        assert all(isinstance(region[k], str) for k in ("code", "name_ru", "name_en", "tz"))


def test_aliases_are_lower_case_and_name_one_region() -> None:
    seen: dict[str, str] = {}
    for region in _regions():
        for alias in region.get("aliases", []):
            assert alias == alias.casefold().replace("ё", "е").strip(), alias
            assert alias not in seen, (alias, seen.get(alias), region["code"])
            seen[alias] = region["code"]


def test_zones_of_regions_with_several() -> None:
    """107-FZ art. 5 splits Yakutia into three zones; the first listed is the region's tz."""
    with_zones = {r["code"]: r["zones"] for r in _regions() if "zones" in r}
    assert list(with_zones) == ["14"]
    for code, zones in with_zones.items():
        region = next(r for r in _regions() if r["code"] == code)
        assert zones[0]["tz"] == region["tz"]
        assert len({z["tz"] for z in zones}) == len(zones) > 1
        for zone in zones:
            assert set(zone) == {"tz", "name_ru", "name_en"} and zone["name_ru"] and zone["name_en"]
            assert 2 <= _offset_hours(zone["tz"]) <= 12
    assert [z["tz"] for z in with_zones["14"]] == [
        "Asia/Yakutsk",
        "Asia/Vladivostok",
        "Asia/Srednekolymsk",
    ]
    assert [_offset_hours(z["tz"]) for z in with_zones["14"]] == [9, 10, 11]


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
