"""The migration stairway: every revision upgrades and downgrades, and head matches the models."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect
from sqlalchemy.engine import Connection

from db.engine import create_engine
from db.migrate import alembic_config, downgrade, upgrade
from db.models import FAQ_SEARCH_INDEX, Base
from tests.harness import database_url


def _revisions(url: str) -> list[str]:
    script = ScriptDirectory.from_config(alembic_config(url))
    return [r.revision for r in reversed(list(script.walk_revisions()))]


def _tables(conn: Connection) -> set[str]:
    # The FAQ's search index (FTS5 and its shadow tables; PostgreSQL's tsvector table) is
    # not a model.
    names = set(inspect(conn).get_table_names()) - {"alembic_version"}
    return {n for n in names if not n.startswith(FAQ_SEARCH_INDEX)}


async def test_stairway_up_and_down(tmp_path: Path) -> None:
    url = database_url(tmp_path / "m.sqlite3", migrated=False)  # PostgreSQL on the 2nd pass
    engine = create_engine(url)
    revisions = _revisions(url)
    assert revisions, "no migrations found"
    for revision in revisions:
        await upgrade(engine, revision)
        await downgrade(engine, "-1")
        await upgrade(engine, revision)
    async with engine.connect() as conn:
        assert await conn.run_sync(_tables) == set(Base.metadata.tables)
    await downgrade(engine, "base")
    async with engine.connect() as conn:
        assert await conn.run_sync(_tables) == set()
    await engine.dispose()


async def test_head_matches_models(tmp_path: Path) -> None:
    engine = create_engine(database_url(tmp_path / "m.sqlite3", migrated=False))
    await upgrade(engine)

    def diff(conn: Connection) -> list[object]:
        context = MigrationContext.configure(
            conn,
            opts={
                "compare_type": True,
                "include_name": lambda name, kind, _parent: (
                    not (kind == "table" and (name or "").startswith(FAQ_SEARCH_INDEX))
                ),
            },
        )
        return list(compare_metadata(context, Base.metadata))

    async with engine.connect() as conn:
        assert await conn.run_sync(diff) == []
    await engine.dispose()


async def test_sqlite_pragmas(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'sub' / 'm.sqlite3'}")
    async with engine.connect() as conn:
        journal = (await conn.exec_driver_sql("PRAGMA journal_mode")).scalar()
        fks = (await conn.exec_driver_sql("PRAGMA foreign_keys")).scalar()
        busy = (await conn.exec_driver_sql("PRAGMA busy_timeout")).scalar()
        sync = (await conn.exec_driver_sql("PRAGMA synchronous")).scalar()
    assert (journal, fks, busy, sync) == ("wal", 1, 0, 1)  # busy waits: db/sqlite_inline.py
    await engine.dispose()


def test_head_read_from_the_files_is_alembics() -> None:
    from db.migrate import head_revision

    assert (
        head_revision()
        == ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
    )


async def test_a_database_at_head_is_not_migrated_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import db.migrate as migrate

    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'm.sqlite3'}")
    try:
        assert await migrate.current_revision(engine) is None
        await upgrade(engine)
        assert await migrate.current_revision(engine) == migrate.head_revision()
        monkeypatch.setattr(migrate, "_run", lambda *_a: pytest.fail("alembic ran again"))
        await upgrade(engine)
    finally:
        await engine.dispose()
