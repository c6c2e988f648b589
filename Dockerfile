FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 UV_PYTHON_DOWNLOADS=never \
    UV_PROJECT_ENVIRONMENT=/opt/venv PATH="/opt/venv/bin:$PATH"
RUN pip install --no-cache-dir "uv==0.13.8"

WORKDIR /app
COPY pyproject.toml uv.lock README.md ./
RUN uv sync --frozen --no-dev --no-install-project
COPY bot ./bot
COPY handlers ./handlers
COPY db ./db
COPY locales ./locales
COPY alembic.ini ./
RUN uv sync --frozen --no-dev

RUN useradd --create-home --uid 10001 bot && mkdir -p /app/data && chown bot:bot /app/data
USER bot
VOLUME ["/app/data"]
EXPOSE 8080
CMD ["python", "-m", "bot"]
