"""Fixtures for every test: signed-in clients per role, and the real Celery worker."""

import gc
import os
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.test import Client

from . import migrated_database
from .celery_conf import set_celery_conf
from .factories import make_user
from .midnight import wait_if_the_day_is_ending
from .migrated_state import MIGRATED
from .signing_in import sign_in

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS_DIR = ROOT / "tests" / "artifacts"
ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)


@pytest.hookimpl(trylast=True)
def pytest_collection_finish(session):
    """What is loaded by now (Django, the app, every test module) lives as long as the run:
    moved out of the garbage collector's sight, so its full collections no longer walk it
    again and again, and collections come less often (the ORM and templates allocate many
    short-lived objects). Garbage is still collected; only the bookkeeping shrinks."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Tests that migrate the database back and forth run after every other test (after
    pytest-django's own ordering, which puts the transactional tests, the browser and Celery
    worker ones among them, after the plain ones; suite.sh lets an idle process take over
    tests queued for the other)."""
    items.sort(key=lambda item: item.get_closest_marker("migrations") is not None)


def transactional(item) -> bool:
    """Whether the test runs outside a rolled-back transaction (live server, real Celery
    worker): its database is flushed when it ends."""
    marker = item.get_closest_marker("django_db")
    return bool(marker is not None and marker.kwargs.get("transaction")) or any(
        name in item.fixturenames for name in ("transactional_db", "live_server")
    )


@pytest.hookimpl(wrapper=True, trylast=True)
def pytest_runtest_teardown(item, nextitem):
    """After a transactional test's flush: the rows the migrations made, back in place, also
    when its teardown failed, so the tests after it start from them (a failed flush leaves
    them there and nothing is copied)."""
    if not transactional(item):
        return (yield)
    try:
        with _flush_leaves_the_rows_to_migrated_state():
            return (yield)
    finally:
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            MIGRATED.put_back()


