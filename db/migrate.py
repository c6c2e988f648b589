"""Alembic migrations, run at start and by `python -m bot migrate`."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

from db.locks import key

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"
_REVISION = re.compile(r'^(revision|down_revision)\b[^=]*=\s*"?(\w+|None)"?', re.MULTILINE)


def head_revision() -> str:
    """The newest migration, read from the files (alembic itself costs 20 MB of memory for the
    process's whole life; a database already at head does not need it)."""
    revisions, parents = set(), set()
    for script in (MIGRATIONS / "versions").glob("*.py"):
        found = dict(_REVISION.findall(script.read_text()))
        revisions.add(found["revision"])
        parents.add(found.get("down_revision", "None"))
    (head,) = revisions - parents
    return str(head)


async def current_revision(engine: AsyncEngine) -> str | None:
    try:
        async with engine.connect() as conn:
            found = await conn.scalar(text("SELECT version_num FROM alembic_version"))
    except DBAPIError:  # a new database: no alembic_version table yet
        return None
    return str(found) if found else None


def alembic_config(url: str) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


async def upgrade(engine: AsyncEngine, revision: str = "head") -> None:
    """Upgrade the database the engine points at, over the engine's own connection.

    On PostgreSQL the upgrade holds an advisory lock for its transaction: instances started
    together on an empty database take turns (two at once would both create the tables, and
    one would fail), and the second finds the database at head, since Alembic reads the
    version again after the lock is granted. SQLite has one process per file."""
    if revision == "head" and await current_revision(engine) == head_revision():
        return
    async with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            await conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key("migrate")})
        cfg = alembic_config(engine.url.render_as_string(hide_password=False))
        cfg.attributes["connection"] = conn
        await conn.run_sync(lambda sync_conn: _run(cfg, sync_conn, "upgrade", revision))


async def downgrade(engine: AsyncEngine, revision: str) -> None:
    async with engine.begin() as conn:
        cfg = alembic_config(engine.url.render_as_string(hide_password=False))
        await conn.run_sync(lambda sync_conn: _run(cfg, sync_conn, "downgrade", revision))


def _run(cfg: Config, sync_conn: object, action: str, revision: str) -> None:
    from alembic import command

    cfg.attributes["connection"] = sync_conn
    if action == "upgrade":
        command.upgrade(cfg, revision)
    else:
        command.downgrade(cfg, revision)


async def check_writable(engine: AsyncEngine) -> None:
    """Fail now, not at the first update, if the database cannot be written (a read-only
    file or folder, a read-only replica): an update that changes nothing still needs the
    write lock, then rolls back."""
    async with engine.connect() as conn:
        await conn.execute(text("UPDATE alembic_version SET version_num = version_num WHERE 1 = 0"))
        await conn.rollback()
