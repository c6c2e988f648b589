"""/settings: which reminders the person gets. Notices (decisions, changes to an event they
signed up for) always come; event reminders can be cut down to the last one before each event.
"""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from bot.i18n import Text
from bot.services.outbox import MUTABLE
from bot.ui.callbacks.menu import SettingsCb
from db.repositories import Repo, UserSnapshot


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
            InlineKeyboardButton(
                text=t(
                    "settings-turn-on" if kind in muted else "settings-turn-off",
                    what=t(f"settings-kind-{kind}"),
                ),
                callback_data=SettingsCb(kind=kind).pack(),
            )
        ]
        for kind in MUTABLE
    ]
    return t("settings-title", lines="\n".join(lines)), InlineKeyboardMarkup(
        inline_keyboard=buttons
    )


async def settings_shown(
    message: Message, bot: Bot, repo: Repo, t: Text, user: UserSnapshot | None
) -> None:
    """/settings: each kind of reminder, on or off, with a button to switch it."""
    person = await repo.users.get(message.chat.id)
    if person is None or user is None or not user.registered:
        await message.answer(t("settings-register-first"))
        return
    text, markup = _screen(t, list(person.muted_kinds or []))
    await bot.send_message(message.chat.id, text, reply_markup=markup)


async def switched(cq: CallbackQuery, callback_data: SettingsCb, repo: Repo, t: Text) -> None:
    """A kind switched on or off; the screen shows the new state."""
    person = await repo.users.get(cq.from_user.id)
    if person is None or person.registered_at is None or callback_data.kind not in MUTABLE:
        await cq.answer(t("common-button-outdated"), show_alert=True)
        return
    muted = list(person.muted_kinds or [])
    if callback_data.kind in muted:
        muted.remove(callback_data.kind)
    else:
        muted.append(callback_data.kind)
    await repo.users.set_muted(person.id, muted)
    await cq.answer(t("settings-saved"))
    text, markup = _screen(t, muted)
    if isinstance(cq.message, Message):
        await cq.message.edit_text(text, reply_markup=markup)


def router() -> Router:
    r = Router(name=__name__)
    r.message.register(settings_shown, Command("settings"))
    r.callback_query.register(switched, SettingsCb.filter())  # a forged kind is refused inside
    return r
