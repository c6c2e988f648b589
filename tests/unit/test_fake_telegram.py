"""Tests of the fake Telegram Bot API (tests/fake_telegram): validation, session, HTTP server."""

from __future__ import annotations

import asyncio
import importlib.util
import json
import socket
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from aiogram import Bot, Dispatcher, F
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramConflictError,
    TelegramForbiddenError,
    TelegramRetryAfter,
    TelegramUnauthorizedError,
)
from aiogram.filters import CommandStart
from aiogram.methods import SendDocument, SendMessage
from aiogram.types import (
    BotCommand,
    BotCommandScopeChat,
    BufferedInputFile,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    Message,
    ReplyKeyboardMarkup,
    Update,
)
from aiohttp import web

from tests.fake_telegram import (
    DEFAULT_TOKEN,
    FakeBotAPI,
    FakeTelegramServer,
    MarkupError,
    RecordingSession,
    TelegramError,
    UploadedFile,
    load_schema,
    parse,
)

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT.parent / "shared" / "telegram-bot-api" / "api.json"
USER = 100500
KEYBOARD = json.dumps({"inline_keyboard": [[{"text": "Да", "callback_data": "yes"}]]})


def send(api: FakeBotAPI, method: str = "sendMessage", **params: Any) -> Any:
    """A request as aiogram's multipart form would carry it: every value a string."""
    wire = {k: v if isinstance(v, str | UploadedFile) else json.dumps(v) for k, v in params.items()}
    return api.handle(method, wire)


def rejected(api: FakeBotAPI, method: str = "sendMessage", **params: Any) -> TelegramError:
    with pytest.raises(TelegramError) as caught:
        send(api, method, **params)
    return caught.value


async def eventually(condition: Callable[[], bool]) -> None:
    """Poll a condition the fake has no event for (webhook attempts, pending updates)."""
    for _ in range(300):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("condition not met within 3 s")


def button_markup(**button: Any) -> str:
    return json.dumps({"inline_keyboard": [[button]]})


# -- the derived schema ---------------------------------------------------------------------------


def test_schema_keeps_the_documented_limits() -> None:
    schema = load_schema()
    text = schema.methods["sendMessage"]["text"]
    assert (text["min_len"], text["max_len"], text.get("parsed_by")) == (1, 4096, "parse_mode")
    assert schema.methods["editMessageText"]["text"]["max_len"] == 4096
    assert schema.methods["sendDocument"]["caption"]["max_len"] == 1024
    data = schema.types["InlineKeyboardButton"]["callback_data"]
    assert (data["min_len"], data["max_len"], data["len_unit"]) == (1, 64, "bytes")
    assert schema.methods["answerCallbackQuery"]["text"]["max_len"] == 200
    assert schema.methods["setMyCommands"]["commands"]["max_items"] == 100
    command = schema.types["BotCommand"]["command"]
    assert (command["min_len"], command["max_len"], command["pattern"]) == (1, 32, "[a-z0-9_]+")
    assert schema.types["BotCommand"]["description"]["max_len"] == 256
    assert schema.types["BotCommandScopeChat"]["type"]["const"] == "chat"
    assert "BotCommandScopeChat" in schema.subtypes["BotCommandScope"]


def test_every_type_the_schema_mentions_is_defined() -> None:
    schema = load_schema()
    known = set(schema.types) | {"Integer", "String", "Boolean", "Float", "True", "InputFile"}
    specs = [
        s for group in (schema.methods, schema.types) for m in group.values() for s in m.values()
    ]
    assert len(specs) > 2000
    for spec in specs:
        for kind in spec["types"]:
            assert kind.removeprefix("Array of ").removeprefix("Array of ") in known, kind


@pytest.mark.skipif(not SPEC.exists(), reason="the Bot API spec is not in this workspace")
def test_committed_schema_is_up_to_date_with_the_spec() -> None:
    loader = importlib.util.spec_from_file_location(
        "derive", ROOT / "tools/derive_bot_api_schema.py"
    )
    assert loader is not None and loader.loader is not None
    derive = importlib.util.module_from_spec(loader)
    loader.loader.exec_module(derive)
    api = json.loads(SPEC.read_text(encoding="utf-8"))
    fresh = derive.derive(api, derive.SOURCE)
    committed = json.loads((ROOT / "tests/fake_telegram/bot_api_schema.json").read_text())
    assert fresh == committed, "run tools/derive_bot_api_schema.py"


# -- request validation ---------------------------------------------------------------------------


def test_unknown_method_is_404_and_a_violation() -> None:
    api = FakeBotAPI()
    error = rejected(api, "sendMesage", chat_id=USER, text="hi")
    assert error.code == 404
    assert api.violations == ["sendMesage: unknown method"]


