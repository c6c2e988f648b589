from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from tests.e2e.process import BotProcess, free_port
from tests.fake_telegram.server import FakeTelegramServer

ADMIN_ID = 900
DASHBOARD_URL = "https://dash.example.org/app/"


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def server() -> AsyncIterator[FakeTelegramServer]:
    async with FakeTelegramServer(retry_delay=0.3) as fake:
        yield fake
    assert fake.api.violations == [], fake.api.violations


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def polling_bot(
    server: FakeTelegramServer, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[BotProcess]:
    """One polling process shared by the module's tests (importing aiogram costs seconds)."""
    process = BotProcess(
        server,
        tmp_path_factory.mktemp("polling"),
        RUN_MODE="polling",
        ADMIN_IDS=str(ADMIN_ID),
        # The dashboard's own web server (tests/e2e/test_dashboard_process.py).
        WEBAPP_URL=DASHBOARD_URL,
        WEB_HOST="127.0.0.1",
        WEB_PORT=str(free_port()),
    )
    await process.start()
    yield process
    assert await process.stop() == 0, process.log.read_text()


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def webhook_bot(
    server: FakeTelegramServer, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[BotProcess]:
    port = free_port()
    process = BotProcess(
        server,
        tmp_path_factory.mktemp("webhook"),
        RUN_MODE="webhook",
        WEBHOOK_BASE_URL=f"http://127.0.0.1:{port}",
        WEBHOOK_SECRET="s3cret-token_for-tests",
        WEBHOOK_HOST="127.0.0.1",
        WEBHOOK_PORT=str(port),
        WEBAPP_URL=DASHBOARD_URL,  # served by the webhook's server
        LOG_FORMAT="json",  # every line of its log is checked to be a JSON object
    )
    await process.start()
    yield process
    await process.stop()


def log_of(process: BotProcess) -> str:
    return Path(process.log).read_text(errors="replace")
