"""Who may manage an event: admins every event, organisers the events of the regions they
organise (read from the database on every update, never from a button)."""

from __future__ import annotations

from bot.services.roles import Role
from db.models import Event
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
