"""/healthz: everyone gets the verdict (ok / niet ok, 200 / 503); staff also get the checks."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.celery_conf import set_celery_conf

ROOT = Path(__file__).resolve().parents[2]
UNREACHABLE = "redis://127.0.0.1:1/0"


@pytest.fixture
def broker_down(monkeypatch):
    # Celery reads CELERY_BROKER_URL from the process environment before its own settings.
    monkeypatch.setenv("CELERY_BROKER_URL", UNREACHABLE)
    previous = set_celery_conf(task_always_eager=False, broker_url=UNREACHABLE)
    yield
    set_celery_conf(**previous)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["anonymous", "buurtteam_worker", "council_member"])
def test_others_get_only_the_verdict(client_for, role):
    response = client_for(role).get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_contract_manager_gets_the_checks(contract_manager_client):
    response = contract_manager_client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["broker"]["ok"] is True
    assert "eager" in body["checks"]["broker"]["detail"]


@pytest.mark.django_db
def test_superuser_gets_the_checks(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("beheer", password="x" * 12))
    assert set(client.get("/healthz").json()["checks"]) == {"database", "broker", "worker"}


@pytest.mark.slow
@pytest.mark.django_db
def test_unreachable_broker_is_503_and_anonymous_learns_nothing_more(client, broker_down):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "niet ok"}
    assert b"127.0.0.1" not in response.content and b"redis" not in response.content


@pytest.mark.slow
@pytest.mark.django_db
def test_unreachable_broker_details_for_staff(contract_manager_client, broker_down):
    response = contract_manager_client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "niet ok"
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["broker"]["ok"] is False
    assert body["checks"]["worker"] == {"ok": False, "detail": "broker onbereikbaar"}


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_healthz_with_real_broker_and_worker(contract_manager_client, celery_worker):
    response = contract_manager_client.get("/healthz")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["checks"]["database"]["detail"] == "postgresql"
    assert body["checks"]["worker"]["ok"] is True


def _compose_healthcheck(url: str) -> list[str]:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    command = compose["services"]["web"]["healthcheck"]["test"]
    assert command[:3] == ["CMD", "python", "-c"]
    assert "http://127.0.0.1:8000/healthz" in command[3]
    return [sys.executable, "-c", command[3].replace("http://127.0.0.1:8000", url)]


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_compose_healthcheck_passes_as_the_allowed_host(live_server, settings, monkeypatch):
    """docker compose's web healthcheck, run against a live server that, like production,
    allows only its own host name: 0 when healthy, 1 when not."""
    settings.ALLOWED_HOSTS = ["wmo.example.nl"]
    env = {**os.environ, "DJANGO_ALLOWED_HOSTS": "wmo.example.nl,intern.example.nl"}
    command = _compose_healthcheck(live_server.url)
    healthy = subprocess.run(command, env=env, capture_output=True, text=True, timeout=30)
    assert healthy.returncode == 0, healthy.stderr
    monkeypatch.setenv("CELERY_BROKER_URL", UNREACHABLE)
    previous = set_celery_conf(task_always_eager=False, broker_url=UNREACHABLE)
    try:
        unhealthy = subprocess.run(command, env=env, capture_output=True, text=True, timeout=30)
    finally:
        set_celery_conf(**previous)
    assert unhealthy.returncode == 1
    assert "503" in unhealthy.stderr
