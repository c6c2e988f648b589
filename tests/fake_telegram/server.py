"""The fake Bot API over real HTTP, for end-to-end tests of the bot process.

Start it, then run the bot with TELEGRAM_API_URL set to `server.base_url`; aiogram's
TelegramAPIServer.from_base(url) then calls {base}/bot{token}/{method} and downloads from
{base}/file/bot{token}/{path}. Updates reach the bot as Telegram delivers them: by long
polling (getUpdates with offset/timeout/limit/allowed_updates; an update stays until a later
offset confirms it, so a killed bot gets it again after a restart) or, after setWebhook, by
POSTing each update in order to the webhook, retried every `retry_delay` seconds until the bot
answers 200.
"""

from __future__ import annotations

import asyncio
import contextlib
import email.parser
import email.policy
import json
import re
import socket
from dataclasses import dataclass, field
from typing import Any, cast

from aiohttp import ClientError, ClientSession, ClientTimeout, web

from .core import FakeBotAPI, TelegramError
from .schema import UploadedFile

DEFAULT_TOKEN = "42:TEST-token-0123456789_abcdefghijk"
TOKEN_RE = re.compile(r"\d+:[\w-]+")
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_UPLOAD = 50 * 1024 * 1024  # Telegram's limit for files bots upload


@dataclass
class WebhookAttempt:
    """One POST of an update to the bot's webhook."""

    update_id: int
    url: str
    headers: dict[str, str]
    status: int | None = None  # None: no HTTP answer (connection refused, timeout)
    error: str | None = None
    body: bytes = field(default=b"", repr=False)


