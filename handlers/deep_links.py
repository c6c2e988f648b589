"""What a `/start <payload>` link does once the person is registered."""

from __future__ import annotations

from datetime import UTC, datetime

from aiogram import Bot

from bot.commands import refresh_commands
from bot.i18n import Text, Translator
from bot.services import invites
from db.repositories import Repo


async def follow(
    bot: Bot, user_id: int, payload: str, repo: Repo, t: Text, translator: Translator
) -> None:
    token = invites.token_from_payload(payload)
    if token is None:
        return  # not a link this version knows; nothing to do
    result = await invites.redeem(repo, token, user_id, datetime.now(UTC))
    role = t(f"role-{result.role.value}") if result.role else ""
    await bot.send_message(user_id, t(f"invite-{result.outcome.value}", role=role))
    if result.outcome is invites.Redeem.GRANTED:
        await refresh_commands(bot, repo, translator, user_id)
