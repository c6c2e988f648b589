"""Settings: one clear line and exit code 2 for a bad configuration, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import RunMode, Settings

ROOT = Path(__file__).resolve().parents[2]
GOOD = "123456:" + "A" * 35


def run_bot(env: dict[str, str], tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    ours = {name.upper() for name in Settings.model_fields}
    clean = {k: v for k, v in os.environ.items() if k.upper() not in ours}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        env={**clean, **env, "PYTHONPATH": str(ROOT)},
        cwd=tmp_path,  # no .env there
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({}, "BOT_TOKEN"),
        ({"BOT_TOKEN": "not-a-token"}, "BOT_TOKEN"),
        ({"BOT_TOKEN": GOOD, "RUN_MODE": "carrier-pigeon"}, "RUN_MODE"),
        ({"BOT_TOKEN": GOOD, "ADMIN_IDS": "12,abc"}, "ADMIN_IDS"),
        ({"BOT_TOKEN": GOOD, "DATABASE_URL": "mysql://x"}, "DATABASE_URL"),
        ({"BOT_TOKEN": GOOD, "RUN_MODE": "webhook"}, "WEBHOOK_BASE_URL"),
        ({"BOT_TOKEN": GOOD, "WEBHOOK_PORT": "99999"}, "WEBHOOK_PORT"),
    ],
)
def test_bad_settings_exit_2_with_one_line(env: dict[str, str], named: str, tmp_path: Path) -> None:
    result = run_bot(env, tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert named in lines[0] and "Traceback" not in result.stderr
    assert GOOD not in result.stderr  # the secret is never echoed


def test_defaults_and_parsing() -> None:
    s = Settings(_env_file=None, bot_token=GOOD, admin_ids="1, 2 3")  # type: ignore[call-arg]
    assert s.admin_ids == frozenset({1, 2, 3})
    assert s.run_mode is RunMode.POLLING and s.default_locale == "ru" and s.is_sqlite
    assert "A" * 35 not in repr(s)


def test_migrate_command_creates_the_schema(tmp_path: Path) -> None:
    import sqlite3

    db = tmp_path / "sub" / "bot.sqlite3"
    result = run_bot(
        {"BOT_TOKEN": GOOD, "DATABASE_URL": f"sqlite+aiosqlite:///{db}"}, tmp_path, "migrate"
    )
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(db) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"users", "user_roles", "invites", "fsm_states", "erasures"} <= tables


def test_broken_law_profile_stops_the_bot_at_start(tmp_path: Path) -> None:
    import shutil

    from bot.services.law import LAW_DIR

    law = tmp_path / "law"
    shutil.copytree(LAW_DIR, law)
    (law / "33-fz.json").write_text('{"id": "33-fz"}', encoding="utf-8")
    result = run_bot(
        {
            "BOT_TOKEN": GOOD,
            "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}",
            "LAW_PROFILES_DIR": str(law),
            "TELEGRAM_API_URL": "http://127.0.0.1:9",  # never reached: the check comes first
        },
        tmp_path,
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert lines[-1].startswith("law profile error: 33-fz.json: ")
    assert "Traceback" not in result.stderr


async def test_a_token_telegram_refuses_ends_with_one_line(tmp_path: Path) -> None:
    import asyncio

    from tests.fake_telegram.server import FakeTelegramServer

    async with FakeTelegramServer(token="999:" + "B" * 35) as server:  # knows another token
        env = {
            **{
                k: v
                for k, v in os.environ.items()
                if k.upper() not in {n.upper() for n in Settings.model_fields}
            },
            "PYTHONPATH": str(ROOT),
            "BOT_TOKEN": GOOD,
            "TELEGRAM_API_URL": server.base_url,
            "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}",
        }
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            cwd=tmp_path,
            env=env,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        _out, err = await asyncio.wait_for(proc.communicate(), 60)
    assert proc.returncode == 2
    lines = err.decode().strip().splitlines()
    assert lines[-1] == "configuration error: BOT_TOKEN: Telegram does not accept this token"
    assert GOOD not in err.decode() and "Traceback" not in err.decode()


def test_migrate_and_copy_db_need_no_token(tmp_path: Path) -> None:
    import socket

    env = {"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}"}  # no BOT_TOKEN
    migrated = run_bot(env, tmp_path, "migrate")
    assert migrated.returncode == 0, migrated.stderr
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    target = f"postgresql+asyncpg://tos:Secr3t-pw@127.0.0.1:{port}/tos"
    copied = run_bot({**env, "LOG_LEVEL": "WARNING"}, tmp_path, "copy-db", "--to", target)
    # It got as far as the target: one line about it, no word of a token, no password.
    assert copied.returncode == 1
    lines = copied.stderr.strip().splitlines()
    assert len(lines) == 1, copied.stderr
    assert lines[0].startswith(
        f"copy-db: database error: --to: cannot reach PostgreSQL at 127.0.0.1:{port}"
    )
    assert "Secr3t-pw" not in copied.stderr
