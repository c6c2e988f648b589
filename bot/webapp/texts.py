"""The page's own texts: the messages of locales/<lang>/dashboard.ftl, served to the page as
JSON. A message with variables comes with `{name}` where each goes; the page fills them in
(its texts use no plural forms, so the client needs no Fluent)."""

from __future__ import annotations

from functools import cache

from fluent.syntax import FluentParser, ast
from fluent.syntax.visitor import Visitor

from bot.i18n import Translator

SOURCE = "dashboard.ftl"


class _Variables(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()

    def visit_VariableReference(self, node: ast.VariableReference) -> None:
        self.names.add(node.id.name)


@cache
def _messages(source: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    found = []
    for entry in FluentParser().parse(source).body:
        if isinstance(entry, ast.Message):
            variables = _Variables()
            variables.visit(entry)
            found.append((entry.id.name, tuple(sorted(variables.names))))
    return tuple(found)


def page_texts(translator: Translator, lang: str) -> dict[str, str]:
    t = translator.for_locale(lang)
    source = translator.sources[t.locale][SOURCE]
    return {key: t(key, **{v: "{" + v + "}" for v in names}) for key, names in _messages(source)}
