"""The real process in polling mode: registration, a SIGKILL mid-dialog, and it goes on."""

from __future__ import annotations

import asyncio
import os
import sys

import aiohttp
import pytest

from bot.i18n import Translator
from tests.dashboard.initdata import header
from tests.e2e.conftest import ADMIN_ID, DASHBOARD_URL, log_of
from tests.e2e.process import ROOT, BotProcess, Person, free_port
from tests.e2e.scrape import scrape, total, value
from tests.fake_telegram.server import FakeTelegramServer

pytestmark = pytest.mark.asyncio(loop_scope="module")
ru = Translator().for_locale("ru")


async def test_startup_sets_menus_and_drops_webhook(
    server: FakeTelegramServer, polling_bot: BotProcess
) -> None:
    methods = [c.method for c in server.api.calls]
    assert "deleteWebhook" in methods
    scopes = {
        (c.params.get("scope", {}).get("type"), c.params.get("language_code"))
        for c in server.api.calls
        if c.method == "setMyCommands"
    }
    assert {("all_private_chats", "ru"), ("all_private_chats", "en")} <= scopes
    assert ("chat", None) in scopes  # the ADMIN_IDS admin's own menu


async def test_register_kill_restart_continue(
    server: FakeTelegramServer, polling_bot: BotProcess
) -> None:
    person = Person(server, 7001)
    await person.send("/start", expect=ru("start-greeting"))
    await person.click(ru("start-register-button"))
    await person.click(
        ru("registration-consent-agree"), expect="…" + ru("registration-ask-name", step=1, total=5)
    )
    await person.send("Мария Иванова", expect=ru("registration-ask-phone", step=2, total=5))
    await person.share_contact(
        "+79123456789", expect=ru("registration-ask-region", step=3, total=5)
    )

    await polling_bot.kill()  # mid-dialog, between two answers
    await polling_bot.start()

    await person.send("татарстан", expect=ru("registration-region-matches", count=1))
    await person.click(
        "Республика Татарстан", expect="…" + ru("registration-ask-municipality", step=4, total=5)
    )
    await person.send("г. Казань", expect=ru("registration-ask-kind", step=5, total=5))
    await person.click(
        ru("kind-resident"), expect="…" + ru("registration-summary", fields="")[:20] + "…"
    )
    await person.click(
        ru("registration-confirm-button"),
        expect="…" + ru("registration-done", name="Мария Иванова"),
    )
    assert polling_bot.starts == 2
    log = log_of(polling_bot)
    assert "Traceback" not in log
    for secret in ("Мария", "79123456789", server.token):
        assert secret not in log


async def test_wrong_input_over_http(server: FakeTelegramServer, polling_bot: BotProcess) -> None:
    person = Person(server, 7002)
    await person.send("/start")
    await person.click(ru("start-register-button"))
    await person.click(ru("registration-consent-agree"))
    await person.send("😀" * 3, expect=ru("validation-name-letters"))
    await person.send("x" * 5000, expect=ru("validation-name-too-long"))
    await person.send("/cancel", expect=ru("common-cancelled"))


async def _up(http: aiohttp.ClientSession, base: str) -> None:
    for _ in range(100):
        try:
            async with http.get(base + "/healthz") as response:
                if response.status == 200:
                    return
        except aiohttp.ClientError:
            pass
        await asyncio.sleep(0.1)
    raise TimeoutError(base)


async def test_polling_mode_serves_the_dashboard(
    server: FakeTelegramServer, polling_bot: BotProcess
) -> None:
    base = f"http://127.0.0.1:{polling_bot.env['WEB_PORT']}"
    async with aiohttp.ClientSession() as http:
        await _up(http, base)
        async with http.get(base + "/app/") as page:
            assert page.status == 200 and "app.js" in await page.text()
        async with http.get(base + "/api/me", headers=header(server.token, ADMIN_ID)) as me:
            assert me.status == 200 and (await me.json())["admin"] is True
        async with http.get(base + "/api/me", headers=header("1:" + "x" * 35, ADMIN_ID)) as bad:
            assert bad.status == 401
    menu = [c for c in server.api.calls if c.method == "setChatMenuButton"]
    assert {
        "chat_id": ADMIN_ID,
        "menu_button": {"type": "web_app", "text": "Панель", "web_app": {"url": DASHBOARD_URL}},
    } in [c.params for c in menu]


async def test_polling_mode_serves_health_and_metrics(
    server: FakeTelegramServer, polling_bot: BotProcess
) -> None:
    """On the web server polling mode always runs (here with the dashboard too), after the
    dialogs above (counted since the restart): updates by handler, no person's id or name."""
    base = f"http://127.0.0.1:{polling_bot.env['WEB_PORT']}"
    async with aiohttp.ClientSession() as http:
        await _up(http, base)
        async with http.get(base + "/healthz") as health:
            assert health.status == 200 and await health.json() == {"status": "ok"}
    body, samples = await scrape(base)
    assert value(samples, "tos_updates_total", handler="start.started", result="ok") >= 1
    assert total(samples, "tos_updates_total", result="ok") >= 10
    assert total(samples, "tos_update_seconds_count") == total(samples, "tos_updates_total")
    assert value(samples, "tos_db_seconds_count", op="probe") >= 1  # the /healthz above
    assert total(samples, "tos_scheduler_lag_seconds_count") >= 1  # the outbox's first look
    assert ("tos_outbox_due", frozenset()) in samples
    assert ("tos_outbox_sends_total", frozenset({("result", "403")})) in samples
    labels = {v for _name, pairs in samples for _k, v in pairs}
    for personal in ("7001", "7002", "Мария", "79123456789"):
        assert not any(personal in label for label in labels)
    assert "Мария" not in body and "Пётр" not in body


async def test_the_containers_health_check(polling_bot: BotProcess) -> None:
    """bot/healthcheck.py (the Dockerfile's HEALTHCHECK) against the real process; a port
    with nothing behind it fails."""

    async def check(**env: str) -> tuple[int, str]:
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            str(ROOT / "bot" / "healthcheck.py"),
            env={"PATH": os.environ.get("PATH", ""), **env},
            cwd=polling_bot.workdir,
            stdout=asyncio.subprocess.PIPE,
        )
        out, _ = await proc.communicate()
        return int(proc.returncode or 0), out.decode()

    code, out = await check(RUN_MODE="polling", WEB_PORT=polling_bot.env["WEB_PORT"])
    assert (code, out.strip()) == (0, '{"status": "ok"}')
    code, out = await check(RUN_MODE="webhook", WEBHOOK_PORT=str(free_port()))
    assert code == 1 and "Connection refused" in out
