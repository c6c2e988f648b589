"""What `python -m bot` imports before its first getUpdates: libraries used only by some
dialogs (documents, calendar files, QR codes, the FAQ's stemmer) wait for their first use."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LATER = ("jinja2", "docxtpl", "icalendar", "segno", "snowballstemmer", "openpyxl", "alembic")


def test_the_application_imports_no_library_of_a_single_dialog() -> None:
    code = (
        "import sys, bot.app, bot.factory; "
        f"print(','.join(m for m in {LATER!r} if m in sys.modules))"
    )
    found = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.strip()
    assert found == ""
