"""/start: greeting, deep links (invites, event cards) and the way into registration."""

from __future__ import annotations

from datetime import UTC, datetime

from aiogram import Router
from aiogram.filters import CommandObject, CommandStart
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, Message

from bot.middlewares.commands import unpark
from bot.services import event_links, invites
from bot.ui import menu
from bot.ui.callbacks.registration import RegAction, RegCb
from bot.ui.context import Ctx
from handlers import deep_links, events, registration


async def started(message: Message, command: CommandObject, ctx: Ctx) -> None:
    """Greet; continue an unfinished dialog; follow a deep link."""
    bot, chat_id, state, repo, t, user = ctx.bot, ctx.chat_id, ctx.state, ctx.repo, ctx.t, ctx.user
    payload = (command.args or "").strip()[:64]
    await unpark(repo, state, chat_id)
    if user is not None and user.registered:
        if payload:
            if await deep_links.follow(bot, chat_id, payload, repo, t, ctx.translator):
                return  # an event card: the menu would push it up and away
        elif await registration.reprompt(ctx) or await events.reprompt(
            bot, chat_id, state, repo, t
        ):
            return
        await menu.show_main(bot, chat_id, repo, t)
        return
    if payload:
        token = invites.token_from_payload(payload)
        if token is not None:
            preview = await invites.check(repo, token, datetime.now(UTC))
            if preview.outcome is not invites.Redeem.GRANTED:
                role = t(f"role-{preview.role.value}") if preview.role else ""
                await message.answer(t(f"invite-{preview.outcome.value}", role=role))
            else:
                await state.update_data(pending_start=payload)
                await message.answer(t("invite-register-first"))
        elif event_links.event_id_from_payload(payload) is not None:
            # The card opens once registration is done (registration follows pending_start).
            await state.update_data(pending_start=payload)
            await message.answer(t("events-register-first-link"))
    if await registration.reprompt(ctx):
        return
    await message.answer(
        t("start-greeting"),
        reply_markup=InlineKeyboardMarkup(
            inline_keyboard=[
                [
                    InlineKeyboardButton(
                        text=t("start-register-button"),
                        callback_data=RegCb(action=RegAction.START).pack(),
                    )
                ]
            ]
        ),
    )


def router() -> Router:
    r = Router(name=__name__)
    r.message.register(started, CommandStart())
    return r