def test_method_names_are_case_insensitive() -> None:
    api = FakeBotAPI()
    send(api, "sendmessage", chat_id=USER, text="hi")
    assert api.calls[-1].method == "sendMessage" and api.violations == []


def test_missing_required_parameter() -> None:
    api = FakeBotAPI()
    error = rejected(api, text="hi")
    assert (error.code, error.description) == (400, "Bad Request: chat_id is empty")
    assert api.violations == ["sendMessage: chat_id: required parameter is missing"]


def test_unknown_parameter() -> None:
    api = FakeBotAPI()
    rejected(api, chat_id=USER, text="hi", reply_murkup=KEYBOARD)
    assert api.violations == ["sendMessage: reply_murkup: unknown parameter"]


@pytest.mark.parametrize(
    ("params", "problem"),
    [
        ({"chat_id": "not-a-chat", "text": "hi"}, "chat_id: a chat username must start with @"),
        ({"chat_id": USER, "text": "hi", "disable_notification": "maybe"}, "expected Boolean"),
        ({"chat_id": USER, "text": "hi", "message_thread_id": "1.5"}, "expected Integer"),
        ({"chat_id": USER, "text": "hi", "reply_markup": "[1, 2]"}, "reply_markup: expected"),
        ({"chat_id": USER, "text": "hi", "parse_mode": "html5"}, "unsupported parse mode"),
    ],
)
def test_wrong_types(params: dict[str, Any], problem: str) -> None:
    api = FakeBotAPI()
    rejected(api, **params)
    assert len(api.violations) == 1 and problem in api.violations[0], api.violations


def test_nested_objects_are_checked_field_by_field() -> None:
    api = FakeBotAPI()
    markup = {"inline_keyboard": [[{"text": "a", "callback_data": "a", "colour": "red"}]]}
    rejected(api, chat_id=USER, text="hi", reply_markup=markup)
    assert api.violations == [
        "sendMessage: reply_markup.inline_keyboard[0][0].colour: unknown field"
    ]
    api.violations.clear()
    rejected(api, chat_id=USER, text="hi", link_preview_options={"is_disabled": "yes"})
    assert "link_preview_options.is_disabled: expected Boolean" in api.violations[0]
    api.violations.clear()
    rejected(api, chat_id=USER, text="hi", reply_parameters={"chat_id": USER})
    assert api.violations == ["sendMessage: reply_parameters.message_id: required field is missing"]


def test_text_length_limit() -> None:
    api = FakeBotAPI()
    send(api, chat_id=USER, text="я" * 4096)
    # Telegram counts the text after parsing: tags do not count.
    send(api, chat_id=USER, text="<b>" + "x" * 4096 + "</b>", parse_mode="HTML")
    assert api.violations == []
    error = rejected(api, chat_id=USER, text="x" * 4097)
    assert error.description == "Bad Request: message is too long"
    assert api.violations == ["sendMessage: text: must be 1-4096 characters, got 4097"]


def test_empty_text_and_caption_limit() -> None:
    api = FakeBotAPI()
    assert rejected(api, chat_id=USER, text="<b> </b>", parse_mode="HTML").description == (
        "Bad Request: message text is empty"
    )
    error = rejected(
        api, "sendPhoto", chat_id=USER, photo="https://x.org/a.jpg", caption="c" * 1025
    )
    assert error.description == "Bad Request: message caption is too long"


def test_edit_message_text_limit() -> None:
    api = FakeBotAPI()
    sent = send(api, chat_id=USER, text="hi")
    rejected(api, "editMessageText", chat_id=USER, message_id=sent["message_id"], text="x" * 4097)
    assert api.violations == ["editMessageText: text: must be 1-4096 characters, got 4097"]


def test_edit_needs_a_message_or_inline_id() -> None:
    api = FakeBotAPI()
    rejected(api, "editMessageText", text="hi")
    assert "editMessageText: chat_id: required parameter is missing" in api.violations
    assert "editMessageText: inline_message_id: required parameter is missing" in api.violations


def test_html_is_parsed_like_telegram() -> None:
    api = FakeBotAPI()
    error = rejected(api, chat_id=USER, text="price < 5", parse_mode="HTML")
    assert error.description == (
        'Bad Request: can\'t parse entities: Unsupported start tag "" at byte offset 6'
    )
    rejected(api, chat_id=USER, text="<b>bold</i>", parse_mode="HTML")
    assert 'expected "</b>", found "</i>"' in api.violations[-1]
    result = send(api, chat_id=USER, text="<b>Жирный</b> &amp; <i>x</i>", parse_mode="HTML")
    assert result["text"] == "Жирный & x"
    assert [e["type"] for e in result["entities"]] == ["bold", "italic"]


