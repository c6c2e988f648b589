"""Last router: anything no dialog took gets a clear answer."""

from __future__ import annotations

import logging

from aiogram import Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.i18n import Text
from db.repositories import Repo
from handlers import faq

log = logging.getLogger("bot.security")


async def not_understood(
    message: Message, state: FSMContext, raw_state: str | None, repo: Repo, t: Text
) -> None:
    """A message outside any dialog that no command matched: text that the FAQ answers, or
    that reads as a question, gets those answers and the way to an expert."""
    if (
        message.text
        and not message.text.startswith("/")
        and raw_state is None
        and await faq.suggest_answers(message, state, repo, t)
    ):
        return
    await message.answer(t("fallback-not-understood"))


async def stale_button(cq: CallbackQuery, t: Text) -> None:
    """A button of a finished dialog, or callback data the bot never made."""
    log.info("unmatched callback from user %s refused", cq.from_user.id)
    await cq.answer(t("common-button-outdated"), show_alert=True)


def router() -> Router:
    r = Router(name=__name__)
    r.message.register(not_understood)
    r.callback_query.register(stale_button)
    return r
