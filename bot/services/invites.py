"""One-time, expiring invite links that grant a role."""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from bot.services import audit
from bot.services.audit import Action
from bot.services.roles import INVITABLE, Role
from db.repositories import Repo

PREFIX = "inv_"
# secrets.token_urlsafe(18) gives 24 characters; a deep link allows up to 64 of [A-Za-z0-9_-].
_TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{24}$")


class Redeem(StrEnum):
    GRANTED = "granted"
    ALREADY = "already"
    EXPIRED = "expired"
    USED = "used"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class RedeemResult:
    outcome: Redeem
    role: Role | None = None


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_from_payload(payload: str | None) -> str | None:
    """The token of a `/start inv_<token>` payload, or None if it is not one."""
    if not payload or not payload.startswith(PREFIX):
        return None
    token = payload[len(PREFIX) :]
    return token if _TOKEN_RE.match(token) else ""


async def create(
    repo: Repo, role: Role, created_by: int, now: datetime, ttl: timedelta
) -> tuple[str, datetime]:
    if role not in INVITABLE:
        raise ValueError(f"{role} is not granted by invitation")
    token = secrets.token_urlsafe(18)
    expires_at = now + ttl
    await repo.invites.create(_hash(token), role.value, created_by, now, expires_at)
    await audit.record(repo, created_by, Action.INVITE_CREATED, now, detail=role.value)
    return PREFIX + token, expires_at


async def check(repo: Repo, token: str, now: datetime) -> RedeemResult:
    """What redeeming would do, without redeeming."""
    invite = await repo.invites.find(_hash(token)) if token else None
    if invite is None:
        return RedeemResult(Redeem.UNKNOWN)
    role = Role(invite.role)
    if invite.used_at is not None:
        return RedeemResult(Redeem.USED, role)
    if invite.expires_at <= now:
        return RedeemResult(Redeem.EXPIRED, role)
    return RedeemResult(Redeem.GRANTED, role)


async def redeem(repo: Repo, token: str, user_id: int, now: datetime) -> RedeemResult:
    """Use the invite once: grant its role to `user_id` (who must have a user row)."""
    preview = await check(repo, token, now)
    if preview.outcome is not Redeem.GRANTED or preview.role is None:
        return preview
    if preview.role.value in await repo.roles.of(user_id):
        # Keep the link for someone else: it has not been used.
        return RedeemResult(Redeem.ALREADY, preview.role)
    if not await repo.invites.claim(_hash(token), user_id, now):
        return RedeemResult(Redeem.USED, preview.role)  # lost a race with another taker
    await repo.roles.grant(user_id, preview.role.value, now)
    invite = await repo.invites.find(_hash(token))
    creator = invite.created_by if invite is not None else None
    await audit.record(repo, creator, Action.ROLE_GRANTED, now, user_id, preview.role.value)
    return RedeemResult(Redeem.GRANTED, preview.role)
