"""Start-up and shutdown of the whole application in either run mode."""

from __future__ import annotations

import asyncio
import logging
import signal
from typing import Any

from aiogram import Dispatcher
from aiohttp import web

from bot.config import DatabaseSettings, RunMode, Settings
from bot.factory import Application, create_application
from bot.ops import add_ops, ops_for
from bot.runtime import tune_gc
from bot.startup import StartupError, open_database
from bot.webapp.server import add_dashboard, create_web_app, dashboard_for
from bot.webhook import AccessLog, create_app
from db.locks import exclusive

log = logging.getLogger(__name__)


async def migrate(settings: DatabaseSettings) -> None:
    engine = await open_database(settings.database_url)
    await engine.dispose()


async def run(settings: Settings) -> None:
    app = await create_application(settings)
    try:
        await app.start()
        tune_gc()
        if settings.run_mode is RunMode.POLLING:
            await _poll(app, settings)
        else:
            await _serve_webhook(app, settings)
    finally:
        await app.close()


def _handling(dp: Dispatcher) -> set[asyncio.Task[Any]]:
    """The updates the dispatcher is handling: aiogram keeps their tasks in this set (no
    public name in 3.x) and, when polling stops, neither waits for nor cancels them."""
    return set(dp._handle_update_tasks)


async def _poll(application: Application, settings: Settings) -> None:
    dp, bot = application.dp, application.bot
    await bot.delete_webhook(drop_pending_updates=False)
    web_runner = await _serve_web(application, settings)
    log.info("polling for updates")
    try:
        # aiogram stops polling on SIGTERM and SIGINT. The session stays open: the updates in
        # flight were confirmed to Telegram already, so they finish here or are lost.
        await dp.start_polling(
            bot,
            allowed_updates=dp.resolve_used_update_types(),
            tasks_concurrency_limit=settings.max_concurrent_updates,
            close_bot_session=False,
        )
    finally:
        # The updates being handled, the outbox batch being sent and the dashboard's
        # requests share one SHUTDOWN_TIMEOUT window.
        await asyncio.gather(application.finish(_handling(dp)), web_runner.cleanup())


async def _serve_web(application: Application, settings: Settings) -> web.AppRunner:
    """Polling mode: /healthz, /metrics and (with WEBAPP_URL) the dashboard's page and API
    on a server of their own."""
    dashboard = dashboard_for(application) if settings.webapp_url else None
    # No access log: the addresses and browsers of the people using it are nobody's business.
    runner = web.AppRunner(
        create_web_app(dashboard, ops_for(application)),
        access_log=None,
        shutdown_timeout=settings.shutdown_timeout,
    )
    await runner.setup()
    await _listen(runner, settings.web_host, settings.web_port, "WEB_HOST/WEB_PORT")
    log.info(
        "web server (health, metrics%s) listening on port %s",
        ", dashboard" if dashboard else "",
        settings.web_port,
    )
    return runner


async def _listen(runner: web.AppRunner, host: str, port: int, names: str) -> None:
    try:
        await web.TCPSite(runner, host, port).start()
    except OSError as exc:
        await runner.cleanup()
        raise StartupError(f"cannot listen on {host}:{port} ({names}): {exc.strerror}") from exc


async def _serve_webhook(application: Application, settings: Settings) -> None:
    assert settings.webhook_base_url and settings.webhook_secret
    dp, bot = application.dp, application.bot
    secret = settings.webhook_secret.get_secret_value()
    url = settings.webhook_base_url.rstrip("/") + settings.webhook_path
    allowed = dp.resolve_used_update_types()
    # Instances starting together take turns: the first sets the webhook, the others find it
    # set already (with several instances the database is PostgreSQL and this is its lock).
    async with exclusive(application.engine, "set-webhook"):
        info = await bot.get_webhook_info()
        if info.url != url or sorted(info.allowed_updates or []) != sorted(allowed):
            await bot.set_webhook(url, secret_token=secret, allowed_updates=allowed)
    app = create_app(dp, bot, settings.webhook_path, secret, settings.max_concurrent_updates)
    add_ops(app, ops_for(application))  # /healthz and /metrics
    if settings.webapp_url:  # the dashboard on the same server
        add_dashboard(app, dashboard_for(application))
    # On stop the server takes no new requests and gives the ones being handled this long;
    # one cancelled then gets no answer, so Telegram delivers its update again.
    runner = web.AppRunner(
        app, shutdown_timeout=settings.shutdown_timeout, access_log_class=AccessLog
    )
    await runner.setup()
    await _listen(runner, settings.webhook_host, settings.webhook_port, "WEBHOOK_HOST/WEBHOOK_PORT")
    log.info("webhook server listening on port %s", settings.webhook_port)
    await dp.emit_startup(bot=bot, **dp.workflow_data)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        await asyncio.gather(runner.cleanup(), application.finish())
        await dp.emit_shutdown(bot=bot, **dp.workflow_data)
