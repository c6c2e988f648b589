"""Verification of registry entries by the organisers of the TOS's region (or an admin)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from aiogram import Router, html
from aiogram.types import CallbackQuery, Message

from bot.commands import refresh_commands
from bot.services.notify import notify
from bot.services.roles import Role
from bot.ui.callbacks.tos import VerifyAction, VerifyCb
from bot.ui.context import Ctx
from db.models import Tos
from db.repositories import Repo

log = logging.getLogger("bot.security")


async def may_verify(repo: Repo, user_id: int, tos: Tos) -> bool:
    roles = await repo.roles.of(user_id)
    if Role.ADMIN.value in roles:
        return True
    return Role.ORGANISER.value in roles and tos.region_code in await repo.roles.regions_of(user_id)


async def settled(cq: CallbackQuery, callback_data: VerifyCb, ctx: Ctx) -> None:
    """Verify / Reject: only an admin or an organiser of the TOS's region, and only once."""
    repo = ctx.repo
    tos = await repo.tos_registry.get(callback_data.tos_id)
    if tos is None or not await may_verify(repo, cq.from_user.id, tos):
        log.warning(
            "refused verification by user %s of TOS %s", cq.from_user.id, callback_data.tos_id
        )
        await ctx.alert("common-not-allowed")
        return
    verified = callback_data.action is VerifyAction.VERIFY
    if not await repo.tos_registry.settle(tos.id, verified):
        await ctx.alert("tos-verify-settled-already")
        return
    if verified and tos.chair_id is not None:
        await repo.roles.grant(tos.chair_id, Role.CHAIR.value, datetime.now(UTC))
    if isinstance(cq.message, Message):
        await cq.message.edit_text(
            cq.message.html_text
            + "\n\n"
            + ctx.t("tos-verified-note" if verified else "tos-rejected-note"),
            reply_markup=None,
        )
    if tos.chair_id is None:
        return
    await notify(
        repo,
        tos.chair_id,
        "tos-verified-chair" if verified else "tos-rejected-chair",
        {"name": html.quote(tos.name)},
        about=f"tos-verified:{tos.id}",
        dedupe=str(tos.chair_id),
    )
    if verified:
        await refresh_commands(ctx.bot, repo, ctx.translator, tos.chair_id)


def router() -> Router:
    r = Router(name=__name__)
    r.callback_query.register(settled, VerifyCb.filter())
    return r
