"""A fake Telegram Bot API that rejects requests the way Telegram would, independent of transport.

`FakeBotAPI.handle(method, params)` takes parameters as they travel on the wire (multipart or
form strings, or a JSON body), checks them against the Bot API schema and Telegram's documented
limits, records the call, and returns a fabricated result aiogram can parse, or raises
`TelegramError`. Malformed requests are also appended to `violations`, which tests assert empty.

Beyond the schema it keeps just enough state to fail like Telegram at run time (these are
errors, not violations: a bot may handle them): editing or deleting a message that does not
exist, "message is not modified", a callback query answered twice, a blocked user, getUpdates
while a webhook is set or from two pollers at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import itertools
import mimetypes
import re
import time
import zlib
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, NoReturn
from urllib.parse import urlsplit

from .markup import parse, utf16_len
from .schema import ATTACH, Schema, UploadedFile, load_schema

ChatId = int | str
Producer = Callable[["Call"], Any]

BOT_USER: dict[str, Any] = {
    "id": 42,
    "is_bot": True,
    "first_name": "TOS Bot",
    "username": "tos_test_bot",
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}
NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly the "
    "same as a current content and reply markup of the message"
)
QUERY_TOO_OLD = "query is too old and response timeout expired or query ID is invalid"
# Update types Telegram leaves out unless allowed_updates asks for them.
OPT_IN_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})


_UPDATE_IDS = itertools.count(1)

# fail_next(method, DROPPED, ...): the connection drops with no answer (a network error).
DROPPED = 0


class TelegramError(Exception):
    """An error answer: HTTP status `code` and Telegram's `description`."""

    def __init__(self, code: int, description: str, *, retry_after: int | None = None) -> None:
        super().__init__(f"{code} {description}")
        self.code = code
        self.description = description
        self.retry_after = retry_after

    def response(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.code,
            "description": self.description,
        }
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


def bad_request(reason: str) -> TelegramError:
    return TelegramError(400, f"Bad Request: {reason}")


# Telegram's own wording for the violations bots hit most (some bots match on it); the
# detailed reason stays in `violations`.
TELEGRAM_WORDING = [
    (
        re.compile(r"(sendMessage|editMessageText): text: (required .*|must not be empty)"),
        "message text is empty",
    ),
    (
        re.compile(r"(sendMessage|editMessageText): text: must be \d+-\d+ char"),
        "message is too long",
    ),
    (re.compile(r"\w+: caption: must be \d+-\d+ char"), "message caption is too long"),
    (re.compile(r"\w+: .*callback_data: must be"), "BUTTON_DATA_INVALID"),
    (re.compile(r"\w+: chat_id: required parameter is missing"), "chat_id is empty"),
    (re.compile(r"\w+: [\w.\[\]]+: (can't parse entities: .*)"), r"\1"),
]


def telegram_wording(method: str, reason: str) -> str:
    """The description Telegram gives for a violation, where known."""
    for pattern, wording in TELEGRAM_WORDING:
        if match := pattern.match(f"{method}: {reason}"):
            return match.expand(wording)
    return reason


@dataclass
class Call:
    """One request: decoded params and its result or error (getUpdates is recorded on arrival)."""

    method: str
    params: dict[str, Any]
    result: Any = None
    error: TelegramError | None = None
    at: float = field(default_factory=time.monotonic)
    message: dict[str, Any] | None = None  # the message as this call left it (sends, edits)
    via: str | None = None  # which bot instance called (its API URL's path prefix), if told
    # File parts of the request by name (those referenced as attach://<name> inside values).
    uploads: dict[str, UploadedFile] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass(frozen=True)
class Sent:
    """A message the bot sent or edited, as a chat would show it."""

    method: str
    chat_id: ChatId
    message_id: int | None
    text: str | None  # visible text or caption, markup applied
    raw_text: str | None  # as the bot sent it
    reply_markup: dict[str, Any] | None
    call: Call


@dataclass
class StoredFile:
    file_id: str
    file_unique_id: str
    file_path: str
    content: bytes
    file_name: str | None = None
    mime_type: str | None = None

    def as_file(self) -> dict[str, Any]:
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": len(self.content),
            "file_path": self.file_path,
        }

    def as_document(self) -> dict[str, Any]:
        document = self.as_file()
        del document["file_path"]
        if self.file_name:
            document["file_name"] = self.file_name
        if self.mime_type:
            document["mime_type"] = self.mime_type
        return document

    def as_photo(self) -> list[dict[str, Any]]:
        """One PhotoSize (Telegram sends several; one is enough for a bot to pick from)."""
        size = {k: v for k, v in self.as_file().items() if k != "file_path"}
        return [{**size, "width": 1280, "height": 960}]


@dataclass
class Hold:
    """Calls of `method` answered only once `released` is set (or after `seconds`)."""

    method: str
    chat_id: ChatId | None
    times: int
    seconds: float | None
    released: asyncio.Event

    def matches(self, call: Call) -> bool:
        return call.method == self.method and (
            self.chat_id is None or call.params.get("chat_id") == self.chat_id
        )

    async def wait(self) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.released.wait(), self.seconds)


