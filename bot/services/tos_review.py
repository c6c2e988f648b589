"""A TOS entered into the registry waits for a reviewer: the region's organisers (the admins
if the region has none) get its details with Verify and Reject, queued through the outbox."""

from __future__ import annotations

from aiogram import html

from bot.i18n import Translator
from bot.services.notify import button, notify
from bot.services.regions import catalog
from bot.services.roles import Role
from bot.ui.callbacks.tos import VerifyAction, VerifyCb
from db.models import Tos
from db.repositories import Repo


async def ask_verification(repo: Repo, translator: Translator, tos: Tos) -> int:
    """Send the entry to the region's organisers (to the admins if the region has none)."""
    reviewers = await repo.roles.organisers_of(tos.region_code) or await repo.roles.user_ids_with(
        [Role.ADMIN.value]
    )
    region = catalog().get(tos.region_code)
    verify = VerifyCb(action=VerifyAction.VERIFY, tos_id=tos.id).pack()
    reject = VerifyCb(action=VerifyAction.REJECT, tos_id=tos.id).pack()
    people = await repo.users.by_ids(set(reviewers))
    for reviewer in people.values():
        language = translator.for_locale(reviewer.language).locale
        await notify(
            repo,
            reviewer.id,
            "tos-verify-request",
            {
                "name": html.quote(tos.name),
                "region": region.name(language) if region else tos.region_code,
                "municipality": html.quote(tos.municipality),
                "registered": f"{tos.charter_registered_on:%d.%m.%Y}",
                "number": html.quote(tos.charter_number),
                "ogrn": tos.ogrn or "—",
            },
            [[button("tos-verify-button", verify), button("tos-verify-reject-button", reject)]],
            about=f"tos-verify:{tos.id}",
            dedupe=f"{tos.id}:{reviewer.id}",
        )
    return len(people)
