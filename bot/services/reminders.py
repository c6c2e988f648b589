"""Event reminders in the outbox: planned when a person takes a seat, dropped when they give
it up or the event is cancelled, planned anew when the event's time or offsets change.

A reminder's key names the event, the person, the offset and the start it was planned for
(`ev:<event>:rem:<user>:<minutes>:<start>`): moving the event gives new keys (so a reminder
sent for the old time does not stop the new one), and signing up again revives the same rows.
The renderer drops a reminder whose person no longer holds a seat, so a race with a
cancellation sends nothing stale.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.services import outbox
from bot.services.outbox import Outgoing
from bot.services.regions import zone_of
from bot.services.tos import next_stage
from bot.services.validation import InvalidInput
from db.models import Event
from db.repositories import Repo

DEFAULT_OFFSETS = (1440, 60)  # a day and an hour before
# Who is reminded: people who hold a confirmed seat (an offered seat is not confirmed yet).
SEATED = ("signed_up", "attended")
MAX_OFFSETS = 3
MAX_OFFSET = 14 * 24 * 60


def prefix(event_id: int, user_id: int | None = None) -> str:
    return f"ev:{event_id}:rem:" + (f"{user_id}:" if user_id is not None else "")


def _reminders(event: Event, user_id: int, now: datetime) -> list[Outgoing]:
    start = int(event.starts_at.timestamp())
    planned = []
    offsets = sorted(set(event.reminder_offsets or DEFAULT_OFFSETS), reverse=True)
    for minutes, later in zip(offsets, [*offsets[1:], 0], strict=True):
        due = event.starts_at - timedelta(minutes=minutes)
        # Late (the bot was down): worth sending until the next reminder is due, not after.
        expires = event.starts_at - timedelta(minutes=later)
        if due <= now:
            continue  # signed up after this reminder's moment: the card said it all
        payload = outbox.text("events-reminder")
        payload.update(
            actions=["cant_come", "open"],  # the renderer makes the buttons
            type="event",
            event_id=event.id,
            needs_signup=list(SEATED),
            # Reminders of an event less than two hours away go out even in quiet hours.
            urgent_before=event.starts_at.isoformat(),
            final=later == 0,  # the last one before the event comes even when muted
        )
        planned.append(
            Outgoing(
                user_id,
                outbox.EVENT_REMINDER,
                payload,
                due,
                f"{prefix(event.id, user_id)}{minutes}:{start}",
                expires_at=expires,
            )
        )
    return planned


async def plan(repo: Repo, event: Event, user_ids: list[int], now: datetime) -> int:
    """Reminders for people who hold a seat (only of a published event, before its start)."""
    if event.status != "published" or event.starts_at <= now:
        return 0
    planned = [r for uid in user_ids for r in _reminders(event, uid, now)]
    await outbox.enqueue(repo, *planned, now=now)
    return len(planned)


async def drop(repo: Repo, event_id: int, user_id: int | None = None) -> int:
    """One person's reminders of the event, or everyone's."""
    return await outbox.cancel(repo, prefix(event_id, user_id))


async def replan(repo: Repo, event: Event, now: datetime) -> int:
    """After the time or the offsets changed: everyone's reminders anew."""
    await drop(repo, event.id)
    seated = await repo.signups.participants(event.id, SEATED)
    return await plan(repo, event, [signup.user_id for signup, _person in seated], now)


def offsets(raw: str | None) -> list[int]:
    """Hours before the start, "24, 1" or "72 24 1": one to three, up to 14 days; minutes
    out."""
    parts = [p for p in (raw or "").replace(",", " ").replace(";", " ").split() if p]
    try:
        hours = [float(p.replace(",", ".")) for p in parts]
    except ValueError as exc:
        raise InvalidInput("evadm-reminders-invalid") from exc
    minutes = sorted({round(h * 60) for h in hours}, reverse=True)
    if not 1 <= len(minutes) <= MAX_OFFSETS or not all(5 <= m <= MAX_OFFSET for m in minutes):
        raise InvalidInput("evadm-reminders-invalid")
    return minutes


DEADLINE_AHEAD = timedelta(hours=24)


async def remind_of_deadlines(repo: Repo, now: datetime) -> int:
    """The periodic job's work: for events whose sign-up closes within a day (and whose
    organiser asked for it), "sign-ups close soon" to those who looked but did not sign up."""
    queued = 0
    for event in await repo.events.claim_deadline_reminders(now, DEADLINE_AHEAD):
        closes = event.registration_deadline or event.starts_at
        payload = outbox.text("events-deadline-soon")
        payload.update(
            type="event",
            event_id=event.id,
            # Not to someone who signed up meanwhile.
            unless_signup=["signed_up", "waitlisted", "pending", "attended"],
            actions=["open"],
        )
        viewers = await repo.events.viewers_not_signed_up(event.id)
        await outbox.enqueue(
            repo,
            *(
                Outgoing(
                    uid, outbox.DEADLINE, payload, now, f"ev:{event.id}:deadline:{uid}", closes
                )
                for uid in viewers
            ),
            now=now,
        )
        queued += len(viewers)
    return queued


