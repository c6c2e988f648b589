"""SIGTERM while updates are being handled (a container stopped, a deploy): the real process
lets them finish within SHUTDOWN_TIMEOUT, cancels what outlives it, and exits 0 before
Docker's SIGKILL. The fake Bot API holds a request unanswered to keep an update in flight."""

from __future__ import annotations

import asyncio
import signal
import time
from pathlib import Path
from typing import Any

import pytest
from aiogram.fsm.storage.base import StorageKey

from bot.factory import create_storage
from bot.i18n import Translator
from db.engine import create_engine, create_session_factory
from handlers.registration import Registration
from tests import harness
from tests.e2e.process import BotProcess, Person, free_port
from tests.fake_telegram.core import Call
from tests.fake_telegram.server import FakeTelegramServer

pytestmark = pytest.mark.asyncio(loop_scope="module")
ru = Translator().for_locale("ru")
BOUND = 30  # seconds: far above SHUTDOWN_TIMEOUT, to catch a stop that hangs
SECRET = "s3cret-token_for-tests"


async def _logged(process: BotProcess, text: str) -> None:
    """Wait until the process logs `text` (or exits: then the assertion names the log)."""
    assert process.proc is not None
    for _ in range(BOUND * 20):
        log = process.log.read_text(errors="replace")
        if text in log or process.proc.returncode is not None:
            break
        await asyncio.sleep(0.05)
    assert text in log, log


async def _terminated(process: BotProcess) -> tuple[int, float]:
    """SIGTERM; the exit code and the seconds it took."""
    assert process.proc is not None
    started = time.monotonic()
    process.proc.send_signal(signal.SIGTERM)
    try:
        code = await asyncio.wait_for(process.proc.wait(), BOUND)
    except TimeoutError:
        process.proc.kill()
        await process.proc.wait()
        pytest.fail(f"still running {BOUND} s after SIGTERM:\n{process.log.read_text()}")
    return code, time.monotonic() - started


def _press(server: FakeTelegramServer, person: Person, label: str) -> None:
    """Press a button without waiting for an answer."""
    data = next(d for text, d in server.api.buttons(person.user_id) if text == label and d)
    server.push_update(server.api.updates.callback(person.user_id, data, language_code="ru"))


def _to(person: Person, method: str, text: str | None = None) -> Any:
    def matches(call: Call) -> bool:
        return (
            call.method == method
            and call.params.get("chat_id") == person.user_id
            and (text is None or call.params.get("text") == text)
        )

    return matches


async def _dialog_state(process: BotProcess, user_id: int) -> str | None:
    """The person's dialog state as the bot stored it (the database, or Redis)."""
    settings = harness.make_settings(process.workdir / "bot.sqlite3")
    engine = create_engine(settings.database_url)
    storage, _isolation = create_storage(settings, create_session_factory(engine))
    try:
        return await storage.get_state(StorageKey(bot_id=42, chat_id=user_id, user_id=user_id))
    finally:
        await storage.close()
        await engine.dispose()


