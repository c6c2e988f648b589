from __future__ import annotations

import pytest

from bot.services.regions import catalog, zone_of
from bot.ui.pagination import page_count, page_of


def test_search_in_both_languages_and_yo() -> None:
    regions = catalog()
    assert [r.code for r in regions.search("татар", "ru")] == ["16"]
    assert [r.code for r in regions.search("Tatar", "en")] == ["16"]
    assert "77" in [r.code for r in regions.search("москва", "ru")]
    assert regions.search("ямало", "ru")[0].code == "89"
    # ё and е are the same letter when searching
    assert regions.search("орловская", "ru") and regions.search("Ёлки", "ru") == []
    assert regions.search("   ", "ru") == []
    assert regions.search("область самар", "ru")[0].code == "63"


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("Самара", "63"),
        ("Пермь", "59"),
        ("Удмуртия", "18"),
        ("Башкирия", "02"),
        ("Питер", "78"),
        ("СПб", "78"),
        ("ДНР", "93"),
        ("ЛНР", "94"),
        ("ХМАО", "86"),
        ("Югра", "86"),
        ("НАО", "83"),  # not also ЯНАО
        ("63", "63"),
        ("2", "02"),
        ("016", "16"),
        ("Казань", "16"),
        ("Екатеринбург", "66"),
        ("Нижний Новгород", "52"),
        ("омск", "55"),  # a word's start: not Tomsk or Kostroma
        ("сибир", "54"),  # any part of a name, when no word starts with it
        ("Samara", "63"),
        ("Petersburg", "78"),
        ("Udmurtia", "18"),
    ],
)
def test_everyday_names_and_numbers(typed: str, code: str) -> None:
    assert [r.code for r in catalog().search(typed, "ru")] == [code]


def test_unknown_number() -> None:
    assert catalog().search("99", "ru") == [] and catalog().search("1234", "ru") == []


def test_a_zone_inside_a_region() -> None:
    yakutia = catalog().get("14")
    assert yakutia is not None and yakutia.has_zones
    assert [z.tz for z in yakutia.zones] == [
        "Asia/Yakutsk",
        "Asia/Vladivostok",
        "Asia/Srednekolymsk",
    ]
    assert zone_of("14", "Asia/Srednekolymsk") == "Asia/Srednekolymsk"
    assert zone_of("14", None) == "Asia/Yakutsk"
    assert zone_of("14", "Europe/Moscow") == "Asia/Yakutsk"  # not one of its zones
    assert zone_of("16", "Asia/Srednekolymsk") == "Europe/Moscow"  # Tatarstan has one
    assert zone_of(None, "Asia/Yakutsk") == "Europe/Moscow"
    tatarstan = catalog().get("16")
    assert tatarstan is not None and not tatarstan.has_zones


def test_lookup_and_order() -> None:
    regions = catalog()
    assert (
        regions.get("16") is not None and regions.get("999") is None and regions.get(None) is None
    )
    assert len(regions.ordered("en")) == len(regions) == 89
    names = [r.name_en for r in regions.ordered("en")]
    assert names == sorted(names, key=str.casefold)


def test_pages() -> None:
    items = list(range(23))
    first = page_of(items, 0, 10)
    assert (list(first.items), first.count, first.has_prev, first.has_next) == (
        list(range(10)),
        3,
        False,
        True,
    )
    last = page_of(items, 99, 10)
    assert (list(last.items), last.number, last.has_next) == ([20, 21, 22], 2, False)
    assert page_of([], 0, 10).count == 1
    assert page_count(0, 10) == 1 and page_count(21, 10) == 3
