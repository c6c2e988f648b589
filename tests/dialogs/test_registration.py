"""The registration dialog, step by step, through the production dispatcher."""

from __future__ import annotations

from sqlalchemy import func, select

from db.models import User, UserRole
from tests.harness import App, BotClient


async def register(c: BotClient, app: App, *, kind: str = "kind-resident") -> None:
    t = app.t(c.language_code if c.language_code == "en" else "ru")
    await c.send("/start")
    await c.click(t("start-register-button"))
    await c.click(t("registration-consent-agree"))
    await c.send("Иванова Анна-Мария Петровна")
    await c.share_contact("79123456789")
    await c.send("татарстан")
    await c.click("Республика Татарстан" if t.locale == "ru" else "Republic of Tatarstan")
    await c.send("г. Казань")
    await c.click(t(kind))
    await c.click(t("registration-confirm-button"))


async def test_full_registration(app: App) -> None:
    c = app.client(1001)
    t = app.t()
    await register(c, app, kind="kind-tos_chair")
    assert t("registration-done", name="Иванова") in c.texts()
    async with app.repo() as repo:
        user = await repo.users.get(1001)
        assert user is not None
        assert user.full_name == "Иванова Анна-Мария Петровна"
        assert user.phone == "+79123456789"
        assert user.region_code == "16"
        assert user.municipality == "г. Казань"
        assert user.kind == "tos_chair"
        assert user.consent_at is not None and user.consent_version == app.settings.privacy_policy_version
        assert await repo.roles.of(1001) == {"resident", "chair"}
    assert await app.dp.storage.get_state(_key(app, 1001)) is None if hasattr(app.dp, "storage") else True


async def test_double_confirm_makes_one_user(app: App) -> None:
    c = app.client(1002)
    t = app.t()
    await c.send("/start")
    await c.click(t("start-register-button"))
    await c.click(t("registration-consent-agree"))
    await c.send("Пётр Сидоров")
    await c.send("8 912 345-67-89")
    await c.send("самар")
    await c.click("Самарская область")
    await c.send("Тольятти")
    await c.click(t("kind-resident"))
    confirm = c.button_data(t("registration-confirm-button"))
    await c.click_data(confirm)
    await c.click_data(confirm, check=False)
    async with app.repo() as repo:
        count = await repo.session.scalar(select(func.count()).select_from(User).where(User.id == 1002))
        roles = await repo.session.scalar(select(func.count()).select_from(UserRole).where(UserRole.user_id == 1002))
    assert count == 1
    assert roles == 1
    assert t("common-button-outdated") in c.alerts()


def _key(app: App, user_id: int):  # pragma: no cover - helper
    from aiogram.fsm.storage.base import StorageKey

    return StorageKey(bot_id=42, chat_id=user_id, user_id=user_id)
