"""`python -m bot` runs the bot; `python -m bot migrate` only upgrades the database;
`python -m bot copy-db --to postgresql+asyncpg://...` copies the DATABASE_URL database (SQLite)
into an empty PostgreSQL database and checks every table's row count; `python -m bot backup
[--to PATH]` backs the database up while the bot runs (see db/backup.py).

A failure the operator can act on ends with one line on stderr and exit code 2 (a setting to
fix) or 1 (a server or file to look at); see README, "Troubleshooting"."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
from collections.abc import Awaitable
from typing import TYPE_CHECKING, TypeVar

from pydantic import ValidationError

if TYPE_CHECKING:
    from bot.config import DatabaseSettings, Settings

T = TypeVar("T")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description="TOS activists' bot")
    parser.add_argument(
        "command", nargs="?", choices=("run", "migrate", "copy-db", "backup"), default="run"
    )
    parser.add_argument(
        "--to",
        help="copy-db: the PostgreSQL database to copy into; backup: the file or folder"
        " to write (default: a new file in BACKUP_DIR)",
    )
    args = parser.parse_args(argv)
    if args.command == "copy-db" and not (args.to or "").startswith("postgresql+asyncpg://"):
        parser.error("copy-db needs --to postgresql+asyncpg://user:password@host/database")

    from bot.config import DatabaseSettings, Settings

    try:
        # migrate, copy-db and backup touch only the database: no token needed.
        settings = Settings() if args.command == "run" else DatabaseSettings()
    except ValidationError as exc:
        error = exc.errors()[0]
        name = str(error["loc"][0]).upper() if error["loc"] else "settings"
        print(f"configuration error: {name}: {error['msg']}", file=sys.stderr)
        return 2

    from bot import logs

    logs.configure(settings.log_level, settings.log_format)
    from bot.startup import StartupError

    try:
        if args.command == "migrate":
            from bot import app

            asyncio.run(_settled(app.migrate(settings)))
            return 0
        if args.command == "copy-db":
            return _copy_db(settings.database_url, args.to)
        if args.command == "backup":
            return _backup(settings, args.to)
        assert isinstance(settings, Settings)
        return _run(settings)
    except StartupError as exc:
        print(exc.line, file=sys.stderr)
        return exc.exit_code


def _run(settings: Settings) -> int:
    from aiogram.exceptions import TelegramUnauthorizedError

    from bot import app
    from bot.services.law import LawProfileError

    try:
        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(_settled(app.run(settings)))
    except LawProfileError as exc:
        print(f"law profile error: {exc}", file=sys.stderr)
        return 2
    except TelegramUnauthorizedError:  # the token was revoked while the bot ran
        print(
            "configuration error: BOT_TOKEN: Telegram does not accept this token", file=sys.stderr
        )
        return 2
    return 0


async def _settled(work: Awaitable[T]) -> T:
    """`work`, and on a failure a moment for worker threads to end while the loop runs."""
    from bot.startup import threads_finished

    try:
        return await work
    except Exception:
        await threads_finished()
        raise


def _copy_db(source: str, target: str) -> int:
    from bot.startup import database_failure, sqlite_failed
    from db.copy import CopyError, copy_database

    try:
        counted = asyncio.run(_settled(copy_database(source, target)))
    except CopyError as exc:
        print(f"copy-db: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:
        # The SQLite side is the source (DATABASE_URL), the PostgreSQL side the target.
        failure = (
            database_failure(exc, source)
            if sqlite_failed(exc)
            else database_failure(exc, target, "--to")
        )
        print(f"copy-db: {failure.line}", file=sys.stderr)
        return failure.exit_code
    for entry in counted:
        mark = "ok" if entry.ok else "MISMATCH"
        print(f"{entry.table:<24} {entry.source:>10} {entry.target:>10}  {mark}")
    if not all(entry.ok for entry in counted):
        print(
            "copy-db: row counts differ; nothing was copied"
            " (drop and create the target database again to retry)",
            file=sys.stderr,
        )
        return 1
    print(f"copy-db: {sum(e.source for e in counted)} rows in {len(counted)} tables copied")
    return 0


def _backup(settings: DatabaseSettings, to: str | None) -> int:
    """One backup; into BACKUP_DIR (keeping the newest BACKUP_KEEP there) unless `--to`."""
    from datetime import UTC, datetime
    from pathlib import Path

    from db.backup import BackupError, make_backup, prune, target_of

    target = target_of(
        settings.database_url, Path(to) if to else None, settings.backup_dir, datetime.now(UTC)
    )
    try:
        made = asyncio.run(make_backup(settings.database_url, target))
    except BackupError as exc:
        print(f"backup error: {exc}", file=sys.stderr)
        return 1
    removed = [] if to else prune(settings.backup_dir, settings.backup_keep)
    print(f"backup: {made.path} ({made.size:,} bytes)")
    if removed:
        print(f"backup: {len(removed)} older backups removed (BACKUP_KEEP={settings.backup_keep})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
