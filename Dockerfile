FROM python:3.11-slim

# Bytecode compiled at build time (UV_COMPILE_BYTECODE for the packages, compileall for the
# bot's own code): a container's start does not compile some 1,500 modules from source.
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 UV_PYTHON_DOWNLOADS=never \
    UV_COMPILE_BYTECODE=1 UV_PROJECT_ENVIRONMENT=/opt/venv PATH="/opt/venv/bin:$PATH"
RUN pip install --no-cache-dir "uv==0.13.8"

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
EXPOSE 8080
CMD ["python", "-m", "bot"]
