"""The committed .docx templates are exactly what tools/make_tos_templates.py makes: a change
to the tool must come with the regenerated templates (and the other way round)."""

from __future__ import annotations

import pytest

from bot.services.tos_documents import TEMPLATES
from tools.make_tos_templates import TEMPLATES as MADE
from tools.make_tos_templates import build


@pytest.mark.parametrize("name", sorted(MADE))
def test_template_is_reproducible(name: str) -> None:
    assert (TEMPLATES / name).read_bytes() == build(name), (
        f"{name} differs from what the tool makes: run python tools/make_tos_templates.py"
    )


def test_every_template_is_made_by_the_tool() -> None:
    assert sorted(p.name for p in TEMPLATES.glob("*.docx")) == sorted(MADE)
