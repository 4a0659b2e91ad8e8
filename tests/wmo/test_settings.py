"""Settings come from the environment only; each case runs Django in a fresh process."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# The probes read settings only: the settings module, imported on first access, is what is
# tested. django.setup() (loading every app, 0.7 s a process) added nothing to that;
# test_production_passes_check_deploy_without_warnings starts the whole app.
PROBE = (
    "import json; from django.conf import settings;"
    "db = settings.DATABASES['default'];"
    "print(json.dumps({'engine': db['ENGINE'], 'name': str(db['NAME']), 'port': db.get('PORT'),"
    "'eager': settings.CELERY_TASK_ALWAYS_EAGER, 'broker': settings.CELERY_BROKER_URL,"
    "'debug': settings.DEBUG, 'hosts': settings.ALLOWED_HOSTS, 'key': settings.WMO_PSEUDONYM_KEY,"
    "'tz': settings.CELERY_TIMEZONE, 'acks_late': settings.CELERY_TASK_ACKS_LATE,"
    "'serializer': settings.CELERY_TASK_SERIALIZER, 'lang': settings.LANGUAGE_CODE}))"
)
CLEAN = {
    k: v
    for k, v in os.environ.items()
    if not k.startswith(("DJANGO_", "DATABASE_URL", "CELERY_", "WMO_"))
}


def run_django(settings_module, code=PROBE, **env):
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**CLEAN, "DJANGO_SETTINGS_MODULE": settings_module, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    return result


def probe(settings_module, **env):
    result = run_django(settings_module, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_embedded_default_is_sqlite_and_eager():
    values = probe("wmo.settings.dev")
    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["name"] == str(ROOT / "db.sqlite3")
    assert values["eager"] is True
    assert values["broker"] == ""
    # Off, as in production: house-style error pages, no variables on them (make run).
    assert values["debug"] is False
    assert values["lang"] == "nl"


def test_database_and_broker_from_environment():
    values = probe(
        "wmo.settings.dev",
        DATABASE_URL="postgres://wmo:geheim@db.example:5433/wmo_prod",
        CELERY_BROKER_URL="redis://cache.example:6380/2",
        DJANGO_DEBUG="false",
        DJANGO_ALLOWED_HOSTS="wmo.utrecht.nl,intern.utrecht.nl",
        WMO_PSEUDONYM_KEY="sleutel-uit-de-omgeving",
    )
    assert values["engine"] == "django.db.backends.postgresql"
    assert values["name"] == "wmo_prod"
    assert values["port"] == 5433
    assert values["eager"] is False
    assert values["broker"] == "redis://cache.example:6380/2"
    assert values["debug"] is False
    assert values["hosts"] == ["wmo.utrecht.nl", "intern.utrecht.nl"]
    assert values["key"] == "sleutel-uit-de-omgeving"


def test_celery_conventions():
    values = probe("wmo.settings.dev")
    assert values["tz"] == "Europe/Amsterdam"
    assert values["acks_late"] is True
    assert values["serializer"] == "json"


def test_production_requires_its_secrets():
    result = run_django("wmo.settings.production")
    assert result.returncode != 0
    assert "ImproperlyConfigured: DJANGO_SECRET_KEY ontbreekt" in result.stderr
    assert "DJANGO_SECRET_KEY is missing" in result.stderr


PRODUCTION_ENV = {
    "DJANGO_SECRET_KEY": "p8#x2Lq!v9Zr4Tn7Wm1Ks6Yd3Hf0Jc5Bg8Nu2Re7Ai4Po9Xl1Vt6Ez3Qw0Cy5Mh8Db",
    "WMO_PSEUDONYM_KEY": "Vq3mZ8rT1kP6xW2nB9cL4hF7yJ0sD5gA",
    "DJANGO_ALLOWED_HOSTS": "wmo.utrecht.nl",
    "DATABASE_URL": "postgres://wmo:geheim@127.0.0.1:5432/wmo",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
}


def test_production_passes_check_deploy_without_warnings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**CLEAN, "DJANGO_SETTINGS_MODULE": "wmo.settings.production", **PRODUCTION_ENV},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_a_django_log_line_is_printed_once():
    """make run: Django's default console handler on the "django" logger printed
    each of its lines a second time beside the root's handler."""
    result = run_django("wmo.settings.dev", code=(
        "import django, logging; django.setup(); "
        "logging.getLogger('django.request').warning('Not Found: /bestaat-niet/')"
    ))  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines().count("Not Found: /bestaat-niet/") == 1


@pytest.mark.parametrize("module", ["wmo.settings.dev", "wmo.settings.test"])
def test_environment_overrides_module_defaults(module):
    values = probe(module, WMO_PSEUDONYM_KEY="van-buiten")
    assert values["key"] == "van-buiten"


XDIST_DATABASES = """
import json, os, sys
from urllib.parse import urlsplit
found = {}
for worker in ("gw0", "gw1", "gw2", "gw3"):
    os.environ.update(PYTEST_XDIST_WORKER=worker, CELERY_BROKER_URL="redis://127.0.0.1:6379/0",
                      CELERY_RESULT_BACKEND="redis://127.0.0.1:6379/0")
    for name in [m for m in sys.modules if m.startswith("wmo.settings")]:
        del sys.modules[name]
    import wmo.settings.test as s
    found[worker] = [int(urlsplit(url).path[1:]) for url in
                     (s.CELERY_BROKER_URL, s.CELERY_RESULT_BACKEND, s.CACHES["default"]["LOCATION"])]
print(json.dumps(found))
"""


def test_each_xdist_process_has_redis_databases_no_other_process_uses():
    """Broker, results and cache of every pytest-xdist process are databases of their own: a
    test's cache.clear() (FLUSHDB) may not drop another queue's tasks or results. Before, gw0's
    cache was gw0's broker database and gw1's cache gw0's results."""
    result = run_django("wmo.settings.test", XDIST_DATABASES)
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert found == {"gw0": [3, 4, 5], "gw1": [6, 7, 8], "gw2": [9, 10, 11], "gw3": [12, 13, 14]}
    numbers = [n for databases in found.values() for n in databases]
    assert len(set(numbers)) == len(numbers) and not {0, 1, 2} & set(numbers)


@pytest.mark.django_db
def test_the_app_starts_without_warnings():
    """The system checks pass at the warning level on the database the tests run on, the
    embedded SQLite of `make run` (fast tier) and PostgreSQL (make test): `make run` printed
    models.W040 (the covering index's extra columns, PostgreSQL's only) at every start."""
    from django.core.management import call_command

    call_command("check", database=["default"], fail_level="WARNING", stdout=io.StringIO())
