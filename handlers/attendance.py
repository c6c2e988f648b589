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
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import (
    BufferedInputFile,
    CallbackQuery,
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
from bot.ui.context import Ctx
from bot.ui.keyboards import button, nav_keyboard
from bot.ui.replies import not_text
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


def _one_button(text: str, data: CallbackData) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[[button(text, data)]])


# The participant's code ------------------------------------------------------------------


async def code_shown(cq: CallbackQuery, callback_data: EventCb, ctx: Ctx) -> None:
    """The participant's check-in code as text and as a QR the organiser can scan."""
    event = await ctx.repo.events.get(callback_data.event_id)
    signup = await ctx.repo.signups.of(callback_data.event_id, ctx.chat_id)
    if event is None or signup is None or signup.status not in ("signed_up", "attended"):
        await ctx.alert("attendance-not-participant")
        return
    if event.format not in attendance.IN_PERSON:
        await ctx.alert("attendance-code-online")
        return
    if signup.status == "attended":
        await ctx.alert("attendance-code-attended")
        return
    code = signup.checkin_code or ""
    me = await ctx.bot.me()
    png = qr_png(checkin_link(me.username or "", event.id, code), scale=8)
    await ctx.bot.send_photo(
        ctx.chat_id,
        BufferedInputFile(png, filename=f"checkin_{event.id}.png"),
        caption=ctx.t("attendance-code", title=html.quote(event.title), code=code),
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


async def _managed(ctx: Ctx, callback_data: EvAdminCb) -> Event | None:
    """The event of an organiser's button, if the presser may manage it (else refused)."""
    event = await ctx.repo.events.get(callback_data.event_id)
    if not await can_manage(ctx.repo, ctx.chat_id, event):
        _refused(ctx.chat_id, callback_data.action.name.lower(), callback_data.event_id)
        await ctx.alert("common-not-allowed")
        return None
    return event


async def _event_id(ctx: Ctx) -> int:
    """The event of the open dialog (each of the three keeps only its id)."""
    return int((await ctx.state.get_data()).get("event_id", 0))


async def checkin_opened(cq: CallbackQuery, callback_data: EvAdminCb, ctx: Ctx) -> None:
    """Check-in: the organiser types participants' codes (or scans their QR codes)."""
    event = await _managed(ctx, callback_data)
    if event is None:
        return
    if event.format not in attendance.IN_PERSON:
        await ctx.alert("attendance-checkin-online")
        return
    t = ctx.t
    await ctx.state.set_state(CheckInDesk.typing_codes)
    await ctx.state.set_data({"event_id": event.id})
    attended, total = await attendance.attendance_counts(ctx.repo, event.id)
    await ctx.send(
        t(
            "attendance-checkin-intro",
            title=html.quote(event.title),
            opens=local_time(event.starts_at - attendance.CHECKIN_BEFORE, event.tz),
            closes=local_time(attendance.ends_at(event) + attendance.CHECKIN_AFTER, event.tz),
            attended=attended,
            total=total,
        ),
        _one_button(t("attendance-done-button"), AttCb(action=AttAction.DONE)),
    )


async def code_typed(message: Message, ctx: Ctx) -> None:
    """One participant's code at the check-in desk; permission is checked again every time."""
    result, reply = await _check_in(
        ctx.repo, ctx.chat_id, await _event_id(ctx), message.text, ctx.t
    )
    if result.outcome is CheckIn.NOT_ALLOWED:
        await ctx.state.clear()
    await message.answer(reply)


async def checkin_done(cq: CallbackQuery, ctx: Ctx) -> None:
    """Done: leave the check-in desk with the count so far."""
    event_id = await _event_id(ctx)
    await ctx.state.clear()
    await ctx.drop_buttons()
    attended, total = await attendance.attendance_counts(ctx.repo, event_id)
    if isinstance(cq.message, Message):
        await cq.message.answer(
            ctx.t("attendance-checkin-finished", attended=attended, total=total)
        )


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


async def word_asked(cq: CallbackQuery, callback_data: EvAdminCb, ctx: Ctx) -> None:
    """Code word: the organiser sets the word participants of an online event send."""
    event = await _managed(ctx, callback_data)
    if event is None:
        return
    if event.format not in attendance.ONLINE:
        await ctx.alert("attendance-word-offline")
        return
    t = ctx.t
    await ctx.state.set_state(CodeWordSetting.typing_word)
    await ctx.state.set_data({"event_id": event.id})
    text = t("attendance-word-ask", title=html.quote(event.title))
    if event.code_word:
        text += "\n\n" + t("attendance-word-current", word=html.quote(event.code_word))
    await ctx.send(text, nav_keyboard(t, CodeWordSetting, back=False))


async def word_typed(message: Message, ctx: Ctx) -> None:
    """The code word; wrong input re-asks with a hint."""
    t, event_id = ctx.t, await _event_id(ctx)
    try:
        event = await attendance.set_code_word(ctx.repo, ctx.chat_id, event_id, message.text)
    except InvalidInput as exc:
        await message.answer(t(exc.key))
        return
    except PermissionError:
        _refused(ctx.chat_id, "code word", event_id)
        await ctx.state.clear()
        await message.answer(t("common-not-allowed"))
        return
    await ctx.state.clear()
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
    key = {Word.RECORDED: "recorded", Word.ALREADY: "already"}.get(outcome, "closed")
    await message.answer(t(f"attendance-word-{key}", title=html.quote(event.title)))


# Feedback ---------------------------------------------------------------------------------


def rating_keyboard(t: Text, event_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                button(t("attendance-rating-button", rating=r), FbCb(event_id=event_id, rating=r))
                for r in attendance.RATINGS
            ]
        ]
    )


async def rated(cq: CallbackQuery, callback_data: FbCb, ctx: Ctx) -> None:
    """A rating 1..5; a second press changes it; the first one asks for a comment."""
    t, state = ctx.t, ctx.state
    outcome, event = await attendance.rate(
        ctx.repo, ctx.chat_id, callback_data.event_id, callback_data.rating, datetime.now(UTC)
    )
    if outcome is Rated.NOT_ALLOWED or event is None:
        _refused(ctx.chat_id, "rating", callback_data.event_id)
        await ctx.alert("common-not-allowed")
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


async def comment_typed(message: Message, ctx: Ctx) -> None:
    """The optional comment after a rating; wrong input re-asks with a hint."""
    event_id, now = await _event_id(ctx), datetime.now(UTC)
    try:
        saved = await attendance.save_comment(ctx.repo, ctx.chat_id, event_id, message.text, now)
    except InvalidInput as exc:
        await message.answer(ctx.t(exc.key, max=attendance.COMMENT_MAX))
        return
    await ctx.state.clear()
    await message.answer(ctx.t("attendance-comment-saved" if saved else "common-button-outdated"))


async def comment_skipped(cq: CallbackQuery, ctx: Ctx) -> None:
    """Skip: no comment, the rating stays."""
    await ctx.state.clear()
    await ctx.drop_buttons()
    if isinstance(cq.message, Message):
        await cq.message.answer(ctx.t("attendance-comment-skipped"))


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


async def summary_shown(cq: CallbackQuery, callback_data: EvAdminCb, ctx: Ctx) -> None:
    """Summary: attendance, ratings and the last comments (anonymous)."""
    event = await _managed(ctx, callback_data)
    if event is None:
        return
    summary = await attendance.summary(ctx.repo, event.id)
    await ctx.send(summary_text(ctx.t, event, summary))


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
