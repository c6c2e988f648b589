"""What the benchmarks share to run on PostgreSQL + Redis, with one or two instances.

* `add_arguments` / `backend_from_args`: `--backend sqlite|postgres`, `--postgres-url` and
  `--redis-url` (defaulting to TEST_POSTGRES_URL and TEST_REDIS_URL, as `eval "$(tools/
  test_servers.sh)"` sets them), `--instances 1|2`.
* `Backend`: a database of its own per run on the PostgreSQL server (created empty or
  migrated, dropped at the end) and a Redis key prefix of its own (its keys deleted at the
  end); the settings that point an application at them.
* `ServerCpu`: the CPU the servers spent, where they run on this machine: the PostgreSQL
  backends serving the run's database (from pg_stat_activity and /proc) and the Redis server
  (its INFO, which counts every client's work, other users' included).
* `Worker` (the benchmark's side) and `WorkerChannel` (the worker's side): a second instance is
  a process of its own (`python -m bench.<module> --worker CONFIG`), which runs the production
  application and takes commands as JSON lines on its stdin, answering on its stdout (lines
  starting with MARK; anything else there is passed through). Its stderr is the benchmark's.

Monotonic times are comparable between the processes: on Linux `time.monotonic()` is
CLOCK_MONOTONIC, one clock for the whole machine.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import os
import sys
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine
from sqlalchemy.pool import NullPool

MARK = "@@bench "
LOOPBACK = {"127.0.0.1", "localhost", "::1", None, ""}
_names = itertools.count(1)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--backend",
        choices=("sqlite", "postgres"),
        default="sqlite",
        help="sqlite (a file in a temp dir, dialog state in it) or postgres (PostgreSQL for "
        "data, Redis for dialog state and the flood throttle)",
    )
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("TEST_POSTGRES_URL"),
        help="an admin URL of the PostgreSQL server (a database of the run's own is created "
        "on it and dropped); default: $TEST_POSTGRES_URL",
    )
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("TEST_REDIS_URL"),
        help="the Redis server (keys under a prefix of the run's own, deleted at the end); "
        "default: $TEST_REDIS_URL",
    )
    parser.add_argument(
        "--instances",
        type=int,
        choices=(1, 2),
        default=1,
        help="1: the application in this process; 2: two worker processes, each running the "
        "production application (postgres only)",
    )
    parser.add_argument("--worker", help=argparse.SUPPRESS)  # a worker process's config


def backend_from_args(parser: argparse.ArgumentParser, args: argparse.Namespace) -> Backend:
    if args.backend == "sqlite":
        if args.instances != 1:
            parser.error("two instances need --backend postgres (one SQLite file, one process)")
        return Backend("sqlite")
    if not args.postgres_url or not args.redis_url:
        parser.error(
            "--backend postgres needs --postgres-url and --redis-url (or TEST_POSTGRES_URL and "
            'TEST_REDIS_URL: eval "$(tools/test_servers.sh)")'
        )
    if not args.postgres_url.startswith("postgresql+asyncpg://"):
        parser.error("--postgres-url must be postgresql+asyncpg://user@host:port/database")
    return Backend("postgres", args.postgres_url, args.redis_url)


@contextlib.asynccontextmanager
async def _admin(url: str) -> AsyncIterator[AsyncConnection]:
    """A connection to the server's admin database, outside transactions (CREATE DATABASE)."""
    engine = create_async_engine(url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    try:
        async with engine.connect() as conn:
            yield conn
    finally:
        await engine.dispose()


@dataclass
class Backend:
    name: str  # sqlite | postgres
    postgres_url: str | None = None  # the server's admin URL
    redis_url: str | None = None
    databases: list[str] = field(default_factory=list)  # made by this run, dropped by cleanup
    prefixes: list[str] = field(default_factory=list)  # Redis key prefixes of this run

    @property
    def servers(self) -> bool:
        return self.name == "postgres"

    def label(self, instances: int) -> str:
        if not self.servers:
            return "SQLite, 1 instance"
        return f"PostgreSQL + Redis, {instances} instance{'s' if instances > 1 else ''}"

    async def new_database(self, label: str, *, migrated: bool) -> str:
        """A new database on the server (migrated to head if asked); its SQLAlchemy URL."""
        assert self.postgres_url is not None
        name = f"bench_{label}_{os.getpid()}_{next(_names)}"
        async with _admin(self.postgres_url) as admin:
            await admin.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            await admin.execute(text(f'CREATE DATABASE "{name}"'))
        self.databases.append(name)
        url = make_url(self.postgres_url).set(database=name).render_as_string(hide_password=False)
        if migrated:
            from db.engine import create_engine
            from db.migrate import upgrade

            engine = create_engine(url)
            try:
                await upgrade(engine)
            finally:
                await engine.dispose()
        return url

    def new_prefix(self, label: str) -> str:
        prefix = f"bench-{label}-{os.getpid()}-{next(_names)}"
        self.prefixes.append(prefix)
        return prefix

    def overrides(self, database_url: str, prefix: str) -> dict[str, Any]:
        """Settings (for tests.harness.make_settings) pointing at the run's database and
        Redis prefix."""
        return {"database_url": database_url, "redis_url": self.redis_url, "redis_prefix": prefix}

    async def cleanup(self) -> None:
        """Drop the run's databases and delete its Redis keys."""
        if self.databases and self.postgres_url:
            async with _admin(self.postgres_url) as admin:
                for name in reversed(self.databases):
                    await admin.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            self.databases.clear()
        if self.prefixes and self.redis_url:
            from redis.asyncio import Redis

            client = Redis.from_url(self.redis_url)
            try:
                for prefix in self.prefixes:
                    keys = [key async for key in client.scan_iter(match=f"{prefix}:*", count=1000)]
                    for start in range(0, len(keys), 1000):
                        await client.delete(*keys[start : start + 1000])
            finally:
                await client.aclose()
            self.prefixes.clear()


def server_info(backend: Backend) -> dict[str, Any]:
    """What the JSON results say about the servers (no credentials)."""
    if not backend.servers:
        return {}
    assert backend.postgres_url and backend.redis_url
    pg, redis = make_url(backend.postgres_url), make_url(backend.redis_url)
    return {
        "postgres": f"{pg.host}:{pg.port}",
        "redis": f"{redis.host}:{redis.port}",
    }


# ---- the servers' CPU --------------------------------------------------------------------------


def _proc_cpu(pid: int) -> float | None:
    """utime + stime of a process of this machine, in seconds (None if unreadable)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


class ServerCpu:
    """CPU seconds the PostgreSQL backends of one database and the Redis server spent between
    `start()` and `stop()`. Only for servers on this machine's loopback (a remote server's
    pids mean nothing here); None where it cannot be read.

    PostgreSQL runs a process per connection, and a pool closes its overflow connections when
    they come back, so the backends of the database are looked up (pg_stat_activity, over one
    admin connection kept open) and their CPU read from /proc every SAMPLE seconds: a backend
    that closes loses at most its last SAMPLE seconds. Redis is one process for all its
    clients: its own INFO figures, which count other users of the server too."""

    SAMPLE = 0.2

    def __init__(self, backend: Backend, database_url: str) -> None:
        self.backend = backend
        self.database = make_url(database_url).database
        pg_host = make_url(backend.postgres_url).host if backend.postgres_url else "remote"
        redis_host = make_url(backend.redis_url).host if backend.redis_url else "remote"
        self.local_pg = backend.servers and pg_host in LOOPBACK and sys.platform == "linux"
        self.local_redis = backend.servers and redis_host in LOOPBACK
        self._base: dict[int, float] = {}  # backend pid → CPU seconds at the start
        self._last: dict[int, float] = {}  # backend pid → CPU seconds at its last reading
        self._redis_base: float | None = None
        self._task: asyncio.Task[None] | None = None
        self._admin: contextlib.AbstractAsyncContextManager[AsyncConnection] | None = None
        self._conn: AsyncConnection | None = None
        self.backends_seen = 0

    async def start(self) -> None:
        if self.local_pg and self.backend.postgres_url:
            self._admin = _admin(self.backend.postgres_url)
            self._conn = await self._admin.__aenter__()
            self._base = await self._backends()
            self._last = dict(self._base)
            self._task = asyncio.create_task(self._sample())
        self._redis_base = await self._redis()

    async def stop(self) -> dict[str, float | None]:
        postgres: float | None = None
        if self._task is not None and self._conn is not None and self._admin is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._last.update(await self._backends())
            await self._admin.__aexit__(None, None, None)
            self._task = self._conn = self._admin = None
            spent = (cpu - self._base.get(pid, 0.0) for pid, cpu in self._last.items())
            postgres = round(sum(spent), 3)
            self.backends_seen = len(self._last)
        redis_end = await self._redis()
        redis = (
            round(redis_end - self._redis_base, 3)
            if redis_end is not None and self._redis_base is not None
            else None
        )
        backends = float(self.backends_seen) if postgres is not None else None
        return {"postgres_cpu_s": postgres, "postgres_backends": backends, "redis_cpu_s": redis}

    async def _sample(self) -> None:
        while True:
            await asyncio.sleep(self.SAMPLE)
            self._last.update(await self._backends())

    async def _backends(self) -> dict[int, float]:
        assert self._conn is not None
        pids = await self._conn.scalars(
            text("SELECT pid FROM pg_stat_activity WHERE datname = :name"),
            {"name": self.database},
        )
        found = {}
        for pid in pids:
            cpu = _proc_cpu(int(pid))
            if cpu is not None:
                found[int(pid)] = cpu
        return found

    async def _redis(self) -> float | None:
        if not (self.local_redis and self.backend.redis_url):
            return None
        from redis.asyncio import Redis

        client = Redis.from_url(self.backend.redis_url)
        try:
            info = await client.info("cpu")
            return float(info["used_cpu_sys"]) + float(info["used_cpu_user"])
        except Exception:  # an old server or a restricted INFO: no figure, no failure
            return None
        finally:
            await client.aclose()


# ---- worker processes ---------------------------------------------------------------------------


class Worker:
    """A worker process seen from the benchmark: start it, send commands, read its answers."""

    LIMIT = 2**27  # an answer line may carry every arrival time of a drain

    def __init__(self, module: str, name: str, config: dict[str, Any]) -> None:
        self.module = module
        self.name = name
        self.config = {"name": name, **config}
        self.proc: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        self.proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            self.module,
            "--worker",
            json.dumps(self.config),
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            limit=self.LIMIT,
        )

    async def send(self, command: str, **args: Any) -> None:
        assert self.proc is not None and self.proc.stdin is not None
        self.proc.stdin.write((json.dumps({"command": command, **args}) + "\n").encode())
        await self.proc.stdin.drain()

    async def receive(self, timeout: float) -> dict[str, Any]:  # noqa: ASYNC109
        """The worker's next answer (a failed worker raises, with its exit code)."""
        assert self.proc is not None and self.proc.stdout is not None
        async with asyncio.timeout(timeout):
            while True:
                line = await self.proc.stdout.readline()
                if not line:
                    code = await self.proc.wait()
                    raise RuntimeError(f"worker {self.name} exited with code {code}")
                text = line.decode()
                if text.startswith(MARK):
                    answer: dict[str, Any] = json.loads(text[len(MARK) :])
                    if answer.get("event") == "error":
                        raise RuntimeError(f"worker {self.name}: {answer.get('error')}")
                    return answer
                sys.stdout.write(f"[{self.name}] {text}")

    async def ask(self, command: str, timeout: float, **args: Any) -> dict[str, Any]:  # noqa: ASYNC109
        await self.send(command, **args)
        return await self.receive(timeout)

    async def stop(self, timeout: float = 30) -> int:  # noqa: ASYNC109
        """Ask it to close its application and exit; killed if it does not."""
        if self.proc is None:
            return 0
        if self.proc.returncode is not None:
            return self.proc.returncode
        with contextlib.suppress(BrokenPipeError, ConnectionResetError, RuntimeError):
            await self.send("exit")
        try:
            return await asyncio.wait_for(self.proc.wait(), timeout)
        except TimeoutError:
            self.proc.kill()
            return await self.proc.wait()


class WorkerChannel:
    """A worker's side: commands from stdin, answers on stdout."""

    def __init__(self) -> None:
        self._reader: asyncio.StreamReader | None = None

    async def _open(self) -> asyncio.StreamReader:
        if self._reader is None:
            loop = asyncio.get_running_loop()
            reader = asyncio.StreamReader(limit=Worker.LIMIT)
            await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
            self._reader = reader
        return self._reader

    async def command(self) -> dict[str, Any]:
        """The next command; {"command": "exit"} when the benchmark has gone."""
        line = await (await self._open()).readline()
        if not line:
            return {"command": "exit"}
        command: dict[str, Any] = json.loads(line)
        return command

    @staticmethod
    def answer(event: str, **values: Any) -> None:
        sys.stdout.write(MARK + json.dumps({"event": event, **values}) + "\n")
        sys.stdout.flush()


def now() -> float:
    """The machine-wide monotonic clock (see the module's docstring)."""
    return time.monotonic()
