"""One-time role invitations."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Invite


class InviteRepo:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def create(
        self,
        token_hash: str,
        role: str,
        created_by: int | None,
        now: datetime,
        expires_at: datetime,
    ) -> Invite:
        invite = Invite(
            token_hash=token_hash,
            role=role,
            created_by=created_by,
            created_at=now,
            expires_at=expires_at,
        )
        self._s.add(invite)
        await self._s.flush()
        return invite

    async def find(self, token_hash: str) -> Invite | None:
        invite: Invite | None = await self._s.scalar(
            select(Invite).where(Invite.token_hash == token_hash)
        )
        return invite

    async def claim(self, token_hash: str, user_id: int, now: datetime) -> bool:
        """Mark the invite used by `user_id` if it is still unused and unexpired (atomic)."""
        result = await self._s.execute(
            update(Invite)
            .where(
                Invite.token_hash == token_hash,
                Invite.used_by.is_(None),
                Invite.used_at.is_(None),
                Invite.expires_at > now,
            )
            .values(used_by=user_id, used_at=now)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def purge_expired(self, now: datetime) -> int:
        """Forget unused invites that can no longer be used."""
        result = await self._s.execute(
            delete(Invite).where(Invite.used_at.is_(None), Invite.expires_at <= now)
        )
        return int(result.rowcount)  # type: ignore[attr-defined]

    async def count_active(self, now: datetime) -> int:
        return int(
            await self._s.scalar(
                select(func.count())
                .select_from(Invite)
                .where(Invite.used_at.is_(None), Invite.expires_at > now)
            )
            or 0
        )

    async def linked_to(self, user_id: int) -> list[Invite]:
        rows = await self._s.scalars(
            select(Invite)
            .where(or_(Invite.created_by == user_id, Invite.used_by == user_id))
            .order_by(Invite.id)
        )
        return list(rows)
