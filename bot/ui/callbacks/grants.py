"""Callback data of the grants calendar: browsing, subscribing, and the admins' editor.

Prefixes, field names and their order, and enum values are what old buttons in people's chats
carry: tests/unit/test_callback_data.py pins them."""

from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData


class GrantAction(StrEnum):
    LIST = "l"
    OPEN = "o"
    SUB = "s"
    UNSUB = "u"
    ICS = "i"
    MINE = "m"
    ICS_ALL = "ia"
    ADD = "a"
    EDIT = "e"
    FIELD = "f"
    DELETE = "d"
    DELETE_YES = "dy"
    SCOPE = "sc"
    SKIP = "k"
    SAVE = "v"


class GrantCb(CallbackData, prefix="gr"):
    action: GrantAction
    grant_id: int = 0
    page: int = 0
    value: str = ""
