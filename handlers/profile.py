"""/profile: the card with the person's data and a button to edit each field."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message

from bot.i18n import Text
from bot.services.regions import catalog
from bot.ui import menu
from bot.ui.callbacks.menu import MenuAction, MenuCb
from bot.ui.context import Ctx
from db.repositories import Repo
from handlers import registration


async def profile_shown(message: Message, bot: Bot, repo: Repo, t: Text) -> None:
    """/profile."""
    await menu.show_profile(bot, message.chat.id, repo, t)


async def profile_opened(cq: CallbackQuery, bot: Bot, repo: Repo, t: Text) -> None:
    """Profile button of the main menu."""
    await menu.show_profile(bot, cq.from_user.id, repo, t)


async def field_edit_chosen(cq: CallbackQuery, callback_data: MenuCb, ctx: Ctx) -> None:
    """An Edit button on the profile card."""
    user = ctx.user
    if user is None or not user.registered:
        await ctx.alert("profile-not-registered")
        return
    region = catalog().get(user.region_code)
    zoned = region is not None and region.has_zones
    if callback_data.field not in registration.FIELD_STATES or (
        callback_data.field == "tz" and not zoned
    ):
        await ctx.outdated()
        return
    await ctx.drop_buttons()
    await registration.begin_field_edit(ctx, callback_data.field, user.region_code)


def router() -> Router:
    r = Router(name=__name__)
    r.message.register(profile_shown, Command("profile"))
    r.callback_query.register(profile_opened, MenuCb.filter(F.action == MenuAction.PROFILE))
    r.callback_query.register(field_edit_chosen, MenuCb.filter(F.action == MenuAction.EDIT))
    return r
