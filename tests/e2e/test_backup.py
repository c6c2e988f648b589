"""`python -m bot backup` against a running bot (the real process, polling): the copy is
opened (SQLite) or restored with pg_restore into an empty database (PostgreSQL, the second
pass) and every table's rows are compared with the live database's. Also: no BOT_TOKEN is
needed, a missing pg_dump is one line and exit code 1, and the scheduled backups keep the
newest BACKUP_KEEP files, once a slot across instances."""

from __future__ import annotations

import asyncio
import os
import shutil
import sqlite3
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from sqlalchemy.engine import make_url

from bot.i18n import Translator
from bot.jobs import back_up
from bot.scheduler import Periodic, backups, once_per_slot
from db.backup import NAME
from tests import harness
from tests.e2e.process import ROOT, BotProcess, Person
from tests.fake_telegram.server import FakeTelegramServer
from tests.harness import App, make_settings

ru = Translator().for_locale("ru")


async def cli(*args: str, **env: str) -> tuple[int, str, str]:
    """`python -m bot <args>` with only the given settings (no BOT_TOKEN)."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "BOT_"))}
    clean.update({"PYTHONPATH": str(ROOT), **env})
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *args,
        env=clean,
        cwd=env.get("CWD", str(ROOT)),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await proc.communicate()
    return int(proc.returncode or 0), out.decode(), err.decode()


def _sorted(rows: list[Any]) -> list[tuple[Any, ...]]:
    return sorted((tuple(row) for row in rows), key=repr)


def sqlite_rows(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        names = [
            row[0]
            for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {name: _sorted(conn.execute(f'SELECT * FROM "{name}"').fetchall()) for name in names}
    finally:
        conn.close()


def libpq(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


async def postgres_rows(url: str) -> dict[str, list[tuple[Any, ...]]]:
    conn = await asyncpg.connect(libpq(url))
    try:
        names = [
            r["tablename"]
            for r in await conn.fetch("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        ]
        return {n: _sorted(await conn.fetch(f'SELECT * FROM "{n}"')) for n in names}
    finally:
        await conn.close()


async def _register(person: Person) -> None:
    await person.send("/start", expect=ru("start-greeting"))
    await person.click(ru("start-register-button"))
    await person.click(
        ru("registration-consent-agree"), expect="…" + ru("registration-ask-name", step=1, total=5)
    )
    await person.send("Ольга Кузнецова", expect=ru("registration-ask-phone", step=2, total=5))
    await person.share_contact(
        "+79123450001", expect=ru("registration-ask-region", step=3, total=5)
    )


async def test_backup_of_a_running_bot_has_every_row(tmp_path: Path) -> None:
    async with FakeTelegramServer() as server:
        bot = BotProcess(server, tmp_path, RUN_MODE="polling", ADMIN_IDS="900")
        await bot.start()
        try:
            # A person half-way through registration: rows in users, dialog state, updates.
            await _register(Person(server, 7301))
            url = bot.env["DATABASE_URL"]
            target = tmp_path / "copies" / "bot-copy"
            code, out, err = await cli("backup", "--to", str(target), DATABASE_URL=url)
            assert code == 0, err
            assert out.startswith(f"backup: {target} (") and err == ""
            assert target.stat().st_mode & 0o777 == 0o600  # personal data: the owner only
            if harness.ON_SERVERS:
                restored = harness.postgres_database(f"restore-{os.getpid()}-{tmp_path.name}")
                proc = await asyncio.create_subprocess_exec(
                    "pg_restore", "--no-owner", f"--dbname={libpq(restored)}", str(target)
                )
                assert await proc.wait() == 0
                live, copy = await postgres_rows(url), await postgres_rows(restored)
            else:
                live, copy = sqlite_rows(tmp_path / "bot.sqlite3"), sqlite_rows(target)
                with sqlite3.connect(target) as conn:  # one file: no write-ahead log
                    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        finally:
            assert await bot.stop() == 0
    assert set(copy) == set(live) and len(live) > 25
    assert {"users", "fsm_states", "handled_updates", "alembic_version"} <= set(live)
    assert len(live["users"]) == 2 and len(live["handled_updates"]) >= 5
    assert harness.ON_SERVERS or live["fsm_states"]  # dialog state is in Redis on that pass
    for table, rows in live.items():
        if table == "job_runs":
            # The scheduler goes on claiming its periodic slots after the copy was taken.
            assert set(copy[table]) <= set(rows), table
        else:
            assert copy[table] == rows, table


async def test_missing_pg_dump_is_one_line(tmp_path: Path) -> None:
    """No server needed: pg_dump is looked for before anything connects."""
    empty = tmp_path / "bin"
    empty.mkdir()
    code, out, err = await cli(
        "backup", DATABASE_URL="postgresql+asyncpg://tos:pw@127.0.0.1:1/tos", PATH=str(empty)
    )
    assert code == 1 and out == ""
    assert err.splitlines() == [
        "backup error: pg_dump not found: install PostgreSQL's client tools"
        " (Debian: apt-get install postgresql-client) of the server's version or newer"
    ]


async def test_backup_of_a_missing_sqlite_file_is_refused(tmp_path: Path) -> None:
    code, out, err = await cli(
        "backup",
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'nothing.sqlite3'}",
        BACKUP_DIR=str(tmp_path / "backups"),
    )
    assert code == 1 and out == ""
    assert (
        err
        == f"backup error: DATABASE_URL: {tmp_path / 'nothing.sqlite3'} is not a database file\n"
    )
    assert not (tmp_path / "nothing.sqlite3").exists()  # not created empty by the attempt
    assert not list((tmp_path / "backups").glob("*"))


async def test_scheduled_backups_keep_the_newest(app: App, tmp_path: Path) -> None:
    if harness.ON_SERVERS and shutil.which("pg_dump") is None:
        pytest.fail("pg_dump is missing; .ci/run installs PostgreSQL's client")
    folder = tmp_path / "backups"
    settings = make_settings(
        tmp_path / "bot.sqlite3", backup_dir=folder, backup_every_hours=24, backup_keep=2
    )
    settings = settings.model_copy(update={"database_url": app.settings.database_url})
    periodic = backups(settings)
    assert periodic is not None and periodic.every == timedelta(hours=24)
    assert periodic.first_run(datetime(2026, 12, 3, 10, 5, tzinfo=UTC)) == datetime(
        2026, 12, 4, 0, 9, tzinfo=UTC
    )
    assert backups(make_settings(tmp_path / "bot.sqlite3")) is None  # 0: off by default
    (folder / "notes.txt").parent.mkdir(parents=True)
    (folder / "notes.txt").write_text("not a backup: never removed")
    made = []
    for _ in range(3):
        assert await back_up(settings) == 1
        made.append(sorted(p.name for p in folder.iterdir() if NAME.match(p.name))[-1])
        await asyncio.sleep(1.05)  # names carry the second
    left = sorted(p.name for p in folder.iterdir())
    assert left == sorted([*made[1:], "notes.txt"])
    if not harness.ON_SERVERS:
        rows = sqlite_rows(folder / made[-1])
        assert rows["alembic_version"] and "users" in rows

    # Two instances in one slot: one backup.
    once = Periodic(back_up, timedelta(days=3650), timedelta(0))
    results = [
        await once_per_slot(once, app.session_factory, settings),
        await once_per_slot(once, app.session_factory, settings),
    ]
    assert sorted(results) == [0, 1]