class FakeBotAPI:
    def __init__(self, schema: Schema | None = None, *, require_known_chats: bool = False) -> None:
        """`require_known_chats`: a private chat must have written to the bot first (as in
        Telegram, where a bot cannot start a conversation); off by default."""
        self.schema = schema or load_schema()
        self.bot_user = dict(BOT_USER)
        self.require_known_chats = require_known_chats
        self.calls: list[Call] = []
        self.violations: list[str] = []
        self.updates = UpdateFactory(self)
        self.users: dict[int, dict[str, Any]] = {}  # people seen in updates
        self.blocked: set[ChatId] = set()
        self.commands: dict[tuple[str, str], list[dict[str, Any]]] = {}
        # setChatMenuButton: per private chat (None: the bot's default button).
        self.menu_buttons: dict[ChatId | None, dict[str, Any]] = {}
        self.files: dict[str, StoredFile] = {}
        self.pending: list[dict[str, Any]] = []  # unconfirmed updates, oldest first
        self.allowed_updates: list[str] | None = None
        self.webhook_url = ""
        self.webhook_secret: str | None = None
        self.webhook_error: tuple[int, str] | None = None
        self._messages: dict[tuple[ChatId, int], dict[str, Any]] = {}
        self._last_message_id: dict[ChatId, int] = {}
        self._file_seq = itertools.count(1)
        self._groups = itertools.count(1)  # media_group_id of copied albums
        # Topics of forum supergroups: (chat id, message_thread_id) → name.
        self.forum_topics: dict[tuple[ChatId, int], str] = {}
        self._answered: set[str] = set()
        self._expired: set[str] = set()  # queries older than Telegram keeps (15 minutes)
        self._failures: dict[str, deque[TelegramError]] = {}
        self._custom: dict[str, Producer] = {}
        self._holds: list[Hold] = []
        self._changed = asyncio.Event()
        self._poller = 0  # the newest getUpdates; older ones get 409 Conflict
        self._release = 0  # bumped to end all long polls (server shutdown)
        self._producers: dict[str, Producer] = {
            "getMe": lambda _call: dict(self.bot_user),
            "getUpdates": self._get_updates,
            "setWebhook": self._set_webhook,
            "deleteWebhook": self._delete_webhook,
            "getWebhookInfo": self._get_webhook_info,
            "sendMessage": self._send_message,
            "sendDocument": self._send_document,
            "sendPhoto": self._send_photo,
            "sendMediaGroup": self._send_media_group,
            "copyMessage": self._copy_message,
            "copyMessages": self._copy_messages,
            "editMessageText": self._edit_text,
            "editMessageCaption": self._edit_caption,
            "editMessageReplyMarkup": self._edit_markup,
            "deleteMessage": self._delete_message,
            "answerCallbackQuery": self._answer_callback,
            "setMyCommands": self._set_commands,
            "deleteMyCommands": self._delete_commands,
            "getMyCommands": self._get_commands,
            "setChatMenuButton": self._set_menu_button,
            "getChatMenuButton": self._get_menu_button,
            "getFile": self._get_file,
            "createForumTopic": self._create_forum_topic,
            "deleteForumTopic": self._delete_forum_topic,
        }

    # -- requests -------------------------------------------------------------------------------

    def handle(self, method: str, params: Mapping[str, Any]) -> Any:
        """The result of one request, or TelegramError; getUpdates answers without waiting."""
        return self._complete(self._accept(method, params))

    async def handle_async(
        self, method: str, params: Mapping[str, Any], *, via: str | None = None
    ) -> Any:
        """Like handle, but getUpdates long-polls for its `timeout`."""
        call = self._accept(method, params)
        call.via = via
        hold = next((h for h in self._holds if h.matches(call)), None)
        if hold is not None:
            hold.times -= 1
            if hold.times == 0:
                self._holds.remove(hold)
            await hold.wait()
        if call.method == "getUpdates":
            try:
                await self._long_poll(call)
            except TelegramError as e:
                call.error = e
                self._tick()
                raise
        return self._complete(call)

    def _accept(self, method: str, params: Mapping[str, Any]) -> Call:
        name = self.schema.method_name(method)
        if name is None:
            self._reject(
                Call(method, dict(params)), TelegramError(404, "Not Found"), "unknown method"
            )
        decoded, errors = self.schema.check_params(name, params)
        uploads = {k: v for k, v in params.items() if isinstance(v, UploadedFile)}
        call = Call(name, decoded, uploads=uploads)
        if errors:
            self._reject(call, bad_request(telegram_wording(name, errors[0])), *errors)
        self.calls.append(call)
        self._tick()
        return call

    def _reject(self, call: Call, error: TelegramError, *reasons: str) -> NoReturn:
        call.error = error
        self.calls.append(call)
        self.violations.extend(f"{call.method}: {reason}" for reason in reasons)
        self._tick()
        raise error

    def _complete(self, call: Call) -> Any:
        try:
            failures = self._failures.get(call.method)
            if failures:
                raise failures.popleft()
            self._check_chat(call)
            producer = self._custom.get(call.method) or self._producers.get(call.method)
            result = producer(call) if producer else self._default_result(call)
        except TelegramError as e:
            call.error = e
            raise
        finally:
            self._tick()
        call.result = result
        return copy.deepcopy(result)

    def _default_result(self, call: Call) -> Any:
        returns = self.schema.returns.get(call.method, [])
        if "Message" in returns and "chat_id" in call.params:
            return self._new_message(call, call.params["chat_id"], self._caption(call.params))
        if returns and returns[0].startswith("Array of"):
            return []
        return True  # Boolean methods; others need respond() to give a parseable result

    def _check_chat(self, call: Call) -> None:
        chat_id = call.params.get("chat_id")
        if chat_id is None:
            return
        if chat_id in self.blocked:
            raise TelegramError(403, "Forbidden: bot was blocked by the user")
        private = isinstance(chat_id, int) and chat_id > 0
        if self.require_known_chats and private and chat_id not in self.users:
            raise TelegramError(403, "Forbidden: bot can't initiate conversation with a user")

    def _tick(self) -> None:
        """Wake everyone waiting for a change (wait_for, long polls, webhook delivery)."""
        self._changed.set()
        self._changed = asyncio.Event()

    # -- test controls --------------------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        code: int,
        description: str,
        retry_after: int | None = None,
        *,
        times: int = 1,
    ) -> None:
        """Answer the next `times` valid calls of `method` with this error, e.g.
        fail_next("sendMessage", 429, "Too Many Requests: retry after 3", retry_after=3)."""
        name = self.schema.method_name(method) or method
        error = TelegramError(code, description, retry_after=retry_after)
        self._failures.setdefault(name, deque()).extend([error] * times)

    def expire_query(self, query_id: str) -> None:
        """The press waited too long (the bot was down): its answer gets "query is too old"."""
        self._expired.add(query_id)

    def hold(
        self,
        method: str,
        chat_id: ChatId | None = None,
        *,
        times: int = 1,
        seconds: float | None = None,
    ) -> asyncio.Event:
        """Keep the next `times` calls of `method` (to `chat_id`, if given) unanswered until
        the returned event is set (or `seconds` pass): a request in flight. The call is
        recorded at once, so a test can wait for it; over HTTP the server answers after it."""
        name = self.schema.method_name(method) or method
        hold = Hold(name, chat_id, times, seconds, asyncio.Event())
        self._holds.append(hold)
        return hold.released

    def respond(self, method: str, result: Any) -> None:
        """Answer `method` with `result`, or with result(call) if it is callable."""
        name = self.schema.method_name(method) or method
        self._custom[name] = result if callable(result) else lambda _call: copy.deepcopy(result)

    def block(self, chat_id: ChatId) -> None:
        """The user blocks the bot: every request to their chat gets 403."""
        self.blocked.add(chat_id)

    def add_file(
        self,
        content: bytes,
        *,
        kind: str = "documents",
        file_name: str | None = None,
        mime_type: str | None = None,
        file_id: str | None = None,
    ) -> StoredFile:
        """A file Telegram stores (an upload, or one a user sent); getFile and downloads see it."""
        n = next(self._file_seq)
        file_id = file_id or f"fake-{kind}-{n}"
        suffix = file_name.rsplit(".", 1)[-1] if file_name and "." in file_name else "bin"
        if mime_type is None and file_name:
            mime_type = mimetypes.guess_type(file_name)[0]
        stored = StoredFile(
            file_id, f"uniq{n}", f"{kind}/file_{n}.{suffix}", content, file_name, mime_type
        )
        self.files[file_id] = stored
        return stored

    def file_by_path(self, file_path: str) -> StoredFile | None:
        return next((f for f in self.files.values() if f.file_path == file_path), None)

    def push_update(self, update: Mapping[str, Any]) -> None:
        """Queue an update for getUpdates or webhook delivery."""
        queued = copy.deepcopy(dict(update))
        queued.setdefault("update_id", self.updates.next_update_id())
        self.pending.append(queued)
        self.pending.sort(key=lambda u: int(u["update_id"]))
        self._tick()

    def interrupt_polls(self) -> None:
        """End every pending long poll now (with no updates)."""
        self._release += 1
        self._tick()

    # -- queries for tests ----------------------------------------------------------------------

    @property
    def errors(self) -> list[Call]:
        """Calls answered with an error, violations or not."""
        return [call for call in self.calls if call.error is not None]

    def sent_to(self, chat_id: ChatId) -> list[Sent]:
        """Messages the bot sent or edited in a chat, oldest first."""
        sent = []
        for call in self.calls:
            if call.ok and call.message is not None and call.params.get("chat_id") == chat_id:
                raw = call.params.get("text", call.params.get("caption"))
                markup = call.params.get("reply_markup")
                sent.append(
                    Sent(
                        method=call.method,
                        chat_id=chat_id,
                        message_id=call.message["message_id"],
                        text=call.message.get("text", call.message.get("caption")),
                        raw_text=raw,
                        reply_markup=markup,
                        call=call,
                    )
                )
        return sent

    def last_text(self, chat_id: ChatId) -> str | None:
        sent = self.sent_to(chat_id)
        return sent[-1].text if sent else None

    def message(self, chat_id: ChatId, message_id: int) -> dict[str, Any] | None:
        """The current state of a message in a chat (None once deleted)."""
        message = self._messages.get((chat_id, message_id))
        return copy.deepcopy(message) if message else None

    def keyboard_message(
        self, chat_id: ChatId, where: Callable[[dict[str, Any]], bool] = lambda _b: True
    ) -> dict[str, Any] | None:
        """The newest message in the chat with an inline button that satisfies `where`."""
        for (chat, _id), message in sorted(self._messages.items(), key=lambda kv: -kv[0][1]):
            rows = message.get("reply_markup", {}).get("inline_keyboard", [])
            if chat == chat_id and any(where(b) for row in rows for b in row):
                return copy.deepcopy(message)
        return None

    def buttons(self, chat_id: ChatId) -> list[tuple[str, str | None]]:
        """(text, callback_data) of the inline buttons on the newest message that has some."""
        message = self.keyboard_message(chat_id)
        if message is None:
            return []
        rows = message["reply_markup"]["inline_keyboard"]
        return [(b["text"], b.get("callback_data")) for row in rows for b in row]

    def reply_buttons(self, chat_id: ChatId) -> list[dict[str, Any]]:
        """Buttons of the reply keyboard the chat shows now ([] if none or removed)."""
        for sent in reversed(self.sent_to(chat_id)):
            markup = sent.reply_markup or {}
            if "keyboard" in markup:
                return [button for row in markup["keyboard"] for button in row]
            if "remove_keyboard" in markup:
                return []
        return []

    async def wait_for(
        self,
        predicate: Callable[[Call], bool],
        timeout: float = 10.0,
        *,
        since: int = 0,
    ) -> Call:
        """The first call from index `since` on satisfying `predicate`, waiting for it."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            changed = self._changed
            # Rescan: a getUpdates call gets its result after it was recorded.
            for call in self.calls[since:]:
                if predicate(call):
                    return call
            remaining = deadline - loop.time()
            if remaining <= 0:
                recent = [f"{c.method}{'' if c.ok else ' (error)'}" for c in self.calls[-8:]]
                raise TimeoutError(f"no matching call in {timeout}s; recent calls: {recent}")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(changed.wait(), remaining)

    # -- updates --------------------------------------------------------------------------------

    def next_message_id(self, chat_id: ChatId) -> int:
        """Message ids grow per chat, shared by the bot's and the user's messages."""
        self._last_message_id[chat_id] = self._last_message_id.get(chat_id, 0) + 1
        return self._last_message_id[chat_id]

    def remember(self, message: Mapping[str, Any]) -> None:
        """Note a message a user sent (so it can be copied, replied to, deleted) and its author."""
        stored = copy.deepcopy(dict(message))
        self._messages[(stored["chat"]["id"], stored["message_id"])] = stored
        if "from" in stored:
            self.users[stored["from"]["id"]] = stored["from"]

    def _wanted_types(self) -> set[str]:
        if self.allowed_updates:
            return set(self.allowed_updates)
        return set(self.schema.types["Update"]) - {"update_id"} - OPT_IN_UPDATES

    def _deliverable(self) -> list[dict[str, Any]]:
        # Telegram never queues updates of types the bot did not ask for.
        wanted = self._wanted_types()
        self.pending = [u for u in self.pending if set(u) - {"update_id"} <= wanted]
        return self.pending

    def _apply_offset(self, params: Mapping[str, Any]) -> None:
        """An offset confirms every update below it; a negative one keeps only the last -offset."""
        if "allowed_updates" in params:
            self.allowed_updates = params["allowed_updates"]
        offset = params.get("offset")
        if offset is None:
            return
        if offset < 0:
            self.pending = self.pending[offset:]
        else:
            self.pending = [u for u in self.pending if u["update_id"] >= offset]

    def next_webhook_update(self) -> dict[str, Any] | None:
        if not self.webhook_url:
            return None
        pending = self._deliverable()
        return copy.deepcopy(pending[0]) if pending else None

    def confirm_update(self, update_id: int) -> None:
        self.pending = [u for u in self.pending if u["update_id"] != update_id]
        self.webhook_error = None
        self._tick()

    def note_webhook_error(self, message: str) -> None:
        self.webhook_error = (int(time.time()), message)

    async def wait_change(self) -> None:
        """Return after the next recorded change."""
        await self._changed.wait()

    async def _long_poll(self, call: Call) -> None:
        if self.webhook_url:
            return  # _get_updates answers 409
        self._apply_offset(call.params)
        self._poller += 1
        me, release = self._poller, self._release
        loop = asyncio.get_running_loop()
        deadline = loop.time() + max(call.params.get("timeout", 0), 0)
        while True:
            changed = self._changed
            if self._poller != me:
                raise TelegramError(
                    409,
                    "Conflict: terminated by other getUpdates request; "
                    "make sure that only one bot instance is running",
                )
            if self._release != release or self.webhook_url or self._deliverable():
                return
            remaining = deadline - loop.time()
            if remaining <= 0:
                return
            try:
                await asyncio.wait_for(changed.wait(), remaining)
            except TimeoutError:
                return

    # -- producers: the result of each valid call ------------------------------------------------

    def _get_updates(self, call: Call) -> list[dict[str, Any]]:
        if self.webhook_url:
            raise TelegramError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        self._apply_offset(call.params)
        limit = min(max(call.params.get("limit", 100), 1), 100)
        return copy.deepcopy(self._deliverable()[:limit])

    def _set_webhook(self, call: Call) -> bool:
        p = call.params
        url: str = p["url"]
        if not url:
            return self._delete_webhook(call)
        parts = urlsplit(url)
        # Telegram insists on HTTPS; plain http is allowed here for local end-to-end tests.
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        self.webhook_url, self.webhook_secret = url, p.get("secret_token")
        if "allowed_updates" in p:
            self.allowed_updates = p["allowed_updates"]
        if p.get("drop_pending_updates"):
            self.pending.clear()
        self.webhook_error = None
        return True

    def _delete_webhook(self, call: Call) -> bool:
        self.webhook_url, self.webhook_secret, self.webhook_error = "", None, None
        if call.params.get("drop_pending_updates"):
            self.pending.clear()
        return True

    def _get_webhook_info(self, _call: Call) -> dict[str, Any]:
        info: dict[str, Any] = {
            "url": self.webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": len(self._deliverable()),
        }
        if self.webhook_url:
            info["max_connections"] = 40
            if self.allowed_updates:
                info["allowed_updates"] = list(self.allowed_updates)
            if self.webhook_error:
                info["last_error_date"], info["last_error_message"] = self.webhook_error
        return info

    def _chat(self, chat_id: ChatId) -> dict[str, Any]:
        if isinstance(chat_id, str):  # "@channel"
            fake_id = -1_000_000_000_000 - zlib.crc32(chat_id.encode())
            return {"id": fake_id, "type": "channel", "title": chat_id, "username": chat_id[1:]}
        if chat_id < 0:
            kind = "supergroup" if str(chat_id).startswith("-100") else "group"
            return {"id": chat_id, "type": kind, "title": f"Chat {chat_id}"}
        chat: dict[str, Any] = {"id": chat_id, "type": "private"}
        user = self.users.get(chat_id, {})
        chat["first_name"] = user.get("first_name", "User")
        for key in ("last_name", "username"):
            if key in user:
                chat[key] = user[key]
        return chat

    def _new_message(self, call: Call, chat_id: ChatId, content: dict[str, Any]) -> dict[str, Any]:
        p = call.params
        reply = p.get("reply_parameters") or {}
        reply_to = reply.get("message_id", p.get("reply_to_message_id"))
        original = self._messages.get((chat_id, reply_to)) if reply_to is not None else None
        lenient = reply.get("allow_sending_without_reply", p.get("allow_sending_without_reply"))
        if reply_to is not None and original is None and not lenient:
            raise bad_request("message to be replied not found")
        bot = {k: self.bot_user[k] for k in ("id", "is_bot", "first_name", "username")}
        thread = p.get("message_thread_id")
        known = (chat_id, thread) in self.forum_topics
        if thread is not None and self._is_supergroup(chat_id) and not known:
            raise bad_request("message thread not found")
        message: dict[str, Any] = {
            "message_id": self.next_message_id(chat_id),
            "from": bot,
            "chat": self._chat(chat_id),
            "date": int(time.time()),
            **content,
        }
        if thread is not None and self._is_supergroup(chat_id):
            message["message_thread_id"] = thread
            message["is_topic_message"] = True
        if original is not None:
            message["reply_to_message"] = copy.deepcopy(original)
        markup = p.get("reply_markup")
        # Only inline keyboards belong to a message; reply keyboards belong to the chat.
        if isinstance(markup, dict) and "inline_keyboard" in markup:
            message["reply_markup"] = markup
        self._messages[(chat_id, message["message_id"])] = message
        call.message = copy.deepcopy(message)
        return message

    @staticmethod
    def _formatted(params: Mapping[str, Any], key: str, entities_key: str) -> dict[str, Any]:
        """The text or caption as Telegram stores it: markup parsed into entities."""
        if key not in params:
            return {}
        if entities_key in params:
            return {key: params[key], entities_key: params[entities_key]}
        parsed = parse(params[key], params.get("parse_mode"))
        content: dict[str, Any] = {key: parsed.text}
        if parsed.entities:
            content[entities_key] = parsed.entities
        return content

    def _caption(self, params: Mapping[str, Any]) -> dict[str, Any]:
        return self._formatted(params, "caption", "caption_entities")

    def _send_message(self, call: Call) -> dict[str, Any]:
        content = self._formatted(call.params, "text", "entities")
        return self._new_message(call, call.params["chat_id"], content)

    def _file(self, value: UploadedFile | str, kind: str) -> StoredFile:
        """The stored file an InputFile or file_id/URL parameter stands for."""
        if isinstance(value, UploadedFile):
            return self.add_file(
                value.content, kind=kind, file_name=value.filename, mime_type=value.content_type
            )
        if value in self.files:
            return self.files[value]
        if value.startswith(("http://", "https://")):
            return self.add_file(b"", kind=kind, file_name=value.rsplit("/", 1)[-1])
        raise bad_request("wrong file identifier/HTTP URL specified")

    def _send_document(self, call: Call) -> dict[str, Any]:
        stored = self._file(call.params["document"], "documents")
        if stored.mime_type == "application/octet-stream":
            stored.mime_type = mimetypes.guess_type(stored.file_name or "")[0] or stored.mime_type
        content = {"document": stored.as_document(), **self._caption(call.params)}
        return self._new_message(call, call.params["chat_id"], content)

    def _send_media_group(self, call: Call) -> list[dict[str, Any]]:
        """One message per item; files given as attach://<part> are stored like sendDocument's."""
        messages = []
        for item in call.params["media"]:
            kind = item["type"]
            value = item["media"]
            if isinstance(value, str) and value.startswith(ATTACH):
                value = call.uploads[value[len(ATTACH) :]]
            stored = self._file(value, f"{kind}s")
            body = stored.as_photo() if kind == "photo" else stored.as_document()
            content = {kind: body, **self._caption(item)}
            messages.append(self._new_message(call, call.params["chat_id"], content))
        return messages

    def _send_photo(self, call: Call) -> dict[str, Any]:
        stored = self._file(call.params["photo"], "photos")
        content = {"photo": stored.as_photo(), **self._caption(call.params)}
        return self._new_message(call, call.params["chat_id"], content)

    _NOT_COPIED = frozenset(
        {"message_id", "from", "chat", "date", "edit_date", "reply_markup", "reply_to_message"}
    )

    def _copy_message(self, call: Call) -> dict[str, Any]:
        p = call.params
        source = self._messages.get((p["from_chat_id"], p["message_id"]))
        if source is None:
            raise bad_request("message to copy not found")
        content = {k: copy.deepcopy(v) for k, v in source.items() if k not in self._NOT_COPIED}
        if "caption" in p:
            content.pop("caption_entities", None)
            content.update(self._caption(p))
        message = self._new_message(call, p["chat_id"], content)
        return {"message_id": message["message_id"]}

    def _copy_messages(self, call: Call) -> list[dict[str, Any]]:
        """An album (or any messages) copied in order, as Telegram does: 1-100 ids, strictly
        increasing, all found; an album stays grouped under a new media_group_id."""
        p = call.params
        ids = list(p["message_ids"])
        if not 1 <= len(ids) <= 100 or ids != sorted(set(ids)):
            raise bad_request("message identifiers must be 1-100, strictly increasing")
        sources = [self._messages.get((p["from_chat_id"], mid)) for mid in ids]
        if any(source is None for source in sources):
            raise bad_request("message to copy not found")
        group = f"copy-{next(self._groups)}"
        copied = []
        for source in sources:
            assert source is not None
            content = {k: copy.deepcopy(v) for k, v in source.items() if k not in self._NOT_COPIED}
            if "media_group_id" in content:
                content["media_group_id"] = group
            if p.get("remove_caption"):
                content.pop("caption", None)
                content.pop("caption_entities", None)
            copied.append(
                {"message_id": self._new_message(call, p["chat_id"], content)["message_id"]}
            )
        return copied

    def _editable(self, params: Mapping[str, Any]) -> dict[str, Any] | None:
        """The stored message an edit targets; None for inline messages (Telegram answers True)."""
        if "chat_id" not in params:
            return None
        message = self._messages.get((params["chat_id"], params["message_id"]))
        if message is None:
            raise bad_request("message to edit not found")
        if message.get("from", {}).get("id") != self.bot_user["id"]:
            raise bad_request("message can't be edited")
        return message

    def _apply_edit(self, call: Call, message: dict[str, Any], content: dict[str, Any]) -> Any:
        markup = call.params.get("reply_markup")
        # An edit without reply_markup removes the inline keyboard.
        content["reply_markup"] = markup if markup and "inline_keyboard" in markup else None
        if all(message.get(k) == v for k, v in content.items()):
            raise bad_request(NOT_MODIFIED)
        for key, value in content.items():
            if value is None:
                message.pop(key, None)
            else:
                message[key] = value
        message["edit_date"] = int(time.time())
        call.message = copy.deepcopy(message)
        return message

    def _edit_text(self, call: Call) -> Any:
        message = self._editable(call.params)
        if message is None:
            return True
        if "text" not in message:
            raise bad_request("there is no text in the message to edit")
        content = self._formatted(call.params, "text", "entities")
        content.setdefault("entities", None)
        return self._apply_edit(call, message, content)

    def _edit_caption(self, call: Call) -> Any:
        message = self._editable(call.params)
        if message is None:
            return True
        if "text" in message:
            raise bad_request("there is no caption in the message to edit")
        content: dict[str, Any] = {"caption": None, "caption_entities": None}
        content.update(self._caption(call.params))
        return self._apply_edit(call, message, content)

    def _edit_markup(self, call: Call) -> Any:
        message = self._editable(call.params)
        if message is None:
            return True
        return self._apply_edit(call, message, {})

    def _delete_message(self, call: Call) -> bool:
        if self._messages.pop((call.params["chat_id"], call.params["message_id"]), None) is None:
            raise bad_request("message to delete not found")
        return True

    def _answer_callback(self, call: Call) -> bool:
        query_id = call.params["callback_query_id"]
        if query_id in self._answered or query_id in self._expired:
            raise bad_request(QUERY_TOO_OLD)
        self._answered.add(query_id)
        return True

    @staticmethod
    def _commands_key(params: Mapping[str, Any]) -> tuple[str, str]:
        scope = params.get("scope") or {"type": "default"}
        return repr(sorted(scope.items())), params.get("language_code", "")

    def _set_commands(self, call: Call) -> bool:
        self.commands[self._commands_key(call.params)] = call.params["commands"]
        return True

    def _delete_commands(self, call: Call) -> bool:
        self.commands.pop(self._commands_key(call.params), None)
        return True

    def _get_commands(self, call: Call) -> list[dict[str, Any]]:
        return self.commands.get(self._commands_key(call.params), [])

    def _set_menu_button(self, call: Call) -> bool:
        self.menu_buttons[call.params.get("chat_id")] = call.params.get("menu_button") or {
            "type": "default"
        }
        return True

    def _get_menu_button(self, call: Call) -> dict[str, Any]:
        return self.menu_buttons.get(call.params.get("chat_id"), {"type": "default"})

    @staticmethod
    def _is_supergroup(chat_id: ChatId) -> bool:
        return isinstance(chat_id, int) and str(chat_id).startswith("-100")

    def _create_forum_topic(self, call: Call) -> dict[str, Any]:
        """A topic of a forum supergroup: its id is the id of the service message that
        opens it, as in Telegram."""
        chat_id = call.params["chat_id"]
        if not self._is_supergroup(chat_id):
            raise bad_request("the chat is not a forum")
        thread = self.next_message_id(chat_id)
        topic = {"message_thread_id": thread, "name": call.params["name"], "icon_color": 7322096}
        self.forum_topics[(chat_id, thread)] = call.params["name"]
        bot = {k: self.bot_user[k] for k in ("id", "is_bot", "first_name", "username")}
        self._messages[(chat_id, thread)] = {
            "message_id": thread,
            "from": bot,
            "chat": {**self._chat(chat_id), "is_forum": True},
            "date": int(time.time()),
            "message_thread_id": thread,
            "is_topic_message": True,
            "forum_topic_created": {"name": call.params["name"], "icon_color": 7322096},
        }
        return topic

    def _delete_forum_topic(self, call: Call) -> bool:
        key = (call.params["chat_id"], call.params["message_thread_id"])
        if self.forum_topics.pop(key, None) is None:
            raise bad_request("TOPIC_ID_INVALID")
        return True

    def _get_file(self, call: Call) -> dict[str, Any]:
        stored = self.files.get(call.params["file_id"])
        if stored is None:
            raise bad_request("invalid file_id")
        return stored.as_file()


