# Two commands do everything on a fresh machine: `make run` and `make test`.
UV_VERSION := 0.13.8
UV := $(shell command -v uv 2>/dev/null || echo "python3 -m uv")
RUN := $(UV) run --frozen

.PHONY: setup run test lint migrate revision bench bench-servers

setup:
	@command -v uv >/dev/null 2>&1 || python3 -m uv --version >/dev/null 2>&1 \
		|| python3 -m pip install --quiet "uv==$(UV_VERSION)"
	@$(UV) sync --frozen --quiet

run: setup  ## run the bot with the settings from .env
	$(RUN) python -m bot

# With TEST_POSTGRES_URL and TEST_REDIS_URL set (`eval "$$(tools/test_servers.sh)"`, as .ci/run
# does), the whole suite runs a second time on PostgreSQL and Redis.
test: setup lint  ## lint, type-check and run the whole test suite (twice with the servers)
	$(RUN) pytest
	@if [ -n "$$TEST_POSTGRES_URL" ] && [ -n "$$TEST_REDIS_URL" ]; then \
		echo "== the suite again, on PostgreSQL and Redis =="; \
		TEST_ON_SERVERS=1 $(RUN) pytest; \
	fi

lint: setup
	$(RUN) ruff check .
	$(RUN) ruff format --check .
	$(RUN) mypy

migrate: setup  ## upgrade the database without starting the bot
	$(RUN) python -m bot migrate

revision: setup  ## make a migration from model changes: make revision m="what changed"
	$(RUN) alembic revision --autogenerate -m "$(m)"

bench: setup  ## the registration, events, outbox and broadcast benchmarks (see README)
	$(RUN) python -m bench.registration --people 1000
	$(RUN) python -m bench.events --people 10000 --users 100000 --events 100
	$(RUN) python -m bench.outbox --rows 10000 --slow-rows 600
	$(RUN) python -m bench.broadcast --recipients 100000 --slow-recipients 1000

# The registration and broadcast benchmarks again on PostgreSQL + Redis, with one instance and
# with two (worker processes); needs TEST_POSTGRES_URL and TEST_REDIS_URL
# (`eval "$$(tools/test_servers.sh)"`). The two instances share the broadcast's 900/s.
bench-servers: setup  ## the registration and broadcast benchmarks on PostgreSQL + Redis, 1 and 2 instances
	$(RUN) python -m bench.registration --people 1000 --backend postgres
	$(RUN) python -m bench.registration --people 1000 --backend postgres --instances 2
	$(RUN) python -m bench.broadcast --recipients 100000 --slow-recipients 1000 --backend postgres
	$(RUN) python -m bench.broadcast --recipients 100000 --slow-recipients 1000 --backend postgres --instances 2
