"""`python -m bot` runs the bot; `python -m bot migrate` only upgrades the database;
`python -m bot copy-db --to postgresql+asyncpg://...` copies the DATABASE_URL database (SQLite)
into an empty PostgreSQL database and checks every table's row count."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import sys

from pydantic import ValidationError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description="TOS activists' bot")
    parser.add_argument("command", nargs="?", choices=("run", "migrate", "copy-db"), default="run")
    parser.add_argument("--to", help="copy-db: the PostgreSQL database to copy into")
    args = parser.parse_args(argv)
    if args.command == "copy-db" and not (args.to or "").startswith("postgresql+asyncpg://"):
        parser.error("copy-db needs --to postgresql+asyncpg://user:password@host/database")

    from bot.config import Settings

    try:
        settings = Settings()
    except ValidationError as exc:
        error = exc.errors()[0]
        name = str(error["loc"][0]).upper() if error["loc"] else "settings"
        print(f"configuration error: {name}: {error['msg']}", file=sys.stderr)
        return 2

    logging.basicConfig(
        level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    from aiogram.exceptions import TelegramUnauthorizedError

    from bot import app
    from bot.services.law import LawProfileError

    if args.command == "migrate":
        asyncio.run(app.migrate(settings))
        return 0
    if args.command == "copy-db":
        return _copy_db(settings.database_url, args.to)
    try:
        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(app.run(settings))
    except LawProfileError as exc:
        print(f"law profile error: {exc}", file=sys.stderr)
        return 2
    except TelegramUnauthorizedError:
        print(
            "configuration error: BOT_TOKEN: Telegram does not accept this token", file=sys.stderr
        )
        return 2
    return 0


def _copy_db(source: str, target: str) -> int:
    from db.copy import CopyError, copy_database

    try:
        counted = asyncio.run(copy_database(source, target))
    except CopyError as exc:
        print(f"copy-db: {exc}", file=sys.stderr)
        return 2
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


if __name__ == "__main__":
    sys.exit(main())
