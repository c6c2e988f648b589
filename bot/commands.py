"""The command menu (setMyCommands): per language for everyone, per chat for privileged roles."""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Iterable
from contextvars import ContextVar, Token
from datetime import UTC, datetime

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError, TelegramRetryAfter
from aiogram.types import BotCommand, BotCommandScopeAllPrivateChats, BotCommandScopeChat
from aiolimiter import AsyncLimiter
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.i18n import Text, Translator
from bot.services.roles import PRIVILEGED, Role
from bot.webapp.menu import may_open, set_menu_button, webapp_url
from db.repositories import Repo
from db.repositories.users import UserSnapshot

log = logging.getLogger(__name__)

# People whose per-chat menus a sweep sets per second (two calls each), so that a sweep over
# thousands of chairs stays far below Telegram's limits beside the outbox's messages.
SWEEP_RATE = 10

BASE = (
    "start",
    "events",
    "create_tos",
    "find_tos",
    "register_tos",
    "grants",
    "ask",
    "my_questions",
    "faq",
    "profile",
    "help",
    "language",
    "settings",
    "cancel",
    "my_data",
    "delete_me",
)
BY_ROLE: dict[Role, tuple[str, ...]] = {
    Role.CHAIR: ("tos_calendar",),
    Role.EXPERT: ("questions",),
    Role.ORGANISER: ("events_admin", "broadcast", "broadcasts", "tos_registry"),
    Role.ADMIN: ("admin", "events_admin", "broadcast", "broadcasts", "tos_registry", "questions"),
}


def all_commands() -> set[str]:
    """Every command some menu shows."""
    return set(BASE).union(*BY_ROLE.values())


def command_names(roles: Iterable[str]) -> list[str]:
    held = set(roles)
    names = list(BASE)
    for role, extra in BY_ROLE.items():
        if role.value in held:
            names.extend(n for n in extra if n not in names)
    return names


def commands_for(roles: set[str], t: Text) -> list[BotCommand]:
    return [
        BotCommand(command=n, description=t(f"command-{n.replace('_', '-')}"))
        for n in command_names(roles)
    ]


async def set_default_commands(bot: Bot, translator: Translator) -> None:
    scope = BotCommandScopeAllPrivateChats()
    for lang in translator.languages:
        t = translator.for_locale(lang)
        await bot.set_my_commands(commands_for(set(), t), scope=scope, language_code=lang)
    default = translator.for_locale(translator.default_locale)
    await bot.set_my_commands(commands_for(set(), default), scope=scope)


# The sender of the update being handled as the update found them: (id, snapshot, the
# language of their Telegram app). Set by the person middleware.
_sender: ContextVar[tuple[int, UserSnapshot | None, str | None] | None] = ContextVar(
    "menu_sender", default=None
)


def remember_sender(
    user_id: int, user: UserSnapshot | None, app_language: str | None
) -> Token[tuple[int, UserSnapshot | None, str | None] | None]:
    return _sender.set((user_id, user, app_language))


def forget_sender(token: Token[tuple[int, UserSnapshot | None, str | None] | None]) -> None:
    _sender.reset(token)


def _menu(user: UserSnapshot) -> tuple[str, list[str], bool]:
    """What a chat's menus are made of: language, commands, the dashboard's button."""
    return user.language, command_names(user.roles), may_open(user.roles)


def _default_menu_shows(
    translator: Translator, user: UserSnapshot, app_language: str | None
) -> bool:
    """Telegram's menu for every private chat (set_default_commands) is this person's menu:
    the base commands in the language their app asks for, the default button."""
    primary = (app_language or "").split("-")[0].lower()
    shown = primary if primary in translator.languages else translator.default_locale
    language, names, button = _menu(user)
    return language == shown and names == list(BASE) and not button


def _unchanged(translator: Translator, user_id: int, user: UserSnapshot | None) -> bool:
    """The update changed nothing of this person's menus, and the chat shows the default
    ones: setting them per chat would send the same menu again."""
    sender = _sender.get()
    if sender is None or sender[0] != user_id or user is None:
        return False
    _id, before, app_language = sender
    if before is None:
        return False
    return _menu(before) == _menu(user) and _default_menu_shows(translator, user, app_language)


async def refresh_commands(
    bot: Bot, repo: Repo, translator: Translator, user_id: int, *, reset_menu: bool = False
) -> None:
    """Give this chat the menu of the person's roles in their chosen language (and, with the
    dashboard on, its menu button to organisers and admins; `reset_menu`: Telegram's default
    button when the dashboard is off). Nothing is sent when the person is the update's sender,
    the update left their language and roles' menus as they were, and those are Telegram's
    default menus for their app's language (a resident registering: one call fewer)."""
    user = await repo.users.snapshot(user_id)
    if not reset_menu and _unchanged(translator, user_id, user):
        return
    await _set_menus(bot, translator, user_id, user, reset_menu=reset_menu)


