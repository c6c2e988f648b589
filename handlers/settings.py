"""/settings: which reminders the person gets. Notices (decisions, changes to an event they
signed up for) always come; event reminders can be cut down to the last one before each event.
"""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from bot.i18n import Text
from bot.services.outbox import MUTABLE
from bot.ui.callbacks.menu import SettingsCb
from bot.ui.context import Ctx
from bot.ui.keyboards import button


def _screen(t: Text, muted: list[str]) -> tuple[str, InlineKeyboardMarkup]:
    lines = [
        t(
            "settings-line",
            state=t("settings-off" if kind in muted else "settings-on"),
            what=t(f"settings-kind-{kind}"),
        )
        for kind in MUTABLE
    ]
    buttons = [
        [
            button(
                t(
                    "settings-turn-on" if kind in muted else "settings-turn-off",
                    what=t(f"settings-kind-{kind}"),
                ),
                SettingsCb(kind=kind),
            )
        ]
        for kind in MUTABLE
    ]
    return t("settings-title", lines="\n".join(lines)), InlineKeyboardMarkup(
        inline_keyboard=buttons
    )


async def settings_shown(message: Message, ctx: Ctx) -> None:
    """/settings: each kind of reminder, on or off, with a button to switch it."""
    person = await ctx.repo.users.get(ctx.chat_id)
    if person is None or ctx.user is None or not ctx.user.registered:
        await ctx.send(ctx.t("settings-register-first"))
        return
    await ctx.send(*_screen(ctx.t, list(person.muted_kinds or [])))


async def switched(cq: CallbackQuery, callback_data: SettingsCb, ctx: Ctx) -> None:
    """A kind switched on or off; the screen shows the new state."""
    t, repo = ctx.t, ctx.repo
    person = await repo.users.get(cq.from_user.id)
    if person is None or person.registered_at is None or callback_data.kind not in MUTABLE:
        await ctx.outdated()
        return
    muted = list(person.muted_kinds or [])
    if callback_data.kind in muted:
        muted.remove(callback_data.kind)
    else:
        muted.append(callback_data.kind)
    await repo.users.set_muted(person.id, muted)
    await cq.answer(t("settings-saved"))
    await ctx.show(*_screen(t, muted))


def router() -> Router:
    r = Router(name=__name__)
    r.message.register(settings_shown, Command("settings"))
    r.callback_query.register(switched, SettingsCb.filter())  # a forged kind is refused inside
    return r