class FakeTelegramServer:
    def __init__(
        self,
        api: FakeBotAPI | None = None,
        *,
        token: str = DEFAULT_TOKEN,
        retry_delay: float = 0.5,
        webhook_timeout: float = 10.0,
    ) -> None:
        self.api = api if api is not None else FakeBotAPI()
        self.token = token
        self.retry_delay = retry_delay
        self.webhook_timeout = webhook_timeout
        self.webhook_attempts: list[WebhookAttempt] = []
        # A load balancer in front of several instances: deliveries go to these base URLs in
        # turn (the webhook's path kept), a failed attempt's retry to the next one.
        self.balance: list[str] = []
        self._turn = 0
        self.base_url = ""
        self._runner: web.AppRunner | None = None
        self._delivery: asyncio.Task[None] | None = None

    async def __aenter__(self) -> FakeTelegramServer:
        await self.start()
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.stop()

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        """Listen (port 0: any free port) and return the base URL for TELEGRAM_API_URL."""
        app = web.Application(client_max_size=MAX_UPLOAD)
        app.router.add_route("*", "/bot{token}/{method}", self._api_request)
        # TELEGRAM_API_URL=<base>/via/<name>: the same API, each call noting which instance
        # made it (several bot processes in one test).
        app.router.add_route("*", "/via/{via}/bot{token}/{method}", self._api_request)
        app.router.add_get("/via/{via}/file/bot{token}/{path:.+}", self._download)
        app.router.add_get("/file/bot{token}/{path:.+}", self._download)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        await web.SockSite(self._runner, sock).start()
        bound_host, bound_port = sock.getsockname()[:2]
        self.base_url = f"http://{bound_host}:{bound_port}"
        self._delivery = asyncio.create_task(self._deliver_webhooks())
        return self.base_url

    async def stop(self) -> None:
        if self._delivery is not None:
            self._delivery.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._delivery
            self._delivery = None
        self.api.interrupt_polls()  # long polls answer now instead of holding shutdown
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    def push_update(self, update: dict[str, Any]) -> None:
        self.api.push_update(update)

    # -- Bot API requests -----------------------------------------------------------------------

    async def _api_request(self, request: web.Request) -> web.Response:
        token, method = request.match_info["token"], request.match_info["method"]
        if token != self.token:
            # Telegram: 404 for something that is not a token at all, 401 for a wrong one.
            error = (
                TelegramError(401, "Unauthorized")
                if TOKEN_RE.fullmatch(token)
                else TelegramError(404, "Not Found")
            )
            self.api.violations.append(f"{method}: request with a wrong bot token")
            return self._answer(error.code, error.response())
        try:
            params = await self._read_params(request)
            via = request.match_info.get("via")
            result = await self.api.handle_async(method, params, via=via)
        except TelegramError as e:
            return self._answer(e.code, e.response())
        return self._answer(200, {"ok": True, "result": result})

    @staticmethod
    def _answer(status: int, body: dict[str, Any]) -> web.Response:
        return web.json_response(body, status=status)

    async def _read_params(self, request: web.Request) -> dict[str, Any]:
        """Query string plus a multipart, urlencoded or JSON body, as Telegram accepts them."""
        params: dict[str, Any] = dict(request.query)
        if not request.body_exists:
            return params
        if request.content_type == "application/json":
            try:
                body = await request.json()
            except ValueError:
                raise TelegramError(400, "Bad Request: can't parse JSON request body") from None
            if not isinstance(body, dict):
                raise TelegramError(400, "Bad Request: the JSON request body must be an object")
            params.update(body)
            return params
        form = await request.post()
        for key, value in form.items():
            if isinstance(value, web.FileField):
                params[key] = UploadedFile(value.filename, value.file.read(), value.content_type)
            else:
                params[key] = value
        return params

    async def _download(self, request: web.Request) -> web.StreamResponse:
        stored = self.api.file_by_path(request.match_info["path"])
        if request.match_info["token"] != self.token or stored is None:
            return self._answer(404, TelegramError(404, "Not Found").response())
        return web.Response(body=stored.content, content_type="application/octet-stream")

    # -- webhook delivery -----------------------------------------------------------------------

    async def _deliver_webhooks(self) -> None:
        """Deliver pending updates one at a time, in order; keep each until the bot takes it."""
        async with ClientSession(timeout=ClientTimeout(total=self.webhook_timeout)) as http:
            while True:
                update = self.api.next_webhook_update()
                if update is None:
                    await self.api.wait_change()  # no await since the check: nothing missed
                    continue
                if await self._post(http, update):
                    self.api.confirm_update(update["update_id"])
                else:
                    await asyncio.sleep(self.retry_delay)

    async def _post(self, http: ClientSession, update: dict[str, Any]) -> bool:
        url = self.api.webhook_url
        if self.balance:
            base = self.balance[self._turn % len(self.balance)]
            self._turn += 1
            url = base.rstrip("/") + "/" + url.split("://", 1)[-1].split("/", 1)[-1]
        headers = {"Content-Type": "application/json"}
        if self.api.webhook_secret:
            headers[SECRET_HEADER] = self.api.webhook_secret
        attempt = WebhookAttempt(update["update_id"], url, headers)
        self.webhook_attempts.append(attempt)
        try:
            async with http.post(url, data=json.dumps(update), headers=headers) as resp:
                attempt.status = resp.status
                attempt.body = await resp.read()
                content_type = resp.headers.get("Content-Type", "")
        except (ClientError, TimeoutError, OSError) as e:
            attempt.error = f"{type(e).__name__}: {e}"
            self.api.note_webhook_error(f"Connection failed: {attempt.error}")
            return False
        if attempt.status != 200:
            self.api.note_webhook_error(f"Wrong response from the webhook: {attempt.status}")
            return False
        self._webhook_reply(attempt.body, content_type)
        return True

    def _webhook_reply(self, body: bytes, content_type: str) -> None:
        """A webhook may answer with a method call in its body; Telegram executes it."""
        params: dict[str, Any] = {}
        if content_type.startswith("application/json"):
            with contextlib.suppress(ValueError):
                loaded = json.loads(body or b"{}")
                params = loaded if isinstance(loaded, dict) else {}
        elif content_type.startswith("multipart/form-data"):
            head = f"Content-Type: {content_type}\r\n\r\n".encode()
            message = email.parser.BytesParser(policy=email.policy.default).parsebytes(head + body)
            for part in message.iter_parts():
                name = str(part.get_param("name", header="content-disposition"))
                payload = cast(bytes, part.get_payload(decode=True) or b"")
                filename = part.get_filename()
                params[name] = UploadedFile(filename, payload) if filename else payload.decode()
        method = params.pop("method", None)
        if isinstance(method, str):
            with contextlib.suppress(TelegramError):  # recorded by the api either way
                self.api.handle(method, params)
