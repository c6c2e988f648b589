"""The real `python -m bot` process, started against the fake Telegram server."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from pathlib import Path
from typing import Any

from bot.config import Settings
from tests.fake_telegram.core import Call
from tests.fake_telegram.server import FakeTelegramServer
from tests.harness import database_url, server_overrides

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class BotProcess:
    def __init__(self, server: FakeTelegramServer, workdir: Path, **settings: str) -> None:
        self.server = server
        self.workdir = workdir
        self.log = workdir / "bot.log"
        ours = {name.upper() for name in Settings.model_fields}
        self.env = {k: v for k, v in os.environ.items() if k.upper() not in ours}
        self.env.update(
            {
                "PYTHONPATH": str(ROOT),
                "BOT_TOKEN": server.token,
                "TELEGRAM_API_URL": server.base_url,
                "DATABASE_URL": database_url(workdir / "bot.sqlite3"),
                **{k.upper(): v for k, v in server_overrides(workdir / "bot.sqlite3").items()},
                "LOG_LEVEL": "INFO",
                # Test people type at machine speed; the throttle has its own dialog test.
                "THROTTLE_RATE": "1000",
                # Polling mode's web server (/healthz, /metrics) on a port of its own, so
                # processes running side by side do not collide on 8090.
                "WEB_HOST": "127.0.0.1",
                "WEB_PORT": str(free_port()),
                **settings,
            }
        )
        self.proc: asyncio.subprocess.Process | None = None
        self.starts = 0

    async def start(self) -> None:
        """Start and wait until the bot listens (polling) or its webhook server answers."""
        since = len(self.server.api.calls)
        with self.log.open("ab") as log:
            self.proc = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", cwd=self.workdir, env=self.env, stdout=log, stderr=log
            )
        self.starts += 1
        if self.env.get("RUN_MODE") == "webhook":
            await self.server.api.wait_for(lambda c: c.method == "getWebhookInfo", 60, since=since)
            await self._wait_healthy()
        else:
            await self.server.api.wait_for(lambda c: c.method == "getUpdates", 60, since=since)

    async def _wait_healthy(self) -> None:
        import aiohttp

        url = f"http://127.0.0.1:{self.env['WEBHOOK_PORT']}/healthz"
        async with aiohttp.ClientSession() as http:
            for _ in range(200):
                try:
                    async with http.get(url) as response:
                        if response.status == 200:
                            return
                except aiohttp.ClientError:
                    pass
                await asyncio.sleep(0.1)
        raise TimeoutError(f"webhook server did not come up; log:\n{self.log.read_text()}")

    async def kill(self) -> None:
        """SIGKILL: no shutdown code runs, as in a crash or an OOM kill."""
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        await self.proc.wait()

    async def stop(self) -> int:
        if self.proc is None or self.proc.returncode is not None:
            return self.proc.returncode if self.proc else 0
        self.proc.send_signal(signal.SIGTERM)
        try:
            return await asyncio.wait_for(self.proc.wait(), 20)
        except TimeoutError:
            self.proc.kill()
            return await self.proc.wait()


class Person:
    """A person chatting with the real bot process through the fake server."""

    def __init__(self, server: FakeTelegramServer, user_id: int, language_code: str = "ru") -> None:
        self.server = server
        self.api = server.api
        self.user_id = user_id
        self.language_code = language_code

    def _mark(self) -> int:
        return len(self.api.calls)

    def _to_me(self, call: Call) -> bool:
        return call.ok and call.params.get("chat_id") == self.user_id and call.message is not None

    async def _push_and_wait(
        self, update: dict[str, Any], expect: str | None, timeout: float
    ) -> Call:
        """Push an update; wait for a message to this person with `expect` as its text; an
        ellipsis stands for any text: "X…" starts with X, "…X" ends with it, "…X…" holds it."""
        since = self._mark()
        self.server.push_update(update)

        def matches(text: str) -> bool:
            if expect is None:
                return True
            head, tail = expect.startswith("…"), expect.endswith("…") and len(expect) > 1
            core = expect[1 if head else 0 : -1 if tail else None]
            if head and tail:
                return core in text
            if head:
                return text.endswith(core)
            if tail:
                return text.startswith(core)
            return text == expect

        try:
            return await self.api.wait_for(
                lambda c: self._to_me(c) and matches(c.params.get("text") or ""),
                timeout,
                since=since,
            )
        except TimeoutError as exc:
            seen = [(c.method, (c.params.get("text") or "")[:80]) for c in self.api.calls[since:]]
            raise TimeoutError(f"{exc}; expected {expect!r}; saw {seen}") from None

    async def send(self, text: str, expect: str | None = None, timeout: float = 20) -> Call:
        update = self.api.updates.message(self.user_id, text, language_code=self.language_code)
        return await self._push_and_wait(update, expect, timeout)

    async def share_contact(self, phone: str, expect: str | None = None) -> Call:
        update = self.api.updates.contact(self.user_id, phone, language_code=self.language_code)
        return await self._push_and_wait(update, expect, 20)

    async def click(self, label: str, expect: str | None = None) -> Call:
        data = next((d for text, d in self.api.buttons(self.user_id) if text == label and d), None)
        assert data, f"no button {label!r} in {self.api.buttons(self.user_id)}"
        update = self.api.updates.callback(self.user_id, data, language_code=self.language_code)
        return await self._push_and_wait(update, expect, 20)
