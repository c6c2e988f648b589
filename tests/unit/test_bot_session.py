"""The bot's Bot API session sends JSON bodies, and files as aiogram's multipart form."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiogram import Bot
from aiogram.client.default import DefaultBotProperties
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.methods import SendDocument, SendMessage
from aiogram.types import (
    BufferedInputFile,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    ReplyKeyboardRemove,
)

from bot.bot_session import JsonBodySession
from tests.fake_telegram import FakeTelegramServer

USER = 60_000_001


@pytest.fixture
async def server() -> AsyncIterator[FakeTelegramServer]:
    async with FakeTelegramServer() as server:
        yield server


async def test_calls_go_as_json_and_files_as_a_form(server: FakeTelegramServer) -> None:
    session = JsonBodySession(api=TelegramAPIServer.from_base(server.base_url))
    bot = Bot(
        server.token, session=session, default=DefaultBotProperties(parse_mode=ParseMode.HTML)
    )
    try:
        markup = InlineKeyboardMarkup(
            inline_keyboard=[
                [InlineKeyboardButton(text="Да, согласен", callback_data="rg1:agree:")]
            ]
        )
        sent = await bot.send_message(USER, "<b>Согласие</b> «на обработку»", reply_markup=markup)
        assert sent.text == "Согласие «на обработку»" and sent.reply_markup is not None
        assert sent.reply_markup.model_dump(exclude_none=True) == markup.model_dump(
            exclude_none=True
        )
        await bot.send_message(
            USER, "Номер сохранён", reply_markup=ReplyKeyboardRemove(), disable_notification=False
        )
        await bot.edit_message_reply_markup(chat_id=USER, message_id=sent.message_id)
        document = await bot.send_document(
            USER, BufferedInputFile(b"a;b\n", filename="export.csv"), caption="Выгрузка"
        )
        assert document.document is not None and document.document.file_name == "export.csv"
        form = session.build_form_data(
            bot, SendDocument(chat_id=USER, document=BufferedInputFile(b"x", filename="x.txt"))
        )
        assert type(form).__name__ == "FormData"
        body = session.build_form_data(bot, SendMessage(chat_id=USER, text="Привет"))
        assert type(body).__name__ == "JsonPayload"
        assert body.content_type == "application/json"
        assert body._value.decode() == '{"chat_id":60000001,"text":"Привет","parse_mode":"HTML"}'
    finally:
        await session.close()
    assert server.api.violations == []
    calls = [(c.method, c.params) for c in server.api.calls]
    assert calls[0][1]["reply_markup"] == markup.model_dump(exclude_none=True)
    assert calls[1][1]["reply_markup"] == {"remove_keyboard": True}
    assert calls[1][1]["disable_notification"] is False
    assert calls[2][0] == "editMessageReplyMarkup"
    assert calls[3][0] == "sendDocument" and calls[3][1]["caption"] == "Выгрузка"