def test_markup_parser_reports_tdlib_errors() -> None:
    assert parse("  <a href='https://t.me'>t</a>  ", "HTML").text == "t"
    assert parse("😀<b>x</b>", "HTML").entities == [{"offset": 2, "length": 1, "type": "bold"}]
    for bad, message in [
        ("<b>x", 'Can\'t find end tag corresponding to start tag "b"'),
        ("</b>", "Unexpected end tag at byte offset 0"),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler"'),
        ("<p>x</p>", 'Unsupported start tag "p"'),
    ]:
        with pytest.raises(MarkupError, match=message):
            parse(bad, "HTML")


def test_callback_data_is_limited_to_64_bytes() -> None:
    api = FakeBotAPI()
    send(api, chat_id=USER, text="a", reply_markup=button_markup(text="b", callback_data="x" * 64))
    # 32 Cyrillic letters are 64 bytes in UTF-8: allowed; 33 are 66 bytes: not.
    send(api, chat_id=USER, text="a", reply_markup=button_markup(text="b", callback_data="ж" * 32))
    assert api.violations == []
    error = rejected(
        api, chat_id=USER, text="a", reply_markup=button_markup(text="b", callback_data="x" * 65)
    )
    assert error.description == "Bad Request: BUTTON_DATA_INVALID"
    rejected(
        api, chat_id=USER, text="a", reply_markup=button_markup(text="b", callback_data="ж" * 33)
    )
    assert api.violations == [
        "sendMessage: reply_markup.inline_keyboard[0][0].callback_data: must be 1-64 bytes, got 65",
        "sendMessage: reply_markup.inline_keyboard[0][0].callback_data: must be 1-64 bytes, got 66",
    ]


def test_inline_buttons_need_text_and_exactly_one_action() -> None:
    api = FakeBotAPI()
    rejected(api, chat_id=USER, text="a", reply_markup=button_markup(text="", callback_data="x"))
    rejected(api, chat_id=USER, text="a", reply_markup=button_markup(text="no action"))
    rejected(
        api,
        chat_id=USER,
        text="a",
        reply_markup=button_markup(text="two", callback_data="x", url="https://t.me"),
    )
    assert [v.split(": ", 2)[-1] for v in api.violations] == [
        "button text must not be empty",
        "exactly one of the button actions must be set, got none",
        "exactly one of the button actions must be set, got ['callback_data', 'url']",
    ]


def test_valid_message_with_inline_keyboard_passes() -> None:
    api = FakeBotAPI()
    result = send(api, chat_id=USER, text="Выберите", reply_markup=KEYBOARD)
    assert api.violations == []
    message = Message.model_validate(result)
    assert message.chat.id == USER and message.text == "Выберите"
    assert message.reply_markup is not None
    assert message.reply_markup.inline_keyboard[0][0].callback_data == "yes"
    assert message.from_user is not None and message.from_user.username == "tos_test_bot"
    second = send(api, chat_id=USER, text="again")
    assert second["message_id"] == result["message_id"] + 1


def test_reply_markup_union_picks_the_matching_keyboard() -> None:
    api = FakeBotAPI()
    keyboard = {
        "keyboard": [[{"text": "Телефон", "request_contact": True}]],
        "resize_keyboard": True,
    }
    send(api, chat_id=USER, text="a", reply_markup=keyboard)
    send(api, chat_id=USER, text="a", reply_markup={"remove_keyboard": True})
    send(api, chat_id=USER, text="a", reply_markup={"force_reply": True})
    assert api.violations == []
    rejected(api, chat_id=USER, text="a", reply_markup={"keyboard": [[{"text": ""}]]})
    assert api.violations == [
        "sendMessage: reply_markup.keyboard[0][0].text: button text must not be empty"
    ]


def test_answer_callback_query_text_limit() -> None:
    api = FakeBotAPI()
    send(api, "answerCallbackQuery", callback_query_id="1", text="я" * 200)
    rejected(api, "answerCallbackQuery", callback_query_id="2", text="я" * 201)
    assert api.violations == ["answerCallbackQuery: text: must be 0-200 characters, got 201"]


@pytest.mark.parametrize(
    ("commands", "scope", "problem"),
    [
        ([{"command": f"c{i}", "description": "d"} for i in range(101)], None, "must have 0-100"),
        ([{"command": "Start", "description": "d"}], None, "does not match [[a-z0-9_]+]"),
        ([{"command": "c" * 33, "description": "d"}], None, "must be 1-32 characters, got 33"),
        ([{"command": "start", "description": ""}], None, "description: must not be empty"),
        ([{"command": "start", "description": "d" * 257}], None, "must be 1-256 characters"),
        ([{"command": "start"}], None, "description: required field is missing"),
        ([{"command": "start", "description": "d"}], {"type": "chat"}, "scope.chat_id: required"),
        (
            [{"command": "start", "description": "d"}],
            {"type": "everyone"},
            "unknown BotCommandScope",
        ),
        (
            [{"command": "start", "description": "d"}],
            {"type": "default", "chat_id": 1},
            "unknown field",
        ),
    ],
)
def test_set_my_commands_limits(
    commands: list[dict[str, str]], scope: dict[str, Any] | None, problem: str
) -> None:
    api = FakeBotAPI()
    params: dict[str, Any] = {"commands": commands}
    if scope is not None:
        params["scope"] = scope
    rejected(api, "setMyCommands", **params)
    assert len(api.violations) == 1 and problem in api.violations[0], api.violations


