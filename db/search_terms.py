"""Search terms for the FAQ: words become Snowball stems (Russian or English by alphabet), and
looser keys for the Russian morphology the stemmer leaves apart.

Snowball alone does not bring "регистрация устава" and "зарегистрировать устав" together: it
gives регистрац / зарегистрирова and устав / уста (it reads "устав" as a gerund). So every stem
also yields loose keys: its first four letters, and the same after a verbal prefix (за-, пере-,
под-...) when enough is left of it. An entry is indexed with both; a query asks for both, and the
ranking weighs exact stems (and the question's words) above loose keys (and the answer's).

Pure text work, no database: `db/repositories/faq.py` indexes entries with `document` and
matches a `Query` (SQLite FTS5 over these terms; another engine can take `Query.text` as it
is, e.g. PostgreSQL's 'russian' configuration).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

_WORD = re.compile(r"[^\W\d_]+|\d+")
_CYRILLIC = re.compile(r"[а-я]")
LOOSE_LENGTH = 4
# Verbal and adjectival prefixes worth looking past; one-letter ones (с-, у-, о-, в-) would
# break far more words than they join.
PREFIXES = (
    "пере",
    "недо",
    "пред",
    "без",
    "бес",
    "раз",
    "рас",
    "воз",
    "вос",
    "под",
    "при",
    "про",
    "над",
    "об",
    "от",
    "за",
    "до",
    "из",
    "ис",
    "вы",
    "на",
    "по",
    "вз",
)
MIN_AFTER_PREFIX = 5
MAX_QUERY_WORDS = 40
# Words that say nothing about the subject (the question words people start with).
# Words that say nothing about the subject (the question words people start with); a list
# literal would take a line per word.
STOP_WORDS = frozenset(
    """
    а без более бы был была были было быть в вам вас ваш ваша ваше ваши весь во вот все всё
    всего всех вы где да даже для до его ее её если есть еще ещё же за здесь и из или им их к
    как какая какие каким каких какой когда кто ли либо мне мной можно мы на над надо нам нас
    наш наша наше наши не него нее неё нет ни них но ну нужно о об однако он она они оно от
    очень по под после при про с со так также там те тем то того тоже той только том ту тут у
    уже хотим хочу хотя чего чей чем через что чтобы чья эта эти это этот я
    a an and are as at be by can do does for from how i in is it of on or our that the to we
    what when where which who why will with you your
    """.split()  # noqa: SIM905
)


@cache
def _stemmer(language: str) -> Any:
    import snowballstemmer  # at the first search, not on every start

    return snowballstemmer.stemmer(language)


def words(text: str) -> list[str]:
    """Lower-case words without the stop words (ё read as е)."""
    found = _WORD.findall(text.lower().replace("ё", "е"))
    return [w for w in found if w not in STOP_WORDS]


def stem(word: str) -> str:
    language = "russian" if _CYRILLIC.search(word) else "english"
    result: str = _stemmer(language).stemWord(word)
    return result


def loose(stemmed: str) -> list[str]:
    """The stem's first letters, and the same past a prefix when enough is left."""
    keys = [stemmed[:LOOSE_LENGTH]]
    for prefix in PREFIXES:
        rest = stemmed[len(prefix) :]
        if stemmed.startswith(prefix) and len(rest) >= MIN_AFTER_PREFIX:
            key = rest[:LOOSE_LENGTH]
            if key not in keys:
                keys.append(key)
    return keys


@dataclass(frozen=True, slots=True)
class Document:
    """What the index keeps of a text: stems and loose keys, space-separated, repeats kept
    (they count in the ranking)."""

    exact: str
    loose: str


def document(text: str) -> Document:
    stems = [stem(w) for w in words(text)]
    return Document(" ".join(stems), " ".join(k for s in stems for k in loose(s)))


@dataclass(frozen=True, slots=True)
class Concept:
    """One word of a query: its stem, and the loose keys that also count as a match."""

    exact: str
    loose: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Query:
    text: str  # as typed (an engine with its own morphology may prefer it)
    concepts: tuple[Concept, ...]

    @property
    def empty(self) -> bool:
        return not self.concepts

    def needed(self) -> int:
        """How many of the query's words an entry must match to be offered: two (one for a
        one-word query), so a long question does not pull in entries sharing a single word."""
        return min(2, len(self.concepts))

    def matched(self, exact: set[str], loose_keys: set[str]) -> int:
        return sum(
            1 for c in self.concepts if c.exact in exact or any(k in loose_keys for k in c.loose)
        )


def query(text: str) -> Query:
    concepts: dict[str, Concept] = {}
    for word in words(text)[: MAX_QUERY_WORDS * 2]:
        stemmed = stem(word)
        if stemmed and stemmed not in concepts:
            concepts[stemmed] = Concept(stemmed, tuple(loose(stemmed)))
        if len(concepts) >= MAX_QUERY_WORDS:
            break
    return Query(text, tuple(concepts.values()))
