import pytest

from wmo.celery import app, ping


def test_tasks_run_in_process_without_a_broker(settings):
    # The test settings run tasks eagerly: .delay() executes right here and returns the value.
    assert app.conf.task_always_eager is True
    assert ping.delay("hallo").get(timeout=1) == "hallo"


def test_autodiscovery_and_serialisation():
    assert "wmo.ping" in app.tasks
    assert app.conf.task_serializer == "json"
    assert app.conf.accept_content == ["json"]
    assert app.conf.task_acks_late is True
    assert app.conf.timezone == "Europe/Amsterdam"


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_round_trip_through_redis_and_a_real_worker(celery_worker):
    result = ping.delay("via-redis")
    assert result.get(timeout=30) == "via-redis"
    # It really went through the broker: a worker (not this process) ran it.
    assert result.status == "SUCCESS"
    assert app.conf.task_always_eager is False
