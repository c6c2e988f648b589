"""The context of one person's update, handed to handlers as `ctx`: one parameter instead of
the eight (bot, chat, state, repo, texts, translator, settings, person) each handler listed,
and the replies every dialog shares (send, show a screen in place, an outdated button)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.fsm.context import FSMContext
from aiogram.types import (
    CallbackQuery,
    ForceReply,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    TelegramObject,
)

from bot.config import Settings
from bot.i18n import Text, Translator
from bot.services.law import LawProfile
from bot.ui import screens
from db.repositories import Repo, UserSnapshot

Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove | ForceReply | None


@dataclass(slots=True)
class Ctx:
    bot: Bot
    chat_id: int
    state: FSMContext
    repo: Repo
    t: Text
    translator: Translator
    settings: Settings
    user: UserSnapshot | None
    lang: str
    cq: CallbackQuery | None = None  # the button press, when the update is one
    # The law profiles by id (the dispatcher's "law_profiles"), for the steps of the TOS dialogs.
    law_profiles: dict[str, LawProfile] = field(default_factory=dict)

    async def send(self, text: str, markup: Markup = None) -> Message:
        return await self.bot.send_message(self.chat_id, text, reply_markup=markup)

    async def show(
        self,
        text: str,
        markup: InlineKeyboardMarkup | None = None,
        *,
        link_preview_options: LinkPreviewOptions | None = None,
    ) -> None:
        """A screen: in place of the pressed message (bot/ui/screens.py), else a new one."""
        if self.cq is not None:
            await screens.show(self.cq, text, markup, link_preview_options=link_preview_options)
        else:
            await self.bot.send_message(
                self.chat_id, text, reply_markup=markup, link_preview_options=link_preview_options
            )

    async def outdated(self) -> None:
        """A button (or a step) whose moment has passed: an alert, or a line in the chat."""
        if self.cq is not None:
            await self.cq.answer(self.t("common-button-outdated"), show_alert=True)
        else:
            await self.send(self.t("common-button-outdated"))

    async def alert(self, key: str, **kwargs: Any) -> None:
        """A localised pop-up over the pressed button (a line in the chat for a message)."""
        if self.cq is not None:
            await self.cq.answer(self.t(key, **kwargs), show_alert=True)
        else:
            await self.send(self.t(key, **kwargs))

    async def drop_buttons(self) -> None:
        """Take the buttons off the pressed message, so they cannot be pressed twice."""
        message = self.cq.message if self.cq else None
        if isinstance(message, Message) and message.reply_markup is not None:
            await message.edit_reply_markup(reply_markup=None)


class ContextMiddleware(BaseMiddleware):
    """Builds `ctx` for the handler chosen (an inner middleware: after the filters, so only
    for updates a handler takes; about a microsecond)."""

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        chat = data.get("event_chat")
        person = data.get("event_from_user")
        chat_id = chat.id if chat is not None else person.id if person is not None else 0
        data["ctx"] = Ctx(
            bot=data["bot"],
            chat_id=chat_id,
            state=data["state"],
            repo=data["repo"],
            t=data["t"],
            translator=data["translator"],
            settings=data["settings"],
            user=data.get("user"),
            lang=data["lang"],
            cq=event if isinstance(event, CallbackQuery) else None,
            law_profiles=data.get("law_profiles", {}),
        )
        return await handler(event, data)
