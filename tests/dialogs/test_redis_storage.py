"""REDIS_URL switches dialog state to aiogram's RedisStorage (against a real redis-server)."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from redis.asyncio import Redis
from redis.exceptions import ConnectionError as RedisConnectionError

from tests.dialogs.test_registration import to_step
from tests.e2e.process import free_port
from tests.harness import running_app

REDIS = shutil.which("redis-server")


@pytest.fixture
def redis_url(tmp_path: Path) -> Iterator[str]:
    if REDIS is None:
        if os.environ.get("CI"):
            pytest.fail("redis-server is not installed; .ci/run installs it")
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    port = free_port()
    server = subprocess.Popen(
        [REDIS, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait(10)


@pytest.fixture
async def redis(redis_url: str) -> AsyncIterator[Redis]:
    client = Redis.from_url(redis_url)
    for _ in range(100):
        try:
            await client.ping()
            break
        except RedisConnectionError:
            await asyncio.sleep(0.05)
    yield client
    await client.aclose()


async def test_dialog_state_lives_in_redis_and_survives_restart(
    tmp_path: Path, redis_url: str, redis: Redis
) -> None:
    db = tmp_path / "bot.sqlite3"
    async with running_app(db, redis_url=redis_url, redis_prefix="tos") as first:
        c = first.client(6001)
        await to_step(c, first, "region")
        state = await redis.get("tos:fsm:42:6001:6001:state")  # REDIS_PREFIX, then the bot
        assert state == b"Registration:region"
    async with running_app(db, redis_url=redis_url, redis_prefix="tos") as second:
        c = second.client(6001)
        t = second.t()
        await c.send("/start")
        assert c.last_text() == t("registration-ask-region", step=3, total=5)
        await c.send("татарстан")
        await c.click("Республика Татарстан")
        await c.send("г. Казань")
        await c.click(t("kind-resident"))
        await c.click(t("registration-confirm-button"))
        async with second.repo() as repo:
            user = await repo.users.get(6001)
            assert user is not None and user.registered_at is not None
        assert second.api.violations == []
    assert await redis.get("tos:fsm:42:6001:6001:state") is None
