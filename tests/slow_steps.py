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
    def slow_compute(context):
        time.sleep(seconds)
        return compute(context)

    return slow_compute


for _family in FAMILIES:
    _family.compute = _slowed(_family.compute, settings.INDICATORS_STEP_DELAY)
