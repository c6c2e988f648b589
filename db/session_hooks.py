"""Work a session does at commit time: write-behind buffers flush before, caches learn after.

Both commit points (the end of an update, and just before a Telegram request) go through
`commit`, so buffered writes are never forgotten and never outlive a rollback.

Writes that ride along (the update's claim on SQLite) need no commit of their own before a
Telegram request: they go with whatever the transaction commits anyway (an open transaction
holds the connection, and the dialog state must be saved before the question that shows
it, so a request commits those first), else with the update's final commit. A step that
only answers (a search, an edited button) then costs one commit, not one per request.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable

from sqlalchemy.ext.asyncio import AsyncSession

_BEFORE = "before_commit"
_AFTER = "after_commit"
_RIDING = "riding_along"

Riders = dict[Hashable, tuple[Callable[[], Awaitable[None]], Callable[[bool], None] | None]]


def before_commit(
    session: AsyncSession, key: Hashable, flush: Callable[[], Awaitable[None]]
) -> None:
    """Run `flush` (once per key) inside the transaction, just before it commits."""
    session.info.setdefault(_BEFORE, {}).setdefault(key, flush)


def after_commit(session: AsyncSession, key: Hashable, callback: Callable[[], None]) -> None:
    session.info.setdefault(_AFTER, {}).setdefault(key, callback)


def ride_along(
    session: AsyncSession,
    key: Hashable,
    flush: Callable[[], Awaitable[None]],
    done: Callable[[bool], None] | None = None,
) -> None:
    """Run `flush` (once per key) at the next commit, whichever it is, without asking for
    one before a Telegram request; then `done(True)` after that commit, or `done(False)`
    after a rollback."""
    riders: Riders = session.info.setdefault(_RIDING, {})
    riders.setdefault(key, (flush, done))


def has_pending(session: AsyncSession) -> bool:
    """Something a Telegram request must not wait behind: an open transaction (it holds the
    connection) or buffered writes that want their own commit."""
    return bool(session.info.get(_BEFORE)) or session.in_transaction()


async def commit(session: AsyncSession) -> None:
    flushes = session.info.pop(_BEFORE, {})
    riders: Riders = session.info.pop(_RIDING, {})
    try:
        for flush in flushes.values():
            await flush()
        for ride, _done in riders.values():
            await ride()
        if session.in_transaction():
            await session.commit()
    except BaseException:
        _finish(riders, False)
        raise
    for callback in session.info.pop(_AFTER, {}).values():
        callback()
    _finish(riders, True)


async def rollback(session: AsyncSession) -> None:
    session.info.pop(_BEFORE, None)
    session.info.pop(_AFTER, None)
    riders: Riders = session.info.pop(_RIDING, {})
    try:
        await session.rollback()
    finally:
        _finish(riders, False)


def _finish(riders: Riders, committed: bool) -> None:
    for _ride, done in riders.values():
        if done is not None:
            done(committed)
