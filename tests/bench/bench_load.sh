#!/usr/bin/env bash
# Issue 14's load figures, run by run.sh after the other scenarios (on its seeded database):
#  1. 50 users mixed across the roles (council, contract managers, buurtteam, API), one request
#     every BENCH_MIXED_PACING seconds each, for BENCH_LOAD_SECONDS (60), while three contract
#     managers upload a 50 MB referrals file each at the start; a real Celery worker imports them.
#     Targets: no failed request, dashboard p95 ≤ 150 ms; the three imports end done.
#  2. 20 buurtteam workers registering back to back, every form sent twice at the same moment with
#     one idempotency key: no duplicate, no lost write (every key answered with a redirect is
#     exactly one referral, and nothing else was registered).
# The web server and the worker run with the worker settings (tasks through the broker), so an
# upload's request only stores the file, as in production.
set -euo pipefail
cd "$(dirname "$0")/../.."
py=.venv/bin/python
export DJANGO_SETTINGS_MODULE=tests.celery_worker_settings
# Upload jobs pause between batches as in production (IMPORT_DUTY_CYCLE, .env.example).
export IMPORT_DUTY_CYCLE=${BENCH_IMPORT_DUTY_CYCLE:-0.5}
# Edits queue their recompute a minute later, as in production (INDICATORS_CHANGE_DELAY).
export INDICATORS_CHANGE_DELAY=${BENCH_CHANGE_DELAY:-60}
seconds=${BENCH_LOAD_SECONDS:-60}
work=$(mktemp -d /tmp/wmo-load.XXXXXX)
port=$($py -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

size=${BENCH_UPLOAD_SIZE:-50MB}
echo "-- three $size referrals files with their own ids (UPA…, UPB…, UPC…)"
files=()
for prefix in UPA UPB UPC; do
  $py tests/bench/referrals_csv.py "$size" "$prefix" > "$work/$prefix.csv"
  files+=("$work/$prefix.csv")
done
echo "$(( $(stat -c %s "${files[0]}") / 1024 / 1024 )) MB and $(( $(wc -l < "${files[0]}") - 1 )) rows each"

# The worker runs below the web tier's priority, as in docker-compose.yml: an import is
# background work and may take longer; a page may not.
nice -n "${BENCH_WORKER_NICE:-10}" $py -m celery -A wmo worker --pool=solo --loglevel=WARNING --without-gossip --without-mingle \
  --hostname="bench-load@localhost" >"$work/worker.log" 2>&1 &
pids+=($!)
# The web tier as in production (wmo/gunicorn.py: worker processes with threads).
DJANGO_CONN_MAX_AGE=60 GUNICORN_BIND="127.0.0.1:$port" GUNICORN_ACCESS_LOG= \
  GUNICORN_WORKERS="${BENCH_WORKERS:-3}" .venv/bin/gunicorn -c python:wmo.gunicorn wmo.wsgi:application \
  --env DJANGO_SETTINGS_MODULE=tests.celery_worker_settings --log-level warning &
pids+=($!)
for _ in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.2; done
before=$($py manage.py shell -v0 -c "from wmo.imports.models import ImportJob as J; print(J.objects.order_by('-pk').values_list('pk', flat=True).first() or 0)")

# People start work over a few seconds, not all in one: the 53 users arrive at BENCH_SPAWN_RATE a
# second and sign in; the figures count from the moment the last one is in (--reset-stats), for
# `seconds`, and the three uploads start then. All 53 signing in within the same second (as
# before) was a storm of its own: 106 login requests and the first pages at once, where a
# quarter of the slow dashboard answers of a run fell.
spawn_rate=${BENCH_SPAWN_RATE:-10}
arrival=$(( (53 + spawn_rate - 1) / spawn_rate + 1 ))
echo "-- 50 mixed users (arriving over ${arrival}s), pacing ${BENCH_MIXED_PACING:-2}s, ${seconds}s, plus 3 uploads of $size at the start"
BENCH_UPLOAD_DELAY=$arrival BENCH_REQUEST_LOG="${BENCH_REQUEST_LOG:-}" BENCH_UPLOAD_FILES="${files[*]}" \
  .venv/bin/locust -f tests/bench/locustfile.py --headless --reset-stats \
  --only-summary --host "http://127.0.0.1:$port" -u 53 -r "$spawn_rate" -t "$(( seconds + arrival ))s" --stop-timeout 30 \
  --csv "$work/mixed" --loglevel ERROR \
  MixedCouncilUser MixedStaffUser MixedBuurtteamUser MixedApiUser UploadUser \
  >/dev/null 2>"$work/mixed.log" || cat "$work/mixed.log"
$py tests/bench/locust_summary.py "$work/mixed_stats.csv" --skip login formulier keuzes \
  --target-p95 "${BENCH_TARGET_P95:-150}"

echo "-- the three imports in the worker (waiting at most 15 minutes for them to end)"
$py manage.py shell -v0 -c "
import time
from wmo.imports.models import ImportJob as J
jobs = J.objects.filter(pk__gt=$before)
deadline = time.monotonic() + 900
while time.monotonic() < deadline and jobs.filter(status__in=('queued', 'running')).exists():
    time.sleep(2)
for job in jobs.order_by('pk'):
    took = (job.finished_at - job.started_at).total_seconds() if job.finished_at and job.started_at else None
    waited = (job.started_at - job.created_at).total_seconds() if job.started_at else None
    print(f'job {job.pk} {job.file_name}: {job.status}, {job.new_rows} new / {job.changed_rows} changed, '
          f'{job.problem_count} problems, waited {waited or 0:.0f} s, imported in {took or 0:.0f} s')
print('imports', 'ok' if jobs.count() == 3 and not jobs.exclude(status='done').exists() else 'NOT ok')
"

echo "-- 20 buurtteam workers registering back to back for 30 s, every form sent twice at once"
last=$($py manage.py shell -v0 -c "from wmo.referrals.models import Referral as R; print(R.objects.order_by('-pk').values_list('pk', flat=True).first() or 0)")
BENCH_KEYS_FILE="$work/keys.txt" .venv/bin/locust -f tests/bench/locustfile.py --headless \
  --only-summary --host "http://127.0.0.1:$port" -u 20 -r 20 -t 30s --stop-timeout 10 \
  --csv "$work/register" --loglevel ERROR DoubleClickRegisterUser \
  >/dev/null 2>"$work/register.log" || cat "$work/register.log"
$py tests/bench/locust_summary.py "$work/register_stats.csv" --skip login formulier keuzes \
  --target-p95 "${BENCH_REGISTER_P95:-100}"
BENCH_KEYS_FILE="$work/keys.txt" $py manage.py shell -v0 -c "
import os
from pathlib import Path
from wmo.referrals.models import Referral as R
keys = [k for k in Path(os.environ['BENCH_KEYS_FILE']).read_text().split() if k]
new = R.objects.filter(pk__gt=$last)
found = new.filter(idempotency_key__in=keys).count()
print(f'registrations answered with a redirect: {len(keys)} keys (each sent twice); '
      f'referrals stored: {new.count()}; stored with those keys: {found}')
duplicate = new.count() - len(set(new.values_list('idempotency_key', flat=True)))
print('no duplicate:', 'ok' if duplicate == 0 and new.count() == found else f'NOT ok ({duplicate})')
print('no lost write:', 'ok' if found == len(keys) else f'NOT ok ({len(keys) - found} missing)')
"
