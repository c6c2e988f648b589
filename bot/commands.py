"""The command menu (setMyCommands): per language for everyone, per chat for privileged roles."""

from __future__ import annotations

from aiogram import Bot
from aiogram.types import BotCommand, BotCommandScopeAllPrivateChats, BotCommandScopeChat

from bot.i18n import Text, Translator
from bot.services.roles import PRIVILEGED, Role
from bot.webapp.menu import set_menu_button
from db.repositories import Repo

BASE = (
    "start",
    "events",
    "create_tos",
    "find_tos",
    "register_tos",
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


def commands_for(roles: set[str], t: Text) -> list[BotCommand]:
    names = list(BASE)
    for role, extra in BY_ROLE.items():
        if role.value in roles:
            names.extend(n for n in extra if n not in names)
    return [BotCommand(command=n, description=t(f"command-{n.replace('_', '-')}")) for n in names]


async def set_default_commands(bot: Bot, translator: Translator) -> None:
    scope = BotCommandScopeAllPrivateChats()
    for lang in translator.languages:
        t = translator.for_locale(lang)
        await bot.set_my_commands(commands_for(set(), t), scope=scope, language_code=lang)
    default = translator.for_locale(translator.default_locale)
    await bot.set_my_commands(commands_for(set(), default), scope=scope)


async def refresh_commands(bot: Bot, repo: Repo, translator: Translator, user_id: int) -> None:
    """Give this chat the menu of the person's roles in their chosen language (and, with the
    dashboard on, its menu button to organisers and admins)."""
    user = await repo.users.snapshot(user_id)
    if user is None:
        await bot.delete_my_commands(scope=BotCommandScopeChat(chat_id=user_id))
        await set_menu_button(bot, user_id, set(), translator.for_locale(None))
        return
    t = translator.for_locale(user.language)
    await bot.set_my_commands(
        commands_for(set(user.roles), t), scope=BotCommandScopeChat(chat_id=user_id)
    )
    await set_menu_button(bot, user_id, user.roles, t)


async def refresh_privileged(bot: Bot, repo: Repo, translator: Translator) -> int:
    """At start: the per-chat menus of everyone with a privileged role."""
    ids = await repo.roles.user_ids_with(r.value for r in PRIVILEGED)
    for user_id in ids:
        await refresh_commands(bot, repo, translator, user_id)
    return len(ids)
