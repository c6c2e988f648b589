"""What a `/start <payload>` link does once the person is registered."""

from __future__ import annotations

from datetime import UTC, datetime

from aiogram import Bot

from bot.commands import refresh_commands
from bot.i18n import Text, Translator
from bot.services import event_links, invites
from db.repositories import Repo
from handlers import attendance, events


async def follow(
    bot: Bot, user_id: int, payload: str, repo: Repo, t: Text, translator: Translator
) -> bool:
    """Act on the link; True when it showed something the main menu should not push away
    (an event card, a check-in result)."""
    checkin = event_links.checkin_from_payload(payload)
    if checkin is not None:  # a participant's QR, scanned by an organiser at the entrance
        await attendance.checkin_link_followed(bot, user_id, checkin[0], checkin[1], repo, t)
        return True
    event_id = event_links.event_id_from_payload(payload)
    if event_id is not None:
        await events.send_card(bot, user_id, event_id, repo, t)
        return True
    token = invites.token_from_payload(payload)
    if token is None:
        return False  # not a link this version knows; nothing to do
    result = await invites.redeem(repo, token, user_id, datetime.now(UTC))
    role = t(f"role-{result.role.value}") if result.role else ""
    await bot.send_message(user_id, t(f"invite-{result.outcome.value}", role=role))
    if result.outcome is invites.Redeem.GRANTED:
        await refresh_commands(bot, repo, translator, user_id)
    return False
