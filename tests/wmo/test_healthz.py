import pytest

from tests.celery_conf import set_celery_conf


@pytest.mark.django_db
def test_healthz_embedded_default(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["broker"]["ok"] is True
    assert "eager" in body["checks"]["broker"]["detail"]


@pytest.mark.django_db
def test_healthz_reports_unreachable_broker_with_503(client, monkeypatch):
    # Celery reads CELERY_BROKER_URL from the process environment before its own settings.
    monkeypatch.setenv("CELERY_BROKER_URL", "redis://127.0.0.1:1/0")
    previous = set_celery_conf(task_always_eager=False, broker_url="redis://127.0.0.1:1/0")
    try:
        response = client.get("/healthz")
    finally:
        set_celery_conf(**previous)
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fout"
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["broker"]["ok"] is False
    assert body["checks"]["worker"] == {"ok": False, "detail": "broker onbereikbaar"}


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_healthz_with_real_broker_and_worker(client, celery_worker):
    response = client.get("/healthz")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["checks"]["database"]["detail"] == "postgresql"
    assert body["checks"]["worker"]["ok"] is True
