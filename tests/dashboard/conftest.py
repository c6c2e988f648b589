from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.webapp.server import create_web_app, dashboard_for
from tests.harness import App, running_app

WEBAPP_URL = "https://dash.example.org/app/"


class _Errors(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
async def app(tmp_path: Path) -> AsyncIterator[App]:
    """The production application with the dashboard on (WEBAPP_URL), as tests/conftest.py's
    `app`: after the test no Bot API violation and nothing logged as an error."""
    errors = _Errors()
    logging.getLogger().addHandler(errors)
    try:
        async with running_app(
            tmp_path / "bot.sqlite3", webapp_url=WEBAPP_URL, outbox_poll_seconds=3600
        ) as running:
            yield running
    finally:
        logging.getLogger().removeHandler(errors)
    assert running.api.violations == [], running.api.violations
    assert [r.getMessage() for r in errors.records] == []
    assert [c.method for c in running.api.errors] == []


@pytest.fixture
async def web(app: App) -> AsyncIterator[TestClient]:  # type: ignore[type-arg]
    """aiohttp's test client on the dashboard's web application, as polling mode serves it."""
    async with TestClient(TestServer(create_web_app(dashboard_for(app.application)))) as client:
        yield client
