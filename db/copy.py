"""Copy a SQLite database into PostgreSQL (`python -m bot copy-db --to postgresql+asyncpg://...`):
the target must be a new database (no tables), is migrated to the same revision (rows the
migrations seed make way for the source's), gets every table's rows in
foreign-key order (batches of BATCH, so a large file never sits in memory), has its id
sequences moved past the copied ids, and is then checked table by table against the source's
row counts. The bot must be stopped while it runs (nothing may write to the source).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Integer, delete, func, insert, inspect, select, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from db.engine import create_engine, create_session_factory
from db.migrate import upgrade
from db.models import Base
from db.repositories.faq import FaqRepo

BATCH = 1000


@dataclass(frozen=True, slots=True)
class Counted:
    table: str
    source: int
    target: int

    @property
    def ok(self) -> bool:
        return self.source == self.target


class CopyError(RuntimeError):
    """The copy cannot start (the target is not a new database, or the revisions differ)."""


async def _revision(conn: AsyncConnection) -> str | None:
    found = await conn.execute(text("SELECT version_num FROM alembic_version"))
    return found.scalar_one_or_none()


async def _count(conn: AsyncConnection, table: str) -> int:
    found = await conn.scalar(select(func.count()).select_from(Base.metadata.tables[table]))
    return int(found or 0)


async def copy_database(source_url: str, target_url: str) -> list[Counted]:
    """Copy every table; returns each table's row counts in the source and in the target."""
    source, target = create_engine(source_url), create_engine(target_url)
    try:
        async with target.connect() as conn:
            tables = await conn.run_sync(lambda sync: inspect(sync).get_table_names())
        if tables:
            raise CopyError("the target database is not new: it has tables already")
        await upgrade(source)  # both at head, so the tables are the models' tables
        await upgrade(target)
        counted = await _copy(source, target)
        if all(c.ok for c in counted):
            # The FAQ's search index is not a model's table: built anew from the entries.
            async with create_session_factory(target).begin() as session:
                await FaqRepo(session).reindex_published()
        return counted
    finally:
        await source.dispose()
        await target.dispose()


async def _copy(source: AsyncEngine, target: AsyncEngine) -> list[Counted]:
    tables = Base.metadata.sorted_tables  # parents before children
    async with source.connect() as src, target.begin() as dst:
        if await _revision(src) != await _revision(dst):
            raise CopyError("the two databases are at different migrations")
        for table in reversed(tables):  # what the migrations seeded: the source's rows win
            await dst.execute(delete(table))
        for table in tables:
            order = list(table.primary_key.columns) or list(table.columns)
            offset = 0
            while True:
                rows = (
                    await src.execute(select(table).order_by(*order).offset(offset).limit(BATCH))
                ).mappings()
                batch = [dict(row) for row in rows]
                if not batch:
                    break
                await dst.execute(insert(table), batch)
                offset += len(batch)
        for table in tables:
            await _move_sequence(dst, table.name)
        counted = [
            Counted(t.name, await _count(src, t.name), await _count(dst, t.name)) for t in tables
        ]
        if not all(c.ok for c in counted):
            await dst.rollback()  # nothing half-copied stays behind
    return counted


async def _move_sequence(conn: AsyncConnection, name: str) -> None:
    """A serial id column's sequence continues after the copied ids (else the next insert
    would collide with a copied row)."""
    table = Base.metadata.tables[name]
    keys = list(table.primary_key.columns)
    if len(keys) != 1 or not isinstance(keys[0].type, Integer):
        return
    sequence = await conn.scalar(
        text("SELECT pg_get_serial_sequence(:table, :column)"),
        {"table": name, "column": keys[0].name},
    )
    if sequence is None:
        return  # ids given from outside (Telegram user ids), no sequence
    highest = await conn.scalar(select(func.max(keys[0])))
    await conn.execute(
        text("SELECT setval(CAST(:sequence AS regclass), :next, false)"),
        {"sequence": sequence, "next": int(highest or 0) + 1},
    )
