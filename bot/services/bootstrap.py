"""Start-up data: the admins named in ADMIN_IDS hold the admin role."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from bot.services.roles import Role
from db.repositories import Repo


async def bootstrap_admins(
    repo: Repo, admin_ids: Iterable[int], language: str, now: datetime
) -> int:
    granted = 0
    for user_id in admin_ids:
        await repo.users.ensure(user_id, language, now)
        granted += await repo.roles.grant(user_id, Role.ADMIN.value, now)
    return granted
