"""Finding a TOS near a person: by a shared location (the nearest with a known location, the
distance computed in SQL: db/repositories/tos.py `nearest`), or by a typed address.

The bot has no geocoder (no internet service turns an address into a point), so a typed
address is matched by its words against what the TOS gave: its municipality, name and the
streets and houses of its boundaries. The chat says so; it never pretends to know where the
address is.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.services.validation import InvalidInput
from db.models import Tos

MAX_FOUND = 8
# Words that say what kind of place a word is, not which: they match every address.
GENERIC = frozenset(
    (
        "ул",
        "улица",
        "пр",
        "пр-т",
        "просп",
        "проспект",
        "пер",
        "переулок",
        "пл",
        "площадь",
        "б-р",
        "бульвар",
        "ш",
        "шоссе",
        "наб",
        "набережная",
        "проезд",
        "тупик",
        "мкр",
        "микрорайон",
        "кв",
        "квартал",
        "д",
        "дом",
        "корп",
        "корпус",
        "к",
        "стр",
        "строение",
        "г",
        "гор",
        "город",
        "с",
        "село",
        "п",
        "пос",
        "поселок",
        "посёлок",
        "пгт",
        "рп",
        "дер",
        "деревня",
        "ст",
        "станица",
        "х",
        "хутор",
        "р-н",
        "район",
        "обл",
        "область",
        "край",
        "респ",
        "республика",
        "ао",
        "округ",
        "мо",
        "го",
        "и",
        "в",
        "на",
        "по",
        "от",
        "до",
        "со",
        "за",
        "у",
        "для",
        "дома",
        "домов",
        "улицы",
        "улиц",
        "подъезд",
        "подъезды",
        "str",
        "street",
        "st",
        "ave",
        "avenue",
        "road",
        "rd",
        "lane",
        "house",
        "building",
        "city",
        "town",
        "village",
        "district",
    )
)
_WORD = re.compile(r"[^\W_]+(?:-[^\W_]+)*", re.UNICODE)


def location(latitude: float | None, longitude: float | None) -> tuple[float, float]:
    """A point Telegram sent: within the Earth's coordinates (a forged one is refused)."""
    if latitude is None or longitude is None:
        raise InvalidInput("tos-near-location-invalid")
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise InvalidInput("tos-near-location-invalid")
    return float(latitude), float(longitude)


def _words(text: str) -> list[str]:
    folded = text.casefold().replace("ё", "е")
    return [w for w in _WORD.findall(folded) if w not in GENERIC]


def _stem(word: str) -> str:
    """Russian words change their endings ("Солнечная", "Солнечной"): the first letters
    compare, all but the last two, at least four."""
    return word[: max(4, len(word) - 2)]


@dataclass(frozen=True, slots=True)
class AddressMatch:
    tos: Tos
    words: int  # the query's words (streets, places) found in the TOS's texts
    numbers: int  # the query's numbers (houses) found there too


def match_address(query: str, entries: Sequence[Tos]) -> list[AddressMatch]:
    """TOS whose municipality, name or boundaries contain the typed address's words (at least
    one word that is not a number), the most words first, then the most house numbers."""
    typed = _words(query[:300])
    names = {_stem(w) for w in typed if not w.isdigit() and len(w) >= 3}
    numbers = {w for w in typed if w.isdigit()}
    if not names:
        return []
    found = []
    for tos in entries:
        if tos.status == "rejected":
            continue
        theirs = _words(f"{tos.municipality} {tos.name} {tos.boundaries}")
        stems = {_stem(w) for w in theirs if not w.isdigit()}
        words = sum(
            1 for name in names if any(s.startswith(name) or name.startswith(s) for s in stems)
        )
        if not words:
            continue
        found.append(AddressMatch(tos, words, len(numbers & set(theirs))))
    found.sort(key=lambda m: (-m.words, -m.numbers, m.tos.name.casefold(), m.tos.id))
    return found[:MAX_FOUND]


def distance_text(km: float) -> tuple[str, str]:
    """(text key, number) for a distance: metres under one km, else km with one decimal."""
    if km < 1:
        return "tos-near-m", str(max(10, int(round(km * 1000, -1))))
    return "tos-near-km", f"{km:.1f}"
