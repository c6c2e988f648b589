"""SQLite on the event loop's own thread: aiosqlite's API, without its thread.

aiosqlite runs every call (cursor, execute, fetch, close, commit) in a thread of its own and
wakes the event loop for each result: SQLAlchemy's adapter makes four such round trips per
statement. Measured over the real process (bench/process.py, py-spy): the main thread spent
about 30% of its samples resuming from those hand-offs, while SQLite itself does the bot's
statements in microseconds (indexed lookups on one local file in WAL mode, no fsync per
commit with synchronous=NORMAL). So the statements run inline: the loop is held for the
statement's own time, never for a thread's wake-up.

What holds the loop longer is bulk work (a broadcast queues 1,000 rows a statement). A file
locked by another connection (a second engine in tests, a tool beside the bot) must not hold
it at all: SQLite's own busy handler would sleep on the loop's thread while the connection
holding the lock waits for that same loop. So the connections have busy_timeout=0 and a busy
statement is retried here, asleep on the loop, for up to BUSY_WAIT seconds (what
busy_timeout gave before). A statement SQLite refuses as busy has done nothing, so running it
again is safe.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable
from functools import partial
from typing import Any

import aiosqlite
from sqlalchemy.dialects.sqlite.aiosqlite import SQLiteDialect_aiosqlite
from sqlalchemy.engine import URL

BUSY_WAIT = 10.0  # seconds a statement waits for another connection's lock


class _Inline:
    """aiosqlite's request queue, served at once (SQLAlchemy puts its isolation-level change
    straight into the queue)."""

    def put_nowait(self, item: tuple[asyncio.Future[Any] | None, Callable[[], Any]]) -> None:
        future, function = item
        try:
            result = function()
        except BaseException as exc:
            if future is not None and not future.done():
                future.set_exception(exc)
            return
        if future is not None and not future.done():
            future.set_result(result)


class InlineConnection(aiosqlite.Connection):
    def __init__(self, connector: Callable[[], sqlite3.Connection]) -> None:
        super().__init__(connector, iter_chunk_size=64)
        self._tx = _Inline()  # type: ignore[assignment]

    def __await__(self) -> Any:  # no thread to start
        return self._connect().__await__()

    async def _connect(self) -> InlineConnection:
        if self._connection is None:
            self._connection = self._connector()
        return self

    async def _execute(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        if not self._running or not self._connection:
            raise ValueError("Connection closed")
        deadline, pause = 0.0, 0.001
        while True:
            try:
                return fn(*args, **kwargs)
            except sqlite3.OperationalError as exc:
                if exc.sqlite_errorcode != sqlite3.SQLITE_BUSY:
                    raise
                now = asyncio.get_running_loop().time()
                deadline = deadline or now + BUSY_WAIT
                if now >= deadline:
                    raise
            await asyncio.sleep(pause)
            pause = min(pause * 2, 0.05)

    def stop(self) -> None:
        self._running = False
        if self._connection is not None:
            self._connection.close()
            self._connection = None


def connector(url: URL) -> Callable[[], InlineConnection]:
    """SQLAlchemy's `async_creator` for a SQLite URL, opened with the arguments SQLAlchemy's
    own aiosqlite dialect would give (file: URIs, mode=ro and the like included)."""
    args, kwargs = SQLiteDialect_aiosqlite().create_connect_args(url)
    return partial(InlineConnection, partial(sqlite3.connect, *args, **kwargs))
