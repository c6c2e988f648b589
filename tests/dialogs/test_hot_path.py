"""The per-update hot path: no filter is handed to a thread, a step that only moves the
dialog commits once, and no Bot API call repeats what the chat shows already."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import pytest
from aiogram.dispatcher.event import handler as aiogram_handler
from sqlalchemy import event

from bot.inline_filters import _filters
from handlers.registration import Registration
from tests.dialogs.test_registration import TATARSTAN, register, state_of, to_step
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


@pytest.mark.skipif(ON_SERVERS, reason="SQLite: claims known in memory, the FSM in the database")
async def test_a_step_commits_once(app: App) -> None:
    """The update's claim rides along with the step's one commit: the dialog state's,
    before the next question goes out, or the update's last (db/session_hooks.py)."""
    c = app.client(18004)
    t = app.t()
    await to_step(c, app, "region")
    commits: list[int] = []
    written: list[str] = []  # the statements since the last commit

    def statement(*args: Any) -> None:
        written.append(args[2])

    def count(_connection: Any) -> None:
        # The outbox's drain commits on the same engine now and then: not this update's.
        if any("outbox" not in sql for sql in written):
            commits.append(1)
        written.clear()

    event.listen(app.engine.sync_engine, "before_cursor_execute", statement)
    event.listen(app.engine.sync_engine, "commit", count)
    try:
        await c.send("татарстан")  # the matching regions: no state changes
        assert c.last_text() == t("registration-region-matches", count=1)
        assert len(commits) == 1
        await c.click(TATARSTAN["ru"])  # the next question in the pressed message's place
        chosen = t("registration-region-chosen", region=TATARSTAN["ru"])
        assert c.last_text() == chosen + "\n\n" + t(
            "registration-ask-municipality", step=4, total=5
        )
        assert len(commits) == 2
    finally:
        event.remove(app.engine.sync_engine, "commit", count)
        event.remove(app.engine.sync_engine, "before_cursor_execute", statement)
    assert await state_of(app, 18004) == Registration.municipality.state


async def test_a_residents_registration_leaves_the_default_menu(app: App) -> None:
    """A resident's menu is the one every private chat has: no per-chat menu is sent. A
    chair's has one command more, so their chat gets its own."""
    resident, chair = app.client(18005), app.client(18006)
    t = app.t()
    await register(resident, app)
    await to_step(chair, app, "kind")
    await chair.click(t("kind-tos_chair"))
    await chair.click(t("registration-confirm-button"))
    scoped = {
        call.params["scope"]["chat_id"]: [c["command"] for c in call.params["commands"]]
        for call in app.api.calls
        if call.method == "setMyCommands" and call.params.get("scope", {}).get("chat_id")
    }
    assert 18005 not in scoped
    assert "tos_calendar" in scoped[18006]
