"""FAQ entries and their search.

`search` is the one way in: on SQLite it matches the terms of bot/services/faq_search.py in an
FTS5 index (`faq_fts`, rowid = the entry's id, kept in step here on publish, edit and
unpublish) and ranks with BM25, the question's words above the answer's and exact stems above
loose keys. Other engines take the portable path (the same terms matched in Python over the
published entries) until a native one is written: for PostgreSQL, a tsvector with the
'russian' configuration over the raw text behind this same method.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, exists, func, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import FAQ_SEARCH_INDEX, FaqEntry, Question, User
from db.search_terms import MAX_QUERY_WORDS, Document, Query, document, words

# Entries from the questions of a banned asker are hidden (bot/services/moderation.py).
NOT_FROM_BANNED = ~exists().where(
    Question.id == FaqEntry.question_id,
    User.id == Question.asker_id,
    User.banned_at.is_not(None),
)

# BM25 weights of the index's columns: question stems, question loose keys, answer stems,
# answer loose keys.
WEIGHTS = (4.0, 2.0, 1.5, 0.75)
CANDIDATES = 30  # ranked by the index, then checked for enough matched words

# The statements name the index literally (FAQ_SEARCH_INDEX) and the weights (WEIGHTS).
assert FAQ_SEARCH_INDEX == "faq_fts"
_INDEX = text(
    "INSERT INTO faq_fts (rowid, q_exact, q_loose, a_exact, a_loose)"
    " VALUES (:id, :q_exact, :q_loose, :a_exact, :a_loose)"
)
_UNINDEX = text("DELETE FROM faq_fts WHERE rowid = :id")
# PostgreSQL (migration 0015): the same columns plus a tsvector of the raw question and answer
# through the 'russian' configuration and of the terms through 'simple', weighted as above
# (A: the question, B: its loose keys, C: the answer, D: its loose keys).
INDEX_POSTGRESQL = text(
    "INSERT INTO faq_fts (rowid, q_exact, q_loose, a_exact, a_loose, vector)"
    " VALUES (:id, :q_exact, :q_loose, :a_exact, :a_loose,"
    " setweight(to_tsvector('russian', :question) || to_tsvector('simple', :q_exact), 'A')"
    " || setweight(to_tsvector('simple', :q_loose), 'B')"
    " || setweight(to_tsvector('russian', :answer) || to_tsvector('simple', :a_exact), 'C')"
    " || setweight(to_tsvector('simple', :a_loose), 'D'))"
)
# Candidates: the query's words through 'russian', or its stems and loose keys through
# 'simple'; ts_rank's weights are {D, C, B, A}, in the proportions of SQLite's BM25 weights.
_MATCH_POSTGRESQL = text(
    "SELECT rowid, -ts_rank('{0.1875, 0.375, 0.5, 1.0}', vector, query) AS score,"
    " q_exact || ' ' || a_exact, q_loose || ' ' || a_loose"
    " FROM faq_fts, (SELECT to_tsquery('russian', :words) || to_tsquery('simple', :terms)"
    " AS query) AS asked"
    " WHERE vector @@ query ORDER BY score, rowid LIMIT :limit"
)
_MATCH = text(
    "SELECT rowid, bm25(faq_fts, 4.0, 2.0, 1.5, 0.75) AS score,"
    " q_exact || ' ' || a_exact, q_loose || ' ' || a_loose"
    " FROM faq_fts WHERE faq_fts MATCH :match ORDER BY score LIMIT :limit"
)


@dataclass(frozen=True, slots=True)
class Found:
    entry: FaqEntry
    matched: int  # how many of the query's words it matches
    score: float  # lower is better (BM25 as SQLite gives it)


def _match_expression(query: Query) -> str:
    """FTS5 syntax: each term quoted (terms are letters and digits only), exact stems in the
    stem columns, loose keys in the loose columns."""
    exact = " OR ".join(f'"{c.exact}"' for c in query.concepts)
    loose = " OR ".join(sorted({f'"{k}"' for c in query.concepts for k in c.loose}))
    return f"({{q_exact a_exact}} : ({exact})) OR ({{q_loose a_loose}} : ({loose}))"


def _tsquery_terms(query: Query) -> dict[str, str]:
    """to_tsquery's input, OR-ed: the query's raw words (letters and digits only, so nothing
    of tsquery's syntax) for 'russian', and its stems and loose keys for 'simple'."""
    typed = sorted(set(words(query.text)[:MAX_QUERY_WORDS]))
    terms = sorted({c.exact for c in query.concepts} | {k for c in query.concepts for k in c.loose})
    return {"words": " | ".join(typed), "terms": " | ".join(terms)}


class FaqRepo:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    def _dialect(self) -> str:
        return self._s.get_bind().dialect.name

    def _native(self) -> bool:
        """An index to keep: SQLite's FTS5 table or PostgreSQL's tsvector table."""
        return self._dialect() in ("sqlite", "postgresql")

    async def add_draft(
        self,
        *,
        question_id: int | None,
        topic_id: int,
        question: str,
        answer: str,
        expert_id: int | None,
        show_expert: bool,
        now: datetime,
    ) -> FaqEntry:
        """A draft from an answered question; the same question's draft again is the same
        entry (marking twice makes one)."""
        existing = await self.by_question(question_id) if question_id is not None else None
        if existing is not None:
            return existing
        entry = FaqEntry(
            question_id=question_id,
            topic_id=topic_id,
            question=question,
            answer=answer,
            expert_id=expert_id,
            show_expert=show_expert,
            status="draft",
            created_at=now,
            updated_at=now,
        )
        self._s.add(entry)
        await self._s.flush()
        return entry

    async def get(self, entry_id: int) -> FaqEntry | None:
        found: FaqEntry | None = await self._s.get(FaqEntry, entry_id, populate_existing=True)
        return found

    async def by_question(self, question_id: int) -> FaqEntry | None:
        found: FaqEntry | None = await self._s.scalar(
            select(FaqEntry).where(FaqEntry.question_id == question_id)
        )
        return found

    async def edit(
        self,
        entry_id: int,
        now: datetime,
        *,
        question: str | None = None,
        answer: str | None = None,
        topic_id: int | None = None,
    ) -> FaqEntry | None:
        entry = await self.get(entry_id)
        if entry is None:
            return None
        if question is not None:
            entry.question = question
        if answer is not None:
            entry.answer = answer
        if topic_id is not None:
            entry.topic_id = topic_id
        entry.updated_at = now
        await self._s.flush()
        if entry.status == "published":
            await self._reindex(entry)
        return entry

    async def publish(self, entry_id: int, now: datetime) -> FaqEntry | None:
        """Draft or unpublished → published (and searchable); None if it is gone or public."""
        result = await self._s.execute(
            update(FaqEntry)
            .where(FaqEntry.id == entry_id, FaqEntry.status != "published")
            .values(
                status="published",
                published_at=func.coalesce(FaqEntry.published_at, now),
                updated_at=now,
            )
        )
        if not result.rowcount:  # type: ignore[attr-defined]
            return None
        entry = await self.get(entry_id)
        if entry is not None:
            await self._reindex(entry)
        return entry

    async def unpublish(self, entry_id: int, now: datetime) -> bool:
        result = await self._s.execute(
            update(FaqEntry)
            .where(FaqEntry.id == entry_id, FaqEntry.status == "published")
            .values(status="unpublished", updated_at=now)
        )
        if not result.rowcount:  # type: ignore[attr-defined]
            return False
        if self._native():
            await self._s.execute(_UNINDEX, {"id": entry_id})
        return True

    async def with_status(self, status: str, offset: int, limit: int) -> tuple[list[FaqEntry], int]:
        where = (FaqEntry.status == status, NOT_FROM_BANNED)
        total = await self._s.scalar(select(func.count()).select_from(FaqEntry).where(*where))
        rows = await self._s.scalars(
            select(FaqEntry).where(*where).order_by(FaqEntry.id.desc()).offset(offset).limit(limit)
        )
        return list(rows), int(total or 0)

    async def published_in(
        self, topic_id: int, offset: int, limit: int
    ) -> tuple[list[FaqEntry], int]:
        where = (FaqEntry.status == "published", FaqEntry.topic_id == topic_id, NOT_FROM_BANNED)
        total = await self._s.scalar(select(func.count()).select_from(FaqEntry).where(*where))
        rows = await self._s.scalars(
            select(FaqEntry)
            .where(*where)
            .order_by(FaqEntry.published_at.desc(), FaqEntry.id.desc())
            .offset(offset)
            .limit(limit)
        )
        return list(rows), int(total or 0)

    async def published_counts(self) -> dict[int, int]:
        rows = await self._s.execute(
            select(FaqEntry.topic_id, func.count())
            .where(FaqEntry.status == "published", NOT_FROM_BANNED)
            .group_by(FaqEntry.topic_id)
        )
        return {topic: int(n) for topic, n in rows}

    async def by_expert(self, expert_id: int) -> list[FaqEntry]:
        rows = await self._s.scalars(
            select(FaqEntry).where(FaqEntry.expert_id == expert_id).order_by(FaqEntry.id)
        )
        return list(rows)

    # ---- search --------------------------------------------------------------------------

    async def search(self, query: Query, limit: int) -> list[Found]:
        """Published entries matching enough of the query's words, best first."""
        if query.empty:
            return []
        if not self._native():
            return await self._search_portable(query, limit)
        if self._dialect() == "postgresql":
            rows = (
                await self._s.execute(
                    _MATCH_POSTGRESQL,
                    {**_tsquery_terms(query), "limit": CANDIDATES},
                )
            ).all()
        else:
            rows = (
                await self._s.execute(
                    _MATCH, {"match": _match_expression(query), "limit": CANDIDATES}
                )
            ).all()
        scored = []
        for entry_id, score, exact, loose in rows:
            matched = query.matched(set(exact.split()), set(loose.split()))
            if matched >= query.needed():
                scored.append((int(entry_id), matched, float(score)))
        entries = await self._published(sorted(entry_id for entry_id, _m, _s in scored))
        found = [Found(entries[i], m, s) for i, m, s in scored if i in entries]
        return found[:limit]

    async def _search_portable(self, query: Query, limit: int) -> list[Found]:
        """Any engine: the published entries' terms matched in Python, ranked by the same
        column weights (term frequency only, no length normalisation)."""
        rows = await self._s.scalars(
            select(FaqEntry).where(FaqEntry.status == "published", NOT_FROM_BANNED)
        )
        found = []
        for entry in rows:
            q, a = document(entry.question), document(entry.answer)
            exact, loose = f"{q.exact} {a.exact}".split(), f"{q.loose} {a.loose}".split()
            matched = query.matched(set(exact), set(loose))
            if matched < query.needed():
                continue
            score = -sum(
                weight * column.split().count(term)
                for c in query.concepts
                for weight, column, terms in (
                    (WEIGHTS[0], q.exact, (c.exact,)),
                    (WEIGHTS[1], q.loose, c.loose),
                    (WEIGHTS[2], a.exact, (c.exact,)),
                    (WEIGHTS[3], a.loose, c.loose),
                )
                for term in terms
            )
            found.append(Found(entry, matched, score))
        found.sort(key=lambda f: (f.score, f.entry.id))
        return found[:limit]

    async def _published(self, ids: list[int]) -> dict[int, FaqEntry]:
        if not ids:
            return {}
        rows = await self._s.scalars(
            select(FaqEntry).where(
                FaqEntry.id.in_(ids), FaqEntry.status == "published", NOT_FROM_BANNED
            )
        )
        return {entry.id: entry for entry in rows}

    async def _reindex(self, entry: FaqEntry) -> None:
        if not self._native():
            return
        q: Document = document(entry.question)
        a: Document = document(entry.answer)
        await self._s.execute(_UNINDEX, {"id": entry.id})
        terms = {
            "id": entry.id,
            "q_exact": q.exact,
            "q_loose": q.loose,
            "a_exact": a.exact,
            "a_loose": a.loose,
        }
        if self._dialect() == "postgresql":
            terms |= {"question": entry.question, "answer": entry.answer}
            await self._s.execute(INDEX_POSTGRESQL, terms)
        else:
            await self._s.execute(_INDEX, terms)

    async def reindex_published(self) -> int:
        """Every published entry indexed anew (a database copied from SQLite: `copy-db`)."""
        if not self._native():
            return 0
        entries = list(
            await self._s.scalars(select(FaqEntry).where(FaqEntry.status == "published"))
        )
        for entry in entries:
            await self._reindex(entry)
        return len(entries)

    async def forget_expert(self, user_id: int) -> int:
        """Erasure: entries stay, without the expert (and so without their name)."""
        result = await self._s.execute(
            update(FaqEntry)
            .where(FaqEntry.expert_id == user_id)
            .values(expert_id=None, show_expert=False)
        )
        return int(result.rowcount)  # type: ignore[attr-defined]

    async def remove(self, entry_id: int) -> None:
        if self._native():
            await self._s.execute(_UNINDEX, {"id": entry_id})
        await self._s.execute(delete(FaqEntry).where(FaqEntry.id == entry_id))
