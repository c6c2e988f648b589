"""Sync filters run inline, not in a thread.

aiogram runs every filter that is not a coroutine function through `asyncio.to_thread`
(aiogram/dispatcher/event/handler.py, CallableObject.call): each `F.text`, each bare State
used as a filter, each `F.chat.type == ...` on a router is a hand-off to the thread pool and
back. Measured before this: 44 thread round trips for one plain text outside a dialog.
Filters are pure checks of the event (no I/O), so they run inline here: after the routers are
built, every sync filter object gets an async wrapper that calls it directly.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from aiogram import Router
from aiogram.dispatcher.event.handler import FilterObject


def _filters(router: Router) -> Iterator[FilterObject]:
    for observer in router.observers.values():
        owners = [observer._handler, *observer.handlers]  # the observer's own filters too
        for handler in owners:
            yield from handler.filters or ()
    for sub in router.sub_routers:
        yield from _filters(sub)


def run_filters_inline(router: Router) -> int:
    """Wrap the sync filters of this router tree; returns how many were wrapped."""
    wrapped = 0
    for flt in _filters(router):
        if flt.awaitable:
            continue
        sync = flt.callback

        async def inline(*args: Any, _sync: Any = sync, **kwargs: Any) -> Any:
            return _sync(*args, **kwargs)

        flt.callback = inline
        flt.awaitable = True
        wrapped += 1
    return wrapped
