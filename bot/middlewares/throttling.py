"""Flood control: over the rate, one polite warning, then silence for a cool-down. Counted in
the process, or in Redis when several instances share the load (REDIS_URL)."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from enum import Enum
from typing import TYPE_CHECKING, Any

from aiogram import BaseMiddleware, Bot
from aiogram.enums import ChatType
from aiogram.exceptions import TelegramAPIError
from aiogram.types import TelegramObject, Update, User
from aiolimiter import AsyncLimiter

from bot.i18n import Translator

if TYPE_CHECKING:  # redis is imported only when REDIS_URL is set (it costs 20 MB)
    from redis.asyncio import Redis

log = logging.getLogger(__name__)


class Verdict(Enum):
    ADMIT = "admit"
    WARN = "warn"  # over the rate just now: one warning, then the cool-down
    DROP = "drop"  # cooling down


class LocalFlood:
    """One process's view: a leaky bucket per person, forgotten after a while idle."""

    # Idle people's limiters are forgotten after this long, so memory stays bounded.
    FORGET_AFTER = 300.0

    def __init__(self, rate: int, period: float, cooldown: float) -> None:
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

    async def admit(self, user_id: int) -> Verdict:
        now = time.monotonic()
        if self._muted_until.get(user_id, 0.0) > now:
            return Verdict.DROP
        limiter = self._limiter(user_id, now)
        if limiter.has_capacity():
            await limiter.acquire()
            return Verdict.ADMIT
        self._muted_until[user_id] = now + self._cooldown
        return Verdict.WARN


class RedisFlood:
    """Every instance's view, in Redis: a count per person and window of `period` seconds,
    and a mute key that expires with the cool-down (SET NX: one instance warns, once)."""

    def __init__(self, redis: Redis, prefix: str, rate: int, period: float, cooldown: float):
        self._redis, self._prefix = redis, prefix
        self._rate, self._period_ms, self._cooldown_ms = (
            rate,
            int(period * 1000),
            int(cooldown * 1000),
        )

    async def admit(self, user_id: int) -> Verdict:
        window = int(time.time() * 1000) // self._period_ms
        count_key = f"{self._prefix}:flood:{user_id}:{window}"
        mute_key = f"{self._prefix}:flood:{user_id}:muted"
        async with self._redis.pipeline(transaction=False) as pipe:
            pipe.exists(mute_key)
            pipe.incr(count_key)
            pipe.pexpire(count_key, 2 * self._period_ms)
            muted, count, _ = await pipe.execute()
        if muted:
            return Verdict.DROP
        if count <= self._rate:
            return Verdict.ADMIT
        first = await self._redis.set(mute_key, 1, nx=True, px=max(self._cooldown_ms, 1))
        return Verdict.WARN if first else Verdict.DROP


class ThrottlingMiddleware(BaseMiddleware):
    def __init__(
        self,
        translator: Translator,
        flood: LocalFlood | RedisFlood,
        cooldown: float,
        banned: Callable[[int], Awaitable[bool]] | None = None,
    ):
        self._translator = translator
        self._flood = flood
        self._cooldown = cooldown
        # Asked before refusing a flooder: a banned person is not even warned.
        self._banned = banned

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        user: User | None = data.get("event_from_user")
        if user is None:
            return await handler(event, data)
        verdict = await self._flood.admit(user.id)
        if verdict is Verdict.ADMIT:
            return await handler(event, data)
        if self._banned is not None and await self._banned(user.id):
            return None
        if verdict is Verdict.WARN:
            log.info("flood: update %s dropped, sender muted", getattr(event, "update_id", "?"))
        try:
            await self._refuse(data["bot"], event, user, warn=verdict is Verdict.WARN)
        except TelegramAPIError as exc:  # blocked by them, or a query too old: nothing to tell
            log.info("flood: the refusal was not delivered: %s", type(exc).__name__)
        return None

    async def _refuse(self, bot: Bot, event: TelegramObject, user: User, *, warn: bool) -> None:
        """A press is always answered (no button keeps spinning), with the warning the first
        time; a message gets the warning once, in a private chat only (a group is not told
        about one member's flood, and a stranger who never started the bot cannot be)."""
        text = None
        if warn:
            t = self._translator.for_locale(self._translator.pick_language(user.language_code))
            text = t("throttle-warning", seconds=round(self._cooldown))
        if not isinstance(event, Update):
            return
        if event.callback_query is not None:
            await bot.answer_callback_query(event.callback_query.id, text=text)
        elif (
            text is not None
            and event.message is not None
            and event.message.chat.type == ChatType.PRIVATE
        ):
            await bot.send_message(event.message.chat.id, text)
