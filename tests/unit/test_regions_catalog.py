from __future__ import annotations

from bot.services.regions import catalog
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
