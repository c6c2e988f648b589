"""The benchmark keeps working (its numbers are not asserted: timing is no test's business)."""

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


def test_registration_benchmark_runs_and_checks_itself() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bench.registration", "--people", "10", "--warmup", "2"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert "registered users in DB: 10 (expected 10)" in result.stdout
    assert "ratio" in result.stdout


def test_events_benchmark_runs_and_checks_itself(tmp_path: Path) -> None:
    """Tiny numbers: capacities scale with --people, so events fill and waitlists form."""
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.events",
            *("--people", "20", "--users", "200", "--events", "12", "--warmup", "3"),
            *("--results", str(tmp_path / "events.json")),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert "self-checks: OK" in result.stdout
    assert "sign-ups/s" in result.stdout and "ratio" in result.stdout
    summary = json.loads((tmp_path / "events.json").read_text())
    assert summary["ok"] and summary["signups"] == 20
    statuses = summary["signups_by_status"]
    assert statuses.get("waitlisted") and statuses.get("signed_up") and statuses.get("pending")


def test_process_benchmark_runs_both_processes(tmp_path: Path) -> None:
    results = tmp_path / "process.json"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.process",
            *("--people", "4", "--warmup", "1", "--rate", "20", "--results", str(results)),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    figures = json.loads(results.read_text())["figures"]
    assert [f["bot"] for f in figures] == ["echo (bare aiogram)", "bot (registration)"]
    assert all(f["updates"] == 40 and f["cpu_ms_per_update"] > 0 for f in figures)
    assert "CPU per update:" in result.stdout
