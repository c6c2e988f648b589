"""Expert questions: topics, experts' topics, questions with their threads, and the posts of
the experts' group. The state changes are single conditional UPDATEs (`... WHERE status =
'new'`), so of two experts pressing Take at once exactly one wins, on any engine."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import case, delete, exists, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import (
    ExpertTopic,
    FaqEntry,
    Question,
    QuestionMessage,
    QuestionPost,
    QuestionTopic,
    User,
    UserRole,
)

OPEN = ("new", "taken")  # what counts against the asker's limit, and what may be nudged
# The asker is not banned: a banned person's questions are hidden from the experts.
ASKER_ALLOWED = ~exists().where(User.id == Question.asker_id, User.banned_at.is_not(None))


def _count(result: Any) -> int:
    return int(result.rowcount)


class QuestionRepo:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    # ---- topics --------------------------------------------------------------------------

    async def topics(self, *, with_hidden: bool = False) -> list[QuestionTopic]:
        query = select(QuestionTopic).order_by(QuestionTopic.position, QuestionTopic.id)
        if not with_hidden:
            query = query.where(QuestionTopic.hidden.is_(False))
        return list(await self._s.scalars(query))

    async def topic(self, topic_id: int) -> QuestionTopic | None:
        return await self._s.get(QuestionTopic, topic_id)

    async def add_topic(self, name_ru: str, name_en: str) -> QuestionTopic:
        last = await self._s.scalar(select(func.max(QuestionTopic.position)))
        topic = QuestionTopic(
            name_ru=name_ru, name_en=name_en, position=int(last or 0) + 1, hidden=False
        )
        self._s.add(topic)
        await self._s.flush()
        return topic

    async def rename_topic(self, topic_id: int, name_ru: str, name_en: str) -> bool:
        result = await self._s.execute(
            update(QuestionTopic)
            .where(QuestionTopic.id == topic_id)
            .values(name_ru=name_ru, name_en=name_en)
        )
        self._s.expire_all()
        return bool(_count(result))

    async def set_topic_hidden(self, topic_id: int, hidden: bool) -> bool:
        result = await self._s.execute(
            update(QuestionTopic).where(QuestionTopic.id == topic_id).values(hidden=hidden)
        )
        self._s.expire_all()
        return bool(_count(result))

    # ---- experts' topics -----------------------------------------------------------------

    async def topics_of(self, user_id: int) -> set[int]:
        rows = await self._s.scalars(
            select(ExpertTopic.topic_id).where(ExpertTopic.user_id == user_id)
        )
        return set(rows)

    async def toggle_expert_topic(self, user_id: int, topic_id: int) -> bool:
        """Give the expert the topic, or take it away; True if it is theirs now."""
        removed = await self._s.execute(
            delete(ExpertTopic).where(
                ExpertTopic.user_id == user_id, ExpertTopic.topic_id == topic_id
            )
        )
        if _count(removed):
            return False
        await self._s.execute(insert(ExpertTopic).values(user_id=user_id, topic_id=topic_id))
        return True

    async def experts_of(self, topic_id: int) -> list[int]:
        """People who hold the expert role now and answer this topic."""
        rows = await self._s.scalars(
            select(ExpertTopic.user_id)
            .join(UserRole, UserRole.user_id == ExpertTopic.user_id)
            .where(ExpertTopic.topic_id == topic_id, UserRole.role == "expert")
            .order_by(ExpertTopic.user_id)
        )
        return list(rows)

    # ---- questions -----------------------------------------------------------------------

    async def add(self, **fields: Any) -> Question:
        question = Question(**fields)
        self._s.add(question)
        await self._s.flush()
        return question

    async def get(self, question_id: int) -> Question | None:
        """Read afresh (a conditional UPDATE may have changed it in this transaction)."""
        found: Question | None = await self._s.get(Question, question_id, populate_existing=True)
        return found

    async def count_open(self, asker_id: int) -> int:
        return int(
            await self._s.scalar(
                select(func.count())
                .select_from(Question)
                .where(Question.asker_id == asker_id, Question.status.in_(OPEN))
            )
            or 0
        )

    async def asked_since(self, asker_id: int, since: datetime) -> list[datetime]:
        """When the person asked the questions of the window, oldest first (the flood limit)."""
        rows = await self._s.scalars(
            select(Question.created_at)
            .where(Question.asker_id == asker_id, Question.created_at > since)
            .order_by(Question.created_at)
        )
        return list(rows)

    async def of_asker(self, asker_id: int, offset: int, limit: int) -> tuple[list[Question], int]:
        where = Question.asker_id == asker_id
        total = await self._s.scalar(select(func.count()).select_from(Question).where(where))
        rows = await self._s.scalars(
            select(Question).where(where).order_by(Question.id.desc()).offset(offset).limit(limit)
        )
        return list(rows), int(total or 0)

    async def waiting(
        self, topic_ids: Sequence[int] | None, offset: int, limit: int
    ) -> tuple[list[Question], int]:
        """New questions of the topics (None: all), oldest first; and how many there are."""
        where = [Question.status == "new", ASKER_ALLOWED]
        if topic_ids is not None:
            where.append(Question.topic_id.in_(list(topic_ids)))
        total = await self._s.scalar(select(func.count()).select_from(Question).where(*where))
        rows = await self._s.scalars(
            select(Question)
            .where(*where)
            .order_by(Question.waiting_since, Question.id)
            .offset(offset)
            .limit(limit)
        )
        return list(rows), int(total or 0)

    async def taken_by(self, expert_id: int) -> list[Question]:
        rows = await self._s.scalars(
            select(Question)
            .where(Question.expert_id == expert_id, Question.status == "taken", ASKER_ALLOWED)
            .order_by(Question.waiting_since, Question.id)
        )
        return list(rows)

    async def take(self, question_id: int, expert_id: int, now: datetime) -> bool:
        """Assign a new question to the expert; False if someone was first (or it is gone)."""
        result = await self._s.execute(
            update(Question)
            .where(Question.id == question_id, Question.status == "new", ASKER_ALLOWED)
            .values(status="taken", expert_id=expert_id, taken_at=now)
        )
        return bool(_count(result))

    async def release(self, question_id: int, expert_id: int) -> bool:
        result = await self._s.execute(
            update(Question)
            .where(
                Question.id == question_id,
                Question.status == "taken",
                Question.expert_id == expert_id,
            )
            .values(status="new", expert_id=None, taken_at=None)
        )
        return bool(_count(result))

    async def mark_answered(self, question_id: int, expert_id: int, now: datetime) -> bool:
        """Only the expert holding it answers it, once per wait."""
        result = await self._s.execute(
            update(Question)
            .where(
                Question.id == question_id,
                Question.status == "taken",
                Question.expert_id == expert_id,
            )
            .values(status="answered", answered_at=now)
        )
        return bool(_count(result))

    async def follow_up(self, question_id: int, asker_id: int, now: datetime) -> bool:
        """The asker's one follow-up: back to the expert who answered (to the queue if they
        are gone), waiting from now, nudges anew."""
        result = await self._s.execute(
            update(Question)
            .where(
                Question.id == question_id,
                Question.asker_id == asker_id,
                Question.status == "answered",
                Question.follow_up_used.is_(False),
            )
            .values(
                status=case((Question.expert_id.is_(None), "new"), else_="taken"),
                follow_up_used=True,
                waiting_since=now,
                nudged_experts_at=None,
                nudged_admins_at=None,
            )
        )
        return bool(_count(result))

    async def rate(self, question_id: int, asker_id: int, rating: str, now: datetime) -> bool:
        """The asker's rating closes the question (once)."""
        result = await self._s.execute(
            update(Question)
            .where(
                Question.id == question_id,
                Question.asker_id == asker_id,
                Question.status == "answered",
                Question.rating.is_(None),
            )
            .values(rating=rating, status="closed", closed_at=now)
        )
        return bool(_count(result))

    async def withdraw(self, question_id: int, asker_id: int, now: datetime) -> bool:
        result = await self._s.execute(
            update(Question)
            .where(
                Question.id == question_id,
                Question.asker_id == asker_id,
                Question.status.in_(OPEN),
            )
            .values(status="closed", closed_at=now)
        )
        return bool(_count(result))

    async def claim_nudges(
        self, column: str, waited_since: datetime, now: datetime
    ) -> list[Question]:
        """Open questions waiting since before `waited_since` not nudged yet (`column`:
        nudged_experts_at or nudged_admins_at), marked nudged in this transaction so a second
        run (or instance) finds none."""
        mark = getattr(Question, column)
        rows = await self._s.scalars(
            update(Question)
            .where(
                Question.status.in_(OPEN),
                Question.waiting_since <= waited_since,
                mark.is_(None),
                ASKER_ALLOWED,
            )
            .values({column: now})
            .returning(Question),
            execution_options={"synchronize_session": False, "populate_existing": True},
        )
        return sorted(rows, key=lambda q: q.id)

    # ---- the thread ----------------------------------------------------------------------

    async def add_message(
        self,
        question_id: int,
        kind: str,
        author_id: int | None,
        text: str,
        attachments: list[dict[str, Any]],
        now: datetime,
    ) -> QuestionMessage:
        message = QuestionMessage(
            question_id=question_id,
            kind=kind,
            author_id=author_id,
            text=text,
            attachments=attachments,
            created_at=now,
        )
        self._s.add(message)
        await self._s.flush()
        return message

    async def messages(self, question_id: int) -> list[QuestionMessage]:
        rows = await self._s.scalars(
            select(QuestionMessage)
            .where(QuestionMessage.question_id == question_id)
            .order_by(QuestionMessage.id)
        )
        return list(rows)

    async def latest_answer(self, question_id: int) -> QuestionMessage | None:
        found: QuestionMessage | None = await self._s.scalar(
            select(QuestionMessage)
            .where(QuestionMessage.question_id == question_id, QuestionMessage.kind == "answer")
            .order_by(QuestionMessage.id.desc())
            .limit(1)
        )
        return found

    # ---- the experts' group --------------------------------------------------------------

    async def set_forum(self, question_id: int, chat_id: int, thread_id: int) -> None:
        await self._s.execute(
            update(Question)
            .where(Question.id == question_id)
            .values(forum_chat_id=chat_id, forum_thread_id=thread_id)
        )

    async def by_thread(self, chat_id: int, thread_id: int) -> Question | None:
        found: Question | None = await self._s.scalar(
            select(Question).where(
                Question.forum_chat_id == chat_id, Question.forum_thread_id == thread_id
            )
        )
        return found

    async def add_post(
        self, chat_id: int, message_id: int, question_id: int, now: datetime
    ) -> None:
        self._s.add(
            QuestionPost(
                chat_id=chat_id, message_id=message_id, question_id=question_id, created_at=now
            )
        )
        await self._s.flush()

    async def by_post(self, chat_id: int, message_id: int) -> int | None:
        found: int | None = await self._s.scalar(
            select(QuestionPost.question_id).where(
                QuestionPost.chat_id == chat_id, QuestionPost.message_id == message_id
            )
        )
        return found

    async def unposted(self, since: datetime) -> list[Question]:
        """Open questions since `since` that have no forum topic yet (a failed post)."""
        rows = await self._s.scalars(
            select(Question)
            .where(
                Question.status.in_(OPEN),
                Question.forum_thread_id.is_(None),
                Question.created_at >= since,
                ASKER_ALLOWED,
            )
            .order_by(Question.id)
        )
        return list(rows)

    # ---- personal data -------------------------------------------------------------------

    async def asked_by(self, user_id: int) -> list[Question]:
        rows = await self._s.scalars(
            select(Question).where(Question.asker_id == user_id).order_by(Question.id)
        )
        return list(rows)

    async def written_by(self, user_id: int) -> list[QuestionMessage]:
        """Answers an expert wrote (and follow-ups an asker wrote)."""
        rows = await self._s.scalars(
            select(QuestionMessage)
            .where(QuestionMessage.author_id == user_id)
            .order_by(QuestionMessage.id)
        )
        return list(rows)

    async def forget_asker(self, user_id: int) -> list[int]:
        """Erasure of an asker: their questions go (threads and posts with them); FAQ drafts of
        them too, since nobody has anonymised them yet; published entries stay, cut loose.
        Returns the ids of the questions removed."""
        ids = list(await self._s.scalars(select(Question.id).where(Question.asker_id == user_id)))
        if ids:
            await self._s.execute(
                delete(FaqEntry).where(FaqEntry.question_id.in_(ids), FaqEntry.status == "draft")
            )
            await self._s.execute(delete(Question).where(Question.id.in_(ids)))
        return ids

    async def forget_expert(self, user_id: int) -> list[tuple[int, int]]:
        """Erasure of an expert: what they hold goes back to the queue; their answers stay
        with the askers, without the chat their files were sent from. Returns (question,
        message) of their answers."""
        await self._s.execute(
            update(Question)
            .where(Question.expert_id == user_id, Question.status == "taken")
            .values(status="new", expert_id=None, taken_at=None)
        )
        written = await self.written_by(user_id)
        for message in written:
            message.attachments = [
                {k: v for k, v in a.items() if k not in ("chat_id", "message_id")}
                for a in message.attachments
            ]
        await self._s.flush()
        return [(m.question_id, m.id) for m in written]
