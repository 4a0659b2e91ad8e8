"""Settings of the real Celery workers the tests start (tests/conftest.py start_worker): the test
settings, except that a worker sends the tasks it queues itself (a retry, a look-again at a busy
run) through the broker like a production worker, instead of running them inline."""

import os

from wmo.settings.test import *  # noqa: F403

CELERY_TASK_ALWAYS_EAGER = False

# Seconds each indicator family pauses before it computes, for the tests that watch the progress
# bar or stop a worker in the middle of a run (start_worker(..., INDICATORS_STEP_DELAY="2")).
# Production code knows nothing of it: tests/slow_steps.py wraps the families in this worker only.
INDICATORS_STEP_DELAY = float(os.environ.get("INDICATORS_STEP_DELAY") or 0)
if INDICATORS_STEP_DELAY:
    CELERY_IMPORTS = ["tests.slow_steps"]
