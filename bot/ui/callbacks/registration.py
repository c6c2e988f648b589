"""Callback data of registration (consent, zone, kind, confirmation) and of the erasure of
one's personal data.

Prefixes, field names and their order, and enum values are what old buttons in people's chats
carry: tests/unit/test_callback_data.py pins them."""

from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData


class RegAction(StrEnum):
    START = "start"
    AGREE = "agree"
    DECLINE = "decline"
    ZONE = "zone"  # with the IANA zone as value
    KIND = "kind"
    CONFIRM = "confirm"
    EDIT = "edit"


class RegCb(CallbackData, prefix="rg1"):
    action: RegAction
    value: str = ""


class EraseAction(StrEnum):
    CONFIRM = "yes"
    ABORT = "no"


class EraseCb(CallbackData, prefix="er"):
    action: EraseAction
