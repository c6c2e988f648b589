"""The outbox benchmark keeps working (its numbers are not asserted: timing is no test's
business, except the one its self-checks hold: no 429 at the API's own rate)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.harness import ON_SERVERS

# The benchmarks build their own SQLite files; the SQLite pass runs their smoke tests.
pytestmark = pytest.mark.skipif(ON_SERVERS, reason="the benchmarks' smoke tests run on SQLite")

ROOT = Path(__file__).resolve().parents[1]


def test_outbox_benchmark_runs_and_checks_itself(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.outbox",
            *("--rows", "200", "--slow-rows", "40", "--lead", "1"),
            *("--results", str(tmp_path / "outbox.json")),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert "self-checks: OK" in result.stdout
    assert "achieved rate" in result.stdout and "lateness" in result.stdout
    summary = json.loads((tmp_path / "outbox.json").read_text())
    assert summary["ok"] and summary["failures"] == []
    fast, slow = summary["fast"], summary["slow"]
    assert fast["statuses"] == {"sent": 200} and fast["sent_messages"] == 200
    assert slow["statuses"] == {"sent": 40} and slow["answered_429"] == 0
    assert fast["lateness_p99_s"] >= fast["lateness_p50_s"] >= 0
    assert fast["rss_peak_mb"] > 0 and fast["achieved_rate"] > 0
