#!/usr/bin/env bash
# Start throwaway PostgreSQL and Redis servers on loopback for the test suite's second pass
# (installed from Debian's packages if missing) and print the variables that point at them:
#   eval "$(tools/test_servers.sh)"
# Data lives under ${TEST_SERVERS_DIR:-/tmp/tos-test-servers}; run it again to reuse them.
set -euo pipefail
dir=${TEST_SERVERS_DIR:-/tmp/tos-test-servers}
pg_port=${TEST_PG_PORT:-55432}
redis_port=${TEST_REDIS_PORT:-56379}
need=()
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
if [ ${#need[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
bin=$(dirname "$(ls -d /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)")
mkdir -p "$dir"
# PostgreSQL refuses to run as root: the cluster belongs to the postgres user when we are root.
as_pg=()
if [ "$(id -u)" = 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
  chown postgres "$dir"
  as_pg=(runuser -u postgres --)
fi
if [ ! -f "$dir/pg/PG_VERSION" ]; then
  "${as_pg[@]}" "$bin/initdb" -D "$dir/pg" -U tos --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
fi
if ! "${as_pg[@]}" "$bin/pg_ctl" -D "$dir/pg" status >/dev/null 2>&1; then
  # Tests, not data: durability off; enough connections for two bot instances and the suite.
  "${as_pg[@]}" "$bin/pg_ctl" -D "$dir/pg" -l "$dir/pg.log" -w start -o \
    "-c listen_addresses=127.0.0.1 -p $pg_port -k $dir -c fsync=off -c synchronous_commit=off \
     -c full_page_writes=off -c max_connections=300" >/dev/null
fi
if ! redis-cli -p "$redis_port" ping >/dev/null 2>&1; then
  redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no \
    --dir "$dir" --daemonize yes --logfile "$dir/redis.log" >/dev/null
  for _ in $(seq 50); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done
fi
echo "export TEST_POSTGRES_URL=postgresql+asyncpg://tos@127.0.0.1:$pg_port/postgres"
echo "export TEST_REDIS_URL=redis://127.0.0.1:$redis_port"
