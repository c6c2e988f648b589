"""Callback data of broadcasts: composing, the audience, and the controls of a running one.

Prefixes, field names and their order, and enum values are what old buttons in people's chats
carry: tests/unit/test_callback_data.py pins them."""

from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData


class BcAction(StrEnum):
    ROLE = "r"  # value: a role
    LANGUAGE = "l"  # value: "", ru, en
    REGION = "g"  # value: a region code of the sender's
    ALBUM_DONE = "ad"
    EVENT_BUTTON = "eb"
    CLEAR_BUTTONS = "cb"
    NEXT = "nx"  # buttons done: on to the audience
    MUNICIPALITY = "m"  # value: the picker's page
    MUNICIPALITY_PICK = "mp"  # value: an index in the picker's list, "" for any
    EVENTS = "e"  # value: the picker's page
    EVENT_PICK = "ep"  # value: an event id
    GROUP = "eg"  # value: a key of EVENT_GROUPS, "" for all participants; "x": no event
    PREVIEW = "pv"
    SEND = "go"
    SCHEDULE = "sc"
    PAUSE = "pa"  # broadcast_id
    RESUME = "re"
    STOP = "st"


class BcCb(CallbackData, prefix="bc"):
    action: BcAction
    value: str = ""
    broadcast_id: int = 0
