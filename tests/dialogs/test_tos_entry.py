"""Ways into the TOS features: a chair's next step after registration, and the main menu's
Find a TOS, Register a TOS and TOS calendar buttons."""

from __future__ import annotations

import pytest

from handlers.tos_register import RegisterTos
from tests.dialogs.test_registration import register, state_of, to_step
from tests.harness import App


@pytest.mark.parametrize("lang", ["ru", "en"])
async def test_a_chair_is_offered_to_register_or_create_a_tos(app: App, lang: str) -> None:
    c = app.client(7001, language_code=lang)
    t = app.t(lang)
    await to_step(c, app, "kind")
    await c.click(t("kind-tos_chair"))
    await c.click(t("registration-confirm-button"))
    assert c.last_text() == t("registration-chair-next")
    assert c.buttons()[-2:] == [t("menu-register-tos"), t("menu-create-tos")]
    create = c.button_data(t("menu-create-tos"))
    await c.click(t("menu-register-tos"))
    assert c.last_text() == t("tos-rt-ask-name")
    assert await state_of(app, 7001) == RegisterTos.name.state
    await c.send("/cancel")
    # The other way, from the same message: the creation wizard.
    await c.click_data(create)
    assert (c.last_text() or "").startswith(t("tos-progress", step=1, total=8))


async def test_a_resident_is_not_asked_about_a_tos(app: App) -> None:
    c = app.client(7002)
    t = app.t()
    await register(c, app)
    assert t("registration-chair-next") not in c.texts()
    assert c.last_text() == t("menu-title")


@pytest.mark.parametrize("lang", ["ru", "en"])
async def test_main_menu_finds_registers_and_shows_the_calendar(app: App, lang: str) -> None:
    c = app.client(7003, language_code=lang)
    t = app.t(lang)
    await register(c, app)
    assert c.last_text() == t("menu-title")
    for key in ("menu-find-tos", "menu-register-tos", "menu-tos-calendar", "menu-create-tos"):
        assert t(key) in c.buttons(), key
    region = {"ru": "Республика Татарстан", "en": "Republic of Tatarstan"}[lang]
    await c.click(t("menu-find-tos"))
    assert c.last_text() == t("tos-find-none", region=region)
    await c.send("/start")
    await c.click(t("menu-tos-calendar"))
    # Not a chair yet: why, and the two ways to become one (no dead end).
    assert c.last_text() == t("tos-calendar-not-chair")
    assert c.buttons()[-2:] == [t("menu-register-tos"), t("menu-create-tos")]
    await c.click(t("menu-register-tos"))
    assert c.last_text() == t("tos-rt-ask-name")


async def test_the_menus_tos_buttons_need_registration(app: App) -> None:
    c = app.client(7004)
    t = app.t()
    await c.send("/start")
    for action in ("find", "regtos"):
        await c.click_data(f"mn:{action}:", check=False)
        assert c.last_text() == t("tos-register-first"), action
