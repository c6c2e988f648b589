"""Who is asking: Telegram's Mini App init data, checked with the bot token, and short-lived
download links signed by the bot.

The page sends `window.Telegram.WebApp.initData` (here: the `tgWebAppData` Telegram puts in
the page's address) as `Authorization: tma <init data>`. It is Telegram's signature over the
person's id and the time the page was opened (HMAC-SHA256 keyed by HMAC("WebAppData", token),
checked by aiogram's `check_webapp_signature`); older than the setting (1 hour by default),
tampered with or missing, it is refused. It proves who the person is, not what they may do:
that is read from the database on every request.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from aiogram.utils.web_app import check_webapp_signature, parse_webapp_init_data

MAX_INIT_DATA = 8192
# Telegram's clocks and ours may differ a little; data from further in the future is forged.
CLOCK_SKEW = timedelta(minutes=5)
DOWNLOAD_TTL = timedelta(seconds=120)


class Refused(Exception):
    """Init data (or a download link) that proves nothing; `reason` is safe to log."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Signed:
    user_id: int
    auth_date: datetime
    language_code: str | None


def verify(token: str, init_data: str, ttl: timedelta, now: datetime) -> Signed:
    """The person Telegram vouches for, or Refused: missing, tampered, malformed, stale."""
    if not init_data:
        raise Refused("missing")
    if len(init_data) > MAX_INIT_DATA:
        raise Refused("too long")
    if not check_webapp_signature(token, init_data):
        raise Refused("signature")
    try:
        data = parse_webapp_init_data(init_data)
    except ValueError as exc:  # pydantic's ValidationError is one
        raise Refused("malformed") from exc
    if data.user is None:
        raise Refused("no user")
    if now - data.auth_date > ttl:
        raise Refused("stale")
    if data.auth_date - now > CLOCK_SKEW:
        raise Refused("from the future")
    return Signed(data.user.id, data.auth_date, data.user.language_code)


def from_header(value: str | None) -> str:
    """The init data of an `Authorization: tma <init data>` header ("" if absent)."""
    scheme, _, rest = (value or "").partition(" ")
    return rest.strip() if scheme.lower() == "tma" else ""


# ---- download links ----------------------------------------------------------------------
# Telegram's webviews download a file from a plain URL (WebApp.downloadFile) and cannot send
# our header, so an export is fetched through a link that carries its own signature: ids and
# an expiry only (no personal data in addresses that end up in access logs), valid 2 minutes.


def _key(token: str) -> bytes:
    return hmac.new(b"tos-dashboard-download", token.encode(), hashlib.sha256).digest()


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def download_token(token: str, user_id: int, event_id: int, fmt: str, now: datetime) -> str:
    body = json.dumps(
        {"u": user_id, "e": event_id, "f": fmt, "x": int((now + DOWNLOAD_TTL).timestamp())},
        separators=(",", ":"),
    ).encode()
    mac = hmac.new(_key(token), body, hashlib.sha256).digest()
    return f"{_b64(body)}.{_b64(mac)}"


def read_download_token(token: str, value: str, now: datetime) -> tuple[int, int, str]:
    """(user id, event id, format) of a link made by `download_token`, or Refused."""
    body_text, _, mac_text = value.partition(".")
    try:
        body, mac = _unb64(body_text), _unb64(mac_text)
    except ValueError as exc:
        raise Refused("malformed link") from exc
    if not hmac.compare_digest(hmac.new(_key(token), body, hashlib.sha256).digest(), mac):
        raise Refused("link signature")
    try:
        data = json.loads(body)
        user_id, event_id, fmt, expires = int(data["u"]), int(data["e"]), str(data["f"]), data["x"]
    except (ValueError, KeyError, TypeError) as exc:
        raise Refused("malformed link") from exc
    if now.timestamp() > float(expires):
        raise Refused("link expired")
    return user_id, event_id, fmt
