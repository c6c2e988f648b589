"""Callback data of the main menu's buttons, the language choice and the notification settings.

Prefixes, field names and their order, and enum values are what old buttons in people's chats
carry: tests/unit/test_callback_data.py pins them."""

from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData


class MenuAction(StrEnum):
    CREATE_TOS = "tos"
    FIND_TOS = "find"  # handled in handlers/tos_join.py
    REGISTER_TOS = "regtos"  # handled in handlers/tos_register.py
    TOS_CALENDAR = "cal"  # handled in handlers/tos_calendar.py
    GRANTS = "grants"  # handled in handlers/grants.py
    EVENTS = "events"  # handled in handlers/events.py
    MY_EVENTS = "myev"
    ASK = "ask"  # handled in handlers/questions.py
    MY_QUESTIONS = "myq"
    FAQ = "faq"  # handled in handlers/faq.py
    QUESTIONS = "qq"  # experts: handled in handlers/expert.py
    PROFILE = "profile"
    HELP = "help"
    LANGUAGE = "language"
    ADMIN = "admin"
    EDIT = "edit"  # with `field`


class MenuCb(CallbackData, prefix="mn"):
    action: MenuAction
    field: str = ""


class Lang(StrEnum):
    RU = "ru"
    EN = "en"


class LangCb(CallbackData, prefix="lg"):
    lang: Lang


class SettingsCb(CallbackData, prefix="st"):
    kind: str
