"""A broadcast's progress message: its text and its controls, shown by the dialog when it
starts and edited by the periodic job (bot/jobs.py) while it runs."""

from __future__ import annotations

from datetime import datetime

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import Text
from bot.services import broadcasts
from bot.ui.callbacks.broadcast import BcAction, BcCb
from db.models import Broadcast

BAR = 10  # cells of the progress bar


def _btn(text: str, action: BcAction, broadcast_id: int) -> InlineKeyboardButton:
    return InlineKeyboardButton(
        text=text, callback_data=BcCb(action=action, value="", broadcast_id=broadcast_id).pack()
    )


def _left(t: Text, seconds: float) -> str:
    if seconds < 60:
        return t("bc-left-seconds", seconds=max(1, round(seconds)))
    minutes = round(seconds / 60)
    if minutes < 60:
        return t("bc-left-minutes", minutes=minutes)
    return t("bc-left-hours", hours=minutes // 60, minutes=minutes % 60)


def progress_text(t: Text, broadcast: Broadcast, counts: dict[str, int], now: datetime) -> str:
    """The progress message: a bar, the counts, the status, and the pace while sending."""
    made = broadcasts.progress(broadcast, counts, now)
    filled = round(BAR * made.done / max(made.total, 1))
    text = t(
        "bc-progress",
        bar="▓" * filled + "░" * (BAR - filled),
        percent=made.percent,
        sent=made.sent,
        blocked=made.blocked,
        failed=made.failed,
        total=made.total,
        status=t(f"bc-status-{broadcast.status}"),
    )
    if made.rate is not None and made.seconds_left is not None:
        pace = t("bc-pace", rate=f"{made.rate:.1f}", left=_left(t, made.seconds_left))
        text = f"{text}\n{pace}"
    return text


def controls(t: Text, broadcast: Broadcast) -> InlineKeyboardMarkup | None:
    """Pause or Resume, and Stop, as long as the broadcast can still change."""
    b = broadcast.id
    if broadcast.status == "sending":
        row = [_btn(t("bc-pause-button"), BcAction.PAUSE, broadcast_id=b)]
    elif broadcast.status == "paused":
        row = [_btn(t("bc-resume-button"), BcAction.RESUME, broadcast_id=b)]
    elif broadcast.status == "scheduled":
        row = []
    else:
        return None
    row.append(_btn(t("bc-stop-button"), BcAction.STOP, broadcast_id=b))
    return InlineKeyboardMarkup(inline_keyboard=[row])
