"""Drive the production dispatcher like a person would, against the recording fake Bot API."""

from __future__ import annotations

import asyncio
import atexit
import hashlib
import os
import shutil
import sqlite3
import tempfile
import threading
from collections.abc import AsyncIterator, Coroutine
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg
from aiogram import Bot, Dispatcher
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.factory import Application, create_application
from bot.i18n import Translator
from db.repositories import Repo
from tests.fake_telegram.core import FakeBotAPI, UpdateFactory
from tests.fake_telegram.session import RecordingSession

TOKEN = "42:" + "T" * 35
ADMIN_ID = 900

# The suite's second pass (`TEST_ON_SERVERS=1`, see .ci/run): every database a test asks for
# is a PostgreSQL database of its own on TEST_POSTGRES_URL's server, and dialog state and the
# flood throttle live in TEST_REDIS_URL's Redis under a prefix of the test's own.
ON_SERVERS = os.environ.get("TEST_ON_SERVERS") == "1"
_created: list[str] = []  # databases this test run made, dropped at its end
_TEMPLATE = f"tos_template_{os.getpid()}"


def _run_aside(work: Coroutine[Any, Any, None]) -> None:
    """Run a coroutine to completion on a loop of its own (callers may be inside a loop)."""
    failure: list[BaseException] = []

    def run() -> None:
        try:
            asyncio.run(work)
        except BaseException as exc:
            failure.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if failure:
        raise failure[0]


def _admin_dsn() -> str:
    return (
        make_url(os.environ["TEST_POSTGRES_URL"])
        .set(drivername="postgresql")
        .render_as_string(hide_password=False)
    )


async def _create_database(name: str, migrated: bool) -> None:
    from db.engine import create_engine
    from db.migrate import upgrade

    admin = await asyncpg.connect(_admin_dsn())
    try:
        if await admin.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name):
            return  # a restart test opening the same database again
        if migrated and _TEMPLATE not in _created:
            await admin.execute(f'CREATE DATABASE "{_TEMPLATE}"')
            _created.append(_TEMPLATE)
            engine = create_engine(_server_url(_TEMPLATE))
            try:
                await upgrade(engine)  # migrated once; each test's database is a copy
            finally:
                await engine.dispose()
        template = f' TEMPLATE "{_TEMPLATE}"' if migrated else ""
        await admin.execute(f'CREATE DATABASE "{name}"{template}')
        _created.append(name)
    finally:
        await admin.close()


_sqlite_template: list[Path] = []  # the migrated SQLite file each test's database copies


async def _migrate_sqlite(path: Path) -> None:
    from db.engine import create_engine
    from db.migrate import upgrade

    engine = create_engine(f"sqlite+aiosqlite:///{path}")
    try:
        await upgrade(engine)
    finally:
        await engine.dispose()


def _copy_migrated_sqlite(db_path: Path) -> None:
    """A fresh migrated SQLite file at `db_path`: a copy (SQLite's backup API, whatever the
    journal mode) of one template migrated once per test process, instead of running every
    migration for every test. An existing file (a restart test's) is left alone."""
    if db_path.exists():
        return
    if not _sqlite_template:
        where = Path(tempfile.mkdtemp(prefix="tos-test-template-"))
        atexit.register(shutil.rmtree, where, ignore_errors=True)
        _run_aside(_migrate_sqlite(where / "template.sqlite3"))
        _sqlite_template.append(where / "template.sqlite3")
    source = sqlite3.connect(_sqlite_template[0])
    target = sqlite3.connect(db_path)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()


def _server_url(name: str) -> str:
    return (
        make_url(os.environ["TEST_POSTGRES_URL"])
        .set(database=name)
        .render_as_string(hide_password=False)
    )


def database_url(db_path: Path, *, migrated: bool = True) -> str:
    """Where a test's bot keeps its data: the SQLite file, or on the second pass a PostgreSQL
    database of its own named after the file (the same path opens the same database again;
    `migrated`: a copy of a migrated template, else empty; SQLite files are copied by
    running_app, as nothing else here makes files)."""
    if not ON_SERVERS:
        return f"sqlite+aiosqlite:///{db_path}"
    name = "t_" + hashlib.sha1(str(db_path.resolve()).encode()).hexdigest()[:24]
    _run_aside(_create_database(name, migrated))
    return _server_url(name)


def postgres_database(label: str) -> str:
    """An empty PostgreSQL database of its own on the test server (dropped at the run's end),
    for tests that need one whichever pass runs them."""
    name = "t_" + hashlib.sha1(label.encode()).hexdigest()[:24]
    _run_aside(_create_database(name, migrated=False))
    return _server_url(name)


def server_overrides(db_path: Path) -> dict[str, Any]:
    """On the second pass: Redis for dialog state and throttling, under a prefix of its own."""
    if not ON_SERVERS:
        return {}
    prefix = "t" + hashlib.sha1(str(db_path.resolve()).encode()).hexdigest()[:12]
    return {"redis_url": os.environ["TEST_REDIS_URL"], "redis_prefix": prefix}


def drop_databases() -> None:
    """The end of a test run on servers: its databases go."""

    async def drop() -> None:
        admin = await asyncpg.connect(_admin_dsn())
        try:
            for name in reversed(_created):
                await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await admin.close()

    if _created:
        _run_aside(drop())
        _created.clear()


