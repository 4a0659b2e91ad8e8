#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL cluster and redis-server on free loopback ports,
# in a temp dir, exporting DATABASE_URL and CELERY_BROKER_URL; stops both afterwards, also on
# failure. PostgreSQL refuses to run as root, so as root the cluster runs as user `postgres`.
set -euo pipefail

pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$pg_bin/initdb" ] || { echo "PostgreSQL ontbreekt (make test-system-deps)" >&2; exit 1; }
command -v redis-server >/dev/null || { echo "redis-server ontbreekt" >&2; exit 1; }

# In memory (tmpfs) where the machine has one with room: PostgreSQL makes and removes a file per
# table and index at each TRUNCATE, CREATE and DROP, and on this machine's disk (ext4 mounted
# with `discard`) the flush after each transactional test took 0.3 s there against 0.06 s in
# memory. WMO_SERVICES_DIR chooses another place.
services_dir=${WMO_SERVICES_DIR:-/tmp}
if [ -z "${WMO_SERVICES_DIR:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ] \
  && [ "$(df -Pk /dev/shm | awk 'NR == 2 { print $4 }')" -gt $((4 * 1024 * 1024)) ]; then
  services_dir=/dev/shm
fi
tmp=$(mktemp -d "$services_dir/wmo-services.XXXXXX")
chmod 755 "$tmp"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
pg_port=$(free_port)
redis_port=$(free_port)

as_pg=()
if [ "$(id -u)" -eq 0 ]; then
  as_pg=(runuser -u postgres --)
  mkdir -p "$tmp/pg" && chown postgres "$tmp/pg"
else
  mkdir -p "$tmp/pg"
fi

cleanup() {
  status=$?
  "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$tmp/pg/data" -m immediate stop >/dev/null 2>&1 || true
  if [ -f "$tmp/redis.pid" ]; then kill "$(cat "$tmp/redis.pid")" 2>/dev/null || true; fi
  sleep 0.5
  rm -rf "$tmp"
  exit $status
}
trap cleanup EXIT INT TERM

"${as_pg[@]}" "$pg_bin/initdb" -D "$tmp/pg/data" -U wmo --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
"${as_pg[@]}" "$pg_bin/pg_ctl" -D "$tmp/pg/data" -l "$tmp/pg/server.log" -w -t 60 start \
  -o "-c listen_addresses=127.0.0.1 -p $pg_port -k $tmp/pg -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" >/dev/null
"$pg_bin/createdb" -h 127.0.0.1 -p "$pg_port" -U wmo wmo

redis_start=(redis-server --bind 127.0.0.1 --port "$redis_port" --save "" --appendonly no --dir "$tmp"
  --daemonize yes --pidfile "$tmp/redis.pid" --logfile "$tmp/redis.log")
"${redis_start[@]}"
for _ in $(seq 1 50); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done

export DATABASE_URL="postgres://wmo@127.0.0.1:$pg_port/wmo"
export CELERY_BROKER_URL="redis://127.0.0.1:$redis_port/0"
export CELERY_RESULT_BACKEND="redis://127.0.0.1:$redis_port/1"
# Tests that need these services fail instead of skipping when this is set.
export WMO_TEST_REQUIRE_SERVICES=1
# For the fault tests (tests/wmo/test_faults.py): command lines, split with shlex, that restart
# PostgreSQL (append `restart -m fast -w`; the server keeps its options) and stop and start
# Redis again on the same port (the restarted Redis starts empty: no persistence).
WMO_TEST_PG_CTL=$(printf '%q ' ${as_pg[@]+"${as_pg[@]}"} "$pg_bin/pg_ctl" -D "$tmp/pg/data" -l "$tmp/pg/server.log")
WMO_TEST_REDIS_START=$(printf '%q ' "${redis_start[@]}")
export WMO_TEST_PG_CTL WMO_TEST_REDIS_START
export WMO_TEST_REDIS_STOP="redis-cli -p $redis_port shutdown nosave"
echo "PostgreSQL op 127.0.0.1:$pg_port, Redis op 127.0.0.1:$redis_port ($tmp)"
"$@"
