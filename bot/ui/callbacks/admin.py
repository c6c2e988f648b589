"""Callback data of the admin's screens: roles and invites, law profiles, moderation (bans,
the audit log).

Prefixes, field names and their order, and enum values are what old buttons in people's chats
carry: tests/unit/test_callback_data.py pins them."""

from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData


class AdminAction(StrEnum):
    HOME = "home"
    INVITE = "inv"
    INVITE_ROLE = "invr"
    PEOPLE = "ppl"
    PERSON = "prs"
    REVOKE = "rvk"
    REVOKE_OK = "rvk!"
    REGIONS = "rgs"  # an organiser's regions, a page of the list
    REGION = "rg"  # tick or untick one (`code`)


class AdminCb(CallbackData, prefix="ad"):
    action: AdminAction
    role: str = ""
    user_id: int = 0
    page: int = 0
    code: str = ""


class LawAction(StrEnum):
    REGIONS = "rs"
    REGION = "r"
    PROFILE = "p"  # retired: the meeting's date chooses the law; old buttons get "outdated"
    AGE = "a"
    TERM = "t"
    BODY = "b"
    MUNICIPALITY = "m"


class LawCb(CallbackData, prefix="lw"):
    action: LawAction
    page: int = 0
    code: str = ""
    sid: int = 0
    value: str = ""


class ModAction(StrEnum):
    FIND = "find"
    BANNED = "bl"  # the banned list, a page
    AUDIT = "log"  # the audit log, a page
    BAN = "ban"  # asks to confirm
    BAN_OK = "ban!"
    UNBAN = "unb"


class ModCb(CallbackData, prefix="mod"):
    action: ModAction
    user_id: int = 0
    page: int = 0
