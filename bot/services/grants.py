"""The grant and contest calendar: what organisers and admins enter, who may change it, and
the deadline reminders of the people who subscribed.

Reminders go through the outbox 14, 3 and 1 days before the deadline, at 10:00 in the
subscriber's zone (so quiet hours rarely hold them), as kind GRANT_DEADLINE (mutable in
/settings). Keys name the grant, the person, the lead and the deadline they were planned for
(`gr:<grant>:rem:<user>:<days>:<YYYYMMDD>`): a moved deadline cancels the old rows and plans new
ones (a reminder sent for the old day does not stop the new one), unsubscribing or deleting
the grant cancels them, and the renderer drops a row whose grant, subscription or deadline has
changed since (a race with an edit sends nothing stale).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.services import outbox
from bot.services.outbox import Outgoing
from bot.services.regions import catalog, zone_of
from bot.services.validation import InvalidInput, without_controls
from db.models import Grant, User
from db.repositories import Repo

LEADS = (14, 3, 1)  # days before the deadline
HOUR = 10  # local time of a reminder
FEDERAL = "fed"  # the scope value of a federal grant in dialogs (region_code NULL)
FIELDS = ("name", "organiser", "eligible", "amount", "deadline", "link", "scope")
LIMITS = {"name": (3, 200), "organiser": (2, 200), "eligible": (3, 500), "amount": (1, 100)}
MAX_AHEAD_YEARS = 3
_SPACES = re.compile(r"\s+")
_URL = re.compile(r"https?://[^\s/$.?#][^\s]*", re.IGNORECASE)


# ---- what people type -------------------------------------------------------------------


def text_field(field: str, raw: str | None) -> str:
    """Name, organiser, who may apply, amount: one line of plain text within its limits."""
    low, high = LIMITS[field]
    value = _SPACES.sub(" ", without_controls(raw)).strip()
    if value.startswith("/"):
        raise InvalidInput("validation-command-in-answer")
    if len(value) < low:
        raise InvalidInput(f"grants-{field}-too-short")
    if len(value) > high:
        raise InvalidInput(f"grants-{field}-too-long")
    return value


def deadline(raw: str | None, today: date) -> date:
    """DD.MM.YYYY, from today to three years ahead."""
    match = re.fullmatch(r"\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\s*", raw or "")
    if not match:
        raise InvalidInput("grants-deadline-format")
    day, month, year = (int(g) for g in match.groups())
    try:
        chosen = date(year, month, day)
    except ValueError as exc:
        raise InvalidInput("grants-deadline-format") from exc
    if chosen < today or chosen.year > today.year + MAX_AHEAD_YEARS:
        raise InvalidInput("grants-deadline-range")
    return chosen


def link(raw: str | None) -> str:
    """An http(s) address of up to 500 characters."""
    value = without_controls(raw).strip()
    if len(value) > 500:
        raise InvalidInput("grants-link-too-long")
    if not _URL.fullmatch(value):
        raise InvalidInput("grants-link-invalid")
    return value


def scope_code(raw: str) -> str | None:
    """A scope value from a button: a region's code, or FEDERAL (None)."""
    if raw == FEDERAL:
        return None
    if catalog().get(raw) is None:
        raise InvalidInput("common-button-outdated")
    return raw


# ---- who may do what --------------------------------------------------------------------


def may_enter(regions: set[str] | None, region_code: str | None) -> bool:
    """Whether a person who manages `regions` (None: an admin, all of them and federal) may
    enter, edit or delete a grant of that scope. Federal grants are the admins'."""
    if regions is None:
        return True
    return region_code is not None and region_code in regions


def visible_to(grant: Grant, region_code: str | None) -> bool:
    """A person sees their region's grants and the federal ones."""
    return grant.region_code is None or grant.region_code == region_code


# ---- reminders ----------------------------------------------------------------------------


def prefix(grant_id: int, user_id: int | None = None) -> str:
    return f"gr:{grant_id}:rem:" + (f"{user_id}:" if user_id is not None else "")


def _zone(person: User | None) -> str:
    return zone_of(person.region_code if person else None, person.tz if person else None)


def _reminders(grant: Grant, user_id: int, zone: str, now: datetime) -> list[Outgoing]:
    planned = []
    local = ZoneInfo(zone)
    end = datetime.combine(grant.deadline, time(23, 59), local)
    dues = [datetime.combine(grant.deadline - timedelta(days=d), time(HOUR), local) for d in LEADS]
    for days, due, later in zip(LEADS, dues, [*dues[1:], end], strict=True):
        if due <= now:
            continue  # subscribed after this reminder's moment
        payload: dict[str, Any] = {
            "type": "grant",
            "key": "grants-reminder",
            "grant_id": grant.id,
            "days": days,
            "deadline": grant.deadline.isoformat(),
        }
        planned.append(
            Outgoing(
                user_id,
                outbox.GRANT_DEADLINE,
                payload,
                due,
                f"{prefix(grant.id, user_id)}{days}:{grant.deadline:%Y%m%d}",
                # Late (the bot was down): worth sending until the next one is due.
                expires_at=later,
            )
        )
    return planned


async def plan(repo: Repo, grant: Grant, user_ids: Iterable[int], now: datetime) -> int:
    """Reminders for these subscribers (those still ahead)."""
    ids = set(user_ids)
    if not ids:
        return 0
    people = await repo.users.by_ids(ids)
    planned = [
        r for uid in sorted(ids) for r in _reminders(grant, uid, _zone(people.get(uid)), now)
    ]
    await outbox.enqueue(repo, *planned, now=now)
    return len(planned)


async def replan(repo: Repo, grant: Grant, now: datetime) -> int:
    """After the deadline changed: every subscriber's reminders anew."""
    await outbox.cancel(repo, prefix(grant.id))
    return await plan(repo, grant, await repo.grants.subscribers(grant.id), now)


# ---- changes ------------------------------------------------------------------------------


async def create(repo: Repo, fields: Mapping[str, Any], author_id: int, now: datetime) -> Grant:
    return await repo.grants.add(
        **_columns(fields), created_by=author_id, created_at=now, updated_at=now
    )


def _columns(fields: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "name": fields["name"],
        "organiser": fields["organiser"],
        "eligible": fields["eligible"],
        "amount": fields["amount"],
        "deadline": date.fromisoformat(fields["deadline"]),
        "link": fields.get("link") or None,
        "region_code": fields.get("region_code"),
    }


async def change(repo: Repo, grant: Grant, field: str, value: Any, now: datetime) -> None:
    """One field changed; a new deadline re-plans everyone's reminders."""
    if field == "deadline":
        moved = value != grant.deadline
        grant.deadline = value
    else:
        moved = False
        setattr(grant, "region_code" if field == "scope" else field, value)
    grant.updated_at = now
    await repo.session.flush()
    if moved:
        await replan(repo, grant, now)


async def delete(repo: Repo, grant_id: int) -> bool:
    """The grant, its subscriptions and its pending reminders; False if already gone."""
    await outbox.cancel(repo, f"gr:{grant_id}:")
    return await repo.grants.delete(grant_id)


async def subscribe(repo: Repo, grant: Grant, user_id: int, now: datetime) -> bool:
    if not await repo.grants.subscribe(grant.id, user_id, now):
        return False
    await plan(repo, grant, [user_id], now)
    return True


async def unsubscribe(repo: Repo, grant_id: int, user_id: int) -> bool:
    await outbox.cancel(repo, prefix(grant_id, user_id))
    return await repo.grants.unsubscribe(grant_id, user_id)


def days_left(grant: Grant, today: date) -> int:
    return (grant.deadline - today).days
