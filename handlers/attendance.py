"""Attendance and feedback: the participant's check-in code and QR, the organiser's check-in
(codes typed or QR scanned), the online code word, ratings with a comment, and the summary.

```mermaid
stateDiagram-v2
    [*] --> typing_codes: organiser's card → Check-in
    typing_codes --> typing_codes: a code (checked in / reused / wrong / closed)
    typing_codes --> [*]: Done or /cancel
    [*] --> typing_word: organiser's card → Code word
    typing_word --> typing_word: not one word of 3-32 letters or digits
    typing_word --> [*]: word saved, or /cancel
    [*] --> typing_comment: a first rating 1..5 (feedback request after the event)
    typing_comment --> [*]: comment saved, Skip or /cancel
```
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from aiogram import Bot, F, Router, html
from aiogram.filters import StateFilter
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import (
    BufferedInputFile,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
)

from bot.i18n import Text
from bot.services import attendance
from bot.services.attendance import CheckIn, CheckInResult, Rated, Word
from bot.services.event_admin import can_manage
from bot.services.event_links import checkin_link, qr_png
from bot.services.validation import InvalidInput
from bot.ui.callbacks.events import (
    AttAction,
    AttCb,
    EvAdminAction,
    EvAdminCb,
    EventAction,
    EventCb,
    FbCb,
)
from bot.ui.keyboards import nav_keyboard
from bot.ui.replies import not_text, take_buttons_off
from bot.ui.texts import local_time
from db.models import Event, Signup
from db.repositories import Repo, UserSnapshot

COMMAND = r"^/[A-Za-z0-9_]+(@\w+)?(\s|$)"

log = logging.getLogger("bot.security")


class CheckInDesk(StatesGroup):
    typing_codes = State()  # data: event_id


class CodeWordSetting(StatesGroup):
    typing_word = State()  # data: event_id


class Feedback(StatesGroup):
    typing_comment = State()  # data: event_id


def _refused(user_id: int, what: str, event_id: int) -> None:
    log.warning("refused %s by user %s for event %s", what, user_id, event_id)


def _button(text: str, data: CallbackData) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=data.pack())


def _one_button(text: str, data: CallbackData) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[[_button(text, data)]])


# The participant's code ------------------------------------------------------------------


async def code_shown(
    cq: CallbackQuery, callback_data: EventCb, bot: Bot, repo: Repo, t: Text
) -> None:
    """The participant's check-in code as text and as a QR the organiser can scan."""
    event = await repo.events.get(callback_data.event_id)
    signup = await repo.signups.of(callback_data.event_id, cq.from_user.id)
    if event is None or signup is None or signup.status not in ("signed_up", "attended"):
        await cq.answer(t("attendance-not-participant"), show_alert=True)
        return
    if event.format not in attendance.IN_PERSON:
        await cq.answer(t("attendance-code-online"), show_alert=True)
        return
    if signup.status == "attended":
        await cq.answer(t("attendance-code-attended"), show_alert=True)
        return
    code = signup.checkin_code or ""
    me = await bot.me()
    png = qr_png(checkin_link(me.username or "", event.id, code), scale=8)
    await bot.send_photo(
        cq.from_user.id,
        BufferedInputFile(png, filename=f"checkin_{event.id}.png"),
        caption=t("attendance-code", title=html.quote(event.title), code=code),
    )


# The organiser's check-in desk -----------------------------------------------------------


def _checkin_reply(t: Text, result: CheckInResult, attended: int, total: int) -> str:
    name = html.quote(result.name or "—")
    if result.outcome is CheckIn.DONE:
        return t("attendance-checked-in", name=name, attended=attended, total=total)
    if result.outcome is CheckIn.ALREADY and result.signup and result.event:
        at = result.signup.attended_at or datetime.now(UTC)
        time = f"{at.astimezone(ZoneInfo(result.event.tz)):%H:%M}"
        return t("attendance-checked-in-already", name=name, time=time)
    if result.outcome is CheckIn.NOT_CONFIRMED and result.signup:
        return t("attendance-code-not-confirmed", name=name, status=result.signup.status)
    if result.outcome is CheckIn.CLOSED:
        return t("attendance-checkin-closed")
    return t("attendance-code-wrong")


