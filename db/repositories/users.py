"""People and their profiles."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import JSON, Select, bindparam, delete, func, or_, select, text, update
from sqlalchemy.engine import Engine
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import User, UserRole, UtcDateTime
from db.session_hooks import after_commit

# Profile fields a person may edit; the keys are also the FSM/profile field names.
PROFILE_FIELDS = ("full_name", "phone", "region_code", "municipality", "kind", "tz")


@dataclass(frozen=True, slots=True)
class UserSnapshot:
    """What every update needs to know about its sender, read in one round trip."""

    id: int
    language: str
    registered: bool
    consented: bool
    region_code: str | None
    roles: frozenset[str]
    tz: str | None = None  # the zone chosen inside a region with several (see zone_of)
    banned: bool = False  # an admin banned them: their updates are dropped


# Snapshots per engine, only for engines whose database one process owns (SQLite, where every
# transaction goes through one connection): a transaction that changes a person drops their
# snapshot, and no other transaction can run between that change and its commit.
# Plain SQL both SQLite and PostgreSQL speak (and cached, unlike the dialects' upserts).
_ENSURE = text(
    "INSERT INTO users (id, language, created_at, muted_kinds)"
    " VALUES (:id, :language, :created_at, :muted) ON CONFLICT (id) DO NOTHING"
).bindparams(bindparam("created_at", type_=UtcDateTime()), bindparam("muted", type_=JSON()))

# None: nobody with that id (someone who wrote before consenting); cached too.
_snapshots: WeakKeyDictionary[Engine, dict[int, UserSnapshot | None]] = WeakKeyDictionary()
_DIRTY = "users_changed"


def enable_snapshot_cache(engine: Engine) -> None:
    _snapshots.setdefault(engine, {})


def banned_in_cache(engine: Engine, user_id: int) -> bool:
    """The person is known banned from this process's snapshots (SQLite only: there the
    cache is exact). False means "not known here": the database decides at the snapshot."""
    cache = _snapshots.get(engine)
    found = cache.get(user_id) if cache is not None else None
    return found is not None and found.banned


def forget_user(session: AsyncSession, user_id: int) -> None:
    """Call on every write to a person's row or roles."""
    dirty: set[int] = session.info.setdefault(_DIRTY, set())
    dirty.add(user_id)
    # Once committed the change cannot roll back: a snapshot read after that commit (the
    # menus after a registration) is cached again.
    after_commit(session, _DIRTY, dirty.clear)
    cache = _snapshots.get(session.bind.sync_engine) if session.bind else None
    if cache is not None:
        cache.pop(user_id, None)


def _snapshot_query(roles: Any) -> Select[Any]:
    """One query for the person and their roles, on the tables (no ORM entity: this runs on
    every update where nothing caches it)."""
    users, user_roles = User.__table__, UserRole.__table__
    joined = select(roles).where(user_roles.c.user_id == users.c.id).scalar_subquery()
    return select(
        users.c.language,
        users.c.registered_at,
        users.c.consent_at,
        users.c.region_code,
        joined,
        users.c.tz,
        users.c.banned_at,
    ).where(users.c.id == bindparam("user_id"))


_SNAPSHOT_SQLITE = _snapshot_query(func.group_concat(UserRole.__table__.c.role, ","))
_SNAPSHOT = _snapshot_query(func.string_agg(UserRole.__table__.c.role, ","))


