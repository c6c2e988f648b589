"""Callbacks to run when a session rolls back (e.g. to drop cache entries it made)."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.ext.asyncio import AsyncSession

_KEY = "on_rollback"


def on_rollback(session: AsyncSession, callback: Callable[[], None]) -> None:
    session.info.setdefault(_KEY, []).append(callback)


def run_rollback_hooks(session: AsyncSession) -> None:
    for callback in session.info.pop(_KEY, []):
        callback()


def clear_rollback_hooks(session: AsyncSession) -> None:
    session.info.pop(_KEY, None)
