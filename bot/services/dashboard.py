"""The organisers' dashboard (a Telegram Mini App): what it shows, computed by the functions
the chat itself uses, so the page and the chat show the same numbers:
- people: the broadcast audience query and its count (`broadcasts.query` / `count`, as the
  broadcast dialog counts an audience), grouped by region and by registration day;
- the TOS registry: `tos_registry.in_regions`, as /tos_registry counts it;
- events: `events.managed` with the sign-up counts of the organiser's card and the seats of
  the residents' card; attendance and ratings: `attendance.summary`;
- questions: open ones by topic (experts' /questions counts the waiting ones);
- broadcasts: `broadcasts.report` and `broadcasts.progress`, as /broadcasts and the progress
  message.

Who sees what is read from the database on every call (`viewer`): admins everything,
organisers their regions (`event_admin.managed_regions`) and their own broadcasts. No web or
Telegram types here: bot/webapp/ serves it.
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.services import broadcasts, event_admin, events
from bot.services.broadcasts import Audience, Progress
from bot.services.roles import Role
from db.models import Broadcast, Event, QuestionTopic
from db.repositories import Repo

DAYS_DEFAULT, DAYS_MIN, DAYS_MAX = 30, 7, 365
UPCOMING_SHOWN = 20
BROADCASTS_SHOWN = 20
TOS_STATUSES = ("unverified", "verified", "rejected")
VIEWERS = frozenset({Role.ORGANISER.value, Role.ADMIN.value})


@dataclass(frozen=True, slots=True)
class Viewer:
    """The signed-in person as the database has them at this moment."""

    user_id: int
    language: str
    region_code: str | None
    roles: frozenset[str]
    regions: set[str] | None  # None: every region (an admin)

    @property
    def is_admin(self) -> bool:
        return Role.ADMIN.value in self.roles


async def viewer(repo: Repo, user_id: int) -> Viewer | None:
    """The person if they may see the dashboard now (an organiser or an admin), else None."""
    roles = frozenset(await repo.roles.of(user_id))
    if not roles & VIEWERS:
        return None
    person = await repo.users.get(user_id)
    if person is None or person.banned_at is not None:  # a banned admin sees nothing either
        return None
    regions = await event_admin.managed_regions(repo, user_id)
    return Viewer(user_id, person.language, person.region_code, roles, regions)


# ---- people ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Day:
    day: date
    new: int  # registered that day (in the reader's zone)
    total: int  # registered by the end of it


@dataclass(frozen=True, slots=True)
class People:
    total: int
    days: list[Day]  # the last `days` days, oldest first, today last
    by_region: list[tuple[str | None, int]]  # the most populous first
    by_role: dict[str, int]  # broadcasts.ROLES: residents, TOS members, chairs, experts


async def people(
    repo: Repo, scope: set[str] | None, zone: ZoneInfo, days: int, now: datetime
) -> People:
    """Registered people of the regions (None: all): in total, per day, by region and role."""
    days = min(max(days, DAYS_MIN), DAYS_MAX)
    audience = Audience()
    query = broadcasts.query(scope, audience)
    total = await broadcasts.count(repo, scope, audience)
    today = now.astimezone(zone).date()
    first = today - timedelta(days=days - 1)
    since = datetime.combine(first, time(), zone).astimezone(UTC)
    running = await repo.dashboard.registered_before(query, since)
    per_day: Counter[date] = Counter()
    for hour, count in await repo.dashboard.registered_per_hour(query, since):
        per_day[hour.astimezone(zone).date()] += count
    series = []
    for offset in range(days):
        day = first + timedelta(days=offset)
        running += per_day[day]
        series.append(Day(day, per_day[day], running))
    by_region = sorted(
        (await repo.dashboard.people_by_region(query)).items(),
        key=lambda item: (-item[1], item[0] or ""),
    )
    by_role = {
        role: await broadcasts.count(repo, scope, Audience(roles=(role,)))
        for role in broadcasts.ROLES
    }
    return People(total, series, by_region, by_role)


# ---- the TOS registry --------------------------------------------------------------------


async def tos_by_status(repo: Repo, scope: set[str] | None) -> dict[str, int]:
    """Entries of the registry by status, over the entries /tos_registry lists and exports."""
    found = Counter(entry.status for entry in await repo.tos_registry.in_regions(scope))
    return {status: found.get(status, 0) for status in TOS_STATUSES}


# ---- events ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EventLine:
    event: Event
    counts: dict[str, int]  # sign-ups by status (the organiser's card)
    taken: int  # seats held: signed up, offered, attended (the residents' card)

    @property
    def signed(self) -> int:
        """Confirmed participants, as the organiser's card counts them."""
        return self.counts.get("signed_up", 0) + self.counts.get("attended", 0)

    @property
    def left(self) -> int | None:
        return events.seats_left(self.event, self.taken)