def make_settings(db_path: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "bot_token": TOKEN,
        "database_url": database_url(db_path),
        **server_overrides(db_path),
        "admin_ids": str(ADMIN_ID),
        "operator_name": "АНО «Ресурсный центр ТОС»",
        "operator_contacts": "tos@example.org",
        "throttle_rate": 1000,
        # Machine-speed people: the outbox paces only in the tests that measure its pacing,
        # and quiet hours (which depend on the hour the suite runs) only where tested.
        "outbox_rate": 1000,
        "outbox_chat_rate": 100,
        "quiet_hours": "",
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@dataclass
class App:
    """The running production application plus the fake Bot API it talks to."""

    application: Application
    api: FakeBotAPI
    updates: UpdateFactory

    @property
    def settings(self) -> Settings:
        return self.application.settings

    @property
    def engine(self) -> AsyncEngine:
        return self.application.engine

    @property
    def session_factory(self) -> async_sessionmaker[AsyncSession]:
        return self.application.session_factory

    @property
    def translator(self) -> Translator:
        return self.application.translator

    @property
    def dp(self) -> Dispatcher:
        return self.application.dp

    @property
    def bot(self) -> Bot:
        return self.application.bot

    def client(self, user_id: int, language_code: str | None = "ru") -> BotClient:
        return BotClient(self, user_id, language_code)

    @asynccontextmanager
    async def repo(self) -> AsyncIterator[Repo]:
        async with self.session_factory.begin() as session:
            yield Repo(session)

    def t(self, lang: str = "ru") -> Any:
        return self.translator.for_locale(lang)


@asynccontextmanager
async def running_app(db_path: Path, **overrides: Any) -> AsyncIterator[App]:
    """The production application on a fresh SQLite file, started, scheduler running."""
    if not ON_SERVERS:
        _copy_migrated_sqlite(db_path)
    api = FakeBotAPI()
    application = await create_application(
        make_settings(db_path, **overrides), bot_session=RecordingSession(api)
    )
    try:
        await application.start()
        yield App(application, api, UpdateFactory(api))
    finally:
        await application.close()


class BotClient:
    """One person in a private chat with the bot."""

    def __init__(self, app: App, user_id: int, language_code: str | None = "ru") -> None:
        self.app = app
        self.user_id = user_id
        self.language_code = language_code

    async def feed(self, update: dict[str, Any]) -> Any:
        result = await self.app.dp.feed_raw_update(self.app.bot, update)
        # What the update queued for others (notices to a chair, a reviewer...) goes out now,
        # so a test reads it right after the update, as a person would a moment later.
        await self.app.application.outbox.drain(wait=True)
        return result

    async def send(self, text: str) -> Any:
        return await self.feed(
            self.app.updates.message(self.user_id, text, language_code=self.language_code)
        )

    async def send_sticker(self) -> Any:
        return await self.feed(
            self.app.updates.sticker(self.user_id, language_code=self.language_code)
        )

    async def send_photo(self) -> Any:
        return await self.feed(
            self.app.updates.photo(self.user_id, language_code=self.language_code)
        )

    async def send_album(self, count: int, caption: str | None = None) -> None:
        for update in self.app.updates.album(
            self.user_id, count, caption=caption, language_code=self.language_code
        ):
            await self.feed(update)

    async def share_location(self, latitude: float, longitude: float) -> Any:
        return await self.feed(
            self.app.updates.location(
                self.user_id, latitude, longitude, language_code=self.language_code
            )
        )

    async def share_contact(
        self, phone: str, own: bool = True, contact_user_id: int | None = None
    ) -> Any:
        return await self.feed(
            self.app.updates.contact(
                self.user_id,
                phone,
                own,
                contact_user_id=contact_user_id,
                language_code=self.language_code,
            )
        )

    def button_data(self, text: str) -> str:
        for label, data in self.app.api.buttons(self.user_id):
            if label == text and data:
                return data
        raise AssertionError(f"no button {text!r}; buttons: {self.app.api.buttons(self.user_id)}")

    async def click(self, text: str) -> Any:
        return await self.click_data(self.button_data(text))

    async def click_data(
        self, data: str, message_id: int | None = None, *, check: bool = True
    ) -> Any:
        return await self.feed(
            self.app.updates.callback(
                self.user_id, data, message_id, check=check, language_code=self.language_code
            )
        )

    def last_text(self) -> str | None:
        """The newest text the bot sent or edited here, as sent (HTML markup included)."""
        sent = self.app.api.sent_to(self.user_id)
        return sent[-1].raw_text if sent else None

    def texts(self) -> list[str]:
        return [s.raw_text or "" for s in self.app.api.sent_to(self.user_id)]

    def buttons(self) -> list[str]:
        return [label for label, _ in self.app.api.buttons(self.user_id)]

    def alerts(self) -> list[str]:
        """Texts of answerCallbackQuery calls (pop-ups and toasts)."""
        return [
            c.params.get("text", "")
            for c in self.app.api.calls
            if c.method == "answerCallbackQuery" and c.params.get("text")
        ]
