"""Grouped counts for the organisers' dashboard (bot/services/dashboard.py). People are
counted over the query the chat's broadcast audience is counted with, narrowed here only by
grouping, so the dashboard's numbers are the chat's."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Question, User
from db.repositories.questions import OPEN


class DashboardRepo:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    def _hour(self) -> ColumnElement[Any]:
        """The UTC hour a person registered in (whole hours: every Russian zone is a whole
        number of hours from UTC, so the hours fall into the reader's days exactly)."""
        if self._s.get_bind().dialect.name == "postgresql":
            return func.to_char(func.timezone("UTC", User.registered_at), "YYYY-MM-DD HH24").label(
                "hour"
            )
        # SQLite keeps naive UTC text ("2026-11-01 10:15:00.000000").
        return func.strftime("%Y-%m-%d %H", User.registered_at).label("hour")

    async def registered_per_hour(
        self, people: Select[tuple[int]], since: datetime
    ) -> list[tuple[datetime, int]]:
        """(the hour's start in UTC, how many of `people` registered in it) from `since` on."""
        hour = self._hour()
        rows = await self._s.execute(
            people.with_only_columns(hour, func.count())
            .where(User.registered_at >= since)
            .group_by(hour)
            .order_by(hour)
        )
        return [
            (datetime.strptime(at, "%Y-%m-%d %H").replace(tzinfo=UTC), int(n)) for at, n in rows
        ]

    async def registered_before(self, people: Select[tuple[int]], since: datetime) -> int:
        found = await self._s.scalar(
            people.with_only_columns(func.count()).where(User.registered_at < since)
        )
        return int(found or 0)

    async def people_by_region(self, people: Select[tuple[int]]) -> dict[str | None, int]:
        rows = await self._s.execute(
            people.with_only_columns(User.region_code, func.count()).group_by(User.region_code)
        )
        return {code: int(n) for code, n in rows}

    async def open_questions(
        self, regions: Sequence[str] | None
    ) -> list[tuple[int, str, datetime]]:
        """(topic, status, waiting since) of every open question (new or taken) whose asker
        lives in the regions (None: all)."""
        query = select(Question.topic_id, Question.status, Question.waiting_since).where(
            Question.status.in_(OPEN)
        )
        if regions is not None:
            query = query.join(User, User.id == Question.asker_id).where(
                User.region_code.in_(sorted(regions))
            )
        rows = await self._s.execute(query)
        return [(int(topic), status, since) for topic, status, since in rows]
