"""FAQ search quality on a fixed corpus: for paraphrased queries the expected entry ranks first
(SQLite FTS5 over Snowball stems and loose keys, and the portable path other engines use)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from db.repositories import Repo
from db.search_terms import document, loose, query, stem
from tests.harness import App, running_app
from tests.questions.corpus import ENTRIES, QUERIES

TOPICS = {"legal": 1, "accounting": 2, "grants": 3, "improvement": 4, "smm": 5, "creating": 6}


@pytest.fixture
async def app(tmp_path: Path) -> AsyncIterator[App]:
    async with running_app(tmp_path / "bot.sqlite3") as running:
        yield running


async def _load(repo: Repo) -> list[int]:
    now = datetime.now(UTC)
    ids = []
    for n, (q, a, topic) in enumerate(ENTRIES):
        entry = await repo.faq.add_draft(
            question_id=None,
            topic_id=TOPICS[topic],
            question=q,
            answer=a,
            expert_id=None,
            show_expert=False,
            now=now - timedelta(days=n),
        )
        await repo.faq.publish(entry.id, now)
        ids.append(entry.id)
    return ids


def test_the_morphology_the_issue_names() -> None:
    """Snowball alone leaves регистрац / зарегистрирова and устав / уста apart; the loose
    keys bring them together."""
    asked, indexed = query("регистрация устава"), document("зарегистрировать устав")
    assert {c.exact for c in asked.concepts} == {"регистрац", "устав"}
    assert set(indexed.exact.split()) == {"зарегистрирова", "уста"}
    assert asked.matched(set(indexed.exact.split()), set(indexed.loose.split())) == 2
    assert loose(stem("зарегистрировать")) == ["заре", "реги"]
    assert query("как и что можно ли").empty  # stop words only


async def test_expected_entry_ranks_first(app: App) -> None:
    async with app.repo() as repo:
        ids = await _load(repo)
        hits = 0
        misses = []
        for text, expected in QUERIES:
            found = await repo.faq.search(query(text), 5)
            if found and found[0].entry.id == ids[expected]:
                hits += 1
            else:
                misses.append((text, [f.entry.id for f in found]))
    assert hits >= 8, misses
    print(f"FAQ search ({repo.session.get_bind().dialect.name}): {hits}/10 first")


async def test_portable_path_ranks_as_well(app: App) -> None:
    """The path engines without an index of their own take (neither SQLite nor PostgreSQL
    now), checked so it stays usable."""
    async with app.repo() as repo:
        ids = await _load(repo)
        hits = 0
        for text, expected in QUERIES:
            found = await repo.faq._search_portable(query(text), 5)
            hits += bool(found) and found[0].entry.id == ids[expected]
    assert hits >= 8


async def test_only_published_entries_are_found(app: App) -> None:
    async with app.repo() as repo:
        ids = await _load(repo)
        wanted = query("регистрация устава")
        assert (await repo.faq.search(wanted, 5))[0].entry.id == ids[0]
        assert await repo.faq.unpublish(ids[0], datetime.now(UTC))
        assert ids[0] not in [f.entry.id for f in await repo.faq.search(wanted, 5)]
        # Edited and published again: found by its new words, not the old ones.
        await repo.faq.edit(ids[0], datetime.now(UTC), question="Как оформить печать ТОС?")
        await repo.faq.publish(ids[0], datetime.now(UTC))
        assert (await repo.faq.search(query("нужна ли печать ТОС"), 5))[0].entry.id == ids[0]
        # Unrelated words find nothing rather than something.
        assert await repo.faq.search(query("погода футбол концерт"), 5) == []
