#!/usr/bin/env bash
# The whole suite on the services of with-services.sh (make test): most tests spread over
# pytest-xdist processes (each with its own test database and Redis databases);
# beside them, at the same time, the tests that mostly wait, in one process on services of
# their own (a second with-services.sh): the fault and migration tests (they stop Redis and
# restart PostgreSQL) and those on real Celery workers (worker start-ups, heartbeat timeouts,
# a step delay per family). Waiting costs the others little. Arguments go to both runs (`-x`,
# a path, `--durations=20`). WMO_TEST_PROCESSES sets the number of xdist processes (default 2:
# the 2-core machine of the README).
set -uo pipefail
cd "$(dirname "$0")/../.."
pytest=(.venv/bin/pytest -p no:cacheprovider)

BESIDE="faults or migrations or celery_worker"
alone_log=$(mktemp /tmp/wmo-alone.XXXXXX)
trap 'rm -f "$alone_log"' EXIT
# The migration tests come last in this run (tests/conftest.py): a database migrated back and
# forth gets new content-type ids, which a later test restoring a snapshot would trip over.
bash tests/harness/with-services.sh "${pytest[@]}" -m "$BESIDE" "$@" >"$alone_log" 2>&1 &
alone_pid=$!
# --dist worksteal: a process that runs out of tests takes half of what the other still has
# queued. With the default (load) one process was handed the whole run of browser tests
# (last in pytest-django's order) and the other idled for minutes; now both end within seconds.
"${pytest[@]}" -n "${WMO_TEST_PROCESSES:-2}" --dist worksteal -m "not ($BESIDE)" "$@"
parallel=$?
wait "$alone_pid"
alone=$?
echo "--- fault, migration and Celery worker tests (on services of their own, beside the run above):"
cat "$alone_log"
# 5: no test selected (a path without fault tests).
[ "$alone" -eq 5 ] && alone=0
[ "$parallel" -eq 5 ] && parallel=0
exit $(( parallel || alone ))