def _literal(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class UserRepo:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def snapshot(self, user_id: int) -> UserSnapshot | None:
        """The person's language, status and roles; this runs on every update."""
        cache = _snapshots.get(self._s.bind.sync_engine)
        if cache is not None and user_id in cache:
            return cache[user_id]
        snapshot = await self._read_snapshot(user_id)
        # Not what this very transaction changed: it might still roll back.
        dirty = user_id in self._s.info.get(_DIRTY, ())
        if cache is not None and not dirty:
            cache[user_id] = snapshot
        return snapshot

    async def _read_snapshot(self, user_id: int) -> UserSnapshot | None:
        if self._s.new or self._s.dirty or self._s.deleted:
            await self._s.flush()  # a Core statement does not autoflush as the ORM's would
        statement = _SNAPSHOT_SQLITE if self._s.bind.dialect.name == "sqlite" else _SNAPSHOT
        row = (await self._s.execute(statement, {"user_id": user_id})).first()
        if row is None:
            return None
        return UserSnapshot(
            id=user_id,
            language=row[0],
            registered=row[1] is not None,
            consented=row[2] is not None,
            region_code=row[3],
            roles=frozenset(row[4].split(",")) if row[4] else frozenset(),
            tz=row[5],
            banned=row[6] is not None,
        )

    async def get(self, user_id: int) -> User | None:
        return await self._s.get(User, user_id)

    async def by_ids(self, user_ids: set[int]) -> dict[int, User]:
        rows = await self._s.scalars(select(User).where(User.id.in_(sorted(user_ids))))
        return {user.id: user for user in rows}

    async def set_muted(self, user_id: int, kinds: list[str]) -> None:
        await self._s.execute(update(User).where(User.id == user_id).values(muted_kinds=kinds))

    async def mark_unreachable(self, user_id: int, now: datetime) -> None:
        """Telegram said 403: the person blocked the bot (or the account is gone)."""
        await self._s.execute(update(User).where(User.id == user_id).values(unreachable_at=now))

    async def ensure(self, user_id: int, language: str, now: datetime) -> None:
        """Create the bare row (id and language only) if the person has none yet (callers
        write to the row right after, so no read first)."""
        forget_user(self._s, user_id)
        # ON CONFLICT: the row may exist, or another instance may create the same person at
        # the same moment (two instances bootstrapping ADMIN_IDS at start).
        await self._s.execute(
            _ENSURE, {"id": user_id, "language": language, "created_at": now, "muted": []}
        )

    async def set_language(self, user_id: int, language: str) -> None:
        forget_user(self._s, user_id)
        await self._s.execute(update(User).where(User.id == user_id).values(language=language))

    async def record_consent(self, user_id: int, version: str, now: datetime) -> None:
        forget_user(self._s, user_id)
        await self._s.execute(
            update(User).where(User.id == user_id).values(consent_at=now, consent_version=version)
        )

    async def save_profile(self, user_id: int, fields: dict[str, Any]) -> None:
        unknown = set(fields) - set(PROFILE_FIELDS) - {"registered_at"}
        if unknown:
            raise ValueError(f"not profile fields: {sorted(unknown)}")
        forget_user(self._s, user_id)
        await self._s.execute(update(User).where(User.id == user_id).values(**fields))
        self._s.expire_all()

    async def delete(self, user_id: int) -> None:
        forget_user(self._s, user_id)
        await self._s.execute(delete(User).where(User.id == user_id))

    async def set_banned(self, user_id: int, now: datetime | None) -> bool:
        """Ban (`now`) or unban (None); False if the person is unknown or already so."""
        forget_user(self._s, user_id)
        already = User.banned_at.is_not(None) if now is not None else User.banned_at.is_(None)
        result = await self._s.execute(
            update(User).where(User.id == user_id, ~already).values(banned_at=now)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def banned(self, offset: int, limit: int) -> tuple[list[User], int]:
        """Banned people, the latest ban first, and how many there are."""
        where = User.banned_at.is_not(None)
        total = await self._s.scalar(select(func.count()).select_from(User).where(where))
        rows = await self._s.scalars(
            select(User)
            .where(where)
            .order_by(User.banned_at.desc(), User.id)
            .offset(offset)
            .limit(limit)
        )
        return list(rows), int(total or 0)

    async def find(self, text: str, limit: int) -> list[User]:
        """People by Telegram id (digits) or by parts of the name."""
        text = text.strip()
        if text.isdigit() and len(text) <= 18:
            found = await self._s.get(User, int(text))
            return [found] if found is not None else []
        words = [w for w in text.split() if w][:5]
        if not words:
            return []
        query = select(User).where(User.full_name.is_not(None))
        for word in words:
            # SQLite folds the case of ASCII letters only: the word as typed, in lower case,
            # capitalised and in upper case. Not LIKE's wildcards: a typed % or _ is itself.
            variants = sorted({word, word.lower(), word.capitalize(), word.upper()})
            query = query.where(
                or_(*(User.full_name.like(f"%{_literal(v)}%", escape="\\") for v in variants))
            )
        rows = await self._s.scalars(query.order_by(User.full_name, User.id).limit(limit))
        return list(rows)

    async def count_registered(self) -> int:
        return int(
            await self._s.scalar(
                select(func.count()).select_from(User).where(User.registered_at.is_not(None))
            )
            or 0
        )
