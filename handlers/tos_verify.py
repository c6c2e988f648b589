"""Verification of registry entries by the organisers of the TOS's region (or an admin)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from enum import StrEnum

from aiogram import Bot, Router, html
from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from bot.commands import refresh_commands
from bot.i18n import Text, Translator
from bot.services.regions import catalog
from bot.services.roles import Role
from db.models import Tos
from db.repositories import Repo
from handlers.notify import tell

log = logging.getLogger("bot.security")


class VerifyAction(StrEnum):
    VERIFY = "v"
    REJECT = "x"


class VerifyCb(CallbackData, prefix="tv"):
    action: VerifyAction
    tos_id: int


async def may_verify(repo: Repo, user_id: int, tos: Tos) -> bool:
    roles = await repo.roles.of(user_id)
    if Role.ADMIN.value in roles:
        return True
    return Role.ORGANISER.value in roles and tos.region_code in await repo.roles.regions_of(user_id)


async def ask_verification(bot: Bot, repo: Repo, translator: Translator, tos: Tos) -> int:
    """Send the entry to the region's organisers (to the admins if the region has none)."""
    reviewers = await repo.roles.organisers_of(tos.region_code) or await repo.roles.user_ids_with(
        [Role.ADMIN.value]
    )
    region = catalog().get(tos.region_code)
    sent = 0
    for reviewer_id in reviewers:
        reviewer = await repo.users.get(reviewer_id)
        if reviewer is None:
            continue
        rt = translator.for_locale(reviewer.language)
        text = rt(
            "tos-verify-request",
            name=html.quote(tos.name),
            region=region.name(rt.locale) if region else tos.region_code,
            municipality=html.quote(tos.municipality),
            registered=f"{tos.charter_registered_on:%d.%m.%Y}",
            number=html.quote(tos.charter_number),
            ogrn=tos.ogrn or "—",
        )
        markup = InlineKeyboardMarkup(
            inline_keyboard=[
                [
                    InlineKeyboardButton(
                        text=rt("tos-verify-button"),
                        callback_data=VerifyCb(action=VerifyAction.VERIFY, tos_id=tos.id).pack(),
                    ),
                    InlineKeyboardButton(
                        text=rt("tos-verify-reject-button"),
                        callback_data=VerifyCb(action=VerifyAction.REJECT, tos_id=tos.id).pack(),
                    ),
                ]
            ]
        )
        sent += await tell(bot, reviewer_id, text, markup)
    return sent


async def settled(
    cq: CallbackQuery,
    callback_data: VerifyCb,
    bot: Bot,
    repo: Repo,
    t: Text,
    translator: Translator,
) -> None:
    """Verify / Reject: only an admin or an organiser of the TOS's region, and only once."""
    tos = await repo.tos_registry.get(callback_data.tos_id)
    if tos is None or not await may_verify(repo, cq.from_user.id, tos):
        log.warning(
            "refused verification by user %s of TOS %s", cq.from_user.id, callback_data.tos_id
        )
        await cq.answer(t("common-not-allowed"), show_alert=True)
        return
    verified = callback_data.action is VerifyAction.VERIFY
    if not await repo.tos_registry.settle(tos.id, verified):
        await cq.answer(t("tos-verify-settled-already"), show_alert=True)
        return
    if verified and tos.chair_id is not None:
        await repo.roles.grant(tos.chair_id, Role.CHAIR.value, datetime.now(UTC))
    if isinstance(cq.message, Message):
        await cq.message.edit_text(
            cq.message.html_text
            + "\n\n"
            + t("tos-verified-note" if verified else "tos-rejected-note"),
            reply_markup=None,
        )
    if tos.chair_id is None:
        return
    chair = await repo.users.get(tos.chair_id)
    if chair is None:
        return
    ct = translator.for_locale(chair.language)
    text = ct("tos-verified-chair" if verified else "tos-rejected-chair", name=html.quote(tos.name))
    await tell(bot, chair.id, text)
    if verified:
        await refresh_commands(bot, repo, translator, chair.id)


def router() -> Router:
    r = Router(name=__name__)
    r.callback_query.register(settled, VerifyCb.filter())
    return r
