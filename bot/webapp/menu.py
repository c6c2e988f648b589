"""How organisers and admins open the dashboard from the chat: the chat's menu button (set per
chat, like their command menu) and `web_app` buttons in the main menu and /events_admin. All
only when WEBAPP_URL is set; the address travels with the Bot object (`AppBot`)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

from aiogram import Bot
from aiogram.types import InlineKeyboardButton, MenuButtonDefault, MenuButtonWebApp, WebAppInfo

from bot.i18n import Text
from bot.services.dashboard import VIEWERS


class AppBot(Bot):
    """The bot, knowing the dashboard's public address (None: no dashboard)."""

    def __init__(self, *args: Any, webapp_url: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.webapp_url = webapp_url


def webapp_url(bot: Bot, **query: int) -> str | None:
    """The dashboard's address (with `?event=12` and the like for a page of it), or None."""
    base = bot.webapp_url if isinstance(bot, AppBot) else None
    if base is None or not query:
        return base
    parts = urlsplit(base)
    extra = urlencode(query)
    return urlunsplit(parts._replace(query=f"{parts.query}&{extra}" if parts.query else extra))


def may_open(roles: frozenset[str] | set[str]) -> bool:
    return bool(set(roles) & VIEWERS)


def dashboard_button(t: Text, url: str, key: str = "dash-open-button") -> InlineKeyboardButton:
    return InlineKeyboardButton(text=t(key), web_app=WebAppInfo(url=url))


async def set_menu_button(
    bot: Bot, chat_id: int, roles: frozenset[str] | set[str], t: Text, *, reset: bool = False
) -> None:
    """Organisers and admins get "Dashboard" as the chat's menu button; others Telegram's
    default (the commands), so a revoked role loses it. Without a dashboard nothing is sent,
    unless `reset` (the start-up sweep after WEBAPP_URL was unset) puts the default back."""
    url = webapp_url(bot)
    if url is None and not reset:
        return
    if url is not None and may_open(roles):
        button: MenuButtonWebApp | MenuButtonDefault = MenuButtonWebApp(
            text=t("dash-menu-button"), web_app=WebAppInfo(url=url)
        )
    else:
        button = MenuButtonDefault()
    await bot.set_chat_menu_button(chat_id=chat_id, menu_button=button)
