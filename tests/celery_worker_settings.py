"""Settings of the real Celery workers the tests start (tests/conftest.py start_worker): the test
settings, except that a worker sends the tasks it queues itself (a retry, a look-again at a busy
run) through the broker like a production worker, instead of running them inline."""

from wmo.settings.test import *  # noqa: F403

CELERY_TASK_ALWAYS_EAGER = False
