"""Links to an event card that work in chats and on posters: a deep link and its QR code."""

from __future__ import annotations

import io
import re

from bot.services.events import CODE_ALPHABET, CODE_LENGTH

PREFIX = "ev_"
_PAYLOAD = re.compile(r"^ev_(\d{1,12})$")
CHECKIN_PREFIX = "ci_"
# Only codes as the sign-up makes them: its alphabet, its length, upper case.
_CHECKIN = re.compile(rf"ci_(\d{{1,12}})_([{CODE_ALPHABET}]{{{CODE_LENGTH}}})")


def deep_link(bot_username: str, event_id: int) -> str:
    """`t.me/<bot>?start=ev_<id>`: opens the event card (after registration if needed)."""
    return f"https://t.me/{bot_username}?start={PREFIX}{event_id}"


def event_id_from_payload(payload: str | None) -> int | None:
    match = _PAYLOAD.match(payload or "")
    return int(match.group(1)) if match else None


def checkin_link(bot_username: str, event_id: int, code: str) -> str:
    """`t.me/<bot>?start=ci_<id>_<code>`: the participant's QR; scanned by an organiser of the
    event, it checks the participant in."""
    return f"https://t.me/{bot_username}?start={CHECKIN_PREFIX}{event_id}_{code}"


def checkin_from_payload(payload: str | None) -> tuple[int, str] | None:
    """(event id, code) of a check-in payload; None for anything else (strict: no lower case,
    no letters outside the code alphabet)."""
    match = _CHECKIN.fullmatch(payload or "")
    return (int(match.group(1)), match.group(2)) if match else None


def qr_png(url: str, scale: int = 10) -> bytes:
    """A PNG QR code of the link, large enough to print on an A4 poster."""
    out = io.BytesIO()
    import segno  # when a code is drawn: not on every start

    segno.make(url, error="m").save(out, kind="png", scale=scale, border=4)
    return out.getvalue()
