"""A fake Telegram Bot API for tests: checks every request as Telegram would.

- FakeBotAPI (core): validation against the Bot API schema, recorded calls, fabricated results.
- RecordingSession (session): an aiogram session that calls a FakeBotAPI in-process.
- FakeTelegramServer (server): the same over HTTP, with long polling and webhook delivery.
"""

from .core import BOT_USER, Call, FakeBotAPI, Sent, StoredFile, TelegramError, UpdateFactory
from .markup import MarkupError, Parsed, parse
from .schema import Schema, UploadedFile, load_schema
from .server import DEFAULT_TOKEN, FakeTelegramServer, WebhookAttempt
from .session import RecordingSession

__all__ = [
    "BOT_USER",
    "DEFAULT_TOKEN",
    "Call",
    "FakeBotAPI",
    "FakeTelegramServer",
    "MarkupError",
    "Parsed",
    "RecordingSession",
    "Schema",
    "Sent",
    "StoredFile",
    "TelegramError",
    "UpdateFactory",
    "UploadedFile",
    "WebhookAttempt",
    "load_schema",
    "parse",
]
