"""The admins' audit log: who did what to whom, and when (shown in /admin and on the
dashboard). Ids only; names are read from the people's rows when the log is shown, so an
erased person's entries keep the action without them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from db.repositories import Repo


class Action(StrEnum):
    BAN = "ban"
    UNBAN = "unban"
    ROLE_GRANTED = "role_granted"  # an invite was used: the actor made the invite
    ROLE_REVOKED = "role_revoked"
    INVITE_CREATED = "invite_created"
    REGION_ADDED = "region_added"  # to an organiser's regions
    REGION_REMOVED = "region_removed"


async def record(
    repo: Repo,
    actor_id: int | None,
    action: Action,
    now: datetime,
    target_id: int | None = None,
    detail: str | None = None,
) -> None:
    await repo.audit.record(actor_id, action.value, now, target_id, detail)


@dataclass(frozen=True, slots=True)
class Line:
    """One entry as shown: the people's names as they are now (None: erased, or nobody)."""

    at: datetime
    action: str
    actor_id: int | None
    actor_name: str | None
    target_id: int | None
    target_name: str | None
    detail: str | None


async def page(repo: Repo, offset: int, limit: int) -> tuple[list[Line], int]:
    """Newest first, with the names of the people involved; and how many entries there are."""
    entries, total = await repo.audit.page(offset, limit)
    ids = {e.actor_id for e in entries if e.actor_id} | {
        e.target_id for e in entries if e.target_id
    }
    people = await repo.users.by_ids(ids) if ids else {}

    def name(user_id: int | None) -> str | None:
        person = people.get(user_id) if user_id is not None else None
        return (person.full_name or str(person.id)) if person is not None else None

    lines = [
        Line(e.at, e.action, e.actor_id, name(e.actor_id), e.target_id, name(e.target_id), e.detail)
        for e in entries
    ]
    return lines, total
