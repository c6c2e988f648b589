"""aiogram's models built on first use (bot/lazy_models.py): every type still builds, and the
updates the bot handles validate to exactly what an eager import gives."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

from aiogram.methods.base import Response
from aiogram.types import Message, Update

from tests.e2e.process import ROOT
from tests.fake_telegram.core import FakeBotAPI

LAZY = """
import json, sys
import bot  # first: aiogram.types is imported with its models deferred
import aiogram.types as types
deferred = not types.Message.__pydantic_complete__
updates = [types.Update.model_validate(u) for u in json.loads(sys.stdin.read())]
dumps = [u.model_dump(mode="json", exclude_none=True) for u in updates]
import aiogram.methods as methods
from aiogram.methods.base import Response
sent = Response[types.Message].model_validate(json.loads(sys.argv[1])).result
dumps.append(sent.model_dump(mode="json", exclude_none=True))
models = [getattr(types, name) for name in types.__all__]
models += [getattr(methods, name) for name in methods.__all__]
models = [m for m in models if hasattr(m, "model_rebuild")]
failed = [m.__name__ for m in models if m.model_rebuild() is False]
print(json.dumps({"deferred": deferred, "dumps": dumps, "models": len(models), "failed": failed}))
"""


# A sendMessage answer with formatting and a keyboard, as a session parses it.
SENT = {
    "ok": True,
    "result": {
        "message_id": 5,
        "date": 1,
        "chat": {"id": 1, "type": "private"},
        "from": {"id": 42, "is_bot": True, "first_name": "TOS Bot"},
        "text": "Шаг 1 из 5",
        "entities": [{"type": "bold", "offset": 0, "length": 3}],
        "reply_markup": {"inline_keyboard": [[{"text": "Назад", "callback_data": "nav:back:R"}]]},
    },
}


def sample_updates() -> list[dict[str, Any]]:
    api = FakeBotAPI()
    make = api.updates
    return [
        make.message(1, "/start ev_12", language_code="en"),
        make.message(1, "Иванова Анна-Мария Петровна"),
        make.callback(1, "rg1:agree", check=False),
        make.contact(1, "+79123456789", True),
        make.sticker(1),
        make.photo(1),
        make.document(1),
        *make.album(1, 3, caption="Анонс"),
        make.group_text(-1001234567890, 2, "Ответ эксперта", thread_id=7),
    ]


def test_every_type_builds_lazily_and_updates_validate_as_eagerly() -> None:
    updates = sample_updates()
    result = subprocess.run(
        [sys.executable, "-c", LAZY, json.dumps(SENT)],
        input=json.dumps(updates),
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
        timeout=120,
    )
    lazy = json.loads(result.stdout)
    assert lazy["deferred"] is True
    assert lazy["failed"] == []
    assert lazy["models"] > 400
    eager = [Update.model_validate(u).model_dump(mode="json", exclude_none=True) for u in updates]
    eager.append(
        Response[Message].model_validate(SENT).result.model_dump(mode="json", exclude_none=True)  # type: ignore[union-attr]
    )
    assert lazy["dumps"] == eager