@contextmanager
def _flush_leaves_the_rows_to_migrated_state():
    """Django's flush ends by sending post_migrate, whose receivers make every content type and
    permission anew (some 0.25 s a test); the restore after it replaces them with the migrated
    rows anyway. So while those can be put back, the flush sends nothing."""
    from unittest import mock

    from django.core.management.commands import flush

    send = flush.emit_post_migrate_signal

    def unless_restorable(*args, **kwargs):
        if not MIGRATED.restorable():
            send(*args, **kwargs)

    with mock.patch.object(flush, "emit_post_migrate_signal", unless_restorable):
        yield


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """pytest-django's, and a SQLite test database about to be made is copied from one kept
    migrated while the migrations are the same (tests/migrated_database.py)."""
    migrated_database.start()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database as the migrations left it, kept to be put back after each flush.
    Afterwards, connections other threads left open are ended before pytest-django drops the
    database (see `_end_other_sessions`)."""
    migrated_database.stop()
    with django_db_blocker.unblock():
        MIGRATED.take()
    yield
    with django_db_blocker.unblock():
        _end_other_sessions()


def _end_other_sessions():
    """The live server (browser tests) answers each browser connection in a thread of its own,
    which keeps its database connection (CONN_MAX_AGE) while the browser keeps the connection
    alive; pytest-django stops the server without waiting for those threads. PostgreSQL then
    waited five seconds before refusing to drop the test database ("being accessed by other
    users"), a warning and five idle seconds at the end of each test process."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    # A fresh connection: the fault tests restart PostgreSQL, which leaves this one dead.
    connection.close()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


@pytest.fixture(autouse=True)
def _not_across_midnight():
    """No test starts in the last minute of a day (tests/midnight.py)."""
    wait_if_the_day_is_ending()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache, as pages cache what they render (dashboards)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _dutch_to_start():
    """Each test starts in Dutch: a request in English leaves English active in the thread
    (LocaleMiddleware activates per request and never resets), and services called directly
    afterwards would answer in English."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _audit_trail_before_flush(request):
    """On SQLite the audit trail's trigger refuses the DELETE with which a transactional test
    ends (PostgreSQL flushes with TRUNCATE, which it lets pass): empty the trail first, in one
    transaction that drops and re-creates the trigger."""
    flushed = transactional(request.node)
    if flushed:
        request.getfixturevalue("transactional_db")
    yield
    from django.db import connection, transaction

    if flushed and connection.vendor == "sqlite":
        from importlib import import_module

        triggers = import_module("wmo.accounts.migrations.0004_audit_append_only")
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DROP TRIGGER accounts_auditentry_no_delete")
            cursor.execute("DELETE FROM accounts_auditentry")
            cursor.execute(triggers.SQLITE[2])


@contextmanager
def data_for_module(django_db_blocker):
    """Data seeded once for the tests of a module, in a transaction around them that is rolled
    back when the module ends; each test's own transaction (pytest-django's `db`) is a savepoint
    inside it, so what a test changes is undone before the next. For modules of plain `db` tests
    only: a transactional test would flush what the others share."""
    from django.db import transaction

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


ROLES = ["anonymous", "buurtteam_worker", "contract_manager", "council_member"]


@pytest.fixture
def user_for(db):
    """user_for("contract_manager") -> a saved user with that role (None for anonymous)."""

    def build(role, **kwargs):
        return None if role == "anonymous" else make_user(role, **kwargs)

    return build


@pytest.fixture
def client_for(user_for):
    """client_for(role) -> a Django test client signed in with that role (anonymous: not signed in)."""

    def build(role, **kwargs):
        client = Client()
        user = user_for(role, **kwargs)
        if user is not None:
            sign_in(client, user)
        return client

    return build


@pytest.fixture
def contract_manager_client(client_for):
    return client_for("contract_manager")


@pytest.fixture
def buurtteam_client(client_for):
    return client_for("buurtteam_worker")


@pytest.fixture
def council_client(client_for):
    return client_for("council_member")


REQUIRE_SERVICES = os.environ.get("WMO_TEST_REQUIRE_SERVICES") == "1"


def require_services(what: str):
    """Skip on a bare developer run; under `make test` a missing service is a failure."""
    message = f"{what} is not available (make test starts it)"
    if REQUIRE_SERVICES:
        pytest.fail(message)
    pytest.skip(message)


def _worker_env(database_name: str) -> dict:
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="tests.celery_worker_settings")
    url = env.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        parts = urlsplit(url)
        env["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{database_name}"))
    return env


def start_worker(
    database_name: str, name: str, queue: str = "celery", **extra_env
) -> subprocess.Popen:
    """Start a real `celery worker` on the test broker and test database; wait for its ping."""
    from wmo.celery import app

    # One log per pytest process under xdist (gw0, gw1): their workers share names.
    suffix = os.environ.get("PYTEST_XDIST_WORKER", "")
    log = open(ARTIFACTS_DIR / f"celery-{name}{suffix and '-' + suffix}.log", "w")  # noqa: SIM115
    hostname = f"{name}-{os.getpid()}@localhost"
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "wmo", "worker", "--pool=solo",
         "--concurrency=1", "--loglevel=INFO", "--without-gossip", "--without-mingle",
         f"--hostname={hostname}", "-Q", queue],
        cwd=ROOT, env={**_worker_env(database_name), **extra_env}, stdout=log,
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"celery worker exited early: see {log.name}")
        if app.control.ping(destination=[hostname], timeout=0.5):
            return process
    process.kill()
    pytest.fail("celery worker did not answer a ping within 60 s")


def wait_for(predicate, seconds=60):
    """What `predicate` returns once it is truthy, polled every 0.1 s; fails after `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(0.1)
    raise AssertionError("condition not reached in time")


def stop_worker(process: subprocess.Popen):
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _require_worker_services():
    from django.db import connection

    if not os.environ.get("CELERY_BROKER_URL"):
        require_services("a Celery broker (CELERY_BROKER_URL)")
    if connection.vendor != "postgresql":
        require_services("PostgreSQL for the Celery worker")


@pytest.fixture(scope="session")
def test_database_name(django_db_setup, django_db_blocker):
    from django.conf import settings

    with django_db_blocker.unblock():
        return settings.DATABASES["default"]["NAME"]


@pytest.fixture(scope="session")
def celery_worker_process(test_database_name):
    """The shared real worker for tests marked celery_worker."""
    _require_worker_services()
    process = start_worker(test_database_name, "worker")
    yield process
    stop_worker(process)


@pytest.fixture
def celery_worker(celery_worker_process):
    """Within the test, tasks go through the broker to the real worker instead of running eagerly."""
    previous = set_celery_conf(task_always_eager=False)
    yield celery_worker_process
    set_celery_conf(**previous)
