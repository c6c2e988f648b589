"""The real process in webhook mode: the secret is checked, updates survive a crash."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime, timedelta

import aiohttp
import pytest

from bot.i18n import Translator
from tests.dashboard.initdata import header
from tests.e2e.conftest import log_of
from tests.e2e.process import BotProcess, Person
from tests.e2e.scrape import scrape, total, value
from tests.fake_telegram.server import FakeTelegramServer

pytestmark = pytest.mark.asyncio(loop_scope="module")
ru = Translator().for_locale("ru")


def webhook_url(bot: BotProcess) -> str:
    return bot.env["WEBHOOK_BASE_URL"] + "/telegram/webhook"


async def test_webhook_registered_with_secret(
    server: FakeTelegramServer, webhook_bot: BotProcess
) -> None:
    assert server.api.webhook_url == webhook_url(webhook_bot)
    assert server.api.webhook_secret == "s3cret-token_for-tests"


async def test_request_without_secret_is_refused(
    server: FakeTelegramServer, webhook_bot: BotProcess
) -> None:
    update = server.api.updates.message(7101, "/start")
    since = len(server.api.calls)
    async with aiohttp.ClientSession() as http:
        for headers in ({}, {"X-Telegram-Bot-Api-Secret-Token": "wrong"}):
            async with http.post(
                webhook_url(webhook_bot), json=update, headers=headers
            ) as response:
                assert response.status == 401
        async with http.get(webhook_bot.env["WEBHOOK_BASE_URL"] + "/healthz") as response:
            assert response.status == 200
    await asyncio.sleep(1.0)
    assert [c for c in server.api.calls[since:] if c.params.get("chat_id") == 7101] == []


async def test_dialog_over_webhook_survives_a_kill(
    server: FakeTelegramServer, webhook_bot: BotProcess
) -> None:
    person = Person(server, 7102)
    await person.send("/start", expect=ru("start-greeting"))
    await person.click(ru("start-register-button"))
    await person.click(
        ru("registration-consent-agree"), expect="…" + ru("registration-ask-name", step=1, total=5)
    )
    await webhook_bot.kill()
    # Sent while the bot is down: Telegram (the fake) keeps retrying until it gets a 200.
    answered = asyncio.ensure_future(
        person.send(
            "Пётр Смирнов", expect=ru("registration-ask-phone", step=2, total=5), timeout=60
        )
    )
    await asyncio.sleep(1.0)
    assert not answered.done()
    await webhook_bot.start()
    await answered
    await person.send("+7 912 345-67-11", expect=ru("registration-ask-region", step=3, total=5))
    failed = [a for a in server.webhook_attempts if a.status != 200]
    assert failed, "the update sent during the outage was retried"


async def test_webhook_mode_serves_it_on_the_webhook_server(
    server: FakeTelegramServer, webhook_bot: BotProcess
) -> None:
    base = webhook_bot.env["WEBHOOK_BASE_URL"]
    async with aiohttp.ClientSession() as http:
        async with http.get(base + "/app/app.js") as script:
            assert script.status == 200
        async with http.get(base + "/api/texts?lang=en") as texts:
            assert (await texts.json())["texts"]["dash-title"] == "Organiser dashboard"
        # Signed by Telegram, but this process has no admins or organisers: refused.
        async with http.get(base + "/api/overview", headers=header(server.token, 7555)) as who:
            assert who.status == 403
        async with http.get(base + "/api/overview") as nobody:
            assert nobody.status == 401


async def test_update_delivered_twice_is_handled_once_and_non_updates_get_400(
    server: FakeTelegramServer, webhook_bot: BotProcess
) -> None:
    update = server.api.updates.message(7103, "/help")
    headers = {"X-Telegram-Bot-Api-Secret-Token": "s3cret-token_for-tests"}
    since, log_size = len(server.api.calls), len(log_of(webhook_bot))
    async with aiohttp.ClientSession() as http:
        for _ in range(2):  # Telegram's retry after a timeout: the same update_id
            async with http.post(webhook_url(webhook_bot), json=update, headers=headers) as reply:
                assert reply.status == 200
        for body in ({"hello": "world"}, [1, 2], {"update_id": "seven"}, "text"):
            async with http.post(webhook_url(webhook_bot), json=body, headers=headers) as reply:
                assert reply.status == 400
    answers = [
        c
        for c in server.api.calls[since:]
        if c.method == "sendMessage" and c.params.get("chat_id") == 7103
    ]
    assert len(answers) == 1
    assert "Traceback" not in log_of(webhook_bot)[log_size:]


async def test_access_log_keeps_no_download_token(
    server: FakeTelegramServer, webhook_bot: BotProcess
) -> None:
    token = "eyJ1IjoxfQ.c2VjcmV0LXNpZ25hdHVyZQ"
    base = webhook_bot.env["WEBHOOK_BASE_URL"]
    async with (
        aiohttp.ClientSession() as http,
        http.get(f"{base}/api/download/{token}") as response,
    ):
        assert response.status == 401
    await asyncio.sleep(0.2)
    log = log_of(webhook_bot)
    assert "GET /api/download/… 401" in log
    assert token not in log


async def test_webhook_mode_serves_health_and_metrics(
    server: FakeTelegramServer, webhook_bot: BotProcess
) -> None:
    base = webhook_bot.env["WEBHOOK_BASE_URL"]
    async with aiohttp.ClientSession() as http, http.get(base + "/healthz") as health:
        assert health.status == 200 and await health.json() == {"status": "ok"}
    body, samples = await scrape(base)
    assert value(samples, "tos_updates_total", handler="registration.typed", result="ok") >= 1
    # The /help delivered twice above: the second time no handler took it.
    assert value(samples, "tos_updates_total", handler="none", result="ok") >= 1
    assert total(samples, "tos_update_seconds_count") == total(samples, "tos_updates_total")
    assert value(samples, "tos_db_seconds_count", op="probe") >= 1
    assert ("tos_outbox_oldest_due_age_seconds", frozenset()) in samples
    labels = {v for _name, pairs in samples for _k, v in pairs}
    for personal in ("7102", "7103", "Пётр", "79123456711"):
        assert not any(personal in label for label in labels)
    assert "Мария" not in body and "Пётр" not in body


async def test_the_log_is_json_lines(server: FakeTelegramServer, webhook_bot: BotProcess) -> None:
    """LOG_FORMAT=json (this module's process): every line an object with the five keys;
    access log lines and the start-up lines included; no person's name or phone."""
    lines = log_of(webhook_bot).splitlines()
    assert len(lines) > 10
    entries = [json.loads(line) for line in lines]
    for entry in entries:
        assert (
            {"time", "level", "logger", "message"}
            <= set(entry)
            <= {"time", "level", "logger", "message", "exception", "stack"}
        )
        assert datetime.fromisoformat(entry["time"]).utcoffset() == timedelta(0)
    messages = [e["message"] for e in entries]
    assert any(m.startswith("webhook server listening on port") for m in messages)
    assert any(m.startswith("POST /telegram/webhook 200") for m in messages)
    assert "Пётр" not in "\n".join(lines) and "912 345" not in "\n".join(lines)
