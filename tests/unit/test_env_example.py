""".env.example names every setting, and works with `docker run --env-file`, which takes
everything after `=` as the value: a trailing comment would become part of it."""

from __future__ import annotations

import re
from pathlib import Path

from bot.config import Settings

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / ".env.example"
# NAME=value, or the same commented out: "# NAME=value".
ASSIGNMENT = re.compile(r"^(?:#\s*)?([A-Z][A-Z0-9_]*)=(.*)$")


def _assignments() -> list[tuple[str, str]]:
    lines = EXAMPLE.read_text(encoding="utf-8").splitlines()
    return [(m[1], m[2]) for line in lines if (m := ASSIGNMENT.match(line))]


def test_every_setting_is_listed_once() -> None:
    names = [name for name, _value in _assignments()]
    assert sorted(names) == sorted(name.upper() for name in Settings.model_fields)
    assert len(names) == len(set(names))


def test_no_comment_after_a_value() -> None:
    for name, value in _assignments():
        assert not re.search(r"\s#", value), f"{name}: a comment after the value"
        assert value == value.strip(), f"{name}: spaces around the value"


def test_the_examples_are_valid_settings(tmp_path: Path) -> None:
    """Every line uncommented (the webhook's and the dashboard's together) still loads."""
    env = tmp_path / ".env"
    env.write_text("\n".join(f"{n}={v}" for n, v in _assignments()) + "\n", encoding="utf-8")
    settings = Settings(_env_file=env)  # type: ignore[call-arg]
    assert settings.bot_token.get_secret_value().startswith("123456789:")
    assert settings.shutdown_timeout == 8
