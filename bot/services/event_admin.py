"""Organisers' side of events: who may manage an event (admins every event, organisers the
events of the regions they organise, read from the database on every update, never from a
button), creating, publishing, cancelling, and deciding on applications."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from bot.services import event_drafts, events, reminders
from bot.services.roles import Role
from bot.services.validation import InvalidInput
from db.models import Event, Signup
from db.repositories import Repo


async def managed_regions(repo: Repo, user_id: int) -> set[str] | None:
    """The regions whose events the person manages; None means all (an admin), an empty set
    means none."""
    roles = await repo.roles.of(user_id)
    if Role.ADMIN.value in roles:
        return None
    if Role.ORGANISER.value not in roles:
        return set()
    regions = await repo.roles.regions_of(user_id)
    if not regions:
        # An organiser the admin has not given regions yet works in their own region.
        person = await repo.users.snapshot(user_id)
        if person is not None and person.region_code:
            regions = {person.region_code}
    return regions


async def can_manage(repo: Repo, user_id: int, event: Event | None) -> bool:
    if event is None:
        return False
    regions = await managed_regions(repo, user_id)
    return regions is None or event.region_code in regions


async def create(
    repo: Repo, data: Mapping[str, Any], organiser_id: int, status: str, now: datetime
) -> Event:
    """A draft or a published event from the dialog's answers (checked again here: the dialog
    may have waited past the start or the deadline)."""
    fields = event_drafts.as_fields(data)
    if fields["starts_at"] <= now:
        raise InvalidInput("evadm-when-past")
    event_drafts.check_deadline(fields["registration_deadline"], fields["starts_at"], now)
    return await repo.events.add(**fields, status=status, organiser_id=organiser_id, created_at=now)


async def publish(repo: Repo, event: Event, now: datetime) -> None:
    if event.starts_at <= now:
        raise InvalidInput("evadm-when-past")
    event_drafts.check_deadline(event.registration_deadline, event.starts_at, now)
    event.status = "published"
    await repo.session.flush()


async def cancel_event(repo: Repo, event: Event, now: datetime) -> list[Signup]:
    """Cancel the event and every sign-up (the waitlist too); returns the sign-ups whose people
    must be told."""
    told = await repo.signups.participants(event.id, ("signed_up", "waitlisted", "pending"))
    event.status = "cancelled"
    for signup, _person in told:
        signup.status, signup.updated_at = "cancelled", now
    await repo.session.flush()
    await reminders.drop(repo, event.id)
    return [signup for signup, _person in told]


async def fill_free_seats(repo: Repo, event: Event, now: datetime) -> list[Signup]:
    """Move people up from the waitlist while seats are free (after capacity grew)."""
    promoted: list[Signup] = []
    while event.capacity is None or await events.seats_taken(repo, event.id) < event.capacity:
        first = await events.promote_next(repo, event, now)
        if first is None:
            break
        promoted.append(first)
    return promoted


async def decide(
    repo: Repo, event: Event, user_id: int, approved: bool, now: datetime
) -> Signup | None:
    """Approve (a seat if one is free, else the waitlist) or reject a pending application;
    None when there is no pending application (decided already: a double click)."""
    signup = await repo.signups.of(event.id, user_id)
    if signup is None or signup.status != "pending":
        return None
    if not approved:
        signup.status = "rejected"
    elif event.capacity is None or await events.seats_taken(repo, event.id) < event.capacity:
        signup.status = "signed_up"
    else:
        signup.status = "waitlisted"
        signup.created_at = now  # the line is kept in approval order
    signup.updated_at = now
    await repo.session.flush()
    if signup.status == "signed_up":
        await reminders.plan(repo, event, [user_id], now)
    return signup
