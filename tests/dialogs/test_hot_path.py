"""The per-update hot path stays off the thread pool: no filter is handed to a thread."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import pytest
from aiogram.dispatcher.event import handler as aiogram_handler

from bot.inline_filters import _filters
from tests.dialogs.test_registration import register, to_step
from tests.harness import ON_SERVERS, App


def test_no_filter_of_the_production_routers_goes_to_a_thread(app: App) -> None:
    filters = list(_filters(app.dp))
    assert len(filters) > 100
    assert [f.callback for f in filters if not f.awaitable] == []


async def test_updates_make_no_thread_hops_in_aiogram(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    hops: list[Any] = []
    real = asyncio.to_thread

    async def counted(func: Any, /, *args: Any, **kwargs: Any) -> Any:
        hops.append(func)
        return await real(func, *args, **kwargs)

    monkeypatch.setattr(aiogram_handler.asyncio, "to_thread", counted)
    c = app.client(18001)
    await to_step(c, app, "kind")
    await c.send("просто текст")
    await register(app.client(18002), app)
    assert hops == []


@pytest.mark.skipif(ON_SERVERS, reason="SQLite's connection")
async def test_sqlite_runs_on_the_loop_thread(app: App) -> None:
    """No aiosqlite worker thread: statements run inline (db/sqlite_inline.py)."""
    await register(app.client(18003), app)
    workers = [t.name for t in threading.enumerate() if "connection_worker" in t.name]
    assert workers == []
    async with app.repo() as repo:
        assert await repo.users.count_registered() == 1
