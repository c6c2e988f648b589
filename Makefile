# Two commands do everything on a fresh machine: `make run` and `make test`.
UV_VERSION := 0.13.8
# uv on the PATH, or the one `setup` put under .tools/, or pip's. Expanded at each use (`=`),
# so the targets after `setup` find the uv it installed.
FIND_UV = command -v uv 2>/dev/null || ls .tools/bin/uv .tools/venv/bin/uv 2>/dev/null | head -n 1
UV = $(shell $(FIND_UV) || echo "python3 -m uv")
RUN = $(UV) run --frozen

.PHONY: setup run test lint migrate revision bench bench-servers

# Debian 12 and Ubuntu 24.04 refuse `pip install` into the system's Python (PEP 668,
# "externally-managed-environment"); then uv goes into .tools/ (pip --target is allowed
# there, or a virtual environment if this Python has no pip).
setup:
	@uv=$$($(FIND_UV)); \
	if [ -z "$$uv" ]; then \
		if python3 -m uv --version >/dev/null 2>&1 \
			|| python3 -m pip install --quiet "uv==$(UV_VERSION)" >/dev/null 2>&1; then \
			uv="python3 -m uv"; \
		elif python3 -m pip install --quiet --target .tools "uv==$(UV_VERSION)" >/dev/null 2>&1; then \
			uv=.tools/bin/uv; \
		elif python3 -m venv .tools/venv && .tools/venv/bin/pip install --quiet "uv==$(UV_VERSION)"; then \
			uv=.tools/venv/bin/uv; \
		else \
			echo "make: cannot install uv: install pip or venv for python3 (apt-get install python3-pip or python3-venv), or uv itself" >&2; \
			exit 1; \
		fi; \
	fi; \
	$$uv sync --frozen --quiet

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
