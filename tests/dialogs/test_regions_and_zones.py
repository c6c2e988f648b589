"""Picking a region by its everyday name or number, and a time zone inside a region that has
several (Yakutia): at registration, in the profile, and where the bot shows times."""

from __future__ import annotations

import pytest

from handlers.registration import Registration
from tests.dialogs.test_registration import state_of
from tests.harness import App, BotClient

YAKUTIA = {"ru": "Республика Саха (Якутия)", "en": "Sakha Republic (Yakutia)"}


async def to_region(c: BotClient, app: App) -> None:
    t = app.t(c.language_code or "ru")
    await c.send("/start")
    await c.click(t("start-register-button"))
    await c.click(t("registration-consent-agree"))
    await c.send("Никифорова Сардаана Ивановна")
    await c.share_contact("79141234567")


@pytest.mark.parametrize(
    ("typed", "name"),
    [
        ("Самара", "Самарская область"),
        ("63", "Самарская область"),
        ("Питер", "Санкт-Петербург"),
        ("ХМАО", "Ханты-Мансийский автономный округ — Югра"),
        ("ДНР", "Донецкая Народная Республика"),
        ("Башкирия", "Республика Башкортостан"),
    ],
)
async def test_everyday_region_names_at_registration(app: App, typed: str, name: str) -> None:
    c = app.client(6001)
    t = app.t()
    await to_region(c, app)
    await c.send(typed)
    assert c.last_text() == t("registration-region-matches", count=1)
    assert c.buttons()[0] == name
    await c.click(name)
    assert await state_of(app, 6001) == Registration.municipality.state


@pytest.mark.parametrize("lang", ["ru", "en"])
async def test_a_zone_inside_yakutia(app: App, lang: str) -> None:
    c = app.client(6002, language_code=lang)
    t = app.t(lang)
    await to_region(c, app)
    await c.send("Якутия" if lang == "ru" else "Yakutia")
    await c.click(YAKUTIA[lang])
    assert c.last_text() == (
        t("registration-region-chosen", region=YAKUTIA[lang])
        + "\n\n"
        + t("registration-ask-zone", step=3, total=5, region=YAKUTIA[lang])
    )
    zones = c.buttons()[:3]
    assert [z.split(" · ")[0] for z in zones] == ["UTC+9", "UTC+10", "UTC+11"]
    # Back returns to the region list; the region again asks the zone.
    await c.click(t("common-back-button"))
    assert await state_of(app, 6002) == Registration.region.state
    await c.send("14")
    await c.click(YAKUTIA[lang])
    await c.send("не знаю")
    assert c.last_text() == t("common-use-buttons")
    await c.click(zones[2])
    assert await state_of(app, 6002) == Registration.municipality.state
    await c.send("с. Среднеколымск")
    await c.click(t("kind-tos_chair"))
    summary = c.last_text() or ""
    assert "UTC+11" in summary
    await c.click(t("registration-confirm-button"))
    async with app.repo() as repo:
        user = await repo.users.get(6002)
        assert user is not None and (user.region_code, user.tz) == ("14", "Asia/Srednekolymsk")
    # The TOS wizard's meeting time is asked in that zone.
    await c.send("/create_tos")
    async with app.repo() as repo:
        project = await repo.tos_projects.of(6002)
        assert project is not None and project.answers["meeting_tz"] == "Asia/Srednekolymsk"
    await c.send("/cancel")
    # The profile: the zone is shown and can be changed.
    await c.send("/profile")
    assert "UTC+11" in (c.last_text() or "")
    await c.click(t("profile-edit-tz"))
    await c.click(zones[1])
    async with app.repo() as repo:
        user = await repo.users.get(6002)
        assert user is not None and user.tz == "Asia/Vladivostok"
    assert "UTC+10" in (c.last_text() or "")
    # A region with one zone: no zone question, and the old choice is dropped.
    await c.click(t("profile-edit-region_code"))
    await c.send("16")
    await c.click({"ru": "Республика Татарстан", "en": "Republic of Tatarstan"}[lang])
    assert t("profile-edit-tz") not in c.buttons()
    async with app.repo() as repo:
        user = await repo.users.get(6002)
        assert user is not None and (user.region_code, user.tz) == ("16", None)


async def test_a_forged_zone_is_refused(app: App) -> None:
    c = app.client(6003)
    t = app.t()
    await to_region(c, app)
    await c.send("Якутия")
    await c.click(YAKUTIA["ru"])
    await c.click_data("rg1:zone:Europe/Moscow", check=False)
    assert t("common-button-outdated") in c.alerts()
    assert await state_of(app, 6003) == Registration.zone.state
