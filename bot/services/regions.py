"""Russia's federal subjects with their time zones, shipped as data in bot/data/regions.json."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

DATA = Path(__file__).resolve().parent.parent / "data" / "regions.json"


@dataclass(frozen=True, slots=True)
class Zone:
    """One of the time zones of a region that has several (Yakutia has three)."""

    tz: str
    name_ru: str
    name_en: str

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" else self.name_ru


@dataclass(frozen=True, slots=True)
class Region:
    code: str
    name_ru: str
    name_en: str
    tz: str  # the zone of most of the region (its capital's)
    aliases: tuple[str, ...] = ()  # everyday names people type: "самара", "питер", "хмао"
    zones: tuple[Zone, ...] = ()  # set when the region has several: the first is `tz`

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" else self.name_ru

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.tz)

    @property
    def has_zones(self) -> bool:
        return len(self.zones) > 1

    def zone_of(self, tz: str | None) -> str:
        """`tz` if it is one of the region's zones, else the region's main zone."""
        return tz if tz and any(z.tz == tz for z in self.zones) else self.tz

    def _names(self) -> tuple[str, ...]:
        return (_fold(self.name_ru), _fold(self.name_en), *(_fold(a) for a in self.aliases))

    def _words(self) -> list[str]:
        return [w for name in self._names() for w in _WORDS.split(name) if w]


_WORDS = re.compile(r"[\s\-–—()]+")


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
        """Regions for what was typed: the region with that number ("63", "2"); those one of
        whose names (Russian, English, or an everyday one: "Питер", "ХМАО") is exactly that;
        else those whose names contain every word typed."""
        folded = " ".join(_fold(query).split())
        if not folded:
            return []
        if folded.isdigit() and len(folded) <= 3:
            found = self.get(str(int(folded)).zfill(2))
            return [found] if found else []
        exact = [r for r in self.ordered(lang) if folded in r._names()]
        if exact:
            return exact
        typed = folded.split()
        # Words of the names that begin with what was typed ("омск" is Omsk, not Tomsk)…
        starts = [
            r
            for r in self.ordered(lang)
            if all(any(w.startswith(part) for w in r._words()) for part in typed)
        ]
        if starts:
            return starts
        # …else any part of a name ("сибир" finds Novosibirsk).
        return [
            r
            for r in self.ordered(lang)
            if all(any(part in name for name in r._names()) for part in typed)
        ]


@cache
def catalog() -> RegionCatalog:
    raw = json.loads(DATA.read_text(encoding="utf-8"))
    return RegionCatalog(
        [
            Region(
                code=r["code"],
                name_ru=r["name_ru"],
                name_en=r["name_en"],
                tz=r["tz"],
                aliases=tuple(r.get("aliases", ())),
                zones=tuple(Zone(**z) for z in r.get("zones", ())),
            )
            for r in raw["regions"]
        ]
    )


DEFAULT_ZONE = "Europe/Moscow"


def zone_of(region_code: str | None, tz: str | None = None) -> str:
    """A person's IANA zone: the one they chose in their region (`tz`, when the region has
    several), else their region's; Moscow time for someone without a (known) region."""
    region = catalog().get(region_code)
    return region.zone_of(tz) if region else DEFAULT_ZONE
