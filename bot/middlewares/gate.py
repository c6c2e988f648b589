"""Role check on privileged routers: runs after a handler matched, against roles read from
the database for this very update (never from a cache), so a forged button or a revoked role
gets nowhere."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import CallbackQuery, Message, TelegramObject

from bot.i18n import Text
from bot.services.roles import Role
from db.repositories import Repo

log = logging.getLogger("bot.security")


class RoleGate(BaseMiddleware):
    def __init__(self, *roles: Role) -> None:
        self._roles = {r.value for r in roles}

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        sender = data.get("event_from_user")
        repo: Repo = data["repo"]
        if sender is not None and await repo.roles.of(sender.id) & self._roles:
            return await handler(event, data)
        log.warning(
            "refused %s by user %s: needs one of %s",
            type(event).__name__,
            sender.id if sender else "?",
            sorted(self._roles),
        )
        t: Text = data["t"]
        if isinstance(event, CallbackQuery):
            await event.answer(t("common-not-allowed"), show_alert=True)
        elif isinstance(event, Message):
            await event.answer(t("common-not-allowed"))
        return None
