"""Flood control: over the rate, one polite warning, then silence for a cool-down."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.types import TelegramObject, Update, User
from aiolimiter import AsyncLimiter

from bot.i18n import Translator

log = logging.getLogger(__name__)


class ThrottlingMiddleware(BaseMiddleware):
    # Idle people's limiters are forgotten after this long, so memory stays bounded.
    FORGET_AFTER = 300.0

    def __init__(self, translator: Translator, rate: int, period: float, cooldown: float) -> None:
        self._translator = translator
        self._rate, self._period, self._cooldown = rate, period, cooldown
        self._limiters: dict[int, tuple[AsyncLimiter, float]] = {}
        self._muted_until: dict[int, float] = {}
        self._last_sweep = time.monotonic()

    def _limiter(self, user_id: int, now: float) -> AsyncLimiter:
        entry = self._limiters.get(user_id)
        limiter = entry[0] if entry else AsyncLimiter(self._rate, self._period)
        self._limiters[user_id] = (limiter, now)
        if now - self._last_sweep > self.FORGET_AFTER:
            self._last_sweep = now
            for uid, (_, seen) in list(self._limiters.items()):
                if now - seen > self.FORGET_AFTER:
                    del self._limiters[uid]
            for uid, until in list(self._muted_until.items()):
                if until < now:
                    del self._muted_until[uid]
        return limiter

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        user: User | None = data.get("event_from_user")
        if user is None:
            return await handler(event, data)
        now = time.monotonic()
        if self._muted_until.get(user.id, 0.0) > now:
            return None  # still cooling down: drop silently
        limiter = self._limiter(user.id, now)
        if limiter.has_capacity():
            await limiter.acquire()
            return await handler(event, data)
        self._muted_until[user.id] = now + self._cooldown
        log.info("flood: update %s dropped, sender muted", getattr(event, "update_id", "?"))
        await self._warn(data["bot"], event, user)
        return None

    async def _warn(self, bot: Bot, event: TelegramObject, user: User) -> None:
        t = self._translator.for_locale(self._translator.pick_language(user.language_code))
        text = t("throttle-warning", seconds=round(self._cooldown))
        if isinstance(event, Update) and event.callback_query is not None:
            await bot.answer_callback_query(event.callback_query.id, text=text)
        else:
            await bot.send_message(user.id, text)
