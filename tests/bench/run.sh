#!/usr/bin/env bash
# Benchmarks (`make bench`, inside tests/harness/with-services.sh: PostgreSQL + Redis on loopback).
# Prints figures; never fails on a missed target — targets are judged by people, not by CI.
set -euo pipefail
cd "$(dirname "$0")/../.."
export DJANGO_SETTINGS_MODULE=wmo.settings.test
py=.venv/bin/python
port=$($py -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
$py manage.py migrate --noinput -v0
$py manage.py seed_demo ${BENCH_SEED_ARGS:-} >/dev/null
DJANGO_DEBUG=true $py manage.py create_demo_users >/dev/null

.venv/bin/gunicorn wmo.wsgi:application --env DJANGO_SETTINGS_MODULE=wmo.settings.test \
  --bind "127.0.0.1:$port" --workers 3 --log-level warning &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null' EXIT
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done

echo "== pages and API under ${BENCH_USERS:-20} concurrent users, ${BENCH_SECONDS:-10} s (loopback, gunicorn 3 workers)"
$py tests/bench/load.py --base "http://127.0.0.1:$port" --users "${BENCH_USERS:-20}" \
  --seconds "${BENCH_SECONDS:-10}" --login accounthouder:Utrecht-accounthouder-2027 \
  / /wijken/ /wijken/WK034403/ /api/v1/wijken /api/v1/voorzieningen

for extra in tests/bench/bench_*.sh; do
  [ -e "$extra" ] || continue
  echo "== $extra"
  PORT="$port" bash "$extra"
done