def test_set_my_commands_valid_scope_and_get_back() -> None:
    api = FakeBotAPI()
    commands = [{"command": "start", "description": "Начать"}]
    scope = {"type": "chat", "chat_id": USER}
    assert send(api, "setMyCommands", commands=commands, scope=scope, language_code="ru") is True
    assert send(api, "getMyCommands", scope=scope, language_code="ru") == commands
    assert send(api, "getMyCommands") == []
    assert api.violations == []


def test_plain_json_body_is_accepted() -> None:
    api = FakeBotAPI()
    body = {
        "chat_id": USER,
        "text": "hi",
        "disable_notification": True,
        "reply_markup": None,
        "reply_markup_unused": None,
    }
    result = api.handle("sendMessage", body)
    assert result["text"] == "hi" and api.violations == []
    assert api.calls[-1].params == {"chat_id": USER, "text": "hi", "disable_notification": True}


def test_legacy_parameters_aiogram_still_sends_are_accepted() -> None:
    api = FakeBotAPI()
    send(
        api,
        chat_id=USER,
        text="hi",
        disable_web_page_preview="true",
        reply_to_message_id="1",
        allow_sending_without_reply="true",
    )
    assert api.violations == []
    rejected(api, "answerCallbackQuery", callback_query_id="1", disable_web_page_preview="true")


def test_input_files_come_as_multipart_parts() -> None:
    api = FakeBotAPI()
    upload = UploadedFile("report.pdf", b"%PDF-1.4")
    result = send(api, "sendDocument", chat_id=USER, document="attach://f1", f1=upload)
    assert result["document"]["file_name"] == "report.pdf"
    assert result["document"]["mime_type"] == "application/pdf"
    assert api.calls[-1].params["document"] is upload
    # Sending it again by file_id works; an unknown file_id does not.
    send(api, "sendDocument", chat_id=USER, document=result["document"]["file_id"])
    assert api.violations == []
    assert (
        "wrong file identifier"
        in rejected(api, "sendDocument", chat_id=USER, document="nope").description
    )
    rejected(api, "sendDocument", chat_id=USER, document="attach://missing")
    rejected(api, chat_id=USER, text=UploadedFile("a.txt", b"x"))
    rejected(api, chat_id=USER, text="x", stray=UploadedFile("a.txt", b"x"))
    assert [v.split(": ", 1)[1] for v in api.violations] == [
        "document: no file part named 'missing'",
        "text: got a file upload, expected String",
        "stray: unknown parameter (an unreferenced file part)",
    ]


# -- behaviour beyond the schema ------------------------------------------------------------------


def test_fail_next_injects_errors_that_are_not_violations() -> None:
    api = FakeBotAPI()
    api.fail_next("sendMessage", 429, "Too Many Requests: retry after 3", retry_after=3)
    api.fail_next("sendMessage", 403, "Forbidden: bot was blocked by the user")
    error = rejected(api, chat_id=USER, text="hi")
    assert (error.code, error.retry_after) == (429, 3)
    assert error.response()["parameters"] == {"retry_after": 3}
    assert rejected(api, chat_id=USER, text="hi").code == 403
    send(api, chat_id=USER, text="hi")
    assert api.violations == [] and len(api.errors) == 2


def test_blocked_user_gets_403() -> None:
    api = FakeBotAPI()
    api.block(USER)
    assert rejected(api, chat_id=USER, text="hi").code == 403
    assert api.violations == []


def test_unknown_chat_needs_a_first_message_when_asked() -> None:
    api = FakeBotAPI(require_known_chats=True)
    assert rejected(api, chat_id=USER, text="hi").code == 403
    api.updates.message(USER, "/start")
    send(api, chat_id=USER, text="hi")


