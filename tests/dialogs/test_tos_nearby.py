"""Find a TOS near me: a shared location gives the region's nearest TOS (distance in SQL), a
typed address is matched by its words (and the chat says it is no map search), and joining
goes on as before."""

from __future__ import annotations

import math
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from bot.services import tos_nearby
from bot.ui.callbacks.tos import JoinAction, JoinCb
from db.models import Tos
from tests.dialogs.test_grants import person
from tests.harness import App, running_app

KREMLIN = (55.7987, 49.1056)  # Kazan


@pytest.fixture
async def app(tmp_path: Path) -> AsyncIterator[App]:
    async with running_app(tmp_path / "bot.sqlite3") as running:
        yield running


async def add(
    app: App,
    name: str,
    where: tuple[float, float] | None,
    *,
    region: str = "16",
    status: str = "verified",
    boundaries: str = "ул. Баумана, дома 1-20",
    chair: int | None = None,
) -> Tos:
    async with app.repo() as repo:
        return await repo.tos_registry.add(
            name=name,
            region_code=region,
            municipality="г. Казань" if region == "16" else "г. Самара",
            territory_type="building_group",
            boundaries=boundaries,
            charter_registered_on=date(2024, 3, 15),
            charter_number="1",
            ogrn=None,
            status=status,
            chair_id=chair,
            created_at=datetime.now(UTC),
            latitude=where[0] if where else None,
            longitude=where[1] if where else None,
        )


def haversine(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


@pytest.mark.parametrize("lang", ["ru", "en"])
async def test_a_shared_location_gives_the_nearest_tos_and_joining_works(
    app: App, lang: str
) -> None:
    t = app.t(lang)
    chair = await person(app, 6001, "16", lang)
    far = (55.8304, 49.0661)  # Kazan, the north-west
    await add(app, "Кремлёвский", KREMLIN, chair=6001)
    await add(app, "Северный", far)
    await add(app, "Без места", None)
    await add(app, "Отклонённый", (55.7988, 49.1057), status="rejected")
    await add(app, "Самарский", (55.7987, 49.1056), region="63")  # another region
    c = await person(app, 6002, "16", lang)
    await c.send("/find_tos")
    here = (55.7961, 49.1064)  # a few hundred metres from the Kremlin
    await c.share_location(*here)
    region = "Республика Татарстан" if lang == "ru" else "Republic of Tatarstan"
    assert c.last_text() == t("tos-near-list", region=region, count=2)
    labels = [b for b in c.buttons() if "·" in b]
    assert [label.split(" · ")[1] for label in labels] == ["Кремлёвский", "Северный"]
    # The distances the bot shows are the great-circle ones, to the shown precision.
    near_m = round(haversine(here, KREMLIN) * 1000, -1)
    assert labels[0].startswith(t("tos-near-m", distance=str(int(near_m))))
    assert labels[1].startswith(t("tos-near-km", distance=f"{haversine(here, far):.1f}"))
    # Joining goes on as from the list.
    await c.click(labels[0])
    assert "Кремлёвский" in (c.last_text() or "")
    await c.click(t("tos-join-button"))
    assert c.last_text() == t("tos-join-sent", name="Кремлёвский")
    assert any("Кремлёвский" in x for x in chair.texts())  # the chair's request
    async with app.repo() as repo:
        tos = (await repo.tos_registry.in_region("16", "Кремлёвский"))[0]
        assert await repo.tos_members.status(tos.id, 6002) == "pending"


@pytest.mark.parametrize("lang", ["ru", "en"])
async def test_a_typed_address_is_matched_by_words_and_says_so(app: App, lang: str) -> None:
    t = app.t(lang)
    await add(app, "Солнечный", None, boundaries="ул. Солнечная, дома 3, 5 и 7")
    await add(app, "Садовый", None, boundaries="ул. Садовая, дом 9; пер. Солнечный")
    await add(app, "Баумана", None)
    c = await person(app, 6011, "16", lang)
    await c.send("/find_tos")
    await c.send("Казань, ул. Солнечной, д. 5")
    assert c.last_text() == t("tos-near-by-address", query="Казань, ул. Солнечной, д. 5", count=3)
    names = [b.split(" · ")[0] for b in c.buttons() if "·" in b]
    # "Солнечн-" and "Казань" and house 5 in the first; the others share fewer words.
    assert names[0] == "Солнечный" and set(names) == {"Солнечный", "Садовый", "Баумана"}
    # A name still narrows the list as before; an address matching nothing says so.
    await c.send("Садов")
    region = "Республика Татарстан" if lang == "ru" else "Republic of Tatarstan"
    assert c.last_text() == t("tos-find-list", region=region, count=1)
    await c.send("проспект Победы 100")
    assert c.last_text() == t("tos-find-none", region=region)
    # Nobody gave a place on the map: the chat says so and offers the text search.
    await c.share_location(*KREMLIN)
    assert c.last_text() == t("tos-near-none", region=region)
    await c.send_sticker()
    assert c.last_text() == t("tos-near-hint")
    await c.click(t("common-cancel-button"))
    await c.share_location(*KREMLIN)  # outside the search: not a search
    assert c.last_text() != t("tos-near-none", region=region)


async def test_forged_join_of_another_regions_tos_is_only_a_request(app: App) -> None:
    """The card's button carries an id only: a forged decision is refused as before."""
    t = app.t()
    await person(app, 6021, "63")
    samara = await add(app, "Самарский", (53.2, 50.1), region="63", chair=6021)
    c = await person(app, 6022, "16")
    await c.send("/find_tos")
    await c.click_data(
        JoinCb(action=JoinAction.APPROVE, tos_id=samara.id, user_id=6022).pack(), check=False
    )
    assert t("common-not-allowed") in c.alerts()


async def test_distance_in_sql_across_the_180th_meridian(app: App) -> None:
    """Chukotka spans the 180th meridian: a TOS just east of it is near a point just west."""
    await add(app, "Восточный", (64.73, -179.95), region="87")
    await add(app, "Западный", (64.73, 177.5), region="87")
    async with app.repo() as repo:
        found = await repo.tos_registry.nearest("87", 64.73, 179.95, 5)
    assert [tos.name for tos, _km in found] == ["Восточный", "Западный"]
    km = found[0][1]
    assert abs(km - haversine((64.73, 179.95), (64.73, -179.95))) < 0.05


def test_address_words_and_forged_points() -> None:
    assert tos_nearby.distance_text(0.004) == ("tos-near-m", "10")
    assert tos_nearby.distance_text(0.456) == ("tos-near-m", "460")
    assert tos_nearby.distance_text(12.345) == ("tos-near-km", "12.3")
    for bad in ((None, 1.0), (91.0, 0.0), (0.0, -181.0)):
        with pytest.raises(ValueError):
            tos_nearby.location(*bad)
    assert tos_nearby.match_address("ул. д. 5", []) == []  # no word that names a place
