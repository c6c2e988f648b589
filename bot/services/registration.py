"""Consent, registration and profile changes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from bot.services.regions import catalog
from bot.services.roles import Kind, Role, roles_for_kind
from db.repositories import Repo


def zone_of_region(region_code: str, tz: object) -> str | None:
    """The zone a person chose, if it is one of their region's several; else None."""
    region = catalog().get(region_code)
    if region is None or not region.has_zones or not isinstance(tz, str):
        return None
    return tz if any(z.tz == tz for z in region.zones) else None


@dataclass(frozen=True, slots=True)
class Profile:
    full_name: str
    phone: str
    region_code: str
    municipality: str
    kind: Kind
    tz: str | None = None  # a zone inside a region that has several

    @classmethod
    def from_draft(cls, draft: Mapping[str, object]) -> Profile | None:
        """The profile collected in a dialog, or None if a field is still missing."""
        try:
            return cls(
                full_name=str(draft["full_name"]),
                phone=str(draft["phone"]),
                region_code=str(draft["region_code"]),
                municipality=str(draft["municipality"]),
                kind=Kind(str(draft["kind"])),
                tz=zone_of_region(str(draft["region_code"]), draft.get("tz")),
            )
        except (KeyError, ValueError):
            return None


async def set_language(repo: Repo, user_id: int, language: str, now: datetime) -> None:
    await repo.users.ensure(user_id, language, now)
    await repo.users.set_language(user_id, language)


async def give_consent(
    repo: Repo, user_id: int, language: str, policy_version: str, now: datetime
) -> None:
    await repo.users.ensure(user_id, language, now)
    await repo.users.record_consent(user_id, policy_version, now)


async def complete(repo: Repo, user_id: int, profile: Profile, now: datetime) -> bool:
    """Save the profile and grant the roles it implies. False if already registered."""
    user = await repo.users.get(user_id)
    if user is None or user.consent_at is None:
        raise PermissionError("registration without consent")
    if user.registered_at is not None:
        return False
    await repo.users.save_profile(
        user_id,
        {
            "full_name": profile.full_name,
            "phone": profile.phone,
            "region_code": profile.region_code,
            "municipality": profile.municipality,
            "kind": profile.kind.value,
            "tz": profile.tz,
            "registered_at": now,
        },
    )
    for role in roles_for_kind(profile.kind):
        await repo.roles.grant(user_id, role.value, now)
    return True


async def update_field(repo: Repo, user_id: int, field: str, value: str, now: datetime) -> None:
    """Change one profile field; changing who one is also changes the chair role, and
    changing one's region drops a zone chosen inside the old one."""
    fields: dict[str, str | None] = {field: value}
    if field == "region_code":
        fields["tz"] = None
    if field == "tz":
        user = await repo.users.get(user_id)
        fields["tz"] = zone_of_region(user.region_code or "" if user else "", value)
    await repo.users.save_profile(user_id, fields)
    if field == "kind":
        if Kind(value) is Kind.TOS_CHAIR:
            await repo.roles.grant(user_id, Role.CHAIR.value, now)
        else:
            await repo.roles.revoke(user_id, Role.CHAIR.value)
