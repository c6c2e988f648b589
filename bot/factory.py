"""The only wiring of the bot: `python -m bot`, the tests and the benchmark all call these."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from aiogram import Bot, Dispatcher, F, Router
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.base import BaseSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ChatType, ParseMode
from aiogram.fsm.middleware import FSMContextMiddleware
from aiogram.fsm.storage.base import BaseEventIsolation, BaseStorage, DefaultKeyBuilder
from aiogram.fsm.storage.memory import SimpleEventIsolation
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.bot_session import JsonBodySession
from bot.commands import all_commands, refresh_menus_at_start, set_default_commands
from bot.config import Settings
from bot.i18n import Translator
from bot.inline_filters import run_filters_inline
from bot.middlewares.banned import DropBanned, ban_lookup
from bot.middlewares.callbacks import (
    AnswerCallbacks,
    RecordCallbackAnswers,
    RefuseImpossibleIds,
)
from bot.middlewares.commands import CommandsLeaveDialogs
from bot.middlewares.db import CommitBeforeRequest, DbSessionMiddleware, OncePerUpdate
from bot.middlewares.metrics import measure
from bot.middlewares.person import PersonMiddleware
from bot.middlewares.telegram_errors import TolerateBenignErrors
from bot.middlewares.throttling import LocalFlood, RedisFlood, ThrottlingMiddleware
from bot.ops import SchedulerWatch
from bot.outbox_sender import OutboxSender
from bot.scheduler import create_scheduler, schedule_jobs
from bot.services.bootstrap import bootstrap_admins
from bot.services.law import LAW_DIR, LawProfile, load_profiles
from bot.startup import check_telegram, open_database
from bot.ui.context import ContextMiddleware
from bot.ui.outbox import RENDERERS
from bot.webapp.menu import AppBot
from db.engine import create_session_factory
from db.fsm_storage import SqlStorage
from db.repositories import Repo
from handlers import (
    admin,
    admin_law,
    attendance,
    broadcast,
    common,
    errors,
    event_form,
    events,
    expert,
    experts_group,
    fallback,
    faq,
    grants,
    organiser_events,
    personal_data,
    profile,
    question_admin,
    questions,
    registration,
    start,
    tos_calendar,
    tos_forms,
    tos_join,
    tos_register,
    tos_registry,
    tos_tracker,
    tos_verify,
    tos_wizard,
)
from handlers import settings as settings_menu
from handlers.events import SignUp

log = logging.getLogger(__name__)


def create_bot(settings: Settings, session: BaseSession | None = None) -> Bot:
    if session is None:
        session = JsonBodySession(
            api=TelegramAPIServer.from_base(settings.telegram_api_url)
            if settings.telegram_api_url
            else TelegramAPIServer.from_base("https://api.telegram.org")
        )
    session.middleware(TolerateBenignErrors())  # outermost: a 429's retry commits nothing twice
    session.middleware(CommitBeforeRequest())
    session.middleware(RecordCallbackAnswers())
    return AppBot(
        token=settings.bot_token.get_secret_value(),
        session=session,
        default=DefaultBotProperties(parse_mode=ParseMode.HTML),
        webapp_url=settings.webapp_url,
    )


REDIS_LOCK = {"timeout": 20}


def create_storage(
    settings: Settings, session_factory: async_sessionmaker[AsyncSession]
) -> tuple[BaseStorage, BaseEventIsolation]:
    """Dialog state: Redis when REDIS_URL is set (several instances), else the database."""
    if settings.redis_url:
        from aiogram.fsm.storage.redis import RedisEventIsolation, RedisStorage

        # Keys carry the prefix and the bot's id, so several bots can share one Redis.
        keys = DefaultKeyBuilder(prefix=f"{settings.redis_prefix}:fsm", with_bot_id=True)
        storage = RedisStorage.from_url(settings.redis_url, key_builder=keys)
        # A person's lock outlives a crashed instance by `timeout` seconds at most (aiogram's
        # 60 would leave them unanswered for a minute after a SIGKILL); no handler takes long.
        isolation = RedisEventIsolation(storage.redis, key_builder=keys, lock_kwargs=REDIS_LOCK)
        return storage, isolation
    # One process owns a SQLite file, so the read cache is safe there only.
    cache = 10_000 if settings.is_sqlite else 0
    return SqlStorage(session_factory, cache_size=cache), SimpleEventIsolation()


def _flood(settings: Settings, storage: BaseStorage) -> LocalFlood | RedisFlood:
    """Flood counts in Redis when dialog state is there (several instances), else local."""
    rate, period, cooldown = (
        settings.throttle_rate,
        settings.throttle_period,
        settings.throttle_cooldown,
    )
    redis = getattr(storage, "redis", None)  # RedisStorage's client (redis is imported lazily)
    if redis is not None:
        return RedisFlood(redis, settings.redis_prefix, rate, period, cooldown)
    return LocalFlood(rate, period, cooldown)


def create_dispatcher(
    settings: Settings,
    *,
    session_factory: async_sessionmaker[AsyncSession],
    translator: Translator,
    scheduler: AsyncIOScheduler,
    storage: BaseStorage,
    events_isolation: BaseEventIsolation | None = None,
) -> Dispatcher:
    dp = Dispatcher(
        storage=storage,
        disable_fsm=True,  # FSM is added below, after the DB session, so it shares its transaction
        settings=settings,
        translator=translator,
        scheduler=scheduler,
        session_factory=session_factory,
    )
    isolation = events_isolation or SimpleEventIsolation()
    measure(dp)  # first: updates counted and timed by handler (bot/metrics.py)
    dp.update.outer_middleware(DropBanned(session_factory.kw["bind"].sync_engine))
    dp.update.outer_middleware(
        ThrottlingMiddleware(
            translator,
            _flood(settings, storage),
            settings.throttle_cooldown,
            ban_lookup(session_factory),
        )
    )
    dp.update.outer_middleware(DbSessionMiddleware(session_factory))
    # Event isolation: two fast taps of one person are handled one after the other.
    dp.fsm = FSMContextMiddleware(storage=storage, events_isolation=isolation)
    dp.update.outer_middleware(dp.fsm)
    # Inside the person's lock: no connection is held while waiting for it (SQLite has one).
    dp.update.outer_middleware(OncePerUpdate())
    dp.update.outer_middleware(PersonMiddleware(translator))
    dp.update.outer_middleware(
        CommandsLeaveDialogs(all_commands(), resumable=(registration.Registration, SignUp))
    )
    dp.callback_query.outer_middleware(RefuseImpossibleIds())
    dp.callback_query.middleware(AnswerCallbacks())
    # After the filters, for the handler chosen: `ctx` (bot/ui/context.py).
    dp.message.middleware(ContextMiddleware())
    dp.callback_query.middleware(ContextMiddleware())

    # Dialogs happen in private chats; groups (a later feature) get routers of their own.
    private = Router(name="private")
    private.message.filter(F.chat.type == ChatType.PRIVATE)
    private.include_routers(
        # Commands first, so a command typed mid-dialog is a command, not an answer.
        common.router(translator),
        start.router(),
        profile.router(),
        settings_menu.router(),
        personal_data.router(),
        admin.router(),
        admin_law.router(),
        registration.router(),
        tos_wizard.router(),
        tos_tracker.router(),
        tos_join.router(),
        tos_register.router(),
        tos_verify.router(),
        tos_registry.router(),
        tos_calendar.router(),
        tos_forms.router(),
        grants.router(),
        question_admin.router(),
        expert.router(),  # before questions: /questions typed while asking is a command
        questions.router(),
        faq.router(),
        organiser_events.router(),
        broadcast.router(),
        event_form.router(),
        attendance.router(),  # before events: it reads the online code word from plain text
        events.router(),
        fallback.router(),  # last
    )
    # The experts' forum group (EXPERTS_GROUP_ID), if any: answers written there are relayed.
    dp.include_routers(errors.router(), private, experts_group.router(settings))
    run_filters_inline(dp)
    return dp


@dataclass
class Application:
    """Everything one bot process holds, built by `create_application`."""

    settings: Settings
    engine: AsyncEngine
    session_factory: async_sessionmaker[AsyncSession]
    translator: Translator
    scheduler: AsyncIOScheduler
    bot: Bot
    dp: Dispatcher
    law_profiles: dict[str, LawProfile]
    outbox: OutboxSender
    watch: SchedulerWatch  # the scheduler's heartbeat, for /healthz and /metrics
    menus_sweep: asyncio.Task[int] | None = None

    async def start(self) -> None:
        """Start-up work before updates flow: ADMIN_IDS admins, housekeeping, command menus."""
        await check_telegram(self.bot, self.settings.telegram_api_url)
        async with self.session_factory.begin() as session:
            await bootstrap_admins(
                Repo(session),
                self.settings.admin_ids,
                self.settings.default_locale,
                datetime.now(UTC),
            )
        schedule_jobs(
            self.scheduler, self.bot, self.session_factory, self.translator, self.settings
        )
        self.watch.start()
        self.scheduler.start()
        await set_default_commands(self.bot, self.translator)
        self.menus_sweep = await refresh_menus_at_start(
            self.bot, self.session_factory, self.translator, self.settings.admin_ids
        )
        # Last: a start that failed above (a refused token) leaves no drain running.
        self.outbox.start()

    async def finish(self, handling: Collection[asyncio.Task[Any]] | None = None) -> None:
        """A stop was asked for: no scheduled work starts any more, and the updates being
        handled and the outbox batch being sent get SHUTDOWN_TIMEOUT seconds to finish (the
        webhook server gives its requests the same window); what is left is then cancelled."""
        grace = self.settings.shutdown_timeout
        if self.scheduler.running:
            self.scheduler.pause()
        pending = [task for task in handling or () if not task.done()]
        if handling is None:  # the webhook server's requests
            log.info("stopping: the updates being handled have up to %s s to finish", grace)
        else:
            log.info("stopping: %d updates in flight, up to %s s to finish", len(pending), grace)

        async def updates() -> None:
            if not pending:
                return
            _done, left = await asyncio.wait(pending, timeout=grace)
            if left:
                log.warning("stopping: %d updates outlived %s s, cancelled", len(left), grace)
                for task in left:
                    task.cancel()
                # Their transactions roll back before the database closes.
                await asyncio.wait(left, timeout=1)

        await asyncio.gather(updates(), self.outbox.stop(grace))

    async def close(self) -> None:
        if self.menus_sweep is not None and not self.menus_sweep.done():
            self.menus_sweep.cancel()  # not recorded as done: the next start sweeps again
            with contextlib.suppress(asyncio.CancelledError):
                await self.menus_sweep
        await self.outbox.stop()
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        await self.dp.fsm.close()
        await self.bot.session.close()
        await self.engine.dispose()


async def create_application(
    settings: Settings, *, bot_session: BaseSession | None = None
) -> Application:
    """Migrate the database and wire the bot; `bot_session` replaces the HTTP session in tests.

    A broken law profile raises LawProfileError here, before anything else starts; a database
    that cannot be opened, migrated or written raises StartupError."""
    law_profiles = load_profiles(settings.law_profiles_dir or LAW_DIR)
    engine = await open_database(settings.database_url)
    bot: Bot | None = None
    try:
        session_factory = create_session_factory(engine)
        translator = Translator(settings.default_locale)
        storage, isolation = create_storage(settings, session_factory)
        scheduler = create_scheduler()
        bot = create_bot(settings, session=bot_session)
        dp = create_dispatcher(
            settings,
            session_factory=session_factory,
            translator=translator,
            scheduler=scheduler,
            storage=storage,
            events_isolation=isolation,
        )
        dp["law_profiles"] = law_profiles
        sender = OutboxSender(bot, session_factory, translator, settings, scheduler, RENDERERS)
    except BaseException:
        # Nothing is left open: an open engine or session keeps the process from exiting.
        if bot is not None:
            await bot.session.close()
        await engine.dispose()
        raise
    return Application(
        settings,
        engine,
        session_factory,
        translator,
        scheduler,
        bot,
        dp,
        law_profiles,
        sender,
        SchedulerWatch(scheduler, engine),
    )
