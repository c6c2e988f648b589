"""Alembic migrations, run at start and by `python -m bot migrate`."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.ext.asyncio import AsyncEngine

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


async def upgrade(engine: AsyncEngine, revision: str = "head") -> None:
    """Upgrade the database the engine points at, over the engine's own connection."""
    async with engine.begin() as conn:
        cfg = alembic_config(engine.url.render_as_string(hide_password=False))
        cfg.attributes["connection"] = conn
        await conn.run_sync(lambda sync_conn: _run(cfg, sync_conn, "upgrade", revision))


async def downgrade(engine: AsyncEngine, revision: str) -> None:
    async with engine.begin() as conn:
        cfg = alembic_config(engine.url.render_as_string(hide_password=False))
        await conn.run_sync(lambda sync_conn: _run(cfg, sync_conn, "downgrade", revision))


def _run(cfg: Config, sync_conn: object, action: str, revision: str) -> None:
    cfg.attributes["connection"] = sync_conn
    if action == "upgrade":
        command.upgrade(cfg, revision)
    else:
        command.downgrade(cfg, revision)
