from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from tests.harness import App, drop_databases, running_app


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
async def app(tmp_path: Path, request: pytest.FixtureRequest) -> AsyncIterator[App]:
    """The production dispatcher on a fresh database. After the test: no Bot API violation,
    and no update failed unless the test is marked `expect_errors`."""
    collect = _Collect()
    logging.getLogger().addHandler(collect)
    try:
        async with running_app(tmp_path / "bot.sqlite3") as running:
            yield running
    finally:
        logging.getLogger().removeHandler(collect)
    assert running.api.violations == [], running.api.violations
    if request.node.get_closest_marker("expect_errors") is None:
        failed = [r.getMessage() for r in collect.records]
        assert failed == [], failed
        assert [c.method for c in running.api.errors] == []


@pytest.fixture(scope="session", autouse=True)
def _server_databases() -> Iterator[None]:
    """The second pass (on PostgreSQL): the run's databases are dropped at its end."""
    yield
    drop_databases()
