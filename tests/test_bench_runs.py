"""The benchmark keeps working (its numbers are not asserted: timing is no test's business)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

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
