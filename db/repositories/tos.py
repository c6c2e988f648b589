"""TOS creation projects."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Tos, TosProject


class TosProjectRepo:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def of(self, owner_id: int) -> TosProject | None:
        project: TosProject | None = await self._s.scalar(
            select(TosProject).where(TosProject.owner_id == owner_id)
        )
        return project

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
        self, project: TosProject, step: str, answers: dict[str, Any], now: datetime
    ) -> None:
        # A new dict, so the JSON column sees the change.
        project.answers = {**project.answers, **answers}
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

    async def chaired_by(self, user_id: int) -> list[Tos]:
        return list(await self._s.scalars(select(Tos).where(Tos.chair_id == user_id)))
