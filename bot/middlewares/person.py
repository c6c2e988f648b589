"""Who sent the update: their row and roles (from the database, every update) and their texts."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject, User

from bot.commands import forget_sender, remember_sender
from bot.i18n import Translator
from db.repositories import Repo


class PersonMiddleware(BaseMiddleware):
    def __init__(self, translator: Translator) -> None:
        self._translator = translator

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        tg_user: User | None = data.get("event_from_user")
        repo: Repo = data["repo"]
        snapshot = await repo.users.snapshot(tg_user.id) if tg_user else None
        if snapshot is not None and snapshot.banned:
            return None  # banned by an admin: no handler, no answer (bot/middlewares/banned.py)
        if snapshot is not None:
            lang = snapshot.language
        else:
            lang = self._translator.pick_language(tg_user.language_code if tg_user else None)
        data["user"] = snapshot
        data["lang"] = lang
        data["t"] = self._translator.for_locale(lang)
        if tg_user is None:
            return await handler(event, data)
        # What their chat's menus are as the update finds them (bot/commands.py).
        token = remember_sender(tg_user.id, snapshot, tg_user.language_code)
        try:
            return await handler(event, data)
        finally:
            forget_sender(token)
