"""Loaded by a test worker started with INDICATORS_STEP_DELAY (tests/celery_worker_settings.py,
through CELERY_IMPORTS): each indicator family pauses that many seconds before it computes, so a
test can watch the progress bar advance or stop the worker in the middle of a run. Celery
imports this module after Django is set up, before the worker takes its first task."""

import functools
import time

from django.conf import settings

from indicators.definitions import FAMILIES


def _slowed(compute, seconds: float):
    @functools.wraps(compute)
    def slow_compute(*args):
        time.sleep(seconds)
        return compute(*args)

    return slow_compute


# A family with a `read` step pauses where it combines, in the run's own order (the reads may
# run on a second connection beside the others: indicators/services.py, BESIDE).
for _family in FAMILIES:
    _step = "combine" if hasattr(_family, "read") else "compute"
    setattr(_family, _step, _slowed(getattr(_family, _step), settings.INDICATORS_STEP_DELAY))
