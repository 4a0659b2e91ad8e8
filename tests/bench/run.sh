#!/usr/bin/env bash
# Benchmarks (`make bench`, inside tests/harness/with-services.sh: PostgreSQL + Redis on loopback).
# Prints figures; never fails on a missed target — targets are judged by people, not by CI.
set -euo pipefail
cd "$(dirname "$0")/../.."
export DJANGO_SETTINGS_MODULE=wmo.settings.test
py=.venv/bin/python
referrals=${BENCH_REFERRALS:-1000000}
quarter=${BENCH_QUARTER:-2026Q3}
users=${BENCH_USERS:-20}
dashboard_users=${BENCH_DASHBOARD_USERS:-50}
seconds=${BENCH_SECONDS:-15}
work=$(mktemp -d /tmp/wmo-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
elapsed() { local began=$1; echo "$(( $(date +%s%N) / 1000000 - began ))" | awk '{printf "%.1f s", $1 / 1000}'; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

$py manage.py migrate --noinput -v0
echo "== seed_demo --referrals $referrals (+ cases, survey answers, complaints) on PostgreSQL"
began=$(now_ms)
$py manage.py seed_demo --referrals "$referrals" --seed 2027 --indicators-since geen >/dev/null
echo "seed_demo: $(elapsed "$began")"
DJANGO_DEBUG=true $py manage.py create_demo_users >/dev/null

echo "== indicator engine on $quarter (issue 5)"
$py tests/bench/engine.py --quarter "$quarter"
echo "== the seven quarters before $quarter, for the dashboards' comparisons and trends"
began=$(now_ms)
for q in $($py -c "from indicators.quarters import Quarter as Q
q = Q.parse('$quarter'); out = []
for _ in range(7): q = q.previous(); out.append(str(q))
print(' '.join(out))"); do
  $py manage.py compute_indicators --quarter "$q" --sync >/dev/null
done
echo "compute_indicators --sync for 7 quarters: $(elapsed "$began") (each a new process)"

echo "== import of a 100,000-row referrals file (issue 4)"
$py tests/bench/referrals_csv.py 100000 > "$work/referrals.csv"
for attempt in "first import" "re-import (no changes)"; do
  began=$(now_ms); $py manage.py import_referrals "$work/referrals.csv" >/dev/null
  echo "import_referrals, $attempt: $(elapsed "$began") (incl. Django start-up)"
done

port=$($py -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
.venv/bin/gunicorn wmo.wsgi:application --env DJANGO_SETTINGS_MODULE=wmo.settings.test \
  --bind "127.0.0.1:$port" --workers "${BENCH_WORKERS:-4}" --log-level warning &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done

load() {  # title, users, pacing, user class
  echo "-- $1: $2 users, pacing ${3}s, ${seconds}s (after a 5 s warm-up that is not counted)"
  # Warm-up: every gunicorn worker loads its templates and fills its cache once, as in production.
  BENCH_PACING=$3 .venv/bin/locust -f tests/bench/locustfile.py --headless --only-summary \
    --host "http://127.0.0.1:$port" -u "$2" -r "$2" -t 5s --stop-timeout 10 --loglevel ERROR \
    "$4" >/dev/null 2>&1 || true
  BENCH_PACING=$3 .venv/bin/locust -f tests/bench/locustfile.py --headless --only-summary \
    --host "http://127.0.0.1:$port" -u "$2" -r "$2" -t "${seconds}s" --stop-timeout 10 \
    --csv "$work/$4" --loglevel ERROR "$4" >/dev/null 2>"$work/$4.log" || { cat "$work/$4.log"; }
  $py tests/bench/locust_summary.py "$work/$4_stats.csv" --skip login formulier keuzes Aggregated
}
export BENCH_STAFF_URLS="${BENCH_STAFF_URLS:-/dashboard/?kwartaal=$quarter /dashboard/?kwartaal=$quarter&wijk=WK034403 /dashboard/?kwartaal=$quarter&wijk=WK034403&voorziening=dagbegeleiding}"
export BENCH_COUNCIL_URLS="${BENCH_COUNCIL_URLS:-/dashboard/raad/?kwartaal=$quarter /dashboard/raad/?kwartaal=$quarter&wijk=WK034403}"
echo "== HTTP on loopback (locust; gunicorn ${BENCH_WORKERS:-4} workers on $(nproc) cores)"
load "registration POST (issue 4), each worker submits every 2 s" "$users" 2 RegisterUser
load "registration POST, back to back (stress)" "$users" 0 RegisterUser
load "staff dashboard (issue 6), each user a page every 2 s" "$dashboard_users" 2 StaffDashboardUser
load "council dashboard (issue 6), each user a page every 2 s" "$dashboard_users" 2 CouncilDashboardUser
load "staff dashboard, back to back (stress)" "$dashboard_users" 0 StaffDashboardUser
load "pages and API" "$users" 0 PagesUser

for extra in tests/bench/bench_*.sh; do
  [ -e "$extra" ] || continue
  echo "== $extra"
  PORT="$port" bash "$extra"
done
