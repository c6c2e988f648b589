"""The periodic jobs: what each does. When they run, and the once-per-slot claim that keeps
several instances from running one twice, are in bot/scheduler.py.

A job takes the session factory (and the bot, the texts, the settings where it needs them),
never app state; it opens its own transaction, calls a service for the work, and commits
through the hooks so the outbox wakes for the rows it queued. The domain rules are in the
services, not here: a job is the transaction around them.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import DatabaseSettings, Settings
from bot.i18n import Translator
from bot.metrics import ERRORS
from bot.services import broadcasts, event_notices, question_relay, reminders
from bot.services import questions as qs
from bot.ui.broadcasts import controls, progress_text
from bot.ui.callbacks.menu import MenuAction, MenuCb
from db.repositories import Repo
from db.session_hooks import commit

log = logging.getLogger(__name__)


async def purge_expired_invites(session_factory: async_sessionmaker[AsyncSession]) -> int:
    """Expired invites go, the periodic jobs' records older than two days, and the ids of
    updates handled over a day ago (Telegram redelivers within minutes, not days)."""
    now = datetime.now(UTC)
    async with session_factory.begin() as session:
        repo = Repo(session)
        removed = await repo.invites.purge_expired(now)
        await repo.job_runs.purge(now - timedelta(days=2))
        await repo.handled_updates.purge(now - timedelta(days=1))
    if removed:
        log.info("purged %d expired invites", removed)
    return removed


async def request_feedback(session_factory: async_sessionmaker[AsyncSession]) -> int:
    """Ask the attendees of events that ended an hour ago for a rating (each event once)."""
    return await send_feedback_requests(session_factory, datetime.now(UTC))


async def send_feedback_requests(
    session_factory: async_sessionmaker[AsyncSession], now: datetime
) -> int:
    """The feedback requests due at `now`, queued and committed (the outbox wakes after)."""
    async with session_factory() as session:
        queued = await event_notices.request_feedback(Repo(session), now)
        await commit(session)
    return queued


async def expire_offers(session_factory: async_sessionmaker[AsyncSession]) -> int:
    """Waitlist offers not confirmed in time move on to the next in line."""
    async with session_factory() as session:
        moved = await event_notices.expire_offers(Repo(session), datetime.now(UTC))
        await commit(session)
    return moved


async def remind_of_deadlines(session_factory: async_sessionmaker[AsyncSession]) -> int:
    """ "Sign-ups close soon" to those who looked at an event but did not sign up."""
    async with session_factory() as session:
        queued = await reminders.remind_of_deadlines(Repo(session), datetime.now(UTC))
        await commit(session)  # the outbox hears of the queued rows after this commit
    return queued


async def nudge_stalled_tos(session_factory: async_sessionmaker[AsyncSession]) -> int:
    """The next step of a TOS creation that has not moved for two weeks."""
    carry_on = {"key": "tos-nudge-button", "data": MenuCb(action=MenuAction.CREATE_TOS).pack()}
    async with session_factory() as session:
        queued = await reminders.nudge_stalled_tos(Repo(session), datetime.now(UTC), carry_on)
        await commit(session)
    return queued


async def roll_calendars(session_factory: async_sessionmaker[AsyncSession]) -> int:
    """TOS calendar dates that have passed move to next year, with their reminders."""

    async with session_factory() as session:
        rolled = await reminders.roll_calendars(Repo(session), datetime.now(UTC))
        await commit(session)
    return rolled


async def back_up(settings: DatabaseSettings) -> int:
    """A backup into BACKUP_DIR, keeping the newest BACKUP_KEEP there (see db/backup.py)."""
    from db.backup import BackupError, make_backup, prune, target_of

    now = datetime.now(UTC)
    target = target_of(settings.database_url, None, settings.backup_dir, now)
    try:
        made = await make_backup(settings.database_url, target)
    except BackupError as exc:
        log.error("backup failed: %s", exc)
        ERRORS.labels("backup").inc()
        return 0
    removed = prune(settings.backup_dir, settings.backup_keep)
    log.info("backup %s made (%d bytes), %d old ones removed", made.path, made.size, len(removed))
    return 1


async def nudge_questions(
    session_factory: async_sessionmaker[AsyncSession],
    settings: Settings,
    now: datetime | None = None,
) -> int:
    """Questions waiting too long: their experts, later the admins (once each)."""
    async with session_factory() as session:
        experts, admins = await qs.nudge(
            Repo(session),
            now or datetime.now(UTC),
            timedelta(hours=settings.question_nudge_experts_hours),
            timedelta(hours=settings.question_nudge_admins_hours),
        )
        await commit(session)  # the outbox wakes after this
    return experts + admins


async def retry_forum_posts(
    bot: Bot,
    session_factory: async_sessionmaker[AsyncSession],
    translator: Translator,
    settings: Settings,
) -> int:
    """Questions whose forum topic could not be made: tried again, for two days."""
    if settings.experts_group_id is None:
        return 0
    async with session_factory() as session:
        posted = await question_relay.retry_forum_posts(
            bot, Repo(session), translator, settings, datetime.now(UTC)
        )
        await commit(session)
    return posted


async def update_progress(
    bot: Bot, session_factory: async_sessionmaker[AsyncSession], translator: Translator
) -> int:
    """The periodic job: each running broadcast's progress message, edited; a finished one
    gets its report and no buttons."""
    edited = 0
    async with session_factory() as session:
        repo = Repo(session)
        for broadcast in await repo.broadcasts.running():
            counts = await broadcasts.report(repo, broadcast.id)
            now = datetime.now(UTC)
            started = broadcasts.advance(broadcast, counts, now)
            sender = await repo.users.snapshot(broadcast.organiser_id or 0)
            await commit(session)
            if sender is None:
                continue
            t = translator.for_locale(sender.language)
            text = progress_text(t, broadcast, counts, now)
            if started and broadcast.progress_message_id is None:  # a scheduled one began
                shown = await bot.send_message(
                    broadcast.from_chat_id, text, reply_markup=controls(t, broadcast)
                )
                broadcast.progress_message_id = shown.message_id
                await commit(session)
                continue
            if broadcast.progress_message_id is None:
                continue
            try:
                await bot.edit_message_text(
                    text,
                    chat_id=broadcast.from_chat_id,
                    message_id=broadcast.progress_message_id,
                    reply_markup=controls(t, broadcast),
                )
                edited += 1
            except TelegramBadRequest:  # not modified since the last edit, or deleted
                pass
    return edited
