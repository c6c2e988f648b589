"""The HTTP session to the Bot API: parameters as a JSON body.

aiogram's session sends every call as a urlencoded form: each Cyrillic letter of a text goes
out percent-encoded (three times its bytes, through `urllib.parse`), and reply markup is JSON
encoded inside the form. Telegram takes a JSON body as well (the fake Bot API in tests reads
both the same way), so a call without files is sent as one JSON document; a call with files
keeps aiogram's multipart form. Measured with py-spy over HTTP (`bench/process.py`): building
the form and encoding it were about 6% of the bot's samples.
"""

from __future__ import annotations

import json
from typing import Any

from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.methods import TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram.types import InputFile
from aiohttp import FormData
from aiohttp.payload import JsonPayload


def _dumps(value: Any) -> str:
    # UTF-8 as it is: a Cyrillic letter is 2 bytes on the wire, not the 6 of an escape.
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class JsonBodySession(AiohttpSession):
    def build_form_data(  # type: ignore[override]  # aiohttp sends either as the body
        self, bot: Bot, method: TelegramMethod[TelegramType]
    ) -> FormData | JsonPayload:
        files: dict[str, InputFile] = {}
        payload: dict[str, Any] = {}
        for key, value in method.model_dump(warnings=False).items():
            prepared = self.prepare_value(value, bot=bot, files=files, _dumps_json=False)
            # aiogram's form leaves out what prepares to None or "" (False is "false" there).
            if prepared is None or prepared == "":
                continue
            payload[key] = prepared
        if files:
            return super().build_form_data(bot, method)
        return JsonPayload(payload, dumps=_dumps)
