#!/usr/bin/env bash
# Smoke test of the embedded default (what `make run` starts): SQLite in a temp dir, tasks
# in-process, demo data and logins; start the dev server, log in as each role, fetch home.
set -euo pipefail
cd "$(dirname "$0")/../.."
tmp=$(mktemp -d /tmp/wmo-smoke.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
server=""
cleanup() {
  status=$?
  if [ -n "$server" ]; then
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
  fi
  rm -rf "$tmp"
  exit $status
}
trap cleanup EXIT INT TERM

# Only the embedded default: no services from the test run leak in.
unset CELERY_BROKER_URL CELERY_RESULT_BACKEND WMO_TEST_REQUIRE_SERVICES
export DJANGO_SETTINGS_MODULE=wmo.settings.dev
export DATABASE_URL="sqlite:///$tmp/db.sqlite3"
py=.venv/bin/python
$py manage.py migrate --noinput -v0
$py manage.py seed_demo >/dev/null
$py manage.py create_demo_users > "$tmp/logins.txt"
$py manage.py runserver "127.0.0.1:$port" --noreload >"$tmp/server.log" 2>&1 &
server=$!
$py tests/harness/smoke_login.py "http://127.0.0.1:$port" "$tmp/logins.txt" || { cat "$tmp/server.log"; exit 1; }
