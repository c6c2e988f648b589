"""Who holds which role."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, delete, func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import RoleRegion, User, UserRole, UtcDateTime
from db.repositories.users import forget_user

# Plain SQL both SQLite and PostgreSQL speak; the dialects' upsert constructs are not cacheable.
_GRANT = text(
    "INSERT INTO user_roles (user_id, role, granted_at, granted_by)"
    " VALUES (:user_id, :role, :granted_at, :granted_by) ON CONFLICT DO NOTHING"
).bindparams(bindparam("granted_at", type_=UtcDateTime()))


@dataclass(frozen=True, slots=True)
class RoleHolder:
    user_id: int
    full_name: str | None
    roles: tuple[str, ...]


class RoleRepo:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def of(self, user_id: int) -> set[str]:
        rows = await self._s.scalars(select(UserRole.role).where(UserRole.user_id == user_id))
        return set(rows)

    async def grant(
        self, user_id: int, role: str, now: datetime, granted_by: int | None = None
    ) -> bool:
        """Grant a role; False if the person already had it."""
        forget_user(self._s, user_id)
        result = await self._s.execute(
            _GRANT, {"user_id": user_id, "role": role, "granted_at": now, "granted_by": granted_by}
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def revoke(self, user_id: int, role: str) -> bool:
        forget_user(self._s, user_id)
        result = await self._s.execute(
            delete(UserRole).where(UserRole.user_id == user_id, UserRole.role == role)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def holders(
        self, roles: Iterable[str], *, offset: int, limit: int
    ) -> tuple[list[RoleHolder], int]:
        """People holding any of `roles`, by name, one page; and how many there are."""
        roles = tuple(roles)
        ids = select(UserRole.user_id).where(UserRole.role.in_(roles)).distinct()
        total = int(await self._s.scalar(select(func.count()).select_from(ids.subquery())) or 0)
        page = (
            await self._s.execute(
                select(User.id, User.full_name)
                .where(User.id.in_(ids))
                .order_by(User.full_name.is_(None), User.full_name, User.id)
                .offset(offset)
                .limit(limit)
            )
        ).all()
        result = []
        for user_id, name in page:
            held = await self.of(user_id)
            result.append(RoleHolder(user_id, name, tuple(r for r in roles if r in held)))
        return result, total

    async def user_ids_with(self, roles: Iterable[str]) -> list[int]:
        rows = await self._s.scalars(
            select(UserRole.user_id).where(UserRole.role.in_(tuple(roles))).distinct()
        )
        return list(rows)

    async def regions_of(self, user_id: int) -> set[str]:
        rows = await self._s.scalars(
            select(RoleRegion.region_code).where(RoleRegion.user_id == user_id)
        )
        return set(rows)

    async def toggle_region(self, user_id: int, region_code: str) -> bool:
        """Add the region to the organiser's, or take it away; True if it is theirs now."""
        removed = await self._s.execute(
            delete(RoleRegion).where(
                RoleRegion.user_id == user_id, RoleRegion.region_code == region_code
            )
        )
        if removed.rowcount:  # type: ignore[attr-defined]
            return False
        self._s.add(RoleRegion(user_id=user_id, region_code=region_code))
        await self._s.flush()
        return True

    async def organisers_of(self, region_code: str) -> list[int]:
        """People who hold the organiser role for this region."""
        rows = await self._s.scalars(
            select(UserRole.user_id)
            .join(RoleRegion, RoleRegion.user_id == UserRole.user_id)
            .where(UserRole.role == "organiser", RoleRegion.region_code == region_code)
        )
        return list(rows)
