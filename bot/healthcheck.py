"""The container's health check: `python bot/healthcheck.py` asks the running bot's /healthz
(polling mode: WEB_PORT, default 8090; webhook mode: WEBHOOK_PORT, default 8080) on this
machine and exits 0 on 200, 1 otherwise, printing the answer's reason.

Run as a file, not with -m: importing the `bot` package imports aiogram, a second of CPU at
every check. Only the standard library here; the settings come from the environment, as
Docker and compose pass them (`--env-file`, `env_file:`), or from a .env file in the folder
the check runs in."""

from __future__ import annotations

import os
import sys
import urllib.error
import urllib.request
from pathlib import Path

TIMEOUT = 4.0  # seconds; below the Dockerfile's --timeout


def _settings() -> dict[str, str]:
    found: dict[str, str] = {}
    env_file = Path(".env")
    if env_file.is_file():
        for line in env_file.read_text(encoding="utf-8").splitlines():
            name, sep, value = line.partition("=")
            if sep and not name.lstrip().startswith("#"):
                found[name.strip().upper()] = value.strip().strip("'\"")
    found.update({k.upper(): v for k, v in os.environ.items()})
    return found


def url(settings: dict[str, str]) -> str:
    prefix, default = (
        ("WEBHOOK", "8080")
        if settings.get("RUN_MODE", "").lower() == "webhook"
        else ("WEB", "8090")
    )
    host = settings.get(f"{prefix}_HOST") or "0.0.0.0"  # noqa: S104 - a name, not a bind
    port = settings.get(f"{prefix}_PORT") or default
    if host in ("0.0.0.0", "::", ""):  # noqa: S104 - listening everywhere: ask loopback
        host = "127.0.0.1"
    return f"http://{host}:{port}/healthz"


def main() -> int:
    address = url(_settings())
    try:
        with urllib.request.urlopen(address, timeout=TIMEOUT) as response:  # noqa: S310
            print(response.read().decode(errors="replace"))
            return 0
    except urllib.error.HTTPError as exc:  # 503: the reason is in the body
        print(f"{exc.code}: {exc.read().decode(errors='replace')}")
    except (OSError, ValueError) as exc:
        print(f"{address}: {exc}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
