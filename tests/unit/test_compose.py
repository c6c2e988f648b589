"""docker-compose.yml (no Docker engine runs here, so the file itself is checked): the
default profile is one bot on SQLite; the scale profile is PostgreSQL, Redis, two webhook
instances and nginx in front of both; every variable it sets is a setting the bot knows."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from bot.config import Settings

ROOT = Path(__file__).resolve().parents[2]


def _compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return loaded


def _in(profile: str) -> set[str]:
    return {name for name, s in _compose()["services"].items() if profile in s.get("profiles", [])}


def test_profiles() -> None:
    assert _in("default") == {"bot"}
    assert _in("scale") == {"postgres", "redis", "bot-1", "bot-2", "proxy"}
    bot = _compose()["services"]["bot"]
    assert "DATABASE_URL" not in bot.get("environment", {})  # SQLite in the volume
    assert bot["volumes"] == ["bot-data:/app/data"]


def test_scaled_bots_share_postgresql_and_redis_behind_the_proxy() -> None:
    services = _compose()["services"]
    known = {name.upper() for name in Settings.model_fields}
    for name in ("bot-1", "bot-2"):
        env = services[name]["environment"]
        assert env["DATABASE_URL"].startswith("postgresql+asyncpg://tos:")
        assert env["DATABASE_URL"].endswith("@postgres:5432/tos")
        assert env["REDIS_URL"] == "redis://redis:6379/0"
        assert env["RUN_MODE"] == "webhook" and env["WEBHOOK_PORT"] == "8080"
        assert set(env) <= known
        assert set(services[name]["depends_on"]) == {"postgres", "redis"}
    nginx = (ROOT / "deploy" / "nginx.conf").read_text()
    assert re.findall(r"server (bot-\d):8080", nginx) == ["bot-1", "bot-2"]
    assert services["proxy"]["volumes"] == ["./deploy/nginx.conf:/etc/nginx/conf.d/default.conf:ro"]


def test_health_check_and_a_grace_period_above_the_shutdown_timeout() -> None:
    """The image checks /healthz; Docker waits longer than SHUTDOWN_TIMEOUT before SIGKILL."""
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert 'CMD ["python", "/app/bot/healthcheck.py"]' in dockerfile
    assert re.search(r"^HEALTHCHECK ", dockerfile, re.MULTILINE)
    shutdown = Settings.model_fields["shutdown_timeout"].default
    for name in ("bot", "bot-1", "bot-2"):
        grace = _compose()["services"][name]["stop_grace_period"]
        assert grace.endswith("s") and float(grace[:-1]) > shutdown
    nginx = (ROOT / "deploy" / "nginx.conf").read_text()
    assert "location = /metrics {\n        return 404;" in nginx  # not public


def test_the_image_can_back_up_postgresql() -> None:
    """`python -m bot backup` on the scale profile needs pg_dump inside the image."""
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "apt-get install -y --no-install-recommends postgresql-client" in dockerfile
