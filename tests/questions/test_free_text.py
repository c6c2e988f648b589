"""Text typed outside any dialog that reads as a question: the FAQ's matching answers and the
way to an expert, not "I did not understand" (issue 16, item 12)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.services.questions import looks_like_question
from tests.harness import App
from tests.questions.helpers import LEGAL, person


async def publish_entry(app: App, question: str, answer: str) -> int:
    now = datetime.now(UTC)
    async with app.repo() as repo:
        entry = await repo.faq.add_draft(
            question_id=None,
            topic_id=LEGAL,
            question=question,
            answer=answer,
            expert_id=None,
            show_expert=False,
            now=now,
        )
        await repo.faq.publish(entry.id, now)
        return entry.id


async def test_question_the_faq_answers_gets_its_entries(app: App) -> None:
    t = app.t()
    entry = await publish_entry(
        app, "Как создать ТОС в многоквартирном доме?", "Провести собрание..."
    )
    await person(app, 9601)
    c = app.client(9601)
    await c.send("Как создать ТОС?")
    assert c.last_text() == t("faq-suggested", count=1)
    assert c.buttons() == ["Как создать ТОС в многоквартирном доме?", t("menu-ask")]
    await c.click("Как создать ТОС в многоквартирном доме?")
    assert "Провести собрание" in (c.last_text() or "")
    await c.click(t("faq-back-button"))
    assert c.last_text() == t("faq-results", query="Как создать ТОС?", count=1)
    assert entry > 0


@pytest.mark.parametrize("lang", ["ru", "en"])
async def test_question_without_answer_leads_to_an_expert(app: App, lang: str) -> None:
    t = app.t(lang)
    await person(app, 9602, lang=lang)
    c = app.client(9602, lang)
    await c.send("Где взять деньги на детскую площадку?")
    assert c.last_text() == t("faq-suggest-ask")
    await c.click(t("menu-ask"))
    assert c.last_text() == t("questions-ask-text", min=10, max=3000)


async def test_other_text_is_still_not_understood(app: App) -> None:
    t = app.t()
    await person(app, 9603)
    c = app.client(9603)
    await c.send("ЛЕТО2026")
    assert c.last_text() == t("fallback-not-understood")


def test_what_reads_as_a_question() -> None:
    assert looks_like_question("Как создать ТОС")
    assert looks_like_question("а устав где взять?")
    assert looks_like_question("How do I register a TOS")
    assert not looks_like_question("Спасибо")
    assert not looks_like_question("ЛЕТО2026")
    assert not looks_like_question("")
