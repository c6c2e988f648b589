"""Online backups of the bot's database, safe while the bot runs (`python -m bot backup` and
the scheduled job, see bot/scheduler.py).

- SQLite: SQLite's own backup API over a connection of its own (in a worker thread), all
  pages in one step, so the copy is one consistent moment of the database, the write-ahead
  log included (a plain file copy of a database in WAL mode can miss the log or catch it
  half-written). In WAL mode the bot's writes go on meanwhile. The copy is switched to a
  rollback journal (one self-contained file), checked with `PRAGMA quick_check` and only
  then renamed into place.
- PostgreSQL: `pg_dump --format=custom` (restore with `pg_restore`), the password passed in
  its environment, never on its command line. Without pg_dump: one line saying so.

Backups hold personal data: files are made readable by their owner only (0600), and belong
on a server in Russia like the database itself (152-FZ art. 18 part 5).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy.engine import make_url

# bot-20261101T020000Z.sqlite3 or .dump: names sort by time, and retention touches only these.
NAME = re.compile(r"^bot-\d{8}T\d{6}Z\.(sqlite3|dump)$")
PG_DUMP_TIMEOUT = 3600.0  # seconds: a stuck dump does not hold a scheduled job for ever


class BackupError(RuntimeError):
    """A backup that could not be made: one line for the operator (no password in it)."""


@dataclass(frozen=True, slots=True)
class Made:
    path: Path
    size: int


def file_name(url: str, now: datetime) -> str:
    suffix = "sqlite3" if make_url(url).get_backend_name() == "sqlite" else "dump"
    return f"bot-{now.strftime('%Y%m%dT%H%M%SZ')}.{suffix}"


def target_of(url: str, to: Path | None, folder: Path, now: datetime) -> Path:
    """Where the backup goes: `to` (a file, or a folder to put a named file in), else a named
    file in `folder`."""
    if to is not None and not to.is_dir():
        return to
    return (to or folder) / file_name(url, now)


async def make_backup(url: str, target: Path) -> Made:
    """Back the database at `url` up into `target` (replaced if it exists)."""
    parsed = make_url(url)
    part = target.with_name(target.name + ".part")
    await asyncio.to_thread(_folder, target.parent)
    try:
        if parsed.get_backend_name() == "sqlite":
            await asyncio.to_thread(_sqlite_copy, parsed.database or "", part)
        else:
            await _pg_dump(url, part)
        size = await asyncio.to_thread(_into_place, part, target)
    except BaseException:
        await asyncio.to_thread(part.unlink, missing_ok=True)
        raise
    return Made(target, size)


def _folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BackupError(f"cannot create the folder {folder} ({exc.strerror})") from exc


def _into_place(part: Path, target: Path) -> int:
    part.chmod(0o600)
    part.replace(target)
    return target.stat().st_size


def _sqlite_copy(source: str, part: Path) -> None:
    path = Path(source)
    if not source or source == ":memory:" or not path.is_file():
        raise BackupError(f"DATABASE_URL: {source or ':memory:'} is not a database file")
    # mode=rw: a missing file is an error, not a new empty database.
    src = sqlite3.connect(f"{path.resolve().as_uri()}?mode=rw", uri=True, timeout=30)
    try:
        with contextlib.suppress(OSError):
            part.unlink()
        dst = sqlite3.connect(part)
        try:
            src.backup(dst)  # pages=-1: every page in one step, one consistent read
            dst.execute("PRAGMA journal_mode=DELETE")  # one file, no -wal beside it
            verdict = dst.execute("PRAGMA quick_check").fetchone()[0]
        finally:
            dst.close()
    except sqlite3.Error as exc:
        raise BackupError(f"SQLite: {path}: {exc}") from exc
    finally:
        src.close()
    if verdict != "ok":
        raise BackupError(f"the copy of {path} failed its check: {verdict}")


def pg_dump_command(url: str, part: Path) -> tuple[list[str], dict[str, str]]:
    """pg_dump's arguments and environment for the database at `url` (the password in
    PGPASSWORD: a command line is visible to every user of the machine)."""
    exe = shutil.which("pg_dump")
    if exe is None:
        raise BackupError(
            "pg_dump not found: install PostgreSQL's client tools"
            " (Debian: apt-get install postgresql-client) of the server's version or newer"
        )
    parsed = make_url(url)
    env = dict(os.environ)
    if parsed.password:
        env["PGPASSWORD"] = str(parsed.password)
    args = [exe, "--format=custom", "--no-password", f"--file={part}"]
    if parsed.host:
        args.append(f"--host={parsed.host}")
    if parsed.port:
        args.append(f"--port={parsed.port}")
    if parsed.username:
        args.append(f"--username={parsed.username}")
    args.append(f"--dbname={parsed.database or 'postgres'}")
    return args, env


async def _pg_dump(url: str, part: Path) -> None:
    args, env = pg_dump_command(url, part)
    proc = await asyncio.create_subprocess_exec(
        *args,
        env=env,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        async with asyncio.timeout(PG_DUMP_TIMEOUT):
            _out, err = await proc.communicate()
    except BaseException:  # timed out or cancelled (a stopping bot): no dump left running
        with contextlib.suppress(ProcessLookupError):
            proc.kill()
        await proc.wait()
        raise
    if proc.returncode != 0:
        lines = [line.strip() for line in err.decode(errors="replace").splitlines()]
        errors = [line.partition("error:")[2].strip() for line in lines if "error:" in line]
        reason = (errors or [line for line in lines if line] or [f"exit {proc.returncode}"])[0]
        password = make_url(url).password
        if password:
            reason = reason.replace(str(password), "***")
        raise BackupError(f"pg_dump failed: {reason}")


def prune(folder: Path, keep: int) -> list[Path]:
    """Keep the newest `keep` backups in `folder` (only files named as this module names
    them); returns the ones removed."""
    if not folder.is_dir():
        return []
    ours = sorted(p for p in folder.iterdir() if p.is_file() and NAME.match(p.name))
    removed = ours[: max(len(ours) - keep, 0)]
    for path in removed:
        path.unlink(missing_ok=True)
    return removed
