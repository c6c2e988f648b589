"""SQLite on the loop's thread (db/sqlite_inline.py): a lock held by another connection is
waited out asleep on the loop, which keeps serving meanwhile; a lock held too long fails."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from db import sqlite_inline
from db.engine import create_engine


async def test_a_busy_write_waits_without_holding_the_loop(tmp_path: Path) -> None:
    path = tmp_path / "b.sqlite3"
    engine = create_engine(f"sqlite+aiosqlite:///{path}")
    async with engine.begin() as conn:
        await conn.execute(text("CREATE TABLE t (x INTEGER)"))
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another connection holds the write lock
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.01)
            ticks += 1

    async def release() -> None:
        await asyncio.sleep(0.3)
        other.execute("COMMIT")

    beat = asyncio.create_task(ticker())
    releasing = asyncio.create_task(release())
    started = time.monotonic()
    async with engine.begin() as conn:
        await conn.execute(text("INSERT INTO t VALUES (1)"))
    waited = time.monotonic() - started
    beat.cancel()
    await releasing
    assert waited >= 0.25
    assert ticks >= 10  # the loop ran other work while the write waited
    async with engine.connect() as conn:
        assert (await conn.execute(text("SELECT count(*) FROM t"))).scalar() == 1
    other.close()
    await engine.dispose()


async def test_a_lock_held_too_long_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sqlite_inline, "BUSY_WAIT", 0.2)
    path = tmp_path / "b.sqlite3"
    engine = create_engine(f"sqlite+aiosqlite:///{path}")
    async with engine.begin() as conn:
        await conn.execute(text("CREATE TABLE t (x INTEGER)"))
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    with pytest.raises(Exception, match="database is locked"):
        async with engine.begin() as conn:
            await conn.execute(text("INSERT INTO t VALUES (1)"))
    other.execute("ROLLBACK")
    other.close()
    await engine.dispose()
