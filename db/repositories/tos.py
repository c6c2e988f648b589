"""TOS creation projects."""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Text, case, cast, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Tos, TosEstimate, TosMember, TosProject

KM_PER_DEGREE = 6371.0088 * math.pi / 180  # along a meridian, on the mean Earth radius


class TosProjectRepo:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def of(self, owner_id: int) -> TosProject | None:
        project: TosProject | None = await self._s.scalar(
            select(TosProject).where(TosProject.owner_id == owner_id)
        )
        return project

    async def stalled(self, before: datetime) -> list[TosProject]:
        """Projects nobody has touched since `before` (finished ones are filtered by the caller:
        whether a project is finished lives in its answers)."""
        rows = await self._s.scalars(
            select(TosProject).where(TosProject.updated_at <= before).order_by(TosProject.id)
        )
        return list(rows)

    async def start(self, owner_id: int, profile_id: str, step: str, now: datetime) -> TosProject:
        """A fresh project (replacing an old one of the same person)."""
        await self._s.execute(delete(TosProject).where(TosProject.owner_id == owner_id))
        project = TosProject(
            owner_id=owner_id,
            profile_id=profile_id,
            step=step,
            answers={},
            created_at=now,
            updated_at=now,
        )
        self._s.add(project)
        await self._s.flush()
        return project

    async def save(
        self,
        project: TosProject,
        step: str,
        answers: Mapping[str, Any],
        now: datetime,
        *,
        profile_id: str | None = None,
    ) -> None:
        """Merge `answers` in; `profile_id`: the law profile the project follows from now."""
        # A new dict, so the JSON column sees the change.
        project.answers = {**project.answers, **answers}
        if profile_id is not None:
            project.profile_id = profile_id
        project.step = step
        project.updated_at = now
        await self._s.flush()

    async def mark_generated(self, project: TosProject, now: datetime) -> None:
        project.generated_at = now
        project.updated_at = now
        await self._s.flush()


