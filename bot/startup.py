"""Failures at start that an operator can act on, each as one line and an exit code: 2 for the
configuration (a setting to fix), 1 for the surroundings (a server down, a damaged file).

Anything not recognised here is a bug and keeps its traceback. Lines never carry the token or
a password: they are built from the error's kind and the parts of a URL that are not secret.
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections.abc import Iterator
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from db.engine import create_engine
from db.migrate import check_writable, upgrade

if TYPE_CHECKING:
    from aiogram import Bot

CONFIGURATION = 2
RUNTIME = 1
# Seconds the start-up checks wait for Telegram (aiogram's own timeout is 60 s).
TELEGRAM_TIMEOUT = 10.0


class StartupError(Exception):
    """What to print (one line) and the exit code."""

    def __init__(self, line: str, exit_code: int = RUNTIME) -> None:
        super().__init__(line)
        self.line = line
        self.exit_code = exit_code


def _chain(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def scrub(text: str, *secrets: str | None) -> str:
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return text


def sqlite_failed(exc: BaseException) -> bool:
    return any(isinstance(cause, sqlite3.Error) for cause in _chain(exc))


def database_failure(exc: BaseException, url: str, setting: str = "DATABASE_URL") -> StartupError:
    """The database at `url` could not be opened, migrated or written: why, in one line. A
    failure of no known kind is re-raised (a bug keeps its traceback)."""
    parsed = make_url(url)
    for cause in _chain(exc):
        if isinstance(cause, sqlite3.Error):
            return _sqlite_failure(cause, parsed.database or ":memory:", setting)
        kind = type(cause).__name__
        where = f"PostgreSQL at {parsed.host or 'localhost'}:{parsed.port or 5432}"
        if kind in ("InvalidPasswordError", "InvalidAuthorizationSpecificationError"):
            return StartupError(
                f"configuration error: {setting}: {where} refused the user or password ({cause})",
                CONFIGURATION,
            )
        if kind == "InvalidCatalogNameError":  # 'database "x" does not exist'
            return StartupError(
                f"configuration error: {setting}: {cause} on {where}", CONFIGURATION
            )
        if isinstance(cause, OSError):  # refused, no such host, timed out (TimeoutError)
            timed_out = isinstance(cause, TimeoutError)
            reason = cause.strerror or ("timed out" if timed_out else type(cause).__name__)
            return StartupError(f"database error: {setting}: cannot reach {where} ({reason})")
        if type(cause).__module__.startswith("asyncpg"):
            return StartupError(f"database error: {setting}: {where}: {kind}: {cause}")
    raise exc


def _sqlite_failure(cause: sqlite3.Error, path: str, setting: str) -> StartupError:
    name = getattr(cause, "sqlite_errorname", "") or ""
    if name in ("SQLITE_NOTADB", "SQLITE_CORRUPT"):
        what = "is not a SQLite database or is damaged; restore it from a backup"
    elif name.startswith("SQLITE_READONLY"):
        what = "is read-only; the bot's user must be able to write it and its folder"
    elif name.startswith("SQLITE_CANTOPEN"):
        what = "cannot be opened; its folder must exist and be writable by the bot's user"
    elif name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        what = "is locked by another process (is another bot running on it?)"
    else:
        what = "cannot be used"
    return StartupError(f"database error: {setting}: {path} {what} ({cause})")


async def open_database(url: str) -> AsyncEngine:
    """The engine of a database that is migrated and writable; else StartupError, with the
    engine disposed (an open SQLite connection is a thread that keeps the process alive)."""
    try:
        engine = create_engine(url)
    except OSError as exc:  # SQLite: the file's folder could not be made
        raise StartupError(
            f"database error: DATABASE_URL: cannot create the folder of {make_url(url).database}"
            f" ({exc.strerror or exc})"
        ) from exc
    try:
        await upgrade(engine)
        await check_writable(engine)
    except Exception as exc:
        await engine.dispose()
        raise database_failure(exc, url) from exc
    return engine


async def check_telegram(bot: Bot, api_url: str | None) -> None:
    """One request before anything else talks to Telegram: the token and the address work."""
    from aiogram.exceptions import AiogramError

    try:
        await bot.get_me(request_timeout=int(TELEGRAM_TIMEOUT))
    except AiogramError as exc:
        raise telegram_failure(exc, api_url, bot.token) from exc


def telegram_failure(exc: BaseException, api_url: str | None, token: str) -> StartupError:
    """Telegram (or the Bot API server at TELEGRAM_API_URL) failed the first request: why."""
    from aiogram.exceptions import (
        ClientDecodeError,
        TelegramAPIError,
        TelegramNetworkError,
        TelegramNotFound,
        TelegramUnauthorizedError,
    )

    where = _server(api_url)
    setting = "TELEGRAM_API_URL" if api_url else "BOT_TOKEN"
    if isinstance(exc, TelegramUnauthorizedError):
        return StartupError(
            "configuration error: BOT_TOKEN: Telegram does not accept this token", CONFIGURATION
        )
    if isinstance(exc, TelegramNotFound | ClientDecodeError):
        # A wrong address answers 404 or a page that is not JSON.
        return StartupError(
            f"configuration error: {setting}: {where} does not answer as the Bot API does"
            f" ({'404 Not Found' if isinstance(exc, TelegramNotFound) else 'not JSON'})",
            CONFIGURATION,
        )
    if isinstance(exc, TelegramNetworkError):
        # aiohttp's words name the host and port; a URL in them would carry the token.
        reason = scrub(exc.message, token)
        return StartupError(f"network error: cannot reach the Bot API at {where} ({reason})")
    if isinstance(exc, TelegramAPIError):
        reason = scrub(exc.message, token)
        return StartupError(f"Telegram error: {where} answered getMe with: {reason}")
    raise exc


def _server(api_url: str | None) -> str:
    """The Bot API server's scheme, host and port: no path, which may hold a secret."""
    if not api_url:
        return "https://api.telegram.org"
    parts = urlsplit(api_url)
    return f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}"


async def threads_finished(limit: float = 2.0) -> None:
    """Give worker threads (aiosqlite's, one per connection) time to hand back their last
    result while the event loop still runs: a thread answering a closed loop prints a
    traceback, and a thread that never ends keeps the process from exiting."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + limit
    # Threads cannot set an asyncio.Event here (they are aiosqlite's): look every 10 ms.
    while loop.time() < deadline and any(  # noqa: ASYNC110
        thread.is_alive() and not thread.daemon and thread is not threading.main_thread()
        for thread in threading.enumerate()
    ):
        await asyncio.sleep(0.01)