async def test_polling_lets_updates_in_flight_finish_and_cancels_the_rest(
    tmp_path: Path,
) -> None:
    async with FakeTelegramServer() as server:
        bot = BotProcess(server, tmp_path, RUN_MODE="polling", SHUTDOWN_TIMEOUT="10")
        await bot.start()
        finisher, overstayer = Person(server, 8101), Person(server, 8102)
        await finisher.send("/start", expect=ru("start-greeting"))
        await finisher.click(ru("start-register-button"))  # the consent text comes
        await overstayer.send("/start", expect=ru("start-greeting"))

        # The finisher agrees; Telegram is slow to answer the edit that puts the next question
        # under the consent, so the update is mid-way (consent saved, the question not yet
        # shown, the button not answered) at the SIGTERM.
        release = server.api.hold("editMessageText", finisher.user_id)
        # The overstayer's update waits on Telegram longer than SHUTDOWN_TIMEOUT.
        server.api.hold("sendMessage", overstayer.user_id)
        since = len(server.api.calls)
        _press(server, finisher, ru("registration-consent-agree"))
        _press(server, overstayer, ru("start-register-button"))
        await server.api.wait_for(_to(finisher, "editMessageText"), 20, since=since)
        await server.api.wait_for(_to(overstayer, "sendMessage"), 20, since=since)

        stopping = asyncio.create_task(_terminated(bot))
        await _logged(bot, "stopping: 2 updates in flight")
        release.set()
        code, took = await stopping

    assert code == 0, bot.log.read_text()
    assert took < BOUND
    after = server.api.calls[since:]
    # The finisher's update went on after the slow request: the next question was shown,
    # the button answered, and the dialog state committed.
    ask_name = ru("registration-ask-name", step=1, total=5)
    edits = [c for c in after if _to(finisher, "editMessageText")(c)]
    assert [c.ok for c in edits] == [True]
    assert edits[0].params["text"].endswith(ask_name)
    assert await _dialog_state(bot, finisher.user_id) == Registration.full_name.state
    # The overstayer's was cancelled after SHUTDOWN_TIMEOUT: only the finisher's button
    # was answered (that happens after the handler).
    assert [c.ok for c in after if c.method == "answerCallbackQuery"] == [True]
    log = bot.log.read_text(errors="replace")
    assert "stopping: 1 updates outlived 10.0 s, cancelled" in log
    assert "Traceback" not in log


def _webhook_bot(server: FakeTelegramServer, workdir: Path, timeout: str) -> BotProcess:
    port = free_port()
    return BotProcess(
        server,
        workdir,
        RUN_MODE="webhook",
        WEBHOOK_BASE_URL=f"http://127.0.0.1:{port}",
        WEBHOOK_SECRET=SECRET,
        WEBHOOK_HOST="127.0.0.1",
        WEBHOOK_PORT=str(port),
        SHUTDOWN_TIMEOUT=timeout,
    )


async def test_webhook_lets_the_update_in_flight_finish(tmp_path: Path) -> None:
    async with FakeTelegramServer(retry_delay=0.3) as server:
        bot = _webhook_bot(server, tmp_path, "10")
        await bot.start()
        person = Person(server, 8201)
        await person.send("/start", expect=ru("start-greeting"))
        release = server.api.hold("sendMessage", person.user_id)  # the consent text
        since, posted = len(server.api.calls), len(server.webhook_attempts)
        _press(server, person, ru("start-register-button"))
        await server.api.wait_for(_to(person, "sendMessage"), 20, since=since)

        stopping = asyncio.create_task(_terminated(bot))
        await _logged(bot, "stopping: the updates being handled have up to 10.0 s")
        release.set()
        code, took = await stopping

    assert code == 0 and took < BOUND, bot.log.read_text()
    # Handled to the end, and Telegram was told so (it will not deliver the update again).
    assert [a.status for a in server.webhook_attempts[posted:]] == [200]
    assert any(c.method == "answerCallbackQuery" and c.ok for c in server.api.calls[since:])
    assert await _dialog_state(bot, person.user_id) == Registration.consent.state


async def test_webhook_gives_an_update_only_shutdown_timeout(tmp_path: Path) -> None:
    async with FakeTelegramServer(retry_delay=0.3) as server:
        bot = _webhook_bot(server, tmp_path, "2")
        await bot.start()
        person = Person(server, 8301)
        await person.send("/start", expect=ru("start-greeting"))
        server.api.hold("sendMessage", person.user_id)  # never answered
        since, posted = len(server.api.calls), len(server.webhook_attempts)
        _press(server, person, ru("start-register-button"))
        await server.api.wait_for(_to(person, "sendMessage"), 20, since=since)
        code, took = await _terminated(bot)

    assert code == 0, bot.log.read_text()
    # aiohttp's own default would have held the stop for 60 s, past Docker's SIGKILL.
    assert took < BOUND
    # No answer for the cancelled update: Telegram delivers it again (to the next instance).
    assert 200 not in [a.status for a in server.webhook_attempts[posted:]]
    assert not any(c.method == "answerCallbackQuery" for c in server.api.calls[since:])
