"""A menu command typed inside a dialog leaves the dialog and runs.

Without this, a dialog's step that takes any text would take "/events" as an answer (or say
"choose a button"). /start, /help, /language and /cancel work inside a dialog on their own
terms (continue it, explain, re-ask in another language, close it). A dialog that /start can
continue (`resumable`) is parked, its answers kept; the others close as on /cancel.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.enums import ChatType
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import StatesGroup
from aiogram.types import TelegramObject, Update

from bot.i18n import Text
from db.repositories import Repo

IN_PLACE = frozenset({"start", "help", "language", "cancel"})


def command_of(text: str | None) -> str | None:
    """ "/events@tos_bot soon" -> "events"; None for text that is no command."""
    if not text or not text.startswith("/"):
        return None
    return text[1:].split(maxsplit=1)[0].partition("@")[0].lower() if len(text) > 1 else None


class CommandsLeaveDialogs(BaseMiddleware):
    def __init__(self, commands: Iterable[str], resumable: Iterable[type[StatesGroup]]) -> None:
        self._leaving = frozenset(commands) - IN_PLACE
        self._resumable = frozenset(group.__full_group_name__ for group in resumable)

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        raw_state: str | None = data.get("raw_state")
        message = event.message if isinstance(event, Update) else None
        if (
            raw_state is not None
            and message is not None
            and message.chat.type == ChatType.PRIVATE
            and command_of(message.text) in self._leaving
        ):
            state: FSMContext = data["state"]
            if raw_state.partition(":")[0] in self._resumable:
                repo: Repo = data["repo"]
                answers = await state.get_data()
                await repo.parked_dialogs.park(message.chat.id, raw_state, answers, message.date)
                t: Text = data["t"]
                await message.answer(t("common-dialog-parked"))
            await state.set_state(None)
            await state.set_data({})
            data["raw_state"] = None
        return await handler(event, data)


async def unpark(repo: Repo, state: FSMContext, user_id: int) -> None:
    """/start: a parked dialog becomes the current one again (its question is asked anew),
    in place of whatever dialog is open."""
    parked = await repo.parked_dialogs.take(user_id)
    if parked is not None:
        await state.set_state(parked[0])
        await state.set_data(parked[1])
