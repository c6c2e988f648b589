"""Periodic jobs' runs: which instance runs a job for a slot of its schedule."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, delete, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import JobRun, UtcDateTime

# Plain SQL both SQLite and PostgreSQL speak (and cached, unlike the dialects' upserts).
_CLAIM = text(
    "INSERT INTO job_runs (job, slot, ran_at) VALUES (:job, :slot, :ran_at)"
    " ON CONFLICT (job, slot) DO NOTHING"
).bindparams(bindparam("ran_at", type_=UtcDateTime()))


class JobRunRepo:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def claim(self, job: str, slot: int, now: datetime) -> bool:
        """True for the one caller that takes the slot (others find the row there)."""
        result = await self._s.execute(_CLAIM, {"job": job, "slot": slot, "ran_at": now})
        return int(result.rowcount) == 1  # type: ignore[attr-defined]

    async def ran(self, job: str, slot: int) -> bool:
        found = await self._s.scalar(
            select(JobRun.slot).where(JobRun.job == job, JobRun.slot == slot)
        )
        return found is not None

    async def purge(self, before: datetime) -> int:
        """Old slots of the periodic jobs; one-off records (slot 0, e.g. the menus' sweep) stay."""
        result = await self._s.execute(
            delete(JobRun).where(JobRun.ran_at < before, JobRun.slot != 0)
        )
        return int(result.rowcount)  # type: ignore[attr-defined]
