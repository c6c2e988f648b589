"""The compose scale profile's first start: two instances migrating one empty PostgreSQL
database at the same moment (two real `python -m bot migrate` processes). Both succeed, the
schema is made once (the advisory lock in db/migrate.py makes the second wait, then find it
at head) and is at head."""

from __future__ import annotations

import asyncio
import os
import sys
from datetime import UTC, datetime

import asyncpg
import pytest
from sqlalchemy.engine import make_url

from db.migrate import head_revision
from db.models import Base
from tests import harness
from tests.e2e.process import ROOT


def _postgres() -> str:
    if not os.environ.get("TEST_POSTGRES_URL"):
        if os.environ.get("CI"):
            pytest.fail("TEST_POSTGRES_URL is not set; .ci/run starts PostgreSQL")
        pytest.skip('no PostgreSQL (eval "$(tools/test_servers.sh)")')
    return harness.postgres_database(f"migrate-{os.getpid()}-{datetime.now(UTC).timestamp()}")


async def _migrate(url: str) -> tuple[int, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "BOT_"))}
    env.update({"PYTHONPATH": str(ROOT), "DATABASE_URL": url})
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "migrate",
        env=env,
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    out, _ = await proc.communicate()
    return int(proc.returncode or 0), out.decode()


async def test_two_instances_migrate_an_empty_database_at_once() -> None:
    url = _postgres()
    (code_1, log_1), (code_2, log_2) = await asyncio.gather(_migrate(url), _migrate(url))
    assert (code_1, code_2) == (0, 0), log_1 + log_2
    # The first migration ran once: the other process found the database at head.
    first = "Running upgrade  -> 0001"
    assert (log_1 + log_2).count(first) == 1, log_1 + log_2
    dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    conn = await asyncpg.connect(dsn)
    try:
        versions = [r["version_num"] for r in await conn.fetch("SELECT * FROM alembic_version")]
        tables = {
            r["tablename"]
            for r in await conn.fetch("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        }
    finally:
        await conn.close()
    assert versions == [head_revision()]
    assert set(Base.metadata.tables) <= tables
