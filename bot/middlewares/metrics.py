"""Updates counted and timed by the handler that took them (bot/metrics.py).

`MeasureUpdates` is the first outer middleware on `update`: it times the whole update and
leaves a slot in the middleware data; `NameHandler`, an inner middleware on the
dispatcher's observers (which every router's handlers pass through), writes the matched
handler's name into it. The cost per update: two middleware calls, one counter increment,
one histogram observation; the label children are made once per handler.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware, Dispatcher
from aiogram.dispatcher.event.handler import HandlerObject
from aiogram.types import TelegramObject
from prometheus_client import Counter, Histogram

from bot.metrics import ERRORS, UPDATE_SECONDS, UPDATES

SLOT = "metrics_slot"
NONE = "none"  # no handler took the update


class _Slot:
    __slots__ = ("name",)

    def __init__(self) -> None:
        self.name = NONE


class _Children:
    """The label children of one handler, made once (labels() takes a lock each call)."""

    __slots__ = ("error", "ok", "seconds")

    def __init__(self, name: str) -> None:
        self.ok: Counter = UPDATES.labels(name, "ok")
        self.error: Counter = UPDATES.labels(name, "error")
        self.seconds: Histogram = UPDATE_SECONDS.labels(name)


_failed = ERRORS.labels("update")
_children: dict[str, _Children] = {}
_names: dict[Callable[..., Any], str] = {}


def _of(name: str) -> _Children:
    found = _children.get(name)
    if found is None:
        found = _children[name] = _Children(name)
    return found


def handler_name(handler: HandlerObject) -> str:
    """`admin.people_listed`: the handler's module (last part) and function; a step engine's
    handler is named by the dialog that declared it (`registration.typed`)."""
    callback = handler.callback
    name = _names.get(callback)
    if name is None:
        owner = getattr(callback, "__self__", None)
        module = getattr(owner, "dialog_module", None) or getattr(callback, "__module__", "") or ""
        name = f"{module.rpartition('.')[2]}.{getattr(callback, '__name__', 'handler')}"
        _names[callback] = name
    return name


class MeasureUpdates(BaseMiddleware):
    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        slot = data[SLOT] = _Slot()
        started = time.perf_counter()
        try:
            result = await handler(event, data)
        except BaseException:
            children = _of(slot.name)
            children.error.inc()
            _failed.inc()
            children.seconds.observe(time.perf_counter() - started)
            raise
        children = _of(slot.name)
        children.ok.inc()
        children.seconds.observe(time.perf_counter() - started)
        return result


class NameHandler(BaseMiddleware):
    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        slot: _Slot | None = data.get(SLOT)
        matched: HandlerObject | None = data.get("handler")
        if slot is not None and matched is not None:
            slot.name = handler_name(matched)
        return await handler(event, data)


def measure(dp: Dispatcher) -> None:
    """Install both on `dp`: call before the other outer middlewares on `update`, so the
    time includes them (the flood check, the transaction, the dialog lock)."""
    dp.update.outer_middleware(MeasureUpdates())
    naming = NameHandler()
    for name, observer in dp.observers.items():
        if name not in ("update", "error"):
            observer.middleware(naming)