def test_edits_follow_telegram_rules() -> None:
    api = FakeBotAPI()
    sent = send(api, chat_id=USER, text="Вопрос", reply_markup=KEYBOARD)
    mid = sent["message_id"]
    same = rejected(
        api, "editMessageText", chat_id=USER, message_id=mid, text="Вопрос", reply_markup=KEYBOARD
    )
    assert same.description.startswith("Bad Request: message is not modified")
    # Editing the text without reply_markup drops the inline keyboard.
    edited = send(api, "editMessageText", chat_id=USER, message_id=mid, text="Ответ")
    assert "reply_markup" not in edited and api.buttons(USER) == []
    send(api, "editMessageReplyMarkup", chat_id=USER, message_id=mid, reply_markup=KEYBOARD)
    assert api.buttons(USER) == [("Да", "yes")]
    assert rejected(api, "editMessageText", chat_id=USER, message_id=999, text="x").description == (
        "Bad Request: message to edit not found"
    )
    assert send(api, "deleteMessage", chat_id=USER, message_id=mid) is True
    assert rejected(api, "deleteMessage", chat_id=USER, message_id=mid).code == 400
    assert send(api, "editMessageText", inline_message_id="abc", text="x") is True
    assert api.violations == []


def test_callback_query_can_be_answered_once() -> None:
    api = FakeBotAPI()
    send(api, chat_id=USER, text="Вопрос", reply_markup=KEYBOARD)
    query_id = api.updates.callback(USER, "yes")["callback_query"]["id"]
    assert send(api, "answerCallbackQuery", callback_query_id=query_id) is True
    assert (
        "query is too old"
        in rejected(api, "answerCallbackQuery", callback_query_id=query_id).description
    )


def test_results_for_other_methods() -> None:
    api = FakeBotAPI()
    assert send(api, "sendChatAction", chat_id=USER, action="typing") is True
    assert send(api, "setChatMenuButton", menu_button={"type": "commands"}) is True
    assert send(api, "deleteMyCommands") is True
    source = send(api, chat_id=USER, text="original")
    copied = send(api, "copyMessage", chat_id=7, from_chat_id=USER, message_id=source["message_id"])
    assert copied == {"message_id": 1} and api.last_text(7) == "original"
    api.respond(
        "getChat",
        {
            "id": USER,
            "type": "private",
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {},
        },
    )
    assert send(api, "getChat", chat_id=USER)["id"] == USER
    assert api.violations == []


def test_fabricated_results_match_the_schema() -> None:
    api = FakeBotAPI()
    schema = api.schema
    upload = UploadedFile("a.png", b"png")
    text = send(api, chat_id=USER, text="<i>hi</i>", parse_mode="HTML", reply_markup=KEYBOARD)
    results = {
        "User": [send(api, "getMe")],
        "Message": [
            text,
            send(api, "sendPhoto", chat_id=USER, photo="attach://p", p=upload, caption="c"),
            send(api, "sendDocument", chat_id=USER, document="attach://d", d=upload),
            send(api, "sendLocation", chat_id=USER, latitude=55.75, longitude=37.62),
            send(api, "editMessageText", chat_id=USER, message_id=text["message_id"], text="x"),
        ],
        "MessageId": [send(api, "copyMessage", chat_id=1, from_chat_id=USER, message_id=1)],
        "WebhookInfo": [send(api, "getWebhookInfo")],
        "File": [send(api, "getFile", file_id="fake-photos-1")],
    }
    for type_name, values in results.items():
        for value in values:
            assert schema.check_object(type_name, value) == [], (type_name, value)
    assert api.violations == []


# -- updates and queries --------------------------------------------------------------------------


def test_update_factory_builds_valid_updates() -> None:
    api = FakeBotAPI()
    factory = api.updates
    send(api, chat_id=USER, text="Вопрос", reply_markup=KEYBOARD)
    updates = [
        factory.message(USER, "/start ref42", first_name="Анна"),
        factory.message(USER, "Привет", language_code="en"),
        factory.sticker(USER),
        factory.photo(USER, caption="фото"),
        factory.document(USER, file_name="act.pdf"),
        factory.contact(USER, "+79001234567"),
        factory.contact(USER, "79001234567", own=False, contact_user_id=5),
        factory.callback(USER, "yes"),
        factory.press(USER, "Да"),
    ]
    for update in updates:
        assert load_schema().check_object("Update", update) == [], update
        Update.model_validate(update)
    ids = [u["update_id"] for u in updates]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    first = updates[0]["message"]
    assert first["entities"] == [{"type": "bot_command", "offset": 0, "length": 6}]
    assert first["from"]["language_code"] == "ru" and first["chat"]["first_name"] == "Анна"
    # One message id sequence per chat, shared with the bot's messages (the bot sent #1).
    assert [u["message"]["message_id"] for u in updates[:3]] == [2, 3, 4]
    assert updates[5]["message"]["contact"]["user_id"] == USER
    assert updates[6]["message"]["contact"]["user_id"] == 5
    query = updates[7]["callback_query"]
    assert query["message"]["message_id"] == 1 and query["data"] == "yes"
    assert updates[8]["callback_query"]["data"] == "yes"


