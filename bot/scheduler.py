"""APScheduler decides when to run periodic housekeeping; it holds nothing the database lacks.

Jobs take no application objects as arguments (they get ids or nothing) and look up the rest.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

from aiogram import Bot
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.i18n import Translator
from bot.services import reminders
from db.repositories import Repo
from db.session_hooks import commit
from handlers.attendance import send_feedback_requests
from handlers.broadcast import update_progress
from handlers.events import expire_offers
from handlers.menu import MenuAction, MenuCb
from handlers.question_messages import nudge_questions, retry_forum_posts

log = logging.getLogger(__name__)


def create_scheduler() -> AsyncIOScheduler:
    return AsyncIOScheduler(timezone=UTC)


async def purge_expired_invites(session_factory: async_sessionmaker[AsyncSession]) -> int:
    async with session_factory.begin() as session:
        removed = await Repo(session).invites.purge_expired(datetime.now(UTC))
    if removed:
        log.info("purged %d expired invites", removed)
    return removed


async def request_feedback(session_factory: async_sessionmaker[AsyncSession]) -> int:
    """Ask the attendees of events that ended an hour ago for a rating (each event once)."""
    return await send_feedback_requests(session_factory, datetime.now(UTC))


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


# The periodic jobs: (job, interval, first run after start). None of them runs at once, so a
# start that fails (a refused token) leaves no job running against a closed database.
DATABASE_JOBS: tuple[tuple[Callable[..., Awaitable[int]], timedelta, timedelta], ...] = (
    (purge_expired_invites, timedelta(hours=1), timedelta(minutes=1)),
    (request_feedback, timedelta(minutes=10), timedelta(minutes=2)),
    (remind_of_deadlines, timedelta(minutes=10), timedelta(minutes=3)),
    (expire_offers, timedelta(minutes=1), timedelta(minutes=1)),
    (nudge_stalled_tos, timedelta(hours=6), timedelta(minutes=5)),
    (roll_calendars, timedelta(hours=6), timedelta(minutes=7)),
)


def schedule_jobs(
    scheduler: AsyncIOScheduler,
    bot: Bot,
    session_factory: async_sessionmaker[AsyncSession],
    translator: Translator,
    settings: Settings | None = None,
) -> None:
    """Every periodic job; they take the session factory (and the bot, the settings), never
    app state."""
    now = datetime.now(UTC)
    for job, every, first in DATABASE_JOBS:
        scheduler.add_job(
            job,
            "interval",
            seconds=every.total_seconds(),
            args=[session_factory],
            id=job.__name__,
            replace_existing=True,
            coalesce=True,
            next_run_time=now + first,
        )
    if settings is not None:
        # Expert questions waiting too long (their experts, later the admins), and forum
        # posts that failed.
        scheduler.add_job(
            nudge_questions,
            "interval",
            minutes=15,
            args=[session_factory, settings],
            id="nudge_questions",
            replace_existing=True,
            coalesce=True,
            next_run_time=now + timedelta(minutes=4),
        )
        scheduler.add_job(
            retry_forum_posts,
            "interval",
            minutes=5,
            args=[bot, session_factory, translator, settings],
            id="retry_forum_posts",
            replace_existing=True,
            max_instances=1,
            coalesce=True,
            next_run_time=now + timedelta(minutes=6),
        )
    # Progress messages of running broadcasts, edited every 5 s (Telegram allows edits far
    # more often; people do not need them).
    scheduler.add_job(
        update_progress,
        "interval",
        seconds=5,
        args=[bot, session_factory, translator],
        id="broadcast_progress",
        replace_existing=True,
        max_instances=1,
        coalesce=True,
    )
