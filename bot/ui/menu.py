"""The main menu and the profile card, shown from several dialogs."""

from __future__ import annotations

from aiogram import Bot
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.i18n import Text
from bot.services.regions import catalog, zone_of
from bot.services.roles import Role
from bot.ui.callbacks.events import EvAdminAction, EvAdminCb
from bot.ui.callbacks.menu import MenuAction, MenuCb
from bot.ui.texts import local_time, profile_lines
from bot.webapp.menu import dashboard_button, webapp_url
from db.repositories import Repo


def _button(text: str, action: MenuAction, field: str = "") -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=MenuCb(action=action, field=field).pack())


def main_keyboard(
    t: Text, roles: frozenset[str] | set[str], dashboard: str | None = None
) -> InlineKeyboardMarkup:
    """`dashboard`: the dashboard's address (WEBAPP_URL), for organisers' and admins' button."""
    builder = InlineKeyboardBuilder()
    builder.row(
        _button(t("events-menu-button"), MenuAction.EVENTS),
        _button(t("events-mine-button"), MenuAction.MY_EVENTS),
    )
    builder.row(
        _button(t("menu-ask"), MenuAction.ASK),
        _button(t("menu-my-questions"), MenuAction.MY_QUESTIONS),
    )
    builder.row(_button(t("menu-faq"), MenuAction.FAQ))
    builder.row(
        _button(t("menu-find-tos"), MenuAction.FIND_TOS),
        _button(t("menu-create-tos"), MenuAction.CREATE_TOS),
    )
    builder.row(
        _button(t("menu-register-tos"), MenuAction.REGISTER_TOS),
        _button(t("menu-tos-calendar"), MenuAction.TOS_CALENDAR),
    )
    builder.row(_button(t("menu-grants"), MenuAction.GRANTS))
    builder.row(_button(t("menu-profile"), MenuAction.PROFILE))
    builder.row(
        _button(t("menu-help"), MenuAction.HELP), _button(t("menu-language"), MenuAction.LANGUAGE)
    )
    if roles & {Role.ORGANISER.value, Role.ADMIN.value}:
        organised = EvAdminCb(action=EvAdminAction.LIST).pack()
        builder.row(InlineKeyboardButton(text=t("menu-events-admin"), callback_data=organised))
        if dashboard:
            builder.row(dashboard_button(t, dashboard))
    if roles & {Role.EXPERT.value, Role.ADMIN.value}:
        builder.row(_button(t("menu-questions"), MenuAction.QUESTIONS))
    if Role.ADMIN.value in roles:
        builder.row(_button(t("menu-admin"), MenuAction.ADMIN))
    return builder.as_markup()


async def show_main(bot: Bot, chat_id: int, repo: Repo, t: Text) -> None:
    user = await repo.users.snapshot(chat_id)
    roles = user.roles if user else frozenset()
    await bot.send_message(
        chat_id, t("menu-title"), reply_markup=main_keyboard(t, roles, webapp_url(bot))
    )


def tos_start_keyboard(t: Text) -> InlineKeyboardMarkup:
    """A chair's two ways in: enter an existing TOS into the registry, or found a new one."""
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [_button(t("menu-register-tos"), MenuAction.REGISTER_TOS)],
            [_button(t("menu-create-tos"), MenuAction.CREATE_TOS)],
        ]
    )


async def show_profile(bot: Bot, chat_id: int, repo: Repo, t: Text) -> None:
    user = await repo.users.get(chat_id)
    if user is None or user.registered_at is None:
        await bot.send_message(chat_id, t("profile-not-registered"))
        return
    fields = {
        "full_name": user.full_name,
        "phone": user.phone,
        "region_code": user.region_code,
        "municipality": user.municipality,
        "kind": user.kind,
        "tz": user.tz,
    }
    region = catalog().get(user.region_code)
    roles = sorted(await repo.roles.of(chat_id))
    builder = InlineKeyboardBuilder()
    for field in fields:
        # A zone to choose only where the region has several.
        if field != "tz" or (region is not None and region.has_zones):
            builder.row(_button(t(f"profile-edit-{field}"), MenuAction.EDIT, field))
    builder.row(_button(t("menu-language"), MenuAction.LANGUAGE))
    await bot.send_message(
        chat_id,
        t(
            "profile-card",
            fields=profile_lines(t, fields),
            roles=", ".join(t(f"role-{r}") for r in roles) or "—",
            registered=local_time(user.registered_at, zone_of(user.region_code, user.tz)),
        ),
        reply_markup=builder.as_markup(),
    )