def test_callback_refuses_buttons_nobody_could_press() -> None:
    api = FakeBotAPI()
    send(api, chat_id=USER, text="Вопрос", reply_markup=KEYBOARD)
    with pytest.raises(ValueError, match="no message"):
        api.updates.callback(USER, "no")
    with pytest.raises(ValueError, match="no inline button"):
        api.updates.press(USER, "Нет")
    stale = api.updates.callback(USER, "old", 77, check=False)
    assert stale["callback_query"]["message"]["message_id"] == 77


def test_sent_to_last_text_and_buttons() -> None:
    api = FakeBotAPI()
    send(api, chat_id=USER, text="<b>Привет</b>", parse_mode="HTML", reply_markup=KEYBOARD)
    keyboard = {"keyboard": [[{"text": "Отправить телефон", "request_contact": True}]]}
    send(api, chat_id=USER, text="Телефон?", reply_markup=keyboard)
    send(api, chat_id=7, text="другой чат")
    sent = api.sent_to(USER)
    assert [(s.method, s.text, s.raw_text) for s in sent] == [
        ("sendMessage", "Привет", "<b>Привет</b>"),
        ("sendMessage", "Телефон?", "Телефон?"),
    ]
    assert sent[0].reply_markup == json.loads(KEYBOARD)
    assert api.last_text(USER) == "Телефон?"
    assert api.buttons(USER) == [("Да", "yes")]
    assert api.reply_buttons(USER) == [{"text": "Отправить телефон", "request_contact": True}]
    send(api, chat_id=USER, text="Спасибо", reply_markup={"remove_keyboard": True})
    assert api.reply_buttons(USER) == []


async def test_wait_for_resolves_on_a_later_call() -> None:
    api = FakeBotAPI()
    send(api, chat_id=USER, text="before")

    async def later() -> None:
        await asyncio.sleep(0.05)
        send(api, chat_id=USER, text="after")

    task = asyncio.create_task(later())
    call = await api.wait_for(lambda c: c.params.get("text") == "after", timeout=2, since=1)
    assert call.result["text"] == "after"
    await task
    with pytest.raises(TimeoutError, match="no matching call"):
        await api.wait_for(lambda c: c.method == "sendPhoto", timeout=0.05)


# -- RecordingSession -----------------------------------------------------------------------------


@pytest.fixture
async def bot() -> AsyncIterator[Bot]:
    bot = Bot(token="42:TEST", session=RecordingSession(FakeBotAPI()))
    yield bot
    await bot.session.close()


def fake_of(bot: Bot) -> FakeBotAPI:
    assert isinstance(bot.session, RecordingSession)
    return bot.session.fake


async def test_recording_session_with_a_real_bot(bot: Bot) -> None:
    api = fake_of(bot)
    inline = InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text="Да", callback_data="consent:yes")]]
    )
    message = await bot.send_message(USER, "Согласны?", reply_markup=inline)
    assert message.reply_markup is not None
    assert message.reply_markup.model_dump() == inline.model_dump()
    contact_keyboard = ReplyKeyboardMarkup(
        keyboard=[[KeyboardButton(text="Поделиться телефоном", request_contact=True)]],
        resize_keyboard=True,
        one_time_keyboard=True,
    )
    await bot.send_message(USER, "Телефон?", reply_markup=contact_keyboard)
    commands = [BotCommand(command="start", description="Начать")]
    assert await bot.set_my_commands(commands, scope=BotCommandScopeChat(chat_id=USER))
    update = Update.model_validate(api.updates.callback(USER, "consent:yes"), context={"bot": bot})
    assert update.callback_query is not None
    assert await bot.answer_callback_query(update.callback_query.id, text="Принято")
    document = await bot.send_document(
        USER, BufferedInputFile(b"col1;col2\n", filename="export.csv"), caption="Выгрузка"
    )
    assert document.document is not None and document.document.file_name == "export.csv"

    assert api.violations == []
    assert [c.method for c in api.calls] == [
        "sendMessage",
        "sendMessage",
        "setMyCommands",
        "answerCallbackQuery",
        "sendDocument",
    ]
    assert api.calls[1].params["reply_markup"]["keyboard"][0][0]["request_contact"] is True
    assert api.calls[2].params["scope"] == {"type": "chat", "chat_id": USER}
    upload = api.calls[4].params["document"]
    assert isinstance(upload, UploadedFile) and upload.content == b"col1;col2\n"
    downloaded = await bot.download(document.document.file_id)
    assert downloaded is not None and downloaded.read() == b"col1;col2\n"


