"""First taker wins under concurrency (through the dispatcher, and from several connections on
the real SQLite file), the open-question and daily limits, and nudges with a moved clock."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.jobs import nudge_questions
from bot.services import questions as qs
from bot.services.roles import Role
from bot.ui.callbacks.questions import ExpertAction, ExpertCb
from db.engine import create_engine, create_session_factory
from db.repositories import Repo
from tests.harness import ADMIN_ID, App, running_app
from tests.questions.helpers import GRANTS, LEGAL, expert, person, question
from tests.questions.test_ask_and_answer import ask

LIMITS = qs.Limits(open_limit=3, per_day=5)


async def _asked(app: App, uid: int, when: datetime, topic: int = LEGAL) -> int:
    draft = qs.Draft(topic, f"Вопрос от {uid}: как провести собрание?", [], False, True)
    async with app.repo() as repo:
        found = await qs.ask(repo, uid, draft, qs.Limits(50, 100), when)
    assert not isinstance(found, qs.Blocked)
    return found.id


async def test_ten_experts_press_take_at_once(app: App) -> None:
    t = app.t("ru")
    await person(app, 6000)
    experts = list(range(6001, 6011))
    for uid in experts:
        await expert(app, uid, LEGAL)
    await ask(app.client(6000), app)
    take = ExpertCb(action=ExpertAction.TAKE, question_id=1).pack()
    clients = [app.client(uid) for uid in experts]
    await asyncio.gather(*(c.click_data(take) for c in clients))
    winners = [c for c in clients if t("questions-taken", number=1) in c.texts()]
    losers = [c for c in clients if c not in winners]
    assert len(winners) == 1
    q = await question(app, 1)
    assert q.status == "taken" and q.expert_id == winners[0].user_id
    alerts = [
        call.params.get("text")
        for call in app.api.calls
        if call.method == "answerCallbackQuery" and call.params.get("text")
    ]
    assert alerts.count(t("questions-taken-by-other")) == len(losers) == 9


async def test_first_taker_wins_across_connections(tmp_path: Path) -> None:
    """Eight connections of their own on one SQLite file, each taking the same question in
    its own transaction at once: one UPDATE ... WHERE status = 'new' succeeds."""
    async with running_app(tmp_path / "bot.sqlite3") as app:
        await person(app, 6100)
        for uid in range(6101, 6109):
            await expert(app, uid, LEGAL)
        await _asked(app, 6100, datetime.now(UTC))
        engines = [create_engine(app.settings.database_url) for _ in range(8)]
        try:
            start = asyncio.Event()

            async def take(engine_index: int) -> qs.Take:
                factory = create_session_factory(engines[engine_index])
                await start.wait()
                async with factory.begin() as session:
                    return await qs.take(Repo(session), 1, 6101 + engine_index, datetime.now(UTC))

            tasks = [asyncio.create_task(take(i)) for i in range(8)]
            await asyncio.sleep(0)
            start.set()
            outcomes = await asyncio.gather(*tasks)
        finally:
            for engine in engines:
                await engine.dispose()
        assert outcomes.count(qs.Take.TAKEN) == 1
        assert outcomes.count(qs.Take.OTHER) == 7
        winner = 6101 + outcomes.index(qs.Take.TAKEN)
        assert (await question(app, 1)).expert_id == winner


async def test_open_question_limit_with_the_reason(app: App) -> None:
    t = app.t("ru")
    await person(app, 6200)
    c = app.client(6200)
    for n in range(3):
        await ask(c, app, f"Вопрос номер {n + 1}: как зарегистрировать ТОС?")
        assert c.last_text() == t("questions-sent", number=n + 1)
    await c.send("/ask")
    assert c.last_text() == t("questions-refused-open-limit", count=3, limit=3, until="—")
    # Withdrawing one (with a confirmation) makes room.
    await c.send("/my_questions")
    await c.click(c.buttons()[1])  # #2 (newest first)
    await c.click(t("questions-withdraw-button"))
    assert c.last_text() == t("questions-withdraw-confirm", number=2)
    await c.click(t("questions-withdraw-yes"))
    assert (await question(app, 2)).status == "closed"
    await ask(c, app, "Четвёртый вопрос: как выбрать председателя ТОС?")
    assert c.last_text() == t("questions-sent", number=4)


@pytest.fixture
async def strict(tmp_path: Path) -> AsyncIterator[App]:
    async with running_app(
        tmp_path / "bot.sqlite3", questions_open_limit=10, questions_per_day=2
    ) as running:
        yield running


async def test_daily_flood_limit(strict: App) -> None:
    app = strict
    t = app.t("ru")
    await person(app, 6300)
    c = app.client(6300)
    await ask(c, app, "Первый вопрос о границах территории ТОС")
    await ask(c, app, "Второй вопрос о границах территории ТОС")
    await c.send("/ask")
    text = c.last_text() or ""
    assert text.startswith("За сутки вы задали 2 вопроса")
    async with app.repo() as repo:
        first = (await repo.questions.get(1)) or None
        assert first is not None
        until = first.created_at + timedelta(hours=24)
        refusal = await qs.blocked(repo, 6300, qs.Limits(10, 2), datetime.now(UTC))
        assert refusal is not None and refusal.until == until
        # A day later the oldest leaves the window.
        assert await qs.blocked(repo, 6300, qs.Limits(10, 2), until) is None
    # Reaching Send after the limit (a second device) is refused there too.
    async with app.repo() as repo:
        draft = qs.Draft(LEGAL, "Третий вопрос о границах ТОС", [], False, False)
        result = await qs.ask(repo, 6300, draft, qs.Limits(10, 2), datetime.now(UTC))
    assert isinstance(result, qs.Blocked) and result.reason is qs.Refusal.FLOOD
    assert t("questions-sent", number=3) not in c.texts()


async def test_nudges_experts_then_admins_once_each(app: App) -> None:
    t = app.t("ru")
    asked_at = datetime.now(UTC) - timedelta(hours=200)
    await person(app, 6400)
    await expert(app, 6401, LEGAL)
    await expert(app, 6402, LEGAL)
    await expert(app, 6403, GRANTS)
    await person(app, 6404, roles=(Role.ADMIN,))
    waiting = await _asked(app, 6400, asked_at)
    held = await _asked(app, 6400, asked_at)
    fresh = await _asked(app, 6400, asked_at + timedelta(hours=190))
    async with app.repo() as repo:
        assert await qs.take(repo, held, 6402, asked_at) is qs.Take.TAKEN
    sender = app.application.outbox
    await sender.drain(wait=True)  # the "new question" notifications of the setup

    def nudges(uid: int) -> list[str]:
        return [s for s in app.client(uid).texts() if s.startswith("⏰")]

    # 47 hours after asking: nothing yet.
    assert (
        await nudge_questions(app.session_factory, app.settings, asked_at + timedelta(hours=47))
        == 0
    )
    # 49 hours: the waiting question's experts; the held one's holder only; not the fresh one.
    at_49 = asked_at + timedelta(hours=49)
    assert await nudge_questions(app.session_factory, app.settings, at_49) == 3
    await sender.drain(wait=True)
    assert len(nudges(6401)) == 1 and f"№{waiting}" in nudges(6401)[0]
    assert len(nudges(6402)) == 2  # the waiting one, and the one it holds
    assert nudges(6403) == [] and nudges(6404) == [] and nudges(ADMIN_ID) == []
    assert nudges(6400) == []  # never the asker
    # Again at 60 hours: once is once.
    assert (
        await nudge_questions(app.session_factory, app.settings, asked_at + timedelta(hours=60))
        == 0
    )
    # 97 hours: the admins (both of them), for the two old questions.
    assert (
        await nudge_questions(app.session_factory, app.settings, asked_at + timedelta(hours=97))
        == 4
    )
    await sender.drain(wait=True)
    assert len(nudges(6404)) == 2 and len(nudges(ADMIN_ID)) == 2
    assert nudges(6404)[0] == t(
        "questions-nudge-admins", number=waiting, topic="Юридические вопросы", hours=97
    )
    # The fresh one's turn comes 48 hours after it was asked.
    at_fresh = asked_at + timedelta(hours=190 + 49)
    assert await nudge_questions(app.session_factory, app.settings, at_fresh) == 2
    assert (await question(app, fresh)).nudged_experts_at == at_fresh


async def test_nudge_dropped_when_answered_before_sending(app: App) -> None:
    asked_at = datetime.now(UTC) - timedelta(hours=50)
    await person(app, 6500)
    await expert(app, 6501, LEGAL)
    qid = await _asked(app, 6500, asked_at)
    await app.application.outbox.drain(wait=True)
    async with app.repo() as repo:
        await qs.nudge(repo, datetime.now(UTC), timedelta(hours=48), timedelta(hours=96))
        assert await qs.take(repo, qid, 6501, datetime.now(UTC)) is qs.Take.TAKEN
        assert await qs.answer(repo, qid, 6501, "Ответ эксперта", [], datetime.now(UTC))
    await app.application.outbox.drain(wait=True)
    assert [s for s in app.client(6501).texts() if s.startswith("⏰")] == []
