"""Webhook mode: an aiohttp server that handles each update before answering Telegram.

Telegram keeps an update until it gets a 2xx, so a crash mid-update means a retry, not a loss;
a request without the right secret token gets 401 and is not processed. /healthz and /metrics
are added beside it (bot/ops.py).
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import re

from aiogram import Bot, Dispatcher
from aiogram.types import Update
from aiohttp import web
from aiohttp.abc import AbstractAccessLogger

log = logging.getLogger(__name__)


class AccessLog(AbstractAccessLogger):
    """The webhook server's access log: method, path, status and time only (no address, no
    browser), and no download link's token: a token in the log is a participant list to
    whoever reads the log."""

    def log(self, request: web.BaseRequest, response: web.StreamResponse, time: float) -> None:
        path = _TOKEN.sub(r"\1…", request.path)
        self.logger.info("%s %s %s %.1f ms", request.method, path, response.status, time * 1000)


_TOKEN = re.compile(r"(/api/download/)[^/]+")


def create_app(
    dp: Dispatcher, bot: Bot, path: str, secret: str, concurrency: int = 100
) -> web.Application:
    # At most `concurrency` updates in the dispatcher at once: a burst waits here, cheaply,
    # instead of queueing for the database connection until the pool's timeout.
    slots = asyncio.Semaphore(concurrency)

    async def receive(request: web.Request) -> web.Response:
        given = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
        if not hmac.compare_digest(given.encode(), secret.encode()):
            return web.Response(status=401, text="Unauthorized")
        try:
            update = Update.model_validate(await request.json(), context={"bot": bot})
        except ValueError:  # not JSON, or JSON that is not an update (pydantic's error is one)
            return web.Response(status=400, text="Bad Request")
        # Our errors router answers the person and logs; what still escapes is a bug worth
        # a retry from Telegram, so it propagates as a 500.
        async with slots:
            await dp.feed_update(bot, update)
        return web.json_response({})

    app = web.Application()
    app.router.add_post(path, receive)
    return app
