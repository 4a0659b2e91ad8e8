#!/usr/bin/env bash
# The whole suite on the services of with-services.sh (make test): first everything but the
# fault and migration tests, spread over pytest-xdist processes (each with its own test database, Redis
# databases and Celery worker), then the fault and migration tests alone, as they stop Redis and restart
# PostgreSQL under whatever else runs. Arguments go to both runs (`-x`, a path, `--durations=20`).
# WMO_TEST_PROCESSES sets the number of processes (default 2: the 2-core machine of the README).
set -uo pipefail
cd "$(dirname "$0")/../.."
pytest=(.venv/bin/pytest -p no:cacheprovider)

"${pytest[@]}" -n "${WMO_TEST_PROCESSES:-2}" -m "not faults and not migrations" "$@"
parallel=$?
# The migration tests come last in this run (tests/conftest.py): a database migrated back and
# forth gets new content-type ids, which a later test restoring a snapshot would trip over.
"${pytest[@]}" -m "faults or migrations" "$@"
alone=$?
# 5: no test selected (a path without fault tests).
[ "$alone" -eq 5 ] && alone=0
[ "$parallel" -eq 5 ] && parallel=0
exit $(( parallel || alone ))