class TosRegistryRepo:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def add(self, **fields: Any) -> Tos:
        tos = Tos(**fields)
        self._s.add(tos)
        await self._s.flush()
        return tos

    async def find(self, region_code: str, municipality: str, name: str) -> Tos | None:
        """The same TOS registered before (same region, municipality and name, any case).
        Compared in Python: SQLite's lower() leaves Cyrillic as it is."""
        wanted = (municipality.casefold(), name.casefold())
        for tos in await self._s.scalars(select(Tos).where(Tos.region_code == region_code)):
            if (tos.municipality.casefold(), tos.name.casefold()) == wanted:
                return tos
        return None

    async def with_calendar(self) -> list[Tos]:
        """Entries whose chair has set calendar dates (a TOS without any is skipped in SQL:
        the JSON text of an empty calendar is "{}")."""
        rows = await self._s.scalars(
            select(Tos).where(Tos.chair_id.is_not(None), cast(Tos.calendar, Text) != "{}")
        )
        return list(rows)

    async def chaired_by(self, user_id: int) -> list[Tos]:
        return list(await self._s.scalars(select(Tos).where(Tos.chair_id == user_id)))

    async def settle(self, tos_id: int, verified: bool) -> bool:
        """Verify or reject an unverified entry, once; False if it was settled already."""
        result = await self._s.execute(
            update(Tos)
            .where(Tos.id == tos_id, Tos.status == "unverified")
            .values(status="verified" if verified else "rejected")
            .execution_options(synchronize_session="fetch")
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def get(self, tos_id: int) -> Tos | None:
        return await self._s.get(Tos, tos_id)

    async def in_region(self, region_code: str, query: str = "") -> list[Tos]:
        """TOS of a region by municipality and name; `query` filters both (any case)."""
        rows = await self._s.scalars(
            select(Tos).where(Tos.region_code == region_code).order_by(Tos.municipality, Tos.name)
        )
        needle = query.casefold().strip()
        return [
            tos
            for tos in rows
            if not needle or needle in tos.municipality.casefold() or needle in tos.name.casefold()
        ]

    async def nearest(
        self, region_code: str, latitude: float, longitude: float, limit: int
    ) -> list[tuple[Tos, float]]:
        """The region's TOS with a known location (not rejected ones), nearest first, with
        the distance in km. The distance is the equirectangular approximation, computed and
        ordered in SQL with arithmetic both SQLite and PostgreSQL have (no trigonometry in
        SQL: the cosine of the person's latitude comes as a parameter, and the square root,
        which keeps the order, is taken here). Good to a fraction of a percent within a
        region; longitudes across the 180th meridian (Chukotka) are measured the short way."""
        raw = func.abs(Tos.longitude - longitude)
        east_west = case((raw > 180, 360 - raw), else_=raw) * math.cos(math.radians(latitude))
        north_south = Tos.latitude - latitude
        squared = (north_south * north_south + east_west * east_west).label("squared")
        rows = await self._s.execute(
            select(Tos, squared)
            .where(
                Tos.region_code == region_code,
                Tos.latitude.is_not(None),
                Tos.longitude.is_not(None),
                Tos.status != "rejected",
            )
            .order_by(squared, Tos.id)
            .limit(limit)
        )
        return [(tos, KM_PER_DEGREE * math.sqrt(max(d, 0.0))) for tos, d in rows]

    async def in_regions(self, region_codes: set[str] | None) -> list[Tos]:
        """The registry of these regions (None: all), by region, settlement and name."""
        query = select(Tos).order_by(Tos.region_code, Tos.municipality, Tos.name)
        if region_codes is not None:
            query = query.where(Tos.region_code.in_(sorted(region_codes)))
        return list(await self._s.scalars(query))


class TosMemberRepo:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def status(self, tos_id: int, user_id: int) -> str | None:
        found: str | None = await self._s.scalar(
            select(TosMember.status).where(TosMember.tos_id == tos_id, TosMember.user_id == user_id)
        )
        return found

    async def request(self, tos_id: int, user_id: int, now: datetime) -> bool:
        """Ask to join; False if already pending or a member (a rejected person may ask again)."""
        current = await self.status(tos_id, user_id)
        if current in ("pending", "approved"):
            return False
        await self._s.execute(
            delete(TosMember).where(TosMember.tos_id == tos_id, TosMember.user_id == user_id)
        )
        self._s.add(TosMember(tos_id=tos_id, user_id=user_id, status="pending", requested_at=now))
        await self._s.flush()
        return True

    async def decide(self, tos_id: int, user_id: int, approved: bool, now: datetime) -> bool:
        """Settle a pending request once; False if there is none (decided already)."""
        result = await self._s.execute(
            update(TosMember)
            .where(
                TosMember.tos_id == tos_id,
                TosMember.user_id == user_id,
                TosMember.status == "pending",
            )
            .values(status="approved" if approved else "rejected", decided_at=now)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def count(self, tos_id: int) -> int:
        return int(
            await self._s.scalar(
                select(func.count())
                .select_from(TosMember)
                .where(TosMember.tos_id == tos_id, TosMember.status == "approved")
            )
            or 0
        )

    async def of_user(self, user_id: int) -> list[tuple[str, str]]:
        """(TOS name, status) of every request the person made."""
        rows = await self._s.execute(
            select(Tos.name, TosMember.status)
            .join(Tos, Tos.id == TosMember.tos_id)
            .where(TosMember.user_id == user_id)
            .order_by(TosMember.requested_at)
        )
        return [(name, status) for name, status in rows]


class TosEstimateRepo:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def get(self, tos_id: int, year: int) -> TosEstimate | None:
        return await self._s.get(TosEstimate, (tos_id, year))

    async def save(
        self,
        tos_id: int,
        year: int,
        income: list[list[Any]],
        expense: list[list[Any]],
        now: datetime,
    ) -> TosEstimate:
        """The year's estimate, replacing an earlier one (its actual amounts go with it: they
        were entered against other lines)."""
        estimate = await self.get(tos_id, year)
        if estimate is None:
            estimate = TosEstimate(tos_id=tos_id, year=year)
            self._s.add(estimate)
        estimate.income, estimate.expense = income, expense
        estimate.actual_income = estimate.actual_expense = None
        estimate.updated_at = now
        await self._s.flush()
        return estimate

    async def record_actual(
        self, estimate: TosEstimate, income: list[int], expense: list[int], now: datetime
    ) -> None:
        estimate.actual_income, estimate.actual_expense = income, expense
        estimate.updated_at = now
        await self._s.flush()

    async def years(self, tos_id: int) -> list[int]:
        rows = await self._s.scalars(
            select(TosEstimate.year).where(TosEstimate.tos_id == tos_id).order_by(TosEstimate.year)
        )
        return list(rows)
