"""Periodic jobs fire on one grid everywhere and run once a slot across instances (two
engines on one database stand in for two instances; the e2e test runs two real processes)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.scheduler import DATABASE_JOBS, Periodic, once_per_slot
from db.engine import create_engine, create_session_factory
from tests.harness import App, database_url

RUNS: list[str] = []


async def _job(*_args: object) -> int:
    RUNS.append("ran")
    return 1


def test_the_grid() -> None:
    every = Periodic(_job, timedelta(minutes=10), timedelta(minutes=2))
    assert every.offset == 120
    now = datetime(2026, 12, 3, 10, 5, 30, tzinfo=UTC)
    assert every.first_run(now) == datetime(2026, 12, 3, 10, 12, tzinfo=UTC)  # :02, :12, :22
    assert every.first_run(now + timedelta(minutes=5)) == datetime(2026, 12, 3, 10, 22, tzinfo=UTC)
    fire = datetime(2026, 12, 3, 10, 12, tzinfo=UTC)
    late, early = fire + timedelta(seconds=40), fire - timedelta(seconds=40)
    assert every.slot(fire) == every.slot(late) == every.slot(early)  # jitter: the same slot
    assert every.slot(fire + timedelta(minutes=10)) == every.slot(fire) + 1
    # Two instances started at different moments share the grid.
    other = every.first_run(now + timedelta(seconds=97))
    assert (other - every.first_run(now)).total_seconds() % 600 == 0
    assert {p.name for p in DATABASE_JOBS} >= {"purge_expired_invites", "expire_offers"}


async def test_one_run_a_slot_across_instances(app: App, tmp_path: Path) -> None:
    RUNS.clear()
    periodic = Periodic(_job, timedelta(days=3650), timedelta(0))  # no slot boundary mid-test
    other_engine = create_engine(database_url(tmp_path / "bot.sqlite3"))  # "instance two"
    other = create_session_factory(other_engine)
    try:
        results = [
            await once_per_slot(periodic, app.session_factory),
            await once_per_slot(periodic, other),
            await once_per_slot(periodic, app.session_factory),
        ]
    finally:
        await other_engine.dispose()
    assert sorted(results) == [0, 0, 1] and RUNS == ["ran"]
    async with app.repo() as repo:
        now = datetime.now(UTC)
        next_slot = periodic.slot(now) + 1
        assert await repo.job_runs.claim(periodic.name, next_slot, now)  # the next slot is free
        assert await repo.job_runs.purge(now + timedelta(seconds=1)) == 2
