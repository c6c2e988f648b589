"""Russia's federal subjects with their time zones, shipped as data in bot/data/regions.json."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

DATA = Path(__file__).resolve().parent.parent / "data" / "regions.json"


@dataclass(frozen=True, slots=True)
class Region:
    code: str
    name_ru: str
    name_en: str
    tz: str

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" else self.name_ru

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.tz)


def _fold(text: str) -> str:
    return text.casefold().replace("ё", "е")


class RegionCatalog:
    def __init__(self, regions: list[Region]) -> None:
        self._by_code = {r.code: r for r in regions}
        self._sorted = {
            "ru": sorted(regions, key=lambda r: _fold(r.name_ru)),
            "en": sorted(regions, key=lambda r: _fold(r.name_en)),
        }

    def __len__(self) -> int:
        return len(self._by_code)

    def get(self, code: str | None) -> Region | None:
        return self._by_code.get(code or "")

    def ordered(self, lang: str) -> list[Region]:
        return self._sorted["en" if lang == "en" else "ru"]

    def search(self, query: str, lang: str) -> list[Region]:
        """Regions whose name (in either language) contains every word typed."""
        words = [_fold(w) for w in query.split() if w.strip()]
        if not words:
            return []
        return [
            r
            for r in self.ordered(lang)
            if all(w in _fold(r.name_ru) or w in _fold(r.name_en) for w in words)
        ]


@cache
def catalog() -> RegionCatalog:
    raw = json.loads(DATA.read_text(encoding="utf-8"))
    return RegionCatalog([Region(**r) for r in raw["regions"]])


DEFAULT_ZONE = "Europe/Moscow"


def zone_of(region_code: str | None) -> str:
    """A region's IANA zone; Moscow time for someone without a (known) region."""
    region = catalog().get(region_code)
    return region.tz if region else DEFAULT_ZONE