async def _set_menus(
    bot: Bot, translator: Translator, user_id: int, user: UserSnapshot | None, *, reset_menu: bool
) -> None:
    if user is None:
        await bot.delete_my_commands(scope=BotCommandScopeChat(chat_id=user_id))
        await set_menu_button(bot, user_id, set(), translator.for_locale(None), reset=reset_menu)
        return
    t = translator.for_locale(user.language)
    await bot.set_my_commands(
        commands_for(set(user.roles), t), scope=BotCommandScopeChat(chat_id=user_id)
    )
    await set_menu_button(bot, user_id, user.roles, t, reset=reset_menu)


def menus_fingerprint(bot: Bot, translator: Translator) -> str:
    """What the per-chat menus are made of: the commands by role, their descriptions and the
    dashboard's button in every language, and its address. Telegram keeps a chat's menu, so
    the menus are set anew only when this changes."""
    h = hashlib.sha256(repr((BASE, sorted(BY_ROLE.items()), webapp_url(bot))).encode())
    every_role = {r.value for r in Role}
    for lang in translator.languages:
        t = translator.for_locale(lang)
        for c in commands_for(every_role, t):
            h.update(f"{lang}|{c.command}|{c.description}\n".encode())
        h.update(t("dash-menu-button").encode())
    return h.hexdigest()[:16]


async def refresh_privileged(
    bot: Bot,
    session_factory: async_sessionmaker[AsyncSession],
    translator: Translator,
    *,
    ids: Iterable[int] | None = None,
) -> int:
    """The per-chat menus of everyone with a privileged role (with the dashboard off, the
    default menu button, undoing an earlier dashboard's), paced; a chat Telegram refuses is
    skipped (logged by id), a 429 waits. Each person's snapshot is read in a session of its
    own, so a long sweep never holds the database connection. Returns the chats set."""
    if ids is None:
        async with session_factory() as session:
            ids = await Repo(session).roles.user_ids_with(r.value for r in PRIVILEGED)
    limiter = AsyncLimiter(SWEEP_RATE, 1)
    done = 0
    for user_id in ids:
        async with limiter:
            done += await _refresh_one(bot, session_factory, translator, user_id, reset_menu=True)
    return done


async def _refresh_one(
    bot: Bot,
    session_factory: async_sessionmaker[AsyncSession],
    translator: Translator,
    user_id: int,
    *,
    reset_menu: bool,
) -> int:
    for _ in range(3):
        try:
            # The session ends before the calls: on SQLite the bot has one connection.
            async with session_factory() as session:
                user = await Repo(session).users.snapshot(user_id)
            await _set_menus(bot, translator, user_id, user, reset_menu=reset_menu)
            return 1
        except TelegramRetryAfter as exc:
            await asyncio.sleep(exc.retry_after)
        except TelegramAPIError as exc:
            log.warning("menu of chat %d not set: %s", user_id, type(exc).__name__)
            return 0
    log.warning("menu of chat %d not set: Telegram asked to wait three times", user_id)
    return 0


def _sweep_job(bot: Bot, translator: Translator) -> str:
    return f"menus:{menus_fingerprint(bot, translator)}"


async def record_menus_current(
    bot: Bot, session_factory: async_sessionmaker[AsyncSession], translator: Translator
) -> None:
    """Every privileged chat has these menus: the next start need not sweep."""
    async with session_factory.begin() as session:
        await Repo(session).job_runs.claim(_sweep_job(bot, translator), 0, datetime.now(UTC))


async def refresh_menus_at_start(
    bot: Bot,
    session_factory: async_sessionmaker[AsyncSession],
    translator: Translator,
    admin_ids: Iterable[int],
) -> asyncio.Task[int] | None:
    """ADMIN_IDS' menus now (one may be new); the other privileged people's only if the menus
    changed since the last sweep that finished (a `job_runs` row per fingerprint), in the
    background. Two instances starting at once may both sweep: the calls are idempotent."""
    admins = list(admin_ids)
    async with session_factory() as session:
        repo = Repo(session)
        swept = await repo.job_runs.ran(_sweep_job(bot, translator), 0)
        privileged = [] if swept else await repo.roles.user_ids_with(r.value for r in PRIVILEGED)
    for user_id in admins:
        await _refresh_one(bot, session_factory, translator, user_id, reset_menu=not swept)
    if swept:
        return None
    others = [user_id for user_id in privileged if user_id not in admins]
    if not others:  # a new database: nobody else to set
        await record_menus_current(bot, session_factory, translator)
        return None

    async def sweep() -> int:
        try:
            done = await refresh_privileged(bot, session_factory, translator, ids=others)
            await record_menus_current(bot, session_factory, translator)
        except Exception:  # the bot runs on with the menus it had; the next start retries
            log.exception("the per-chat menus' sweep failed")
            return 0
        log.info("per-chat menus set for %d privileged people", done)
        return done

    return asyncio.create_task(sweep(), name="menus-sweep")