STALL = timedelta(days=14)


async def nudge_stalled_tos(repo: Repo, now: datetime, menu_button: dict[str, str]) -> int:
    """Chairs-to-be whose TOS creation has not moved for two weeks hear what comes next: the
    wizard to finish, or the tracker's next stage. Once per stall (the key names the day of
    the last change), so a project that moves and stalls again is nudged again."""
    queued = []
    for project in await repo.tos_projects.stalled(now - STALL):
        if project.generated_at is None:
            key, args = "tos-nudge-wizard", {}
        else:
            stage = next_stage(dict(project.answers.get("stages", {})))
            if stage is None:
                continue  # registered: nothing left to do
            key, args = "tos-nudge-stage", {"stage": {"key": f"tos-stage-{stage}"}}
        queued.append(
            Outgoing(
                project.owner_id,
                outbox.TOS_STEP,
                outbox.text(key, args, [[menu_button]]),
                now,
                f"tos:{project.id}:nudge:{project.updated_at:%Y-%m-%d}",
            )
        )
    await outbox.enqueue(repo, *queued, now=now)
    return len(queued)


# The TOS's yearly calendar: what a chair must not forget (131-FZ art. 27 part 7: the meeting
# approves the budget estimate and the report on it, and hears the bodies' annual report).
CALENDAR_ITEMS = ("meeting", "budget", "report")
CALENDAR_LEADS = (7, 1)  # days before, at 10:00 in the chair's zone
CALENDAR_HOUR = 10


def calendar_prefix(tos_id: int, item: str | None = None) -> str:
    return f"tos:{tos_id}:cal:" + (f"{item}:" if item else "")


async def plan_calendar(
    repo: Repo, tos_id: int, chair_id: int, item: str, day: date, zone: str, now: datetime
) -> int:
    """Reminders a week and a day before `day` (those still ahead), replacing earlier ones."""
    await outbox.cancel(repo, calendar_prefix(tos_id, item))
    planned = []
    for days in CALENDAR_LEADS:
        due = datetime.combine(day - timedelta(days=days), time(CALENDAR_HOUR), ZoneInfo(zone))
        if due <= now:
            continue
        planned.append(
            Outgoing(
                chair_id,
                outbox.TOS_CALENDAR,
                outbox.text(
                    "tos-calendar-reminder",
                    {
                        "item": {"key": f"tos-calendar-{item}"},
                        "date": f"{day:%d.%m.%Y}",
                        "days": days,
                    },
                ),
                due,
                f"{calendar_prefix(tos_id, item)}{day:%Y-%m-%d}:{days}",
                expires_at=datetime.combine(day, time(23, 59), ZoneInfo(zone)),
            )
        )
    await outbox.enqueue(repo, *planned, now=now)
    return len(planned)


async def drop_calendar(repo: Repo, tos_id: int, item: str) -> int:
    return await outbox.cancel(repo, calendar_prefix(tos_id, item))


def calendar_day(raw: str | None, today: date) -> date:
    """A date the chair types, DD.MM.YYYY, from tomorrow to two years ahead."""
    match = re.fullmatch(r"\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\s*", raw or "")
    if not match:
        raise InvalidInput("tos-calendar-date-format")
    day_, month, year = (int(g) for g in match.groups())
    try:
        chosen = date(year, month, day_)
    except ValueError as exc:
        raise InvalidInput("tos-calendar-date-format") from exc
    if not today < chosen <= today.replace(year=today.year + 2):
        raise InvalidInput("tos-calendar-date-range")
    return chosen


async def roll_calendars(repo: Repo, now: datetime) -> int:
    """The daily job: a calendar date that has passed moves to the same day next year (the
    chair can change it), with its reminders planned."""
    rolled = 0
    for tos in await repo.tos_registry.with_calendar():
        if tos.chair_id is None:
            continue
        zone = zone_of(tos.region_code)
        today = now.astimezone(ZoneInfo(zone)).date()
        calendar = dict(tos.calendar)
        for item, iso in tos.calendar.items():
            day = date.fromisoformat(iso)
            if day >= today:
                continue
            following = _next_year(day)
            while following < today:  # a calendar left alone for years
                following = _next_year(following)
            calendar[item] = following.isoformat()
            await plan_calendar(repo, tos.id, tos.chair_id, item, following, zone, now)
            rolled += 1
        tos.calendar = calendar
    await repo.session.flush()
    return rolled


def _next_year(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)
