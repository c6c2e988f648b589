"""APScheduler decides when to run periodic housekeeping; it holds nothing the database lacks.

Jobs take no application objects as arguments (they get ids or nothing) and look up the rest.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from aiogram import Bot
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.i18n import Translator
from bot.services import reminders
from bot.services.regions import catalog
from db.repositories import Repo
from db.session_hooks import commit
from handlers.attendance import send_feedback_requests
from handlers.broadcast import update_progress
from handlers.events import expire_offers
from handlers.menu import MenuAction, MenuCb

log = logging.getLogger(__name__)


def create_scheduler() -> AsyncIOScheduler:
    return AsyncIOScheduler(timezone=UTC)


async def purge_expired_invites(session_factory: async_sessionmaker[AsyncSession]) -> int:
    async with session_factory.begin() as session:
        removed = await Repo(session).invites.purge_expired(datetime.now(UTC))
    if removed:
        log.info("purged %d expired invites", removed)
    return removed


def schedule_housekeeping(
    scheduler: AsyncIOScheduler, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    scheduler.add_job(
        purge_expired_invites,
        "interval",
        hours=1,
        args=[session_factory],
        id="purge_expired_invites",
        replace_existing=True,
        # The first purge a minute after start, so a start that fails at once has no job running.
        next_run_time=datetime.now(UTC) + timedelta(minutes=1),
    )


async def request_feedback(session_factory: async_sessionmaker[AsyncSession]) -> int:
    """Ask the attendees of events that ended an hour ago for a rating (each event once)."""
    return await send_feedback_requests(session_factory, datetime.now(UTC))


def schedule_feedback(
    scheduler: AsyncIOScheduler, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    scheduler.add_job(
        request_feedback,
        "interval",
        minutes=10,
        args=[session_factory],
        id="request_feedback",
        replace_existing=True,
        # Like the purge: not at once, so a start that fails has no job running.
        next_run_time=datetime.now(UTC) + timedelta(minutes=2),
    )


async def remind_of_deadlines(session_factory: async_sessionmaker[AsyncSession]) -> int:
    """ "Sign-ups close soon" to those who looked at an event but did not sign up."""
    async with session_factory() as session:
        queued = await reminders.remind_of_deadlines(Repo(session), datetime.now(UTC))
        await commit(session)  # the outbox hears of the queued rows after this commit
    return queued


def schedule_deadline_reminders(
    scheduler: AsyncIOScheduler, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    scheduler.add_job(
        remind_of_deadlines,
        "interval",
        minutes=10,
        args=[session_factory],
        id="remind_of_deadlines",
        replace_existing=True,
        next_run_time=datetime.now(UTC) + timedelta(minutes=3),
    )


def schedule_offer_expiry(
    scheduler: AsyncIOScheduler, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    """Waitlist offers not confirmed in time move on (checked every minute)."""
    scheduler.add_job(
        expire_offers,
        "interval",
        minutes=1,
        args=[session_factory],
        id="expire_offers",
        replace_existing=True,
        next_run_time=datetime.now(UTC) + timedelta(minutes=1),
    )


async def nudge_stalled_tos(session_factory: async_sessionmaker[AsyncSession]) -> int:
    """The next step of a TOS creation that has not moved for two weeks."""
    carry_on = {"key": "tos-nudge-button", "data": MenuCb(action=MenuAction.CREATE_TOS).pack()}
    async with session_factory() as session:
        queued = await reminders.nudge_stalled_tos(Repo(session), datetime.now(UTC), carry_on)
        await commit(session)
    return queued


def schedule_tos_nudges(
    scheduler: AsyncIOScheduler, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    scheduler.add_job(
        nudge_stalled_tos,
        "interval",
        hours=6,
        args=[session_factory],
        id="nudge_stalled_tos",
        replace_existing=True,
        next_run_time=datetime.now(UTC) + timedelta(minutes=5),
    )


async def roll_calendars(session_factory: async_sessionmaker[AsyncSession]) -> int:
    """TOS calendar dates that have passed move to next year, with their reminders."""

    def zone_of(region_code: str) -> str:
        region = catalog().get(region_code)
        return region.tz if region else "Europe/Moscow"

    async with session_factory() as session:
        rolled = await reminders.roll_calendars(Repo(session), datetime.now(UTC), zone_of)
        await commit(session)
    return rolled


def schedule_calendar_roll(
    scheduler: AsyncIOScheduler, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    scheduler.add_job(
        roll_calendars,
        "interval",
        hours=6,
        args=[session_factory],
        id="roll_calendars",
        replace_existing=True,
        next_run_time=datetime.now(UTC) + timedelta(minutes=7),
    )


def schedule_broadcast_progress(
    scheduler: AsyncIOScheduler,
    bot: Bot,
    session_factory: async_sessionmaker[AsyncSession],
    translator: Translator,
) -> None:
    """Progress messages of running broadcasts, edited every 5 s (Telegram allows edits far
    more often; people do not need them)."""
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
