"""How the chat opens the dashboard: the chat menu button per organiser and admin, the web_app
buttons in the main menu and /events_admin; none of it without WEBAPP_URL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from bot.commands import refresh_commands, refresh_privileged
from bot.config import Settings
from bot.ui.callbacks.events import EvAdminAction, EvAdminCb
from tests.dashboard.conftest import WEBAPP_URL
from tests.dashboard.world import ADMIN, ORGANISER, RESIDENT, SAMARA, build
from tests.fake_telegram.core import FakeBotAPI, TelegramError
from tests.harness import TOKEN, App, running_app


def web_app_buttons(app: App, chat_id: int) -> list[dict[str, Any]]:
    message = app.api.keyboard_message(chat_id, lambda b: "web_app" in b)
    if message is None:
        return []
    rows = message["reply_markup"]["inline_keyboard"]
    return [b for row in rows for b in row if "web_app" in b]


def last_menu_call(app: App, chat_id: int) -> dict[str, Any]:
    calls = [
        c
        for c in app.api.calls
        if c.method == "setChatMenuButton" and c.params.get("chat_id") == chat_id
    ]
    assert calls, f"no setChatMenuButton for {chat_id}"
    menu: dict[str, Any] = calls[-1].params["menu_button"]
    return menu


async def test_menu_buttons_of_organisers_and_admins(app: App) -> None:
    # At start: ADMIN_IDS' admin, in the default language.
    assert last_menu_call(app, ADMIN) == {
        "type": "web_app",
        "text": "Панель",
        "web_app": {"url": WEBAPP_URL},
    }
    await build(app)
    # As the next start does when the menus changed.
    assert await refresh_privileged(app.bot, app.session_factory, app.translator) == 4
    assert last_menu_call(app, ORGANISER)["text"] == "Панель"
    assert last_menu_call(app, SAMARA) == {
        "type": "web_app",
        "text": "Dashboard",
        "web_app": {"url": WEBAPP_URL},
    }
    assert last_menu_call(app, 604) == {"type": "default"}  # an expert: no dashboard
    assert app.api.menu_buttons[SAMARA]["type"] == "web_app"


def menu_chats(app: App) -> set[int]:
    return {c.params["chat_id"] for c in app.api.calls if c.method == "setChatMenuButton"}


async def test_menus_are_set_anew_only_when_they_changed(tmp_path: Path) -> None:
    db = tmp_path / "bot.sqlite3"
    async with running_app(db, webapp_url=WEBAPP_URL) as app:
        # A new database: nobody but ADMIN_IDS to set, and that is recorded at once.
        assert app.application.menus_sweep is None
        assert menu_chats(app) == {ADMIN}
        await build(app)
    # Telegram keeps every chat's menu: a restart with the same menus sets only ADMIN_IDS'
    # (one may be new), whatever the number of chairs and organisers.
    async with running_app(db, webapp_url=WEBAPP_URL) as app:
        assert app.application.menus_sweep is None
        assert menu_chats(app) == {ADMIN}
    # A new dashboard address changes every organiser's button: all are set again, once.
    async with running_app(db, webapp_url=WEBAPP_URL + "v2/") as app:
        sweep = app.application.menus_sweep
        assert sweep is not None and await sweep == 3  # ADMIN_IDS' are set before it
        assert menu_chats(app) == {ADMIN, ORGANISER, SAMARA, 604}
        assert last_menu_call(app, SAMARA)["web_app"] == {"url": WEBAPP_URL + "v2/"}
    async with running_app(db, webapp_url=WEBAPP_URL + "v2/") as app:
        assert app.application.menus_sweep is None
    # The dashboard turned off: its buttons go back to Telegram's default.
    async with running_app(db) as app:
        sweep = app.application.menus_sweep
        assert sweep is not None and await sweep == 3
        assert last_menu_call(app, SAMARA) == {"type": "default"}
        assert last_menu_call(app, ADMIN) == {"type": "default"}


async def test_a_refused_chat_or_a_429_does_not_stop_the_sweep(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    async with running_app(tmp_path / "bot.sqlite3", webapp_url=WEBAPP_URL) as app:
        await build(app)
        app.api.fail_next("setMyCommands", 429, "Too Many Requests: retry after 1", retry_after=1)
        app.api.fail_next("setChatMenuButton", 400, "Bad Request: chat not found")
        with caplog.at_level("WARNING", logger="bot.commands"):
            set_ = await refresh_privileged(app.bot, app.session_factory, app.translator)
        assert set_ == 3  # four privileged people, one chat refused after its 429 was waited out
        assert [c.error.code for c in app.api.errors if c.error] == [429, 400]
        refused = [r.getMessage() for r in caplog.records if r.name == "bot.commands"]
        assert len(refused) == 1 and "TelegramBadRequest" in refused[0]


async def test_language_and_roles_change_the_menu_button(app: App) -> None:
    await build(app)
    organiser = app.client(ORGANISER)
    await organiser.send("/language")
    await organiser.click("🇬🇧 English")
    assert last_menu_call(app, ORGANISER)["text"] == "Dashboard"
    async with app.repo() as repo:  # as the admin's Revoke does
        await repo.roles.revoke(ORGANISER, "organiser")
        await refresh_commands(app.bot, repo, app.translator, ORGANISER)
    assert last_menu_call(app, ORGANISER) == {"type": "default"}


async def test_main_menu_and_organiser_screens_have_the_button(app: App) -> None:
    world = await build(app)
    t = app.t("ru")
    organiser = app.client(ORGANISER)
    await organiser.send("/start")
    assert web_app_buttons(app, ORGANISER) == [
        {"text": t("dash-open-button"), "web_app": {"url": WEBAPP_URL}}
    ]
    resident = app.client(RESIDENT)
    await resident.send("/start")
    assert t("menu-title") in resident.texts() and web_app_buttons(app, RESIDENT) == []
    await organiser.send("/events_admin")
    assert t("dash-open-button") in organiser.buttons()
    await organiser.click_data(
        EvAdminCb(action=EvAdminAction.OPEN, event_id=world.school).pack(), check=False
    )
    assert web_app_buttons(app, ORGANISER)[0] == {
        "text": t("dash-event-button"),
        "web_app": {"url": f"{WEBAPP_URL}?event={world.school}"},
    }


async def test_no_dashboard_without_its_address(tmp_path: Path) -> None:
    async with running_app(tmp_path / "bot.sqlite3") as app:
        await build(app)
        organiser = app.client(ORGANISER)
        await organiser.send("/start")
        await organiser.send("/events_admin")
        assert web_app_buttons(app, ORGANISER) == []
        menus = [c.params for c in app.api.calls if c.method == "setChatMenuButton"]
        assert [m["chat_id"] for m in menus] == [ADMIN]  # a new database: the default is sure
        assert all(m["menu_button"] == {"type": "default"} for m in menus)
        assert app.api.violations == []


def test_the_fake_refuses_what_telegram_refuses() -> None:
    api = FakeBotAPI()
    button = {"type": "web_app", "text": "Панель", "web_app": {"url": "http://dash.example.org/"}}
    with pytest.raises(TelegramError):
        api.handle("setChatMenuButton", {"chat_id": 1, "menu_button": button})
    assert api.violations and "https" in api.violations[0]
    with pytest.raises(TelegramError):
        api.handle(
            "setChatMenuButton", {"chat_id": 1, "menu_button": {"type": "web_app", "text": "x"}}
        )
    api.violations.clear()
    assert (
        api.handle("setChatMenuButton", {"chat_id": 1, "menu_button": {"type": "default"}}) is True
    )
    assert api.handle("getChatMenuButton", {"chat_id": 1}) == {"type": "default"}
    assert api.handle("getChatMenuButton", {"chat_id": 2}) == {"type": "default"}


@pytest.mark.parametrize(
    "url", ["http://dash.example.org/app/", "dash.example.org", "https://dash.example.org/app/#x"]
)
def test_webapp_url_must_be_https(url: str) -> None:
    with pytest.raises(ValidationError, match="webapp_url"):
        Settings(_env_file=None, bot_token=TOKEN, webapp_url=url)  # type: ignore[call-arg]


def test_dashboard_settings_defaults() -> None:
    settings = Settings(_env_file=None, bot_token=TOKEN)  # type: ignore[call-arg]
    assert (settings.webapp_url, settings.web_port, settings.webapp_auth_ttl_seconds) == (
        None,
        8090,
        3600,
    )
    assert Settings(_env_file=None, bot_token=TOKEN, webapp_url="").webapp_url is None  # type: ignore[call-arg]
