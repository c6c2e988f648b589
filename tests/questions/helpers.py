"""People for the Q&A tests, made straight in the database (the registration dialog has tests
of its own), and the questions' buttons as the bot made them."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from bot.services.roles import Role
from db.models import Question
from tests.harness import App

NAME = "Петрова Мария Ивановна"
PHONE = "+79031234567"
LEGAL = 1  # the seeded topics, in the migration's order
GRANTS = 3


async def person(
    app: App,
    uid: int,
    *,
    lang: str = "ru",
    name: str = NAME,
    phone: str = PHONE,
    roles: tuple[Role, ...] = (),
    topics: tuple[int, ...] = (),
) -> None:
    now = datetime.now(UTC)
    async with app.repo() as repo:
        await repo.users.ensure(uid, lang, now)
        await repo.users.record_consent(uid, "2026-11-01", now)
        await repo.users.save_profile(
            uid,
            {
                "full_name": name,
                "phone": phone,
                "region_code": "16",
                "municipality": "г. Казань",
                "kind": "resident",
                "registered_at": now,
            },
        )
        await repo.roles.grant(uid, Role.RESIDENT.value, now)
        for role in roles:
            await repo.roles.grant(uid, role.value, now)
        for topic in topics:
            await repo.questions.toggle_expert_topic(uid, topic)


async def expert(app: App, uid: int, *topics: int, lang: str = "ru", name: str = "") -> None:
    await person(
        app,
        uid,
        lang=lang,
        name=name or f"Эксперт Номер {uid}",
        phone=f"+7903000{uid:04d}",
        roles=(Role.EXPERT,),
        topics=topics or (LEGAL,),
    )


async def question(app: App, question_id: int) -> Question:
    async with app.repo() as repo:
        found = await repo.questions.get(question_id)
    assert found is not None
    return found


def calls_to(app: App, chat_id: int) -> list[dict[str, Any]]:
    """Every request the bot made to a chat (sends, edits, copies, files, answers)."""
    return [c.params for c in app.api.calls if c.params.get("chat_id") == chat_id]
