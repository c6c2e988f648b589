"""Admins' law profile settings per region and municipality."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import LawSetting


class LawSettingRepo:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def get(self, setting_id: int) -> LawSetting | None:
        return await self._s.get(LawSetting, setting_id)

    async def ensure(
        self,
        region_code: str,
        municipality: str,
        profile_id: str,
        now: datetime,
        template: LawSetting | None = None,
    ) -> LawSetting:
        """The setting of a region ("" municipality) or of a municipality, made if missing
        (a new municipality starts from its region's values, `template`)."""
        for setting in await self._s.scalars(
            select(LawSetting).where(LawSetting.region_code == region_code)
        ):
            if setting.municipality.casefold() == municipality.casefold():
                return setting
        setting = LawSetting(
            region_code=region_code,
            municipality=municipality,
            profile_id=profile_id,
            min_age=template.min_age if template else None,
            registration_term_days=template.registration_term_days if template else None,
            registration_body_name=template.registration_body_name if template else None,
            updated_at=now,
        )
        self._s.add(setting)
        await self._s.flush()
        return setting

    async def update(self, setting: LawSetting, now: datetime, **fields: Any) -> None:
        for name, value in fields.items():
            setattr(setting, name, value)
        setting.updated_at = now
        await self._s.flush()

    async def for_place(self, region_code: str, municipality: str) -> LawSetting | None:
        """The municipality's own setting, else the region's, else None."""
        region_wide = None
        for setting in await self._s.scalars(
            select(LawSetting).where(LawSetting.region_code == region_code)
        ):
            if setting.municipality and setting.municipality.casefold() == municipality.casefold():
                return setting
            if not setting.municipality:
                region_wide = setting
        return region_wide
