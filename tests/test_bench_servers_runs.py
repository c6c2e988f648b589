"""The registration and broadcast benchmarks keep working on PostgreSQL + Redis, with one and
with two instances (worker processes), and check their own results (their numbers are not
asserted: timing is no test's business). They need TEST_POSTGRES_URL and TEST_REDIS_URL
(`eval "$(tools/test_servers.sh)"`, as .ci/run does): skipped without them locally, failed
without them in CI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.harness import ON_SERVERS

# The benchmarks make databases of their own on the server; once per suite run is enough.
pytestmark = pytest.mark.skipif(ON_SERVERS, reason="the benchmarks' smoke tests run once")

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def servers() -> None:
    missing = [name for name in ("TEST_POSTGRES_URL", "TEST_REDIS_URL") if not os.environ.get(name)]
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"{', '.join(missing)} not set; .ci/run starts the servers")
        pytest.skip(f'{", ".join(missing)} not set (eval "$(tools/test_servers.sh)")')


def bench(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *args, "--backend", "postgres"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


@pytest.mark.parametrize("instances", [1, 2])
def test_registration_benchmark_on_servers(servers: None, tmp_path: Path, instances: int) -> None:
    out = tmp_path / "registration.json"
    result = bench(
        "bench.registration",
        *("--people", "10", "--warmup", "2", "--instances", str(instances)),
        *("--results", str(out)),
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "registered users in DB: 10 (expected 10)" in result.stdout
    assert f"PostgreSQL + Redis, {instances} instance" in result.stdout
    summary = json.loads(out.read_text())
    assert summary["ok"] and summary["backend"] == "postgres"
    assert summary["instances"] == instances and summary["registered_users"] == 10
    assert summary["registration"]["updates"] == 100
    if instances == 2:
        shares = summary["per_instance"]
        assert [s["instance"] for s in shares] == ["a", "b"]
        assert [s["people"] for s in shares] == [5, 5]
        assert sum(s["updates"] for s in shares) == 100
        assert all(s["exit_code"] == 0 and not s["logged"].get("ERROR") for s in shares)


def test_broadcast_benchmark_with_two_instances(servers: None, tmp_path: Path) -> None:
    out = tmp_path / "broadcast.json"
    result = bench(
        "bench.broadcast",
        *("--recipients", "300", "--slow-recipients", "40", "--instances", "2"),
        *("--results", str(out)),
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "self-checks: OK" in result.stdout and "instance b" in result.stdout
    summary = json.loads(out.read_text())
    assert summary["ok"] and summary["failures"] == []
    assert summary["backend"] == "postgres" and summary["instances"] == 2
    fast, slow = summary["fast"], summary["slow"]
    assert fast["rate_per_instance"] == 450 and slow["rate_per_instance"] == 12.5
    assert fast["counted"] == fast["queued"] == fast["copies"] == 300
    assert fast["statuses"] == {"sent": 300} and fast["report"] == {"sent": 300}
    assert fast["broadcast_status"] == slow["broadcast_status"] == "done"
    # Each copy was made by one instance: the split adds up.
    assert [s["instance"] for s in fast["per_instance"]] == ["a", "b"]
    assert sum(s["copies"] for s in fast["per_instance"]) == 300
    assert sum(s["copies"] for s in slow["per_instance"]) == 40
    assert slow["answered_429"] == slow["shared_429"] == 0
