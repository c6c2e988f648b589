"""Engine and session factory. SQLite gets WAL, busy_timeout, foreign keys and one connection."""

from __future__ import annotations

import asyncio
import logging
from contextvars import ContextVar, Token
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from db.sqlite_inline import connector

# aiosqlite logs every call with its arguments at DEBUG: names and phones would reach the log
# with LOG_LEVEL=DEBUG. Its logger stays at INFO whatever the root level.
logging.getLogger("aiosqlite").setLevel(logging.INFO)

# The session of the update being handled, so the FSM storage and the "commit before sending"
# request middleware work inside the update's own transaction. It is tied to the task that
# handles the update: a task started meanwhile inherits the context (APScheduler's wake-up
# runs jobs in a copy of the context that added them, the outbox drain among them), and must
# not commit or write into the update's transaction from the side.
_update_session: ContextVar[tuple[AsyncSession, asyncio.Task[Any] | None] | None] = ContextVar(
    "update_session", default=None
)


def bind_update_session(session: AsyncSession) -> Token[Any]:
    return _update_session.set((session, asyncio.current_task()))


def unbind_update_session(token: Token[Any]) -> None:
    _update_session.reset(token)


def update_session() -> AsyncSession | None:
    """The update's session, if this code runs in the task handling that update."""
    bound = _update_session.get()
    if bound is None or bound[1] is not asyncio.current_task():
        return None
    return bound[0]


CONNECT_TIMEOUT = 10.0  # seconds to connect to PostgreSQL

SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=NORMAL",
    "PRAGMA foreign_keys=ON",
    # No waiting inside SQLite: it would sleep on the event loop's thread; a busy statement
    # is retried asleep on the loop instead (db/sqlite_inline.py, up to 10 s).
    "PRAGMA busy_timeout=0",
    # Deleted rows are overwritten, not just unlinked: an erased person (152-FZ) leaves no
    # bytes in the file's free pages.
    "PRAGMA secure_delete=ON",
)


def create_engine(url: str, **kwargs: Any) -> AsyncEngine:
    """Build the engine; for SQLite every write goes through a single connection.

    One connection serialises transactions in the event loop's queue instead of SQLite's
    sleep-and-retry busy handler, and read-then-write transactions cannot fail with
    "database is locked". Transactions stay short because the bot commits before every
    Telegram request (see `bot.middlewares.db`).
    """
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        # asyncpg waits 60 s for a server that takes the connection and never answers.
        kwargs.setdefault("connect_args", {"timeout": CONNECT_TIMEOUT})
        return create_async_engine(url, pool_pre_ping=True, hide_parameters=True, **kwargs)
    path = parsed.database
    if path and path != ":memory:" and not path.startswith("file:"):  # file: is a URI
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    engine = create_async_engine(
        url,
        # SQLite on the loop's thread (db/sqlite_inline.py); the URL still names the dialect.
        async_creator=connector(parsed),
        pool_size=1,
        max_overflow=0,
        pool_timeout=120,
        # Sessions always end in commit or rollback, so the pool's extra ROLLBACK on every
        # return is a wasted round trip to SQLite's thread.
        pool_reset_on_return=None,
        hide_parameters=True,
        **kwargs,
    )

    @event.listens_for(engine.sync_engine, "connect")
    def _pragmas(dbapi_connection: Any, _record: Any) -> None:
        try:
            cursor = dbapi_connection.cursor()
            for pragma in SQLITE_PRAGMAS:
                cursor.execute(pragma)
            cursor.close()
        except Exception:
            # The pool forgets a connection that failed here without closing it, and an open
            # aiosqlite connection is a thread that keeps the process from exiting (a file
            # that is not a database fails at the first pragma).
            dbapi_connection.close()
            raise

    # Imported here: db.repositories imports this module (`python -m bot migrate` and backup
    # import it first, and a module-level import would be circular).
    from db.repositories.updates import remember_claims
    from db.repositories.users import enable_snapshot_cache

    enable_snapshot_cache(engine.sync_engine)
    remember_claims(engine.sync_engine)
    return engine


def create_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=True)
