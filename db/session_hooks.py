"""Work a session does at commit time: write-behind buffers flush before, caches learn after.

Both commit points (the end of an update, and just before a Telegram request) go through
`commit`, so buffered writes are never forgotten and never outlive a rollback.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable

from sqlalchemy.ext.asyncio import AsyncSession

_BEFORE = "before_commit"
_AFTER = "after_commit"


def before_commit(
    session: AsyncSession, key: Hashable, flush: Callable[[], Awaitable[None]]
) -> None:
    """Run `flush` (once per key) inside the transaction, just before it commits."""
    session.info.setdefault(_BEFORE, {}).setdefault(key, flush)


def after_commit(session: AsyncSession, key: Hashable, callback: Callable[[], None]) -> None:
    session.info.setdefault(_AFTER, {}).setdefault(key, callback)


def has_pending(session: AsyncSession) -> bool:
    return bool(session.info.get(_BEFORE)) or session.in_transaction()


async def commit(session: AsyncSession) -> None:
    flushes = session.info.pop(_BEFORE, {})
    for flush in flushes.values():
        await flush()
    if session.in_transaction():
        await session.commit()
    for callback in session.info.pop(_AFTER, {}).values():
        callback()


async def rollback(session: AsyncSession) -> None:
    session.info.pop(_BEFORE, None)
    session.info.pop(_AFTER, None)
    await session.rollback()
