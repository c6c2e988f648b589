FROM python:3.11-slim

# Bytecode compiled at build time (UV_COMPILE_BYTECODE for the packages, compileall for the
# bot's own code): a container's start does not compile some 1,500 modules from source.
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 UV_PYTHON_DOWNLOADS=never \
    UV_COMPILE_BYTECODE=1 UV_PROJECT_ENVIRONMENT=/opt/venv PATH="/opt/venv/bin:$PATH"
RUN pip install --no-cache-dir "uv==0.13.8"
# pg_dump for `python -m bot backup` and BACKUP_EVERY_HOURS on PostgreSQL (Debian's client is
# as new as the compose profile's postgres:15 or newer, and a newer pg_dump reads older servers).
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml uv.lock README.md ./
RUN uv sync --frozen --no-dev --no-install-project
COPY bot ./bot
COPY handlers ./handlers
COPY db ./db
COPY locales ./locales
COPY alembic.ini ./
RUN uv sync --frozen --no-dev && python -m compileall -q bot handlers db

RUN useradd --create-home --uid 10001 bot && mkdir -p /app/data && chown bot:bot /app/data
USER bot
VOLUME ["/app/data"]
# 8080: webhook mode's server; 8090: polling mode's (/healthz, /metrics, the dashboard).
EXPOSE 8080 8090
# /healthz checks the database and the scheduler; the check asks the port of the run mode.
# Run as a file: `-m bot...` would import aiogram at every check.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "/app/bot/healthcheck.py"]
# On `docker stop` the bot gets SIGTERM and SHUTDOWN_TIMEOUT (8 s) to finish: give it more
# than that (`docker run --stop-timeout 15`; compose sets stop_grace_period).
CMD ["python", "-m", "bot"]
