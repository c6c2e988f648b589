"""LOG_FORMAT: text lines by default; json gives one object a line with the time (UTC), the
level, the logger, the message and an exception's text. The e2e webhook process runs with
json and its whole log is parsed (tests/e2e/test_webhook.py)."""

from __future__ import annotations

import json
import logging
import warnings
from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest

from bot import logs


@pytest.fixture
def root() -> Iterator[logging.Logger]:
    """The root logger restored after the test (pytest's own handlers included)."""
    logger = logging.getLogger()
    handlers, level = list(logger.handlers), logger.level
    try:
        yield logger
    finally:
        for handler in list(logger.handlers):
            logger.removeHandler(handler)
        for handler in handlers:
            logger.addHandler(handler)
        logger.setLevel(level)
        logging.captureWarnings(False)


def test_json_lines(root: logging.Logger, capsys: pytest.CaptureFixture[str]) -> None:
    logs.configure("INFO", "json")
    log = logging.getLogger("bot.test")
    log.info("update %s handled in %.1f ms", 42, 3.25)
    log.debug("not at INFO")
    try:
        raise ValueError("a bug")
    except ValueError:
        log.exception("update %s failed", 43)
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        warnings.warn("a deprecation", DeprecationWarning, stacklevel=1)
    lines = capsys.readouterr().err.splitlines()
    entries = [json.loads(line) for line in lines]
    assert len(entries) == 3
    first, failed, warned = entries
    assert set(first) == {"time", "level", "logger", "message"}
    assert (first["level"], first["logger"], first["message"]) == (
        "INFO",
        "bot.test",
        "update 42 handled in 3.2 ms",
    )
    assert datetime.fromisoformat(first["time"]).utcoffset() == timedelta(0)
    assert failed["level"] == "ERROR" and failed["message"] == "update 43 failed"
    assert (
        failed["exception"].startswith("Traceback") and "ValueError: a bug" in failed["exception"]
    )
    assert warned["logger"] == "py.warnings" and "a deprecation" in warned["message"]


def test_text_is_the_default(root: logging.Logger, capsys: pytest.CaptureFixture[str]) -> None:
    logs.configure("WARNING")
    logging.getLogger("bot.test").warning("Привет, %s", "мир")
    (line,) = capsys.readouterr().err.splitlines()
    assert line.endswith(" WARNING bot.test: Привет, мир")