async def _check_in(
    repo: Repo, user_id: int, event_id: int, raw: str | None, t: Text
) -> tuple[CheckInResult, str]:
    result = await attendance.check_in(repo, user_id, event_id, raw, datetime.now(UTC))
    if result.outcome is CheckIn.NOT_ALLOWED:
        _refused(user_id, "check-in", event_id)
        return result, t("common-not-allowed")
    attended, total = await attendance.attendance_counts(repo, event_id)
    return result, _checkin_reply(t, result, attended, total)


async def _managed(
    cq: CallbackQuery, callback_data: EvAdminCb, repo: Repo, t: Text
) -> Event | None:
    """The event of an organiser's button, if the presser may manage it (else refused)."""
    event = await repo.events.get(callback_data.event_id)
    if not await can_manage(repo, cq.from_user.id, event):
        _refused(cq.from_user.id, callback_data.action.name.lower(), callback_data.event_id)
        await cq.answer(t("common-not-allowed"), show_alert=True)
        return None
    return event


async def checkin_opened(
    cq: CallbackQuery, callback_data: EvAdminCb, bot: Bot, state: FSMContext, repo: Repo, t: Text
) -> None:
    """Check-in: the organiser types participants' codes (or scans their QR codes)."""
    event = await _managed(cq, callback_data, repo, t)
    if event is None:
        return
    if event.format not in attendance.IN_PERSON:
        await cq.answer(t("attendance-checkin-online"), show_alert=True)
        return
    await state.set_state(CheckInDesk.typing_codes)
    await state.set_data({"event_id": event.id})
    attended, total = await attendance.attendance_counts(repo, event.id)
    await bot.send_message(
        cq.from_user.id,
        t(
            "attendance-checkin-intro",
            title=html.quote(event.title),
            opens=local_time(event.starts_at - attendance.CHECKIN_BEFORE, event.tz),
            closes=local_time(attendance.ends_at(event) + attendance.CHECKIN_AFTER, event.tz),
            attended=attended,
            total=total,
        ),
        reply_markup=_one_button(t("attendance-done-button"), AttCb(action=AttAction.DONE)),
    )


async def code_typed(message: Message, state: FSMContext, repo: Repo, t: Text) -> None:
    """One participant's code at the check-in desk; permission is checked again every time."""
    assert message.from_user is not None
    event_id = int((await state.get_data()).get("event_id", 0))
    result, reply = await _check_in(repo, message.from_user.id, event_id, message.text, t)
    if result.outcome is CheckIn.NOT_ALLOWED:
        await state.set_state(None)
        await state.set_data({})
    await message.answer(reply)


async def checkin_done(cq: CallbackQuery, state: FSMContext, repo: Repo, t: Text) -> None:
    """Done: leave the check-in desk with the count so far."""
    event_id = int((await state.get_data()).get("event_id", 0))
    await state.set_state(None)
    await state.set_data({})
    await take_buttons_off(cq)
    attended, total = await attendance.attendance_counts(repo, event_id)
    if isinstance(cq.message, Message):
        await cq.message.answer(t("attendance-checkin-finished", attended=attended, total=total))


async def checkin_link_followed(
    bot: Bot, user_id: int, event_id: int, code: str, repo: Repo, t: Text
) -> None:
    """A participant's QR scanned with the phone (`/start ci_<event>_<code>`): an organiser of
    the event checks them in; anyone else is told to show it at the entrance."""
    if not await can_manage(repo, user_id, await repo.events.get(event_id)):
        await bot.send_message(user_id, t("attendance-show-to-organiser"))
        return
    _, reply = await _check_in(repo, user_id, event_id, code, t)
    await bot.send_message(user_id, reply)


# The online code word --------------------------------------------------------------------


