"""People and their profiles."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import User, UserRole

# Profile fields a person may edit; the keys are also the FSM/profile field names.
PROFILE_FIELDS = ("full_name", "phone", "region_code", "municipality", "kind")


@dataclass(frozen=True, slots=True)
class UserSnapshot:
    """What every update needs to know about its sender, read in one round trip."""

    id: int
    language: str
    registered: bool
    consented: bool
    region_code: str | None
    roles: frozenset[str]


class UserRepo:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def snapshot(self, user_id: int) -> UserSnapshot | None:
        # One query for the user and their roles: this runs on every update.
        roles = (
            select(func.group_concat(UserRole.role, ","))
            .where(UserRole.user_id == User.id)
            .scalar_subquery()
        )
        if self._s.bind.dialect.name != "sqlite":
            roles = (
                select(func.string_agg(UserRole.role, ","))
                .where(UserRole.user_id == User.id)
                .scalar_subquery()
            )
        row = (
            await self._s.execute(
                select(
                    User.language,
                    User.registered_at,
                    User.consent_at,
                    User.region_code,
                    roles,
                ).where(User.id == user_id)
            )
        ).first()
        if row is None:
            return None
        return UserSnapshot(
            id=user_id,
            language=row[0],
            registered=row[1] is not None,
            consented=row[2] is not None,
            region_code=row[3],
            roles=frozenset(row[4].split(",")) if row[4] else frozenset(),
        )

    async def get(self, user_id: int) -> User | None:
        return await self._s.get(User, user_id)

    async def ensure(self, user_id: int, language: str, now: datetime) -> None:
        """Create the bare row (id and language only) if the person has none yet."""
        if await self._s.get(User, user_id) is None:
            await self._s.execute(
                insert(User).values(id=user_id, language=language, created_at=now)
            )

    async def set_language(self, user_id: int, language: str) -> None:
        await self._s.execute(update(User).where(User.id == user_id).values(language=language))

    async def record_consent(self, user_id: int, version: str, now: datetime) -> None:
        await self._s.execute(
            update(User).where(User.id == user_id).values(consent_at=now, consent_version=version)
        )

    async def save_profile(self, user_id: int, fields: dict[str, Any]) -> None:
        unknown = set(fields) - set(PROFILE_FIELDS) - {"registered_at"}
        if unknown:
            raise ValueError(f"not profile fields: {sorted(unknown)}")
        await self._s.execute(update(User).where(User.id == user_id).values(**fields))
        self._s.expire_all()

    async def delete(self, user_id: int) -> None:
        await self._s.execute(delete(User).where(User.id == user_id))

    async def count_registered(self) -> int:
        return int(
            await self._s.scalar(
                select(func.count()).select_from(User).where(User.registered_at.is_not(None))
            )
            or 0
        )
