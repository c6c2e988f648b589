"""Outer middlewares on `update`, in order: metrics, banned senders dropped (where cached),
throttling, DB session, FSM, current person (which also drops banned senders)."""

from __future__ import annotations

from typing import TypedDict

from bot.config import Settings
from bot.i18n import Text, Translator
from db.repositories import Repo, UserSnapshot


class MiddlewareData(TypedDict, total=False):
    """Keys handlers can take by parameter name."""

    settings: Settings
    translator: Translator
    repo: Repo  # the update's transaction
    user: UserSnapshot | None  # None until the person first consents or picks a language
    lang: str  # the person's language
    t: Text  # texts in that language