async def word_asked(
    cq: CallbackQuery, callback_data: EvAdminCb, bot: Bot, state: FSMContext, repo: Repo, t: Text
) -> None:
    """Code word: the organiser sets the word participants of an online event send."""
    event = await _managed(cq, callback_data, repo, t)
    if event is None:
        return
    if event.format not in attendance.ONLINE:
        await cq.answer(t("attendance-word-offline"), show_alert=True)
        return
    await state.set_state(CodeWordSetting.typing_word)
    await state.set_data({"event_id": event.id})
    text = t("attendance-word-ask", title=html.quote(event.title))
    if event.code_word:
        text += "\n\n" + t("attendance-word-current", word=html.quote(event.code_word))
    await bot.send_message(
        cq.from_user.id, text, reply_markup=nav_keyboard(t, CodeWordSetting, back=False)
    )


async def word_typed(message: Message, state: FSMContext, repo: Repo, t: Text) -> None:
    """The code word; wrong input re-asks with a hint."""
    assert message.from_user is not None
    event_id = int((await state.get_data()).get("event_id", 0))
    try:
        event = await attendance.set_code_word(repo, message.from_user.id, event_id, message.text)
    except InvalidInput as exc:
        await message.answer(t(exc.key))
        return
    except PermissionError:
        _refused(message.from_user.id, "code word", event_id)
        await state.set_state(None)
        await state.set_data({})
        await message.answer(t("common-not-allowed"))
        return
    await state.set_state(None)
    await state.set_data({})
    await message.answer(
        t(
            "attendance-word-set",
            title=html.quote(event.title),
            word=html.quote(event.code_word or ""),
        )
    )


async def is_code_word(
    message: Message, repo: Repo, user: UserSnapshot | None
) -> bool | dict[str, Any]:
    """Matches only a message that is a code word of an event the sender signed up for (one
    indexed query, after cheap checks); anything else falls through to the other handlers."""
    if user is None or not user.registered or not attendance.looks_like_word(message.text):
        return False
    matches = await attendance.word_matches(repo, user.id, message.text or "", datetime.now(UTC))
    return {"word_matches": matches} if matches else False


async def word_sent(
    message: Message, word_matches: list[tuple[Event, Signup]], repo: Repo, t: Text
) -> None:
    """A participant sent the code word of their online event."""
    outcome, event = await attendance.record_word(repo, word_matches, datetime.now(UTC))
    title = html.quote(event.title)
    if outcome is Word.RECORDED:
        await message.answer(t("attendance-word-recorded", title=title))
    elif outcome is Word.ALREADY:
        await message.answer(t("attendance-word-already", title=title))
    else:
        await message.answer(t("attendance-word-closed", title=title))


# Feedback ---------------------------------------------------------------------------------


def rating_keyboard(t: Text, event_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                _button(t("attendance-rating-button", rating=r), FbCb(event_id=event_id, rating=r))
                for r in attendance.RATINGS
            ]
        ]
    )


async def rated(
    cq: CallbackQuery, callback_data: FbCb, state: FSMContext, repo: Repo, t: Text
) -> None:
    """A rating 1..5; a second press changes it; the first one asks for a comment."""
    outcome, event = await attendance.rate(
        repo, cq.from_user.id, callback_data.event_id, callback_data.rating, datetime.now(UTC)
    )
    if outcome is Rated.NOT_ALLOWED or event is None:
        _refused(cq.from_user.id, "rating", callback_data.event_id)
        await cq.answer(t("common-not-allowed"), show_alert=True)
        return
    if outcome is Rated.SAME:
        return  # a double click: nothing changed, nothing to edit
    if isinstance(cq.message, Message):
        await cq.message.edit_text(
            t(
                "attendance-feedback-rated",
                title=html.quote(event.title),
                rating=callback_data.rating,
            ),
            reply_markup=rating_keyboard(t, event.id),
        )
    # A comment is asked once, and not in the middle of another dialog (it would be lost).
    if outcome is Rated.FIRST and await state.get_state() is None:
        await state.set_state(Feedback.typing_comment)
        await state.set_data({"event_id": event.id})
        if isinstance(cq.message, Message):
            await cq.message.answer(
                t("attendance-comment-ask"),
                reply_markup=_one_button(t("attendance-skip-button"), AttCb(action=AttAction.SKIP)),
            )


