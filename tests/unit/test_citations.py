"""Every citation of 131-FZ art. 27 the bot shows (code, texts, document templates) names a part
that exists in the article's table in bot/data/law/131-fz.json."""

from __future__ import annotations

import re
from pathlib import Path

from docx import Document as open_docx

from bot.services.law import cited_parts, load_profiles

ROOT = Path(__file__).resolve().parents[2]
# English comments and texts: "131-FZ art. 27 part 7", "part 6 of art. 27".
ENGLISH = re.compile(r"art(?:icle|\.)\s*27,?\s+parts?\s+(\d+(?:\.\d+)?)", re.IGNORECASE)


def _texts() -> dict[str, str]:
    texts: dict[str, str] = {}
    for folder, pattern in (
        ("bot", "*.py"),
        ("handlers", "*.py"),
        ("tools", "*.py"),
        ("locales", "*.ftl"),
        ("bot/data", "*.json"),
    ):
        for path in (ROOT / folder).rglob(pattern):
            texts[str(path.relative_to(ROOT))] = path.read_text(encoding="utf-8")
    for path in (ROOT / "bot" / "templates" / "tos").glob("*.docx"):
        word = open_docx(str(path))
        lines = [p.text for p in word.paragraphs]
        lines += [c.text for table in word.tables for row in table.rows for c in row.cells]
        texts[str(path.relative_to(ROOT))] = "\n".join(lines)
    return texts


def test_every_cited_part_of_article_27_exists() -> None:
    article = load_profiles()["131-fz"].article
    assert article is not None
    found: dict[str, list[str]] = {}
    for name, text in _texts().items():
        parts = cited_parts(text, article.cite) + ENGLISH.findall(text)
        if parts:
            found[name] = parts
    unknown = {name: [p for p in parts if p not in article.parts] for name, parts in found.items()}
    assert {name: parts for name, parts in unknown.items() if parts} == {}
    # The scan sees citations at all: the profile and the reminders' comment cite parts.
    assert "bot/data/law/131-fz.json" in found
    assert found["bot/services/reminders.py"] == ["7"]
