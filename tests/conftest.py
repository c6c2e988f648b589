from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.harness import App, running_app


@pytest.fixture
async def app(tmp_path: Path) -> AsyncIterator[App]:
    async with running_app(tmp_path / "bot.sqlite3") as running:
        yield running
    assert running.api.violations == [], running.api.violations
