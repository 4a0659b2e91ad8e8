"""Fixtures for every test: signed-in clients per role, and the real Celery worker."""

import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.test import Client

from .celery_conf import set_celery_conf
from .factories import make_user

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS_DIR = ROOT / "tests" / "artifacts"
ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)

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
            client.force_login(user)
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
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="wmo.settings.test")
    url = env.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        parts = urlsplit(url)
        env["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{database_name}"))
    return env


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup, django_db_blocker):
    """A real `celery worker` process on the test broker and the test database."""
    from django.conf import settings
    from django.db import connection

    if not os.environ.get("CELERY_BROKER_URL"):
        require_services("a Celery broker (CELERY_BROKER_URL)")
    if connection.vendor != "postgresql":
        require_services("PostgreSQL for the Celery worker")
    from wmo.celery import app

    with django_db_blocker.unblock():
        database_name = settings.DATABASES["default"]["NAME"]
    log = open(ARTIFACTS_DIR / "celery-worker.log", "w")  # noqa: SIM115 - closed on teardown
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "wmo", "worker", "--pool=solo",
         "--concurrency=1", "--loglevel=INFO", "--without-gossip", "--without-mingle",
         f"--hostname=test-{os.getpid()}@%h"],
        cwd=ROOT, env=_worker_env(database_name), stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if process.poll() is not None:
                pytest.fail(f"celery worker exited early: see {log.name}")
            if app.control.ping(timeout=0.5):
                break
        else:
            pytest.fail("celery worker did not answer a ping within 60 s")
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@pytest.fixture
def celery_worker(celery_worker_process):
    """Within the test, tasks go through the broker to the real worker instead of running eagerly."""
    previous = set_celery_conf(task_always_eager=False)
    yield celery_worker_process
    set_celery_conf(**previous)