async def test_a_dialog_through_a_dispatcher(bot: Bot) -> None:
    api = fake_of(bot)
    dp = Dispatcher()

    @dp.message(CommandStart())
    async def start(message: Message) -> None:
        keyboard = InlineKeyboardMarkup(
            inline_keyboard=[[InlineKeyboardButton(text="Согласен", callback_data="agree")]]
        )
        await message.answer("Согласие на обработку данных?", reply_markup=keyboard)

    @dp.callback_query(F.data == "agree")
    async def agree(query: CallbackQuery) -> None:
        await query.answer()
        assert isinstance(query.message, Message)
        await query.message.edit_text("Спасибо!")

    await dp.feed_raw_update(bot, api.updates.message(USER, "/start"))
    assert api.buttons(USER) == [("Согласен", "agree")]
    await dp.feed_raw_update(bot, api.updates.press(USER, "Согласен"))
    assert api.last_text(USER) == "Спасибо!" and api.buttons(USER) == []
    methods = [c.method for c in api.calls]
    assert methods == ["sendMessage", "answerCallbackQuery", "editMessageText"]
    assert api.violations == []


async def test_recording_session_raises_aiogram_errors(bot: Bot) -> None:
    api = fake_of(bot)
    with pytest.raises(TelegramBadRequest, match="message is too long"):
        await bot.send_message(USER, "x" * 4097)
    api.fail_next("sendMessage", 429, "Too Many Requests: retry after 5", retry_after=5)
    with pytest.raises(TelegramRetryAfter) as retry:
        await bot.send_message(USER, "hi")
    assert retry.value.retry_after == 5
    api.block(USER)
    with pytest.raises(TelegramForbiddenError):
        await bot.send_message(USER, "hi")
    assert api.violations == ["sendMessage: text: must be 1-4096 characters, got 4097"]


async def test_recording_session_serialises_like_aiohttp_session() -> None:
    api = FakeBotAPI()
    default = DefaultBotProperties(parse_mode="HTML", link_preview_is_disabled=True)
    bot = Bot(token="42:TEST", session=RecordingSession(api), default=default)
    wire = AiohttpSession()
    try:
        markup = InlineKeyboardMarkup(
            inline_keyboard=[[InlineKeyboardButton(text="a", url="https://t.me")]]
        )
        for method in (
            SendMessage(
                chat_id=USER, text="<b>x</b>", reply_markup=markup, disable_notification=False
            ),
            SendDocument(chat_id=USER, document=BufferedInputFile(b"x", filename="x.txt")),
        ):
            # File part names are random per request: compare them as a shape.
            def shape(fields: dict[str, Any]) -> dict[str, Any]:
                return {
                    k: "attach://*" if str(v).startswith("attach://") else v
                    for k, v in fields.items()
                    if isinstance(v, str)
                }

            form = wire.build_form_data(bot, method)
            sent = {options["name"]: value for options, _headers, value in form._fields}
            ours = await bot.session.build_params(bot, method)  # type: ignore[attr-defined]
            assert shape(ours) == shape(sent)
            assert len(ours) == len(sent)
            await bot(method)
    finally:
        await bot.session.close()
        await wire.close()
    assert api.violations == []


# -- FakeTelegramServer ---------------------------------------------------------------------------


@pytest.fixture
async def server() -> AsyncIterator[FakeTelegramServer]:
    async with FakeTelegramServer(retry_delay=0.05) as server:
        yield server


@asynccontextmanager
async def http_bot(server: FakeTelegramServer, token: str = DEFAULT_TOKEN) -> AsyncIterator[Bot]:
    session = AiohttpSession(api=TelegramAPIServer.from_base(server.base_url))
    try:
        yield Bot(token, session=session)
    finally:
        await session.close()


@asynccontextmanager
async def webhook_receiver(
    handler: Callable[[web.Request], Awaitable[web.StreamResponse]], port: int = 0
) -> AsyncIterator[str]:
    app = web.Application()
    app.router.add_post("/hook", handler)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", port))
    await web.SockSite(runner, sock).start()
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}/hook"
    finally:
        await runner.cleanup()


async def test_server_answers_a_real_bot(server: FakeTelegramServer) -> None:
    async with http_bot(server) as bot:
        me = await bot.get_me()
        assert (me.id, me.username) == (42, "tos_test_bot")
        sent = await bot.send_document(
            USER,
            BufferedInputFile(b"data", filename="r.txt"),
            caption="<b>Отчёт</b>",
            parse_mode="HTML",
        )
        assert sent.caption == "Отчёт" and sent.document is not None
        file = await bot.get_file(sent.document.file_id)
        assert file.file_path is not None
        downloaded = await bot.download_file(file.file_path)
        assert downloaded is not None and downloaded.read() == b"data"
        with pytest.raises(TelegramBadRequest, match="can't parse entities"):
            await bot.send_message(USER, "<b>unclosed", parse_mode="HTML")
    assert server.api.violations == [
        "sendMessage: text: can't parse entities: Can't find end tag corresponding to start tag "
        '"b"'
    ]


