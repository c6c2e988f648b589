"""Errors, floods and races: the person gets a clear answer and loses nothing."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.services import validation
from handlers.registration import Registration
from tests.dialogs.test_registration import register, state_of, to_step
from tests.harness import App, running_app


@pytest.mark.expect_errors
async def test_error_keeps_dialog_state(
    app: App, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    c = app.client(5001)
    t = app.t()
    await to_step(c, app, "municipality")

    def boom(_text: str | None) -> str:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(validation, "municipality", boom)
    with caplog.at_level(logging.ERROR, logger="bot.errors"):
        await c.send("г. Казань")
    assert c.last_text() == t("errors-something-went-wrong")
    assert any("update" in r.message and "RuntimeError" in r.message for r in caplog.records)
    assert all("Казань" not in r.getMessage() for r in caplog.records)
    assert await state_of(app, 5001) == Registration.municipality.state
    monkeypatch.undo()
    await c.send("г. Казань")
    assert await state_of(app, 5001) == Registration.kind.state


async def test_flood_gets_one_warning_then_silence(tmp_path: Path) -> None:
    async with running_app(tmp_path / "bot.sqlite3", throttle_rate=3, throttle_cooldown=60) as app:
        c = app.client(5002)
        t = app.t()
        for _ in range(8):
            await c.send("/help")
        texts = c.texts()
        assert texts.count(t("throttle-warning", seconds=60)) == 1
        assert len(texts) == 4  # three answers and one warning; the rest is dropped
        other = app.client(5003)
        await other.send("/help")  # someone else is not affected
        assert other.last_text() is not None and other.last_text() != t(
            "throttle-warning", seconds=60
        )


async def test_two_fast_taps_are_handled_one_after_another(app: App) -> None:
    c = app.client(5004)
    t = app.t()
    await to_step(c, app, "kind")
    data = c.button_data(t("kind-resident"))
    await asyncio.gather(c.click_data(data), c.click_data(data, check=False))
    assert await state_of(app, 5004) == Registration.confirm.state
    summaries = [x for x in c.texts() if t("registration-summary", fields="")[:10] in x]
    assert len(summaries) == 1
    confirm = c.button_data(t("registration-confirm-button"))
    await asyncio.gather(*(c.click_data(confirm, check=False) for _ in range(5)))
    async with app.repo() as repo:
        assert await repo.users.count_registered() == 1
    done = t("registration-done", name="Иванова Анна-Мария Петровна")
    assert sum(done in x for x in c.texts()) == 1


@pytest.mark.expect_errors
async def test_failed_update_leaves_no_trace_in_caches(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A language change whose update fails is rolled back, and no cache remembers it."""
    from bot.services import registration as registration_service

    c = app.client(5005)
    t = app.t()
    await to_step(c, app, "name")
    await c.send("Анна Петрова")  # the FSM and the person's snapshot are cached now

    set_language = registration_service.set_language

    async def half_done(*args: Any) -> None:
        await set_language(*args)  # written in the transaction, then the update fails
        raise RuntimeError("menu service down")

    monkeypatch.setattr(registration_service, "set_language", half_done)
    await c.send("/language")
    await c.click("🇬🇧 English")
    assert c.last_text() == t("errors-something-went-wrong")
    monkeypatch.undo()
    await c.send("/start")  # still Russian, still at the phone step
    assert c.last_text() == t("registration-ask-phone", step=2, total=5)
    async with app.repo() as repo:
        user = await repo.users.get(5005)
        assert user is not None and user.language == "ru"


async def test_update_delivered_twice_is_handled_once(app: App) -> None:
    """A webhook retry after a timeout, or getUpdates again after a crash: one answer."""
    c = app.client(5010)
    t = app.t()
    await register(c, app)
    await c.send("/ask")
    question = app.updates.message(5010, "Как провести общее собрание жителей нашего дома?")
    await c.feed(question)
    asked = len(c.texts())
    await c.feed(question)
    assert len(c.texts()) == asked
    async with app.repo() as repo:
        assert await repo.handled_updates.claim(question["update_id"], datetime.now(UTC)) is False
    await c.send("/cancel")
    assert c.last_text() == t("common-cancelled")


async def test_forged_ids_beyond_64_bits_are_outdated_buttons(app: App) -> None:
    """No database id is 2**63 or more: such a press is an outdated button, not an error."""
    from bot.ui.callbacks.admin import AdminAction, AdminCb
    from bot.ui.callbacks.events import EventAction, EventCb
    from bot.ui.callbacks.questions import MineAction, MineCb
    from bot.ui.callbacks.tos import JoinAction, JoinCb
    from tests.harness import ADMIN_ID

    c = app.client(5011)
    t = app.t()
    await register(c, app)
    huge = 2**64
    forged = [
        EventCb(action=EventAction.OPEN, event_id=huge).pack(),
        EventCb(action=EventAction.SIGN_UP, event_id=-huge).pack(),
        JoinCb(action=JoinAction.REQUEST, tos_id=huge).pack(),
        MineCb(action=MineAction.OPEN, question_id=2**63).pack(),
    ]
    for data in forged:
        await c.click_data(data, check=False)
    assert c.alerts() == [t("common-button-outdated")] * len(forged)
    admin = app.client(ADMIN_ID)
    await admin.send("/start")
    await admin.click_data(AdminCb(action=AdminAction.PEOPLE, user_id=huge).pack(), check=False)
    assert admin.alerts() == [t("common-button-outdated")] * (len(forged) + 1)  # all chats
