"""APScheduler decides when to run periodic housekeeping; it holds nothing the database lacks.
What each job does is in bot/jobs.py; here, how often and where in the hour each one runs.

Jobs take no application objects as arguments (they get ids or nothing) and look up the rest.
Several instances may share the database: each job fires on the same grid everywhere (every
`every` seconds from the epoch, shifted by its offset), and for each point of the grid the
instance whose row in `job_runs` lands runs it; the others skip that slot. One run per slot
across all instances, coordinated by the database's unique key, with no leader.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from aiogram import Bot
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import DatabaseSettings, Settings
from bot.i18n import Translator
from bot.jobs import (
    back_up,
    expire_offers,
    nudge_questions,
    nudge_stalled_tos,
    purge_expired_invites,
    remind_of_deadlines,
    request_feedback,
    retry_forum_posts,
    roll_calendars,
    update_progress,
)
from db.repositories import Repo


def create_scheduler() -> AsyncIOScheduler:
    return AsyncIOScheduler(timezone=UTC)


def backups(settings: DatabaseSettings) -> Periodic | None:
    """The backup job when BACKUP_EVERY_HOURS is set: at :09 past the hour (daily ones at
    00:09 UTC), away from the other jobs' minutes."""
    if not settings.backup_every_hours:
        return None
    return Periodic(back_up, timedelta(hours=settings.backup_every_hours), timedelta(minutes=9))


@dataclass(frozen=True, slots=True)
class Periodic:
    """A job, how often it runs, and how long after start it may run first (none runs at
    once, so a start that fails, a refused token, leaves no job on a closed database)."""

    job: Callable[..., Awaitable[int]]
    every: timedelta
    first: timedelta

    @property
    def name(self) -> str:
        return self.job.__name__

    @property
    def offset(self) -> float:
        """Where in its period the job fires (jobs spread over the hour, not all at :00)."""
        return self.first.total_seconds() % self.every.total_seconds()

    def slot(self, moment: datetime) -> int:
        """The grid point a run at `moment` belongs to (rounded: a tick a little late or
        early is still its own slot)."""
        return round((moment.timestamp() - self.offset) / self.every.total_seconds())

    def first_run(self, now: datetime) -> datetime:
        """The first grid point at least `first` after now."""
        earliest = (now + self.first).timestamp() - self.offset
        every = self.every.total_seconds()
        return datetime.fromtimestamp(-(-earliest // every) * every + self.offset, UTC)


DATABASE_JOBS = (
    Periodic(purge_expired_invites, timedelta(hours=1), timedelta(minutes=1)),
    Periodic(request_feedback, timedelta(minutes=10), timedelta(minutes=2)),
    Periodic(remind_of_deadlines, timedelta(minutes=10), timedelta(minutes=3)),
    Periodic(expire_offers, timedelta(minutes=1), timedelta(minutes=1)),
    Periodic(nudge_stalled_tos, timedelta(hours=6), timedelta(minutes=5)),
    Periodic(roll_calendars, timedelta(hours=6), timedelta(minutes=7)),
)
# Expert questions waiting too long (their experts, later the admins): (session, settings).
QUESTION_NUDGES = Periodic(nudge_questions, timedelta(minutes=15), timedelta(minutes=4))
# Forum posts that failed: (bot, session, translator, settings).
FORUM_RETRIES = Periodic(retry_forum_posts, timedelta(minutes=5), timedelta(minutes=6))
# Progress messages of running broadcasts, edited every 5 s (Telegram allows edits far more
# often; people do not need them): (bot, session, translator).
BROADCAST_PROGRESS = Periodic(update_progress, timedelta(seconds=5), timedelta(seconds=5))


async def once_per_slot(
    periodic: Periodic, session_factory: async_sessionmaker[AsyncSession], *args: Any
) -> int:
    """Run the job unless another instance already runs it for this slot."""
    now = datetime.now(UTC)
    async with session_factory.begin() as session:
        claimed = await Repo(session).job_runs.claim(periodic.name, periodic.slot(now), now)
    if not claimed:
        return 0
    return await periodic.job(*args)


def schedule_jobs(
    scheduler: AsyncIOScheduler,
    bot: Bot,
    session_factory: async_sessionmaker[AsyncSession],
    translator: Translator,
    settings: Settings,
) -> None:
    """Every periodic job; they take the session factory (and the bot, the texts, the
    settings), never app state."""
    now = datetime.now(UTC)
    planned: list[tuple[Periodic, list[Any]]] = [(p, [session_factory]) for p in DATABASE_JOBS]
    planned += [
        (QUESTION_NUDGES, [session_factory, settings]),
        (FORUM_RETRIES, [bot, session_factory, translator, settings]),
        (BROADCAST_PROGRESS, [bot, session_factory, translator]),
    ]
    backup = backups(settings)
    if backup is not None:
        planned.append((backup, [settings]))
    for periodic, args in planned:
        first = periodic.first_run(now)
        scheduler.add_job(
            once_per_slot,
            "interval",
            seconds=periodic.every.total_seconds(),
            start_date=first,  # the grid: every instance fires at the same moments
            args=[periodic, session_factory, *args],
            id=periodic.name,
            replace_existing=True,
            max_instances=1,
            coalesce=True,
            next_run_time=first,
        )
