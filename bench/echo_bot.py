"""The baseline of bench/process.py: a bare aiogram bot that answers every update with one
message, polling the same fake Telegram over HTTP with the same concurrency cap as the bot.

Run by the benchmark as `python -m bench.echo_bot` with BOT_TOKEN, TELEGRAM_API_URL and
MAX_CONCURRENT_UPDATES in the environment.
"""

from __future__ import annotations

import asyncio
import os

from aiogram import Bot, Dispatcher
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.types import CallbackQuery, Message


async def echo(message: Message) -> None:
    await message.answer(message.text or "ok")


async def pressed(query: CallbackQuery) -> None:
    if query.bot is not None:
        await query.bot.send_message(query.from_user.id, query.data or "ok")


async def main() -> None:
    session = AiohttpSession(api=TelegramAPIServer.from_base(os.environ["TELEGRAM_API_URL"]))
    bot = Bot(os.environ["BOT_TOKEN"], session=session)
    dp = Dispatcher()
    dp.message.register(echo)
    dp.callback_query.register(pressed)
    await dp.start_polling(
        bot,
        allowed_updates=dp.resolve_used_update_types(),
        tasks_concurrency_limit=int(os.environ.get("MAX_CONCURRENT_UPDATES", "100")),
    )


if __name__ == "__main__":
    asyncio.run(main())
