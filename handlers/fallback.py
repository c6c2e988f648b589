"""Last router: anything no dialog took gets a clear answer."""

from __future__ import annotations

import logging

from aiogram import Router
from aiogram.types import CallbackQuery, Message

from bot.ui.context import Ctx
from handlers import faq

log = logging.getLogger("bot.security")


async def not_understood(message: Message, ctx: Ctx, raw_state: str | None) -> None:
    """A message outside any dialog that no command matched: text that the FAQ answers, or
    that reads as a question, gets those answers and the way to an expert."""
    if (
        message.text
        and not message.text.startswith("/")
        and raw_state is None
        and await faq.suggest_answers(message, ctx.state, ctx.repo, ctx.t)
    ):
        return
    await ctx.send(ctx.t("fallback-not-understood"))


async def stale_button(cq: CallbackQuery, ctx: Ctx) -> None:
    """A button of a finished dialog, or callback data the bot never made."""
    log.info("unmatched callback from user %s refused", cq.from_user.id)
    await ctx.outdated()


def router() -> Router:
    r = Router(name=__name__)
    r.message.register(not_understood)
    r.callback_query.register(stale_button)
    return r
