"""The test suite. DATABASE_URL and CELERY_BROKER_URL come from `make test` (PostgreSQL, Redis)."""

import os

from .redis_urls import redis_database

os.environ.setdefault("DJANGO_DEBUG", "false")
os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-not-secret-6a1e0c2b9f8d7e6c5b4a39281706f5e4")
os.environ.setdefault("WMO_PSEUDONYM_KEY", "test-pseudonym-key")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
# Uploads of the tests (and of the real worker the tests start) beside the other test output;
# one folder per pytest-xdist process, as tests compare the folder's files before and after.
# (Set, not defaulted: the xdist processes inherit the environment of the controlling one.)
_uploads = os.path.join(os.path.dirname(__file__), "..", "..", "tests", "artifacts", "uploads")
if os.environ.get("PYTEST_XDIST_WORKER", "").startswith("gw"):
    os.environ["IMPORT_UPLOAD_DIR"] = os.path.join(_uploads, os.environ["PYTEST_XDIST_WORKER"])
else:
    os.environ.setdefault("IMPORT_UPLOAD_DIR", _uploads)

# Under pytest-xdist (`-n 2`: processes gw0, gw1, …) each pytest process gets three Redis
# databases of its own (broker, results, cache: 3–5 for gw0, 6–8 for gw1, …; 0–2 stay for a
# run without xdist), so the Celery worker it starts on its own test database takes only its
# tasks, and its cache.clear() (FLUSHDB) empties only its cache. (Before, gw0's cache shared a
# database with gw0's broker and gw1's with gw0's results: clearing a cache dropped queued
# tasks.) Workers inherit the environment; the rewrite gives them the same numbers.
_xdist_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
_xdist_databases = None
if _xdist_worker.startswith("gw"):
    _first = 3 + 3 * int(_xdist_worker[2:])
    if _first + 2 > 15:
        raise RuntimeError("Redis has 16 databases: run the tests with at most 4 xdist workers")
    _xdist_databases = {"CELERY_BROKER_URL": _first, "CELERY_RESULT_BACKEND": _first + 1,
                        "cache": _first + 2}  # fmt: skip
    for _name in ("CELERY_BROKER_URL", "CELERY_RESULT_BACKEND"):
        rewritten = redis_database(os.environ.get(_name, ""), _xdist_databases[_name])
        if rewritten:
            os.environ[_name] = rewritten

from .base import *  # noqa: E402,F403
from .base import BASE_DIR, CACHES, CELERY_BROKER_URL, STATICFILES_DIRS  # noqa: E402

# The browser tests load axe-core (an npm development package) into a page as a script from
# the live server, /static/axe-core/axe.min.js, which the browser keeps between the pages of a
# test, instead of sending its 560 kB through Playwright into every page (60 ms each time).
STATICFILES_DIRS = [*STATICFILES_DIRS, ("axe-core", BASE_DIR / "node_modules" / "axe-core")]

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Upload jobs work without pauses in the tests (the pause itself: tests/imports/test_jobs.py);
# the load benchmark sets the production share (tests/bench/bench_load.sh).
IMPORT_DUTY_CYCLE = env.float("IMPORT_DUTY_CYCLE", default=1.0)  # noqa: F405
# Edits recompute at once in the tests (the sharing itself: tests/indicators/test_incremental.py);
# the load benchmark sets the production delay.
INDICATORS_CHANGE_DELAY = env.float("INDICATORS_CHANGE_DELAY", default=0.0)  # noqa: F405
# Tests run tasks in-process unless they are marked `celery_worker` (their fixture turns this off).
CELERY_TASK_ALWAYS_EAGER = True
# ... in the caller, whatever the environment says (tests/imports/test_background.py switches
# the embedded default's threads on).
WMO_TASKS_IN_BACKGROUND = False
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", CELERY_BROKER_URL or None)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# WhiteNoise reads the whole of STATIC_ROOT (1,100 files after collectstatic) each time its
# middleware is built, that is for every test client: some 40 ms, a minute over the suite. The
# tests serve static files only now and then, so it looks them up when asked instead.
WHITENOISE_AUTOREFRESH = True
# Other tests send thousands of API requests (schemathesis): no API throttling here; the
# throttle tests switch it on with low rates (tests/wmo/test_throttling.py).
API_THROTTLE_RATES = {"anon": None, "user": None}
# Parallel test processes (pytest-xdist: gw0, gw1, …) share one Redis; each gets its own cache
# database (above), since emptying the cache between tests empties the whole database.
if CACHES["default"]["BACKEND"] == "wmo.cache.ForgivingRedisCache" and _xdist_databases:
    CACHES["default"]["LOCATION"] = redis_database(
        CACHES["default"]["LOCATION"], _xdist_databases["cache"]
    )
# Publishing to an unreachable broker is retried as in production (three times), but without
# the 0.2 s pauses between the attempts: the tests of an absent broker paid them dozens of times.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 3, "interval_start": 0, "interval_step": 0,
                                    "interval_max": 0}  # fmt: skip
