"""/profile: the card, editing one field, wrong input and Back while editing."""

from __future__ import annotations

from tests.dialogs.test_registration import register, state_of
from tests.harness import App


async def test_profile_needs_registration(app: App) -> None:
    c = app.client(4001)
    await c.send("/profile")
    assert c.last_text() == app.t()("profile-not-registered")


async def test_edit_each_field(app: App) -> None:
    c = app.client(4002)
    t = app.t()
    await register(c, app)
    await c.send("/profile")
    card = c.last_text() or ""
    assert "Иванова Анна-Мария Петровна" in card and t("role-resident") in card

    await c.click(t("profile-edit-municipality"))
    await c.send("x" * 5000)
    assert c.last_text() == t("validation-municipality-too-long")
    await c.send("г. Набережные Челны")
    assert t("profile-saved") in c.texts()
    assert "г. Набережные Челны" in (c.last_text() or "")

    await c.click(t("profile-edit-region_code"))
    await c.send("башкорт")
    await c.click("Республика Башкортостан")
    await c.click(t("profile-edit-kind"))
    await c.click(t("kind-tos_chair"))
    await c.click(t("profile-edit-full_name"))
    await c.click(t("common-back-button"))
    assert t("profile-edit-cancelled") in c.texts()
    assert await state_of(app, 4002) is None
    async with app.repo() as repo:
        user = await repo.users.get(4002)
        assert user is not None
        assert (user.municipality, user.region_code, user.kind) == (
            "г. Набережные Челны",
            "02",
            "tos_chair",
        )
        assert user.full_name == "Иванова Анна-Мария Петровна"
        assert await repo.roles.of(4002) == {"resident", "chair"}
    await c.click(t("profile-edit-kind"))
    await c.click(t("kind-resident"))
    async with app.repo() as repo:
        assert await repo.roles.of(4002) == {"resident"}


async def test_user_input_is_escaped(app: App) -> None:
    c = app.client(4003)
    t = app.t()
    await register(c, app)
    await c.send("/profile")
    await c.click(t("profile-edit-municipality"))
    await c.send("<b>Село</b> & Ко")
    assert "&lt;b&gt;Село&lt;/b&gt; &amp; Ко" in (c.last_text() or "")
