"""Data access grouped in one holder. Repositories never commit: the update's middleware does."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Broadcast, Erasure, FsmRecord, Invite
from db.repositories.audit import AuditRepo
from db.repositories.broadcasts import BroadcastRepo
from db.repositories.dashboard import DashboardRepo
from db.repositories.events import EventRepo, SignupRepo
from db.repositories.faq import FaqRepo
from db.repositories.grants import GrantRepo
from db.repositories.invites import InviteRepo
from db.repositories.jobs import JobRunRepo
from db.repositories.law import LawSettingRepo
from db.repositories.outbox import OutboxRepo
from db.repositories.parked import ParkedDialogRepo
from db.repositories.questions import QuestionRepo
from db.repositories.roles import RoleHolder, RoleRepo
from db.repositories.tos import TosEstimateRepo, TosMemberRepo, TosProjectRepo, TosRegistryRepo
from db.repositories.updates import HandledUpdateRepo
from db.repositories.users import PROFILE_FIELDS, UserRepo, UserSnapshot
from db.session_hooks import commit

__all__ = ["PROFILE_FIELDS", "Repo", "RoleHolder", "UserSnapshot"]


class ErasureRepo:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def record(self, now: datetime, kept: dict[str, Any]) -> None:
        await self._s.execute(insert(Erasure).values(erased_at=now, kept=kept))

    async def count(self) -> int:
        return int(await self._s.scalar(select(func.count()).select_from(Erasure)) or 0)


class PersonalLinksRepo:
    """Rows of other tables that point at a person and must be cut loose or removed on erasure."""

    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def detach_invites(self, user_id: int) -> int:
        created = await self._s.execute(
            update(Invite).where(Invite.created_by == user_id).values(created_by=None)
        )
        used = await self._s.execute(
            update(Invite).where(Invite.used_by == user_id).values(used_by=None)
        )
        return int(created.rowcount + used.rowcount)  # type: ignore[attr-defined]

    async def detach_broadcasts(self, user_id: int) -> list[int]:
        """The person's broadcasts keep their counts but not the chat they were copied from
        (their deliveries cannot be made without it: the caller stops them)."""
        ids = list(
            await self._s.scalars(select(Broadcast.id).where(Broadcast.from_chat_id == user_id))
        )
        await self._s.execute(
            update(Broadcast)
            .where(Broadcast.from_chat_id == user_id)
            .values(from_chat_id=0, status="stopped")
        )
        return ids

    async def drop_dialog_state(self, user_id: int) -> int:
        result = await self._s.execute(delete(FsmRecord).where(FsmRecord.user_id == user_id))
        return int(result.rowcount)  # type: ignore[attr-defined]


class Repo:
    async def release(self) -> None:
        """End the transaction before slow work that needs no database (generating files), so
        the one SQLite connection serves others meanwhile. Not for undoing: it commits."""
        await commit(self.session)

    async def erase_from_disk(self) -> None:
        """After an erasure: commit, then (SQLite) move the write-ahead log into the database
        file and truncate it, so no copy of the erased rows stays in the log; the file's freed
        pages are zeroed as they are freed (PRAGMA secure_delete, see db.engine)."""
        await commit(self.session)
        if self.session.get_bind().dialect.name == "sqlite":
            connection = await self.session.connection()
            await connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            await commit(self.session)

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.users = UserRepo(session)
        self.roles = RoleRepo(session)
        self.invites = InviteRepo(session)
        self.erasures = ErasureRepo(session)
        self.links = PersonalLinksRepo(session)
        self.tos_projects = TosProjectRepo(session)
        self.tos_registry = TosRegistryRepo(session)
        self.tos_members = TosMemberRepo(session)
        self.law_settings = LawSettingRepo(session)
        self.events = EventRepo(session)
        self.signups = SignupRepo(session)
        self.outbox = OutboxRepo(session)
        self.broadcasts = BroadcastRepo(session)
        self.questions = QuestionRepo(session)
        self.faq = FaqRepo(session)
        self.job_runs = JobRunRepo(session)
        self.handled_updates = HandledUpdateRepo(session)
        self.parked_dialogs = ParkedDialogRepo(session)
        self.dashboard = DashboardRepo(session)
        self.grants = GrantRepo(session)
        self.tos_estimates = TosEstimateRepo(session)
        self.audit = AuditRepo(session)
