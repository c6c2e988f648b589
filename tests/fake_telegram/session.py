"""An aiogram session that talks to a FakeBotAPI in-process instead of over HTTP.

Requests are serialised exactly as AiohttpSession.build_form_data does (prepare_value, falsy
values dropped, files as separate parts referenced by attach://), and answers go through
BaseSession.check_response, so results are parsed and errors raised (TelegramBadRequest,
TelegramRetryAfter, TelegramForbiddenError...) just as with the real session.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import urlsplit

from aiogram.client.session.base import BaseSession
from aiogram.exceptions import TelegramNetworkError
from aiogram.methods import TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram.types import InputFile

from .core import DROPPED, FakeBotAPI, TelegramError
from .schema import UploadedFile

if TYPE_CHECKING:
    from aiogram import Bot


class RecordingSession(BaseSession):
    def __init__(self, fake: FakeBotAPI | None = None, **kwargs: Any) -> None:
        """`fake` answers the requests (a new FakeBotAPI if omitted). It is not `api`: aiogram
        keeps the TelegramAPIServer (URL patterns) there."""
        super().__init__(**kwargs)
        self.fake = fake if fake is not None else FakeBotAPI()

    async def build_params(self, bot: Bot, method: TelegramMethod[Any]) -> dict[str, Any]:
        """The fields AiohttpSession would put in its multipart form, files read into memory."""
        files: dict[str, InputFile] = {}
        params: dict[str, Any] = {}
        for key, value in method.model_dump(warnings=False).items():
            prepared = self.prepare_value(value, bot=bot, files=files)
            if not prepared:  # AiohttpSession skips falsy values the same way
                continue
            params[key] = prepared
        for key, file in files.items():
            content = b"".join([chunk async for chunk in file.read(bot)])
            params[key] = UploadedFile(file.filename or key, content)
        return params

    async def make_request(
        self,
        bot: Bot,
        method: TelegramMethod[TelegramType],
        timeout: int | None = None,
    ) -> TelegramType:
        params = await self.build_params(bot, method)
        try:
            result = await self.fake.handle_async(method.__api_method__, params)
            status, body = 200, {"ok": True, "result": result}
        except TelegramError as e:
            if e.code == DROPPED:
                raise TelegramNetworkError(method, "the connection was dropped") from e
            status, body = e.code, e.response()
        response = self.check_response(
            bot=bot, method=method, status_code=status, content=self.json_dumps(body)
        )
        return cast(TelegramType, response.result)

    async def stream_content(
        self,
        url: str,
        headers: dict[str, Any] | None = None,
        timeout: int = 30,
        chunk_size: int = 65536,
        raise_for_status: bool = True,
    ) -> AsyncGenerator[bytes, None]:
        """Downloads (bot.download) of files the fake knows, by the path in the file URL."""
        path = urlsplit(url).path
        marker = "/file/bot"
        file_path = path.split(marker, 1)[1].split("/", 1)[1] if marker in path else ""
        stored = self.fake.file_by_path(file_path)
        if stored is None:
            raise FileNotFoundError(f"the fake Bot API has no file at {url}")
        for start in range(0, len(stored.content), chunk_size):
            yield stored.content[start : start + chunk_size]

    async def close(self) -> None:
        """Nothing to release: no connections are opened."""