async def upcoming(
    repo: Repo, scope: set[str] | None, now: datetime, limit: int = UPCOMING_SHOWN
) -> tuple[list[EventLine], int]:
    """Published and draft events of the regions not started yet, soonest first; how many."""
    found, total = await repo.events.managed(scope, now, 0, limit, statuses=("published", "draft"))
    return await _lines(repo, found), total


async def _lines(repo: Repo, found: list[Event]) -> list[EventLine]:
    taken = await repo.signups.seats_taken([e.id for e in found], events.SEATED)
    return [EventLine(e, await repo.signups.counts(e.id), taken.get(e.id, 0)) for e in found]


async def event_line(repo: Repo, event: Event) -> EventLine:
    counts = await repo.signups.counts(event.id)
    return EventLine(event, counts, await events.seats_taken(repo, event.id))


async def managed_events(
    repo: Repo, scope: set[str] | None, since: datetime, limit: int
) -> tuple[list[EventLine], int]:
    """Every event of the regions starting after `since` (drafts and cancelled included), as
    /events_admin lists them, soonest first; and how many there are."""
    found, total = await repo.events.managed(scope, since, 0, limit)
    return await _lines(repo, found), total


async def event_for(repo: Repo, person: Viewer, event_id: int) -> Event | None:
    """The event if the person may manage it now (the chat's rule), else None."""
    event = await repo.events.get(event_id)
    if event is None or not await event_admin.can_manage(repo, person.user_id, event):
        return None
    return event


# ---- expert questions --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TopicLine:
    topic: QuestionTopic
    new: int  # waiting for an expert to take it
    taken: int  # an expert is on it
    longest_hours: float  # the longest wait among the open ones (since it began waiting)
    median_hours: float


async def open_questions(repo: Repo, scope: set[str] | None, now: datetime) -> list[TopicLine]:
    """Open questions by topic (askers of the regions; None: all): every visible topic, and
    hidden ones that still have open questions, in the topics' order."""
    rows = await repo.dashboard.open_questions(None if scope is None else sorted(scope))
    waits: dict[int, list[float]] = {}
    statuses: dict[int, Counter[str]] = {}
    for topic_id, status, since in rows:
        waits.setdefault(topic_id, []).append(max((now - since).total_seconds(), 0) / 3600)
        statuses.setdefault(topic_id, Counter())[status] += 1
    lines = []
    for topic in await repo.questions.topics(with_hidden=True):
        if topic.hidden and topic.id not in waits:
            continue
        hours = waits.get(topic.id, [])
        counted = statuses.get(topic.id, Counter())
        lines.append(
            TopicLine(
                topic,
                counted["new"],
                counted["taken"],
                max(hours, default=0.0),
                statistics.median(hours) if hours else 0.0,
            )
        )
    return lines


# ---- broadcasts --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BroadcastLine:
    broadcast: Broadcast
    counts: dict[str, int]  # deliveries by status (the report)
    progress: Progress

    @property
    def delivered_percent(self) -> int:
        """Delivered of the audience."""
        return round(100 * self.progress.sent / self.broadcast.total) if self.broadcast.total else 0


async def _line(repo: Repo, broadcast: Broadcast, now: datetime) -> BroadcastLine:
    counts = await broadcasts.report(repo, broadcast.id)
    return BroadcastLine(broadcast, counts, broadcasts.progress(broadcast, counts, now))


async def recent_broadcasts(
    repo: Repo, person: Viewer, now: datetime, limit: int = BROADCASTS_SHOWN
) -> list[BroadcastLine]:
    """The newest first, as /broadcasts lists them: an organiser's own, an admin everyone's."""
    mine = None if person.is_admin else person.user_id
    return [await _line(repo, b, now) for b in await repo.broadcasts.latest(mine, limit)]


async def broadcast_for(
    repo: Repo, person: Viewer, broadcast_id: int, now: datetime
) -> BroadcastLine | None:
    """One broadcast if it is the person's own or they are an admin (who may press its
    controls in the chat), else None."""
    broadcast = await repo.session.get(Broadcast, broadcast_id)
    if broadcast is None or (broadcast.organiser_id != person.user_id and not person.is_admin):
        return None
    return await _line(repo, broadcast, now)
