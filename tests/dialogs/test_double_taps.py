"""Ordinary double taps, old buttons, late presses, floods and 429s: the person sees what they
did, never "Something went wrong" (issue 16, items 1, 2, 6 and 7)."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from bot.services.regions import catalog
from bot.ui.pagination import page_count
from bot.ui.regions import PAGE_SIZE
from handlers.common import help_text
from handlers.registration import Registration
from tests.dialogs.test_registration import register, state_of, to_step
from tests.fake_telegram.core import NOT_MODIFIED, QUERY_TOO_OLD
from tests.harness import App, BotClient, running_app

GROUP = -1001234567890


def refusals(app: App) -> list[str]:
    """Descriptions of the errors the fake Bot API answered with."""
    return [c.error.description for c in app.api.errors if c.error]


def button_in_newest(c: BotClient, label: str) -> tuple[str, int]:
    data = c.button_data(label)
    message = c.app.api.keyboard_message(c.user_id, lambda b: b.get("callback_data") == data)
    assert message is not None
    return data, message["message_id"]


async def twice(c: BotClient, label: str) -> None:
    """Two taps on one button before the first answer arrives (the same message, twice)."""
    data, message_id = button_in_newest(c, label)
    await c.click_data(data, message_id)
    await c.click_data(data, message_id, check=False)


async def test_cancel_twice_cancels_once_and_says_so(tmp_path: Path) -> None:
    async with running_app(tmp_path / "bot.sqlite3") as app:
        c = app.client(16001)
        t = app.t()
        await to_step(c, app, "name")
        await twice(c, t("common-cancel-button"))
        assert await state_of(app, 16001) is None
        assert c.texts().count(t("common-cancelled")) == 1
        assert t("errors-something-went-wrong") not in c.texts()
        assert t("common-nothing-to-cancel") in c.alerts()
        assert refusals(app) == [f"Bad Request: {NOT_MODIFIED}"]


async def test_language_button_twice(tmp_path: Path) -> None:
    async with running_app(tmp_path / "bot.sqlite3") as app:
        c = app.client(16002)
        await c.send("/language")
        await twice(c, app.t()("language-name-en"))
        assert app.t("en")("language-set") in c.texts()
        assert app.t("en")("errors-something-went-wrong") not in c.texts()
        assert app.t()("errors-something-went-wrong") not in c.texts()
        async with app.repo() as repo:
            snapshot = await repo.users.snapshot(16002)
            assert snapshot is not None and snapshot.language == "en"
        assert set(refusals(app)) <= {f"Bad Request: {NOT_MODIFIED}"}


async def test_erase_no_twice(tmp_path: Path) -> None:
    async with running_app(tmp_path / "bot.sqlite3") as app:
        c = app.client(16003)
        t = app.t()
        await register(c, app)
        await c.send("/delete_me")
        await twice(c, t("personal-data-erase-no"))
        assert c.texts().count(t("personal-data-erase-aborted")) == 1
        assert t("errors-something-went-wrong") not in c.texts()
        async with app.repo() as repo:
            assert await repo.users.get(16003) is not None
        assert refusals(app) == [f"Bad Request: {NOT_MODIFIED}"]


async def test_region_page_arrow_twice(tmp_path: Path) -> None:
    async with running_app(tmp_path / "bot.sqlite3") as app:
        c = app.client(16004)
        t = app.t()
        await to_step(c, app, "region")
        await c.send("zzz")  # no match: the full list, page 1
        await twice(c, "▶️")
        assert t("errors-something-went-wrong") not in c.texts()
        pages = page_count(len(catalog()), PAGE_SIZE)
        assert t("common-page", number=2, count=pages) in c.buttons()
        assert await state_of(app, 16004) == Registration.region.state
        assert refusals(app) == [f"Bad Request: {NOT_MODIFIED}"]


async def test_old_cancel_leaves_the_dialog_open_now(app: App) -> None:
    """Cancel of an /ask prompt pressed while /find_tos is open: /find_tos goes on."""
    c = app.client(16005)
    t = app.t()
    await register(c, app)
    await c.send("/ask")
    old_cancel = button_in_newest(c, t("common-cancel-button"))
    await c.send("/cancel")
    await c.send("/find_tos")
    assert await state_of(app, 16005) == "TosFind:browsing"
    await c.click_data(*old_cancel)
    assert await state_of(app, 16005) == "TosFind:browsing"
    assert t("common-nav-other-dialog") in c.alerts()
    assert c.texts().count(t("common-cancelled")) == 1  # the /cancel typed, not the old button


async def test_old_back_does_not_step_another_dialog(app: App) -> None:
    c = app.client(16006)
    t = app.t()
    await register(c, app)
    await c.send("/ask")
    await c.send("Как провести общее собрание жителей нашего дома?")
    old_back = button_in_newest(c, t("common-back-button"))
    await c.send("/cancel")
    await c.send("/find_tos")
    await c.click_data(*old_back)
    assert await state_of(app, 16006) == "TosFind:browsing"
    assert t("common-nav-other-dialog") in c.alerts()


async def test_press_older_than_telegram_keeps_is_done_quietly(tmp_path: Path) -> None:
    """Queued while the bot was down: the language changes; only the late answer is refused."""
    async with running_app(tmp_path / "bot.sqlite3") as app:
        c = app.client(16007)
        await c.send("/language")
        update = app.updates.callback(16007, c.button_data(app.t()("language-name-en")))
        app.api.expire_query(update["callback_query"]["id"])
        await c.feed(update)
        async with app.repo() as repo:
            snapshot = await repo.users.snapshot(16007)
            assert snapshot is not None and snapshot.language == "en"
        assert app.t("en")("language-set") in c.texts()
        assert app.t("en")("errors-something-went-wrong") not in c.texts()
        assert refusals(app) == [f"Bad Request: {QUERY_TOO_OLD}"]


async def test_group_flood_of_a_stranger_posts_nothing_into_the_group(tmp_path: Path) -> None:
    async with running_app(
        tmp_path / "bot.sqlite3", throttle_rate=2, throttle_cooldown=60, experts_group_id=GROUP
    ) as app:
        stranger = app.client(16008)
        app.api.block(16008)  # never started the bot: Telegram refuses messages to them
        for n in range(6):
            await stranger.feed(app.updates.group_text(GROUP, 16008, f"флуд {n}"))
        into_group = [c for c in app.api.calls if c.params.get("chat_id") == GROUP]
        assert into_group == []
        assert [c for c in app.api.calls if c.params.get("chat_id") == 16008] == []


async def test_throttled_presses_are_all_answered(tmp_path: Path) -> None:
    async with running_app(tmp_path / "bot.sqlite3", throttle_rate=2, throttle_cooldown=60) as app:
        c = app.client(16009)
        t = app.t()
        await c.send("/language")
        data = c.button_data(t("language-name-ru"))
        before = len(app.api.calls)
        presses = [app.updates.callback(16009, data) for _ in range(5)]
        for update in presses:
            await c.feed(update)
        answered = {
            call.params["callback_query_id"]
            for call in app.api.calls[before:]
            if call.method == "answerCallbackQuery"
        }
        assert answered == {u["callback_query"]["id"] for u in presses}
        assert c.alerts().count(t("throttle-warning", seconds=60)) == 1


async def test_reply_after_429_is_retried_once(tmp_path: Path) -> None:
    async with running_app(tmp_path / "bot.sqlite3") as app:
        c = app.client(16010)
        app.api.fail_next("sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1)
        started = time.monotonic()
        await c.send("/help")
        assert time.monotonic() - started >= 1
        assert c.last_text() == help_text(app.t(), None)
        assert [call.error.code for call in app.api.errors if call.error] == [429]


async def test_second_429_sends_no_apology_into_the_chat(tmp_path: Path) -> None:
    async with running_app(tmp_path / "bot.sqlite3") as app:
        c = app.client(16011)
        app.api.fail_next(
            "sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1, times=2
        )
        await c.send("/help")
        sends = [call for call in app.api.calls if call.method == "sendMessage"]
        assert [call.error.code for call in sends if call.error] == [429, 429]
        assert [call for call in sends if call.error is None] == []  # no apology into the wait


async def test_long_429_is_not_waited_out_inside_the_update(tmp_path: Path) -> None:
    async with running_app(tmp_path / "bot.sqlite3") as app:
        c = app.client(16012)
        app.api.fail_next("sendMessage", 429, "Too Many Requests: retry after 300", retry_after=300)
        started = time.monotonic()
        await asyncio.wait_for(c.send("/help"), 10)
        assert time.monotonic() - started < 10
        sends = [call for call in app.api.calls if call.method == "sendMessage"]
        assert len(sends) == 1 and sends[0].error is not None
