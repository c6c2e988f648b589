"""The real process meets a database or a Telegram it cannot use: one line on stderr, no
traceback, exit code 2 for a setting to fix and 1 for a server or file to look at, within
seconds (a SQLite file that is not a database used to hang the process for ever)."""

from __future__ import annotations

import asyncio
import os
import socket
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.config import Settings
from tests.e2e.process import ROOT, free_port
from tests.fake_telegram.server import DEFAULT_TOKEN, FakeTelegramServer

pytestmark = pytest.mark.asyncio(loop_scope="module")

PASSWORD = "Secr3t-pw"
BOUND = 40  # seconds: a generous upper bound that catches a hang (the slowest case waits 10 s)


@dataclass(frozen=True)
class Case:
    code: int
    starts: str  # the line's beginning
    env: Callable[[Path, FakeTelegramServer, int], dict[str, str]]


def _sqlite(path: Path) -> str:
    return f"sqlite+aiosqlite:///{path}"


def _corrupt(tmp: Path, fake: FakeTelegramServer, _silent: int) -> dict[str, str]:
    (tmp / "bot.sqlite3").write_bytes(b"not a database, just bytes " * 200)
    return {"DATABASE_URL": _sqlite(tmp / "bot.sqlite3"), "TELEGRAM_API_URL": fake.base_url}


def _read_only(tmp: Path, fake: FakeTelegramServer, _silent: int) -> dict[str, str]:
    import sqlite3

    # A database at the newest revision, so nothing at start needs to write but the check.
    from db.migrate import head_revision

    with sqlite3.connect(tmp / "bot.sqlite3") as conn:
        conn.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
        conn.execute("INSERT INTO alembic_version VALUES (?)", (head_revision(),))
    # Opened read-only as SQLite opens a file its user may not write (the tests run as root,
    # for whom file modes change nothing).
    url = f"sqlite+aiosqlite:///file:{tmp / 'bot.sqlite3'}?mode=ro&uri=true"
    return {"DATABASE_URL": url, "TELEGRAM_API_URL": fake.base_url}


def _postgres_at(port: int) -> str:
    return f"postgresql+asyncpg://tos:{PASSWORD}@127.0.0.1:{port}/tos"


CASES = {
    "sqlite-not-a-database": Case(1, "database error: DATABASE_URL: ", _corrupt),
    "sqlite-read-only": Case(1, "database error: DATABASE_URL: ", _read_only),
    "postgres-refused": Case(
        1,
        "database error: DATABASE_URL: cannot reach PostgreSQL at 127.0.0.1:",
        lambda _t, fake, _s: {
            "DATABASE_URL": _postgres_at(free_port()),
            "TELEGRAM_API_URL": fake.base_url,
        },
    ),
    "postgres-silent": Case(
        1,
        "database error: DATABASE_URL: cannot reach PostgreSQL at 127.0.0.1:",
        lambda _t, fake, silent: {
            "DATABASE_URL": _postgres_at(silent),
            "TELEGRAM_API_URL": fake.base_url,
        },
    ),
    "database-url-malformed": Case(
        2,
        "configuration error: DATABASE_URL: ",
        lambda _t, _f, _s: {"DATABASE_URL": f"postgresql+asyncpg://tos:{PASSWORD}@host:port/x"},
    ),
    "telegram-refused": Case(
        1,
        "network error: cannot reach the Bot API at http://127.0.0.1:",
        lambda _t, _f, _s: {"TELEGRAM_API_URL": f"http://127.0.0.1:{free_port()}"},
    ),
    "telegram-silent": Case(
        1,
        "network error: cannot reach the Bot API at http://127.0.0.1:",
        lambda _t, _f, silent: {"TELEGRAM_API_URL": f"http://127.0.0.1:{silent}"},
    ),
    "telegram-api-url-malformed": Case(
        2,
        "configuration error: TELEGRAM_API_URL: ",
        lambda _t, _f, _s: {"TELEGRAM_API_URL": "localhost:8081"},
    ),
    "telegram-api-url-not-a-bot-api": Case(
        2,
        "configuration error: TELEGRAM_API_URL: ",
        lambda _t, fake, _s: {"TELEGRAM_API_URL": fake.base_url + "/not/the/api"},
    ),
    "webhook-port-taken": Case(
        1,
        "cannot listen on 127.0.0.1:",
        lambda _t, fake, silent: {
            "TELEGRAM_API_URL": fake.base_url,
            "RUN_MODE": "webhook",
            "WEBHOOK_BASE_URL": "https://bot.example.org",
            "WEBHOOK_SECRET": "s3cret",
            "WEBHOOK_HOST": "127.0.0.1",
            "WEBHOOK_PORT": str(silent),  # another server listens there
        },
    ),
}


@pytest.fixture(scope="module")
def silent_port() -> Iterator[int]:
    """A server that takes connections and never answers (the kernel accepts them for a
    listening socket nobody reads)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(64)
        yield int(sock.getsockname()[1])


@pytest.mark.parametrize("name", list(CASES))
async def test_one_line_and_an_exit_code(name: str, tmp_path: Path, silent_port: int) -> None:
    case = CASES[name]
    ours = {field.upper() for field in Settings.model_fields}
    async with FakeTelegramServer() as fake:
        env = {k: v for k, v in os.environ.items() if k.upper() not in ours}
        env.update(
            {
                "PYTHONPATH": str(ROOT),
                "BOT_TOKEN": DEFAULT_TOKEN,
                "DATABASE_URL": _sqlite(tmp_path / "bot.sqlite3"),
                # Nothing at WARNING or above but the one line.
                "LOG_LEVEL": "WARNING",
                **case.env(tmp_path, fake, silent_port),
            }
        )
        started = time.monotonic()
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            cwd=tmp_path,
            env=env,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        try:
            _out, err = await asyncio.wait_for(proc.communicate(), BOUND)
        except TimeoutError:
            proc.kill()
            await proc.wait()
            pytest.fail(f"{name}: still running after {BOUND} s")
        took = time.monotonic() - started
    stderr = err.decode()
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith(case.starts), lines[0]
    assert proc.returncode == case.code, stderr
    assert took < BOUND
    assert DEFAULT_TOKEN not in stderr and PASSWORD not in stderr