async def test_server_rejects_a_wrong_token(server: FakeTelegramServer) -> None:
    async with http_bot(server, token="42:WRONG-token-0123456789_abcdefghij") as bot:
        with pytest.raises(TelegramUnauthorizedError):
            await bot.get_me()
    assert server.api.violations == ["getMe: request with a wrong bot token"]


async def test_long_polling_delivers_and_confirms(server: FakeTelegramServer) -> None:
    api = server.api
    async with http_bot(server) as bot:
        poll = asyncio.create_task(bot.get_updates(timeout=5))
        await api.wait_for(lambda c: c.method == "getUpdates", timeout=2)
        server.push_update(api.updates.message(USER, "/start"))
        updates = await asyncio.wait_for(poll, 2)
        assert [u.message.text for u in updates if u.message] == ["/start"]
        # Not confirmed yet: a restarted bot (no offset) gets it again.
        again = await bot.get_updates(timeout=0)
        assert [u.update_id for u in again] == [updates[0].update_id]
        assert await bot.get_updates(offset=updates[0].update_id + 1, timeout=0) == []
        assert api.pending == []
        # limit and allowed_updates
        for text in ("a", "b", "c"):
            server.push_update(api.updates.message(USER, text))
        server.push_update(api.updates.callback(USER, "x", 1, check=False))
        two = await bot.get_updates(limit=2, timeout=0)
        assert [u.message.text for u in two if u.message] == ["a", "b"]
        only = await bot.get_updates(allowed_updates=["callback_query"], timeout=0)
        assert [u.callback_query.data for u in only if u.callback_query] == ["x"]
    assert api.violations == []


async def test_a_second_poller_terminates_the_first(server: FakeTelegramServer) -> None:
    async with http_bot(server) as old, http_bot(server) as new:
        stale = asyncio.create_task(old.get_updates(timeout=5))
        await server.api.wait_for(lambda c: c.method == "getUpdates", timeout=2)
        assert await new.get_updates(timeout=0) == []
        with pytest.raises(TelegramConflictError, match="terminated by other getUpdates"):
            await asyncio.wait_for(stale, 2)


async def test_stop_ends_pending_long_polls() -> None:
    server = FakeTelegramServer()
    await server.start()
    async with http_bot(server) as bot:
        poll = asyncio.create_task(bot.get_updates(timeout=30))
        await server.api.wait_for(lambda c: c.method == "getUpdates", timeout=2)
        await server.stop()
        assert await asyncio.wait_for(poll, 3) == []


async def test_webhook_delivery_retries_until_accepted(server: FakeTelegramServer) -> None:
    api = server.api
    seen: list[tuple[str | None, dict[str, Any]]] = []

    async def hook(request: web.Request) -> web.StreamResponse:
        seen.append((request.headers.get("X-Telegram-Bot-Api-Secret-Token"), await request.json()))
        if len(seen) <= 2:
            return web.Response(status=500)
        # aiogram can answer a webhook with a method call; Telegram executes it.
        return web.json_response({"method": "sendMessage", "chat_id": USER, "text": "pong"})

    async with webhook_receiver(hook) as url, http_bot(server) as bot:
        assert await bot.set_webhook(url, secret_token="s3cret_-token")
        with pytest.raises(TelegramConflictError):
            await bot.get_updates(timeout=0)
        first = api.updates.message(USER, "ping")
        second = api.updates.message(USER, "ping 2")
        server.push_update(first)
        server.push_update(second)
        await api.wait_for(lambda c: c.params.get("text") == "pong" and c.ok, timeout=3)
        await eventually(lambda: not api.pending)
        assert [s for s, _ in seen] == ["s3cret_-token"] * len(seen)
        assert [u["update_id"] for _, u in seen][:3] == [first["update_id"]] * 3
        assert [a.status for a in server.webhook_attempts][:3] == [500, 500, 200]
        info = await bot.get_webhook_info()
        assert (info.url, info.pending_update_count) == (url, 0)
        assert await bot.delete_webhook()
        assert await bot.get_updates(timeout=0) == []
    assert api.violations == []


async def test_webhook_waits_for_a_bot_that_is_not_up_yet(server: FakeTelegramServer) -> None:
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    got: list[int] = []

    async def hook(request: web.Request) -> web.StreamResponse:
        got.append((await request.json())["update_id"])
        return web.Response(text="{}", content_type="application/json")

    server.api.handle("setWebhook", {"url": f"http://127.0.0.1:{port}/hook"})
    update = server.api.updates.message(USER, "hi")
    server.push_update(update)
    await eventually(lambda: len(server.webhook_attempts) >= 3)  # the last may be in flight
    assert all(a.status is None and a.error for a in server.webhook_attempts[:2])
    assert server.api.handle("getWebhookInfo", {})["last_error_message"].startswith("Connection")
    async with webhook_receiver(hook, port):
        await eventually(lambda: bool(got))
    assert got == [update["update_id"]]
