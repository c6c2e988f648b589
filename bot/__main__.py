"""`python -m bot` runs the bot; `python -m bot migrate` only upgrades the database."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import sys

from pydantic import ValidationError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description="TOS activists' bot")
    parser.add_argument("command", nargs="?", choices=("run", "migrate"), default="run")
    args = parser.parse_args(argv)

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


if __name__ == "__main__":
    sys.exit(main())
