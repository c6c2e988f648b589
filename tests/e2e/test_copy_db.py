"""`python -m bot copy-db`: a SQLite database with people, a TOS, an event, sign-ups, a
broadcast and dialog state, copied into an empty PostgreSQL database through the real CLI;
verified by row counts (and by the copy itself: ids continue after the copied ones)."""

from __future__ import annotations

import asyncio
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.services import broadcasts
from bot.services.broadcasts import Audience
from db.engine import create_engine, create_session_factory
from db.models import Base, Broadcast, Event, OutboxMessage, QuestionTopic, Signup, User
from db.repositories import Repo
from db.search_terms import query
from tests import harness
from tests.e2e.process import ROOT
from tests.harness import running_app
from tests.services.test_broadcasts import fixtures

pytestmark = pytest.mark.skipif(
    harness.ON_SERVERS, reason="copies SQLite into PostgreSQL: the SQLite pass runs it"
)


def _postgres() -> str:
    if not os.environ.get("TEST_POSTGRES_URL"):
        if os.environ.get("CI"):
            pytest.fail("TEST_POSTGRES_URL is not set; .ci/run starts PostgreSQL")
        pytest.skip('no PostgreSQL (eval "$(tools/test_servers.sh)")')
    return harness.postgres_database(f"copy-db-{os.getpid()}-{datetime.now(UTC).timestamp()}")


async def _cli(source: Path, target: str) -> tuple[int, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "REDIS_"))}
    env.update(
        {
            "PYTHONPATH": str(ROOT),
            "BOT_TOKEN": harness.TOKEN,
            "DATABASE_URL": f"sqlite+aiosqlite:///{source}",
        }
    )
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "copy-db",
        "--to",
        target,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    out, _ = await proc.communicate()
    return int(proc.returncode or 0), out.decode()


async def test_sqlite_copied_into_postgresql(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = _postgres()
    source = tmp_path / "bot.sqlite3"
    monkeypatch.setattr(harness, "ON_SERVERS", False)  # the source is SQLite on either pass
    async with running_app(source) as app:
        await fixtures(app)  # five people, a TOS with a member, an event with sign-ups
        organiser = app.client(900)
        await organiser.send("/start")  # the admin's dialog state and a reply
        now = datetime.now(UTC)
        async with app.session_factory() as session:
            repo = Repo(session)
            broadcast = Broadcast(
                organiser_id=None,
                from_chat_id=900,
                message_ids=[1],
                filters=Audience().to_json(),
                status="draft",
                total=0,
                created_at=now,
            )
            session.add(broadcast)
            await session.flush()
            await broadcasts.queue(repo, broadcast, None, now)
            topic = await session.scalar(select(QuestionTopic.id))
            assert topic is not None
            entry = await repo.faq.add_draft(
                question_id=None,
                topic_id=topic,
                question="Как зарегистрировать устав ТОС?",
                answer="Подать устав в администрацию с протоколом собрания.",
                expert_id=None,
                show_expert=False,
                now=now,
            )
            await repo.faq.publish(entry.id, now)
            await session.commit()
    code, out = await _cli(source, target)
    assert code == 0, out
    lines = {line.split()[0]: line.split()[1:] for line in out.splitlines() if "  ok" in line}
    assert set(lines) == {t.name for t in Base.metadata.sorted_tables}
    assert lines["users"][0] == lines["users"][1] and int(lines["users"][0]) >= 6
    assert int(lines["outbox"][0]) >= 5 and int(lines["signups"][0]) == 3
    engine = create_engine(target)
    try:
        async with create_session_factory(engine).begin() as session:
            assert await session.scalar(select(func.count()).select_from(Signup)) == 3
            names = set(await session.scalars(select(User.full_name)))
            assert "Человек 101" in names
            copied = await session.scalar(select(func.max(OutboxMessage.id)))
            repo = Repo(session)
            event = await session.scalar(select(Event))
            assert event is not None and event.starts_at.tzinfo is not None
            await repo.outbox.put(
                [
                    {
                        "recipient_id": 101,
                        "kind": "notice",
                        "payload": {"type": "text", "key": "common-cancelled", "args": {}},
                        "due_at": now,
                        "expires_at": None,
                        "dedupe_key": "after-copy",
                        "created_at": now,
                    }
                ]
            )
            fresh = await repo.outbox.get("after-copy")
            assert fresh is not None and fresh.id > (copied or 0)  # the sequence moved on
            # The FAQ is searchable on PostgreSQL (its index is built anew from the entries).
            found = await repo.faq.search(query("регистрация устава"), 5)
            assert [f.entry.question for f in found] == ["Как зарегистрировать устав ТОС?"]
    finally:
        await engine.dispose()
    again, out = await _cli(source, target)  # the target holds data now: refused
    assert again == 2 and "not new" in out
