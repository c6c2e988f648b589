"""Per-update cost over real processes: `python -m bot` (polling) against the project's fake
Telegram over HTTP, beside a bare aiogram echo bot (bench/echo_bot.py) under the same load,
in the same run.

What is measured, for each bot
------------------------------
* start-up: from spawning the process to its first getUpdates, the first time (the bot
  migrates its new database then) and again after the load (a restart: the database exists);
* RSS after start: the process's VmRSS a second after that first getUpdates;
* CPU per update: the process's user + system CPU (/proc/<pid>/stat) over the measured load,
  divided by the updates it handled (the fake server and this driver run in another process);
* latency per update served: from putting the update in the queue to the bot's answer in
  that chat (people send their next update only after the answer, so this is service time
  plus polling, not the queue of N people started at once).

The load: `--people` people arrive at `--rate` a second; each goes through the registration
dialog (10 updates: /start, three buttons, the name, the phone as a contact, the region typed
and picked, the municipality, the kind, Confirm). The echo bot gets the same updates in the
same kinds (texts, button presses, a contact) and answers each with one message. Both bots
take at most MAX_CONCURRENT_UPDATES updates at once. `--warmup` people go first, unmeasured.

ratio = bot CPU per update / echo CPU per update (the issue's target: at most 3).

Run: `python -m bench.process [--people 200] [--rate 10] [--warmup 20]`; results also go to
bench/results/process.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from bot.i18n import Translator
from tests.e2e.process import ROOT, BotProcess, Person
from tests.fake_telegram.server import FakeTelegramServer

RESULTS = Path(__file__).resolve().parent / "results" / "process.json"
UPDATES_PER_PERSON = 10
CONCURRENCY = "100"
TICK = os.sysconf("SC_CLK_TCK")
ru = Translator().for_locale("ru")


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process so far (its threads included)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


async def timed(latencies: list[float], step: Awaitable[Any]) -> None:
    started = time.perf_counter()
    await step
    latencies.append(time.perf_counter() - started)


async def register(p: Person, latencies: list[float]) -> None:
    """The registration dialog, each answer awaited (tests/e2e/test_polling.py's texts)."""
    name = "Иванова Анна-Мария Петровна"
    steps: list[Callable[[], Awaitable[Any]]] = [
        lambda: p.send("/start", expect=ru("start-greeting")),
        lambda: p.click(ru("start-register-button"), expect="<b>Согласие на обработку…"),
        lambda: p.click(
            ru("registration-consent-agree"),
            expect="…" + ru("registration-ask-name", step=1, total=5),
        ),
        lambda: p.send(name, expect=ru("registration-ask-phone", step=2, total=5)),
        lambda: p.share_contact(
            f"+7912{p.user_id % 10_000_000:07d}",
            expect=ru("registration-ask-region", step=3, total=5),
        ),
        lambda: p.send("татарстан", expect=ru("registration-region-matches", count=1)),
        lambda: p.click(
            "Республика Татарстан",
            expect="…" + ru("registration-ask-municipality", step=4, total=5),
        ),
        lambda: p.send("г. Казань", expect=ru("registration-ask-kind", step=5, total=5)),
        lambda: p.click(
            ru("kind-resident"), expect="…" + ru("registration-summary", fields="")[:20] + "…"
        ),
        lambda: p.click(
            ru("registration-confirm-button"), expect="…" + ru("registration-done", name=name)
        ),
    ]
    for step in steps:
        await timed(latencies, step())


async def echo(p: Person, latencies: list[float]) -> None:
    """The same kinds of updates in the same order; each answer awaited."""
    updates = p.api.updates
    kinds: list[Callable[[], dict[str, Any]]] = [
        lambda: updates.message(p.user_id, "/start"),
        lambda: updates.callback(p.user_id, "rg1:start", check=False),
        lambda: updates.callback(p.user_id, "rg1:agree", check=False),
        lambda: updates.message(p.user_id, "Иванова Анна-Мария Петровна"),
        lambda: updates.contact(p.user_id, f"+7912{p.user_id % 10_000_000:07d}"),
        lambda: updates.message(p.user_id, "татарстан"),
        lambda: updates.callback(p.user_id, "rg:k:0:16", check=False),
        lambda: updates.message(p.user_id, "г. Казань"),
        lambda: updates.callback(p.user_id, "rg1:kind:resident", check=False),
        lambda: updates.callback(p.user_id, "rg1:confirm", check=False),
    ]
    for make in kinds:
        await timed(latencies, p._push_and_wait(make(), None, 30))


@dataclass
class Figures:
    bot: str
    startup_s: float
    restart_s: float
    rss_after_start_mb: float
    updates: int
    cpu_ms_per_update: float
    p50_ms: float
    p95_ms: float
    p99_ms: float


async def load(
    server: FakeTelegramServer,
    pid: int,
    script: Callable[[Person, list[float]], Awaitable[None]],
    first_id: int,
    people: int,
    rate: float,
) -> tuple[int, float, list[float]]:
    """People arriving at `rate` a second; returns updates, CPU seconds, latencies."""
    latencies: list[float] = []
    before = cpu_seconds(pid)

    async def arrive(n: int) -> None:
        await asyncio.sleep(n / rate)
        await script(Person(server, first_id + n), latencies)

    await asyncio.gather(*(arrive(n) for n in range(people)))
    return people * UPDATES_PER_PERSON, cpu_seconds(pid) - before, latencies


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def started(
    server: FakeTelegramServer, start: Callable[[], Awaitable[int]]
) -> tuple[int, float]:
    """Spawn the bot; its pid and the seconds to its first getUpdates."""
    since = len(server.api.calls)
    spawned = time.perf_counter()
    pid = await start()
    await server.api.wait_for(lambda c: c.method == "getUpdates", 120, since=since)
    return pid, time.perf_counter() - spawned


async def measure(
    name: str,
    server: FakeTelegramServer,
    start: Callable[[], Awaitable[int]],
    stop: Callable[[], Awaitable[None]],
    script: Callable[[Person, list[float]], Awaitable[None]],
    args: argparse.Namespace,
    first_id: int,
) -> Figures:
    pid, startup = await started(server, start)
    await asyncio.sleep(1.0)
    rss = rss_mb(pid)
    await load(server, pid, script, first_id, args.warmup, args.rate)
    updates, cpu, latencies = await load(
        server, pid, script, first_id + args.warmup, args.people, args.rate
    )
    await stop()
    server.api.interrupt_polls()
    _pid, restart = await started(server, start)
    await stop()
    server.api.interrupt_polls()
    return Figures(
        name,
        round(startup, 2),
        round(restart, 2),
        round(rss, 1),
        updates,
        round(1000 * cpu / updates, 3),
        round(1000 * statistics.median(latencies), 1),
        round(1000 * percentile(latencies, 0.95), 1),
        round(1000 * percentile(latencies, 0.99), 1),
    )


async def run(args: argparse.Namespace) -> list[Figures]:
    figures = []
    with tempfile.TemporaryDirectory() as tmp:
        async with FakeTelegramServer() as server:
            echo_proc: list[asyncio.subprocess.Process] = []

            async def start_echo() -> int:
                env = {
                    **os.environ,
                    "PYTHONPATH": str(ROOT),
                    "BOT_TOKEN": server.token,
                    "TELEGRAM_API_URL": server.base_url,
                    "MAX_CONCURRENT_UPDATES": CONCURRENCY,
                }
                proc = await asyncio.create_subprocess_exec(
                    sys.executable, "-m", "bench.echo_bot", cwd=tmp, env=env
                )
                echo_proc.append(proc)
                return proc.pid

            async def stop_echo() -> None:
                echo_proc[-1].terminate()
                await echo_proc[-1].wait()

            bot = BotProcess(
                server,
                Path(tmp),
                RUN_MODE="polling",
                LOG_LEVEL="WARNING",
                MAX_CONCURRENT_UPDATES=CONCURRENCY,
                THROTTLE_RATE="1000000",
            )

            async def start_bot() -> int:
                await bot.start()
                assert bot.proc is not None
                return bot.proc.pid

            async def stop_bot() -> None:
                await bot.stop()

            try:
                figures.append(
                    await measure(
                        "echo (bare aiogram)", server, start_echo, stop_echo, echo, args, 50_000_000
                    )
                )
                figures.append(
                    await measure(
                        "bot (registration)",
                        server,
                        start_bot,
                        stop_bot,
                        register,
                        args,
                        60_000_000,
                    )
                )
            finally:
                for proc in echo_proc:
                    if proc.returncode is None:
                        proc.kill()
                await bot.stop()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.process", description=__doc__)
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--rate", type=float, default=10.0, help="people arriving a second")
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--results", type=Path, default=RESULTS)
    args = parser.parse_args()
    figures = asyncio.run(run(args))
    echo_figures, bot_figures = figures
    ratio = bot_figures.cpu_ms_per_update / echo_figures.cpu_ms_per_update
    print(
        "| bot | start-up s | restart s | RSS after start MB | updates | CPU ms/update | p50 | "
        "p95 | p99 ms |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for f in figures:
        print(
            f"| {f.bot} | {f.startup_s} | {f.restart_s} | {f.rss_after_start_mb} | {f.updates:,} | "
            f"{f.cpu_ms_per_update} | {f.p50_ms} | {f.p95_ms} | {f.p99_ms} |"
        )
    startup = bot_figures.startup_s / echo_figures.startup_s
    restart = bot_figures.restart_s / echo_figures.restart_s
    rss = bot_figures.rss_after_start_mb / echo_figures.rss_after_start_mb
    print(
        f"\nCPU per update: {ratio:.2f}x echo; start-up {startup:.2f}x (new database), "
        f"{restart:.2f}x (restart); RSS {rss:.2f}x"
    )
    args.results.parent.mkdir(parents=True, exist_ok=True)
    args.results.write_text(
        json.dumps(
            {
                "args": {k: str(v) for k, v in vars(args).items()},
                "figures": [asdict(f) for f in figures],
                "ratio": round(ratio, 2),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
