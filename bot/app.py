"""Start-up and shutdown of the whole application in either run mode."""

from __future__ import annotations

import asyncio
import logging
import signal
from datetime import UTC, datetime

from aiogram import Bot, Dispatcher
from aiohttp import web

from bot.commands import refresh_privileged, set_default_commands
from bot.config import RunMode, Settings
from bot.factory import create_bot, create_dispatcher, create_storage
from bot.i18n import Translator
from bot.runtime import tune_gc
from bot.scheduler import create_scheduler, schedule_housekeeping
from bot.services.bootstrap import bootstrap_admins
from bot.webhook import create_app
from db.engine import create_engine, create_session_factory
from db.migrate import upgrade
from db.repositories import Repo

log = logging.getLogger(__name__)


async def migrate(settings: Settings) -> None:
    engine = create_engine(settings.database_url)
    try:
        await upgrade(engine)
    finally:
        await engine.dispose()


async def run(settings: Settings) -> None:
    engine = create_engine(settings.database_url)
    await upgrade(engine)
    session_factory = create_session_factory(engine)
    translator = Translator(settings.default_locale)
    storage, isolation = create_storage(settings, session_factory)
    scheduler = create_scheduler()
    bot = create_bot(settings)
    dp = create_dispatcher(
        settings,
        session_factory=session_factory,
        translator=translator,
        scheduler=scheduler,
        storage=storage,
        events_isolation=isolation,
    )
    try:
        async with session_factory.begin() as session:
            await bootstrap_admins(
                Repo(session), settings.admin_ids, settings.default_locale, datetime.now(UTC)
            )
        tune_gc()
        schedule_housekeeping(scheduler, session_factory)
        scheduler.start()
        await set_default_commands(bot, translator)
        async with session_factory() as session:
            await refresh_privileged(bot, Repo(session), translator)
        if settings.run_mode is RunMode.POLLING:
            await bot.delete_webhook(drop_pending_updates=False)
            log.info("polling for updates")
            await dp.start_polling(bot, allowed_updates=dp.resolve_used_update_types())
        else:
            await _serve_webhook(dp, bot, settings)
    finally:
        if scheduler.running:
            scheduler.shutdown(wait=False)
        await bot.session.close()
        await engine.dispose()


async def _serve_webhook(dp: Dispatcher, bot: Bot, settings: Settings) -> None:
    assert settings.webhook_base_url and settings.webhook_secret
    secret = settings.webhook_secret.get_secret_value()
    url = settings.webhook_base_url.rstrip("/") + settings.webhook_path
    allowed = dp.resolve_used_update_types()
    info = await bot.get_webhook_info()
    # Another instance may have set it already; setting it again would only repeat that.
    if info.url != url or sorted(info.allowed_updates or []) != sorted(allowed):
        await bot.set_webhook(url, secret_token=secret, allowed_updates=allowed)
    app = create_app(dp, bot, settings.webhook_path, secret)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, settings.webhook_host, settings.webhook_port)
    await site.start()
    log.info("webhook server listening on port %s", settings.webhook_port)
    await dp.emit_startup(bot=bot, **dp.workflow_data)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        await runner.cleanup()
        await dp.emit_shutdown(bot=bot, **dp.workflow_data)