class UpdateFactory:
    """Builds the Update dicts Telegram would send when a user does something.

    Bound to a FakeBotAPI (as `api.updates`), messages get the chat's next message id and are
    remembered, and callbacks point at the bot's real messages. Push the result to a server
    (`push_update`) or feed it to a Dispatcher (`dp.feed_raw_update(bot, update)`).
    """

    def __init__(
        self, api: FakeBotAPI | None = None, *, first_update_id: int | None = None
    ) -> None:
        self.api = api
        # Like Telegram's for one bot, update ids only grow: shared by every factory in the
        # process, so a restarted bot (a new fake, the same database) never sees an id twice.
        self._update_ids = (
            _UPDATE_IDS if first_update_id is None else itertools.count(first_update_id)
        )
        self._query_ids = itertools.count(1)
        self._message_ids: dict[int, int] = {}

    def next_update_id(self) -> int:
        return next(self._update_ids)

    @staticmethod
    def user(
        user_id: int,
        *,
        first_name: str = "Tester",
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "ru",
    ) -> dict[str, Any]:
        user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first_name}
        for key, value in (
            ("last_name", last_name),
            ("username", username),
            ("language_code", language_code),
        ):
            if value is not None:
                user[key] = value
        return user

    def _message(self, user: dict[str, Any], content: dict[str, Any]) -> dict[str, Any]:
        chat_id: int = user["id"]
        if self.api is not None:
            message_id = self.api.next_message_id(chat_id)
        else:
            message_id = self._message_ids[chat_id] = self._message_ids.get(chat_id, 0) + 1
        chat = {"id": chat_id, "type": "private", "first_name": user["first_name"]}
        chat.update({k: user[k] for k in ("last_name", "username") if k in user})
        message = {
            "message_id": message_id,
            "from": user,
            "chat": chat,
            "date": int(time.time()),
            **content,
        }
        if self.api is not None:
            self.api.remember(message)
        return {"update_id": self.next_update_id(), "message": message}

    def _stored(self, content: bytes, kind: str, file_name: str) -> StoredFile:
        if self.api is not None:
            return self.api.add_file(content, kind=kind, file_name=file_name)
        n = next(self._query_ids)  # unbound: ids only, nothing to download
        return StoredFile(f"user-{kind}-{n}", f"uu{n}", f"{kind}/{n}", content, file_name)

    def message(
        self,
        user_id: int,
        text: str,
        *,
        language_code: str | None = "ru",
        first_name: str = "Tester",
        last_name: str | None = None,
        username: str | None = None,
    ) -> dict[str, Any]:
        """A text message; a leading /command gets its bot_command entity, as in Telegram."""
        user = self.user(
            user_id,
            first_name=first_name,
            last_name=last_name,
            username=username,
            language_code=language_code,
        )
        content: dict[str, Any] = {"text": text}
        if text.startswith("/"):
            command = text.split(maxsplit=1)[0]
            content["entities"] = [
                {"type": "bot_command", "offset": 0, "length": utf16_len(command)}
            ]
        return self._message(user, content)

    def in_group(
        self,
        chat_id: int,
        user_id: int,
        content: dict[str, Any],
        *,
        thread_id: int | None = None,
        reply_to: int | None = None,
        first_name: str = "Tester",
    ) -> dict[str, Any]:
        """A message a user sends in a forum supergroup, in the topic `thread_id` (a message in
        a topic without an explicit reply replies to the topic's opening message, as in
        Telegram) or as a reply to the message `reply_to`."""
        user = self.user(user_id, first_name=first_name)
        message_id = (
            self.api.next_message_id(chat_id)
            if self.api is not None
            else next(self._query_ids) + 10**6
        )
        message: dict[str, Any] = {
            "message_id": message_id,
            "from": user,
            "chat": {"id": chat_id, "type": "supergroup", "title": "Experts", "is_forum": True},
            "date": int(time.time()),
            **content,
        }
        original_id = reply_to if reply_to is not None else thread_id
        if original_id is not None and self.api is not None:
            original = self.api.message(chat_id, original_id)
            if original is not None:
                original.pop("reply_to_message", None)
                message["reply_to_message"] = original
        if thread_id is not None:
            message["message_thread_id"] = thread_id
            message["is_topic_message"] = True
        if self.api is not None:
            self.api.remember(message)
        return {"update_id": self.next_update_id(), "message": message}

    def group_text(self, chat_id: int, user_id: int, text: str, **where: Any) -> dict[str, Any]:
        return self.in_group(chat_id, user_id, {"text": text}, **where)

    def group_photo(
        self, chat_id: int, user_id: int, caption: str | None = None, **where: Any
    ) -> dict[str, Any]:
        body: dict[str, Any] = {
            "photo": self._stored(b"\xff\xd8jpeg", "photos", "p.jpg").as_photo()
        }
        if caption is not None:
            body["caption"] = caption
        return self.in_group(chat_id, user_id, body, **where)

    def sticker(self, user_id: int, *, emoji: str = "👍", **who: Any) -> dict[str, Any]:
        stored = self._stored(b"RIFF-webp", "stickers", "sticker.webp")
        sticker = {
            **stored.as_photo()[0],
            "width": 512,
            "height": 512,
            "type": "regular",
            "is_animated": False,
            "is_video": False,
            "emoji": emoji,
        }
        return self._message(self.user(user_id, **who), {"sticker": sticker})

    def photo(
        self,
        user_id: int,
        *,
        caption: str | None = None,
        content: bytes = b"\xff\xd8jpeg",
        **who: Any,
    ) -> dict[str, Any]:
        body: dict[str, Any] = {"photo": self._stored(content, "photos", "photo.jpg").as_photo()}
        if caption is not None:
            body["caption"] = caption
        return self._message(self.user(user_id, **who), body)

    def album(
        self, user_id: int, count: int, *, caption: str | None = None, **who: Any
    ) -> list[dict[str, Any]]:
        """`count` photos sent together: Telegram delivers them as separate updates sharing a
        media_group_id (the caption, if any, on the first)."""
        group = str(next(self._query_ids) + 10**15)
        updates = []
        for n in range(count):
            update = self.photo(user_id, caption=caption if n == 0 else None, **who)
            update["message"]["media_group_id"] = group
            if self.api is not None:
                self.api.remember(update["message"])
            updates.append(update)
        return updates

    def document(
        self,
        user_id: int,
        *,
        file_name: str = "file.pdf",
        content: bytes = b"%PDF-1.4",
        caption: str | None = None,
        **who: Any,
    ) -> dict[str, Any]:
        body: dict[str, Any] = {
            "document": self._stored(content, "documents", file_name).as_document()
        }
        if caption is not None:
            body["caption"] = caption
        return self._message(self.user(user_id, **who), body)

    def location(
        self, user_id: int, latitude: float, longitude: float, **who: Any
    ) -> dict[str, Any]:
        """A shared location (📎 → Location: a point on the map, or where the person is)."""
        return self._message(
            self.user(user_id, **who), {"location": {"latitude": latitude, "longitude": longitude}}
        )

    def contact(
        self,
        user_id: int,
        phone: str,
        own: bool = True,
        *,
        first_name: str | None = None,
        contact_user_id: int | None = None,
        **who: Any,
    ) -> dict[str, Any]:
        """A shared contact. own=True is the request_contact button: the contact's user_id is
        the sender. Telegram apps send the number as they have it, with or without "+"."""
        user = self.user(user_id, **who)
        contact: dict[str, Any] = {
            "phone_number": phone,
            "first_name": first_name or user["first_name"],
        }
        owner = user_id if own else contact_user_id
        if owner is not None:
            contact["user_id"] = owner
        return self._message(user, {"contact": contact})

    def callback(
        self,
        user_id: int,
        data: str,
        message_id: int | None = None,
        *,
        check: bool = True,
        **who: Any,
    ) -> dict[str, Any]:
        """A press on an inline button with callback_data `data`. The message defaults to the
        newest bot message in the user's chat with that button; with check=True (the default) a
        button that is not there raises ValueError, since no client could press it."""
        user = self.user(user_id, **who)
        message: dict[str, Any] | None = None
        if self.api is not None:
            if message_id is None:
                message = self.api.keyboard_message(
                    user_id, lambda b: b.get("callback_data") == data
                )
            else:
                message = self.api.message(user_id, message_id)
            if check and message is None:
                raise ValueError(f"no message in chat {user_id} has a button with data {data!r}")
            if check and message is not None:
                rows = message.get("reply_markup", {}).get("inline_keyboard", [])
                if data not in [b.get("callback_data") for row in rows for b in row]:
                    raise ValueError(f"message {message_id} has no button with data {data!r}")
        if message is None:
            message = {
                "message_id": message_id or 1,
                "from": {"id": 42, "is_bot": True, "first_name": "TOS Bot"},
                "chat": {"id": user_id, "type": "private", "first_name": user["first_name"]},
                "date": int(time.time()),
                "text": "...",
            }
        if self.api is not None:
            self.api.users[user_id] = user
        query = {
            "id": str(next(self._query_ids) + 10**12),
            "from": user,
            "message": copy.deepcopy(message),
            "chat_instance": str(user_id * 31 + 7),
            "data": data,
        }
        return {"update_id": self.next_update_id(), "callback_query": query}

    def press(self, user_id: int, text: str, **who: Any) -> dict[str, Any]:
        """A press on the newest inline button labelled `text` in the user's chat."""
        if self.api is None:
            raise ValueError("press() needs an UpdateFactory bound to a FakeBotAPI")
        message = self.api.keyboard_message(user_id, lambda b: b.get("text") == text)
        if message is None:
            raise ValueError(f"no inline button {text!r} in chat {user_id}")
        rows = message["reply_markup"]["inline_keyboard"]
        button = next(b for row in rows for b in row if b.get("text") == text)
        if "callback_data" not in button:
            raise ValueError(f"button {text!r} has no callback_data: {button}")
        return self.callback(user_id, button["callback_data"], message["message_id"], **who)
