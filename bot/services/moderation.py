"""Bans: an admin bans a person, who then gets no replies (their updates are dropped before
any handler, bot/middlewares/banned.py), nothing from the outbox (broadcasts, reminders:
cancelled at send time), and whose questions are hidden from the experts' queue, the nudges,
the forum retries and the FAQ. Unbanning undoes all of it (nothing was deleted).

Who may not be banned: the admin themself, and the admins listed in ADMIN_IDS (they are
admins again at every start; banning one would only lock the operator out)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from enum import StrEnum

from bot.services.audit import Action, record
from db.repositories import Repo


class Banned(StrEnum):
    DONE = "done"
    ALREADY = "already"  # banned already (or, for unban, not banned)
    UNKNOWN = "unknown"  # no such person
    PROTECTED = "protected"  # oneself, or an ADMIN_IDS admin


def may_ban(admin_id: int, target_id: int, protected: Collection[int]) -> bool:
    return target_id != admin_id and target_id not in protected


async def ban(
    repo: Repo, admin_id: int, target_id: int, protected: Collection[int], now: datetime
) -> Banned:
    if not may_ban(admin_id, target_id, protected):
        return Banned.PROTECTED
    if await repo.users.get(target_id) is None:
        return Banned.UNKNOWN
    if not await repo.users.set_banned(target_id, now):
        return Banned.ALREADY
    await record(repo, admin_id, Action.BAN, now, target_id)
    return Banned.DONE


async def unban(repo: Repo, admin_id: int, target_id: int, now: datetime) -> Banned:
    if await repo.users.get(target_id) is None:
        return Banned.UNKNOWN
    if not await repo.users.set_banned(target_id, None):
        return Banned.ALREADY
    await record(repo, admin_id, Action.UNBAN, now, target_id)
    return Banned.DONE
