"""The test suite. DATABASE_URL and CELERY_BROKER_URL come from `make test` (PostgreSQL, Redis)."""

import os

os.environ.setdefault("DJANGO_DEBUG", "false")
os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-not-secret-6a1e0c2b9f8d7e6c5b4a39281706f5e4")
os.environ.setdefault("WMO_PSEUDONYM_KEY", "test-pseudonym-key")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
# Uploads of the tests (and of the real worker the tests start) beside the other test output.
os.environ.setdefault("IMPORT_UPLOAD_DIR", os.path.join(
    os.path.dirname(__file__), "..", "..", "tests", "artifacts", "uploads"))

from .base import *  # noqa: E402,F403
from .base import CACHES, CELERY_BROKER_URL, _redis_database  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tests run tasks in-process unless they are marked `celery_worker` (their fixture turns this off).
CELERY_TASK_ALWAYS_EAGER = True
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", CELERY_BROKER_URL or None)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Other tests send thousands of API requests (schemathesis): no API throttling here; the
# throttle tests switch it on with low rates (tests/wmo/test_throttling.py).
API_THROTTLE_RATES = {"anon": None, "user": None}
# Parallel test processes (pytest-xdist: gw0, gw1, …) share one Redis; each gets its own cache
# database, since emptying the cache between tests empties the whole database.
if CACHES["default"]["BACKEND"] == "wmo.cache.ForgivingRedisCache" and os.environ.get(
    "PYTEST_XDIST_WORKER", ""
).startswith("gw"):
    CACHES["default"]["LOCATION"] = _redis_database(
        CACHES["default"]["LOCATION"], 2 + int(os.environ["PYTEST_XDIST_WORKER"][2:])
    )