async def comment_typed(message: Message, state: FSMContext, repo: Repo, t: Text) -> None:
    """The optional comment after a rating; wrong input re-asks with a hint."""
    assert message.from_user is not None
    event_id = int((await state.get_data()).get("event_id", 0))
    try:
        saved = await attendance.save_comment(
            repo, message.from_user.id, event_id, message.text, datetime.now(UTC)
        )
    except InvalidInput as exc:
        await message.answer(t(exc.key, max=attendance.COMMENT_MAX))
        return
    await state.set_state(None)
    await state.set_data({})
    await message.answer(t("attendance-comment-saved" if saved else "common-button-outdated"))


async def comment_skipped(cq: CallbackQuery, state: FSMContext, t: Text) -> None:
    """Skip: no comment, the rating stays."""
    await state.set_state(None)
    await state.set_data({})
    await take_buttons_off(cq)
    if isinstance(cq.message, Message):
        await cq.message.answer(t("attendance-comment-skipped"))


# The organiser's summary ------------------------------------------------------------------

COMMENT_SHOWN_CHARS = 300  # ten comments must fit one message (4096 characters)


def summary_text(t: Text, event: Event, summary: attendance.Summary) -> str:
    parts = [
        t(
            "attendance-summary",
            title=html.quote(event.title),
            signed_up=summary.signed_up,
            attended=summary.attended,
            share=summary.share,
        )
    ]
    if summary.average is None:
        parts.append(t("attendance-summary-no-ratings"))
    else:
        lines = [t("attendance-summary-average", count=summary.ratings, average=summary.average)]
        lines += [
            t("attendance-summary-rating-line", rating=r, count=summary.distribution[r])
            for r in sorted(summary.distribution, reverse=True)
        ]
        parts.append("\n".join(lines))
    if summary.comments:
        quoted = [
            "• " + html.quote(_shorten(comment, COMMENT_SHOWN_CHARS))
            for comment in summary.comments
        ]
        parts.append("\n".join([t("attendance-summary-comments"), *quoted]))
    return "\n\n".join(parts)


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


async def summary_shown(
    cq: CallbackQuery, callback_data: EvAdminCb, bot: Bot, repo: Repo, t: Text
) -> None:
    """Summary: attendance, ratings and the last comments (anonymous)."""
    event = await _managed(cq, callback_data, repo, t)
    if event is None:
        return
    summary = await attendance.summary(repo, event.id)
    await bot.send_message(cq.from_user.id, summary_text(t, event, summary))


def router() -> Router:
    r = Router(name=__name__)
    r.callback_query.register(code_shown, EventCb.filter(F.action == EventAction.CODE))
    r.callback_query.register(checkin_opened, EvAdminCb.filter(F.action == EvAdminAction.CHECKIN))
    r.callback_query.register(word_asked, EvAdminCb.filter(F.action == EvAdminAction.CODE_WORD))
    r.callback_query.register(summary_shown, EvAdminCb.filter(F.action == EvAdminAction.SUMMARY))
    r.callback_query.register(
        checkin_done, CheckInDesk.typing_codes, AttCb.filter(F.action == AttAction.DONE)
    )
    r.callback_query.register(rated, FbCb.filter())
    r.callback_query.register(
        comment_skipped, Feedback.typing_comment, AttCb.filter(F.action == AttAction.SKIP)
    )
    # A command typed in these dialogs (the routers after this one have some) is a command.
    typed = F.text & ~F.text.regexp(COMMAND)
    r.message.register(code_typed, CheckInDesk.typing_codes, typed)
    r.message.register(word_typed, CodeWordSetting.typing_word, typed)
    r.message.register(comment_typed, Feedback.typing_comment, typed)
    r.message.register(not_text, StateFilter(CheckInDesk, CodeWordSetting, Feedback), ~F.text)
    # Plain text outside any dialog: only a code word matches; other text falls through.
    r.message.register(word_sent, StateFilter(None), F.text, is_code_word)
    return r
