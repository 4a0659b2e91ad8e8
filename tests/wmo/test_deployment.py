"""The production-like stack file: the services the architecture names, each with a healthcheck."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def test_compose_stack_has_every_service_with_a_healthcheck():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert set(services) == {"web", "worker", "beat", "db", "redis"}
    for name, service in services.items():
        assert "healthcheck" in service, f"{name} has no healthcheck"
    # The web tier with threads (wmo/gunicorn.py), in the image and the stack alike.
    assert "gunicorn -c python:wmo.gunicorn wmo.wsgi:application" in services["web"]["command"]
    assert '"gunicorn", "-c", "python:wmo.gunicorn"' in (ROOT / "Dockerfile").read_text()
    # The worker yields the CPU to the web tier (bench: dashboards stay fast during imports).
    assert services["worker"]["command"].startswith("nice -n 10 celery -A wmo worker")
    assert "DatabaseScheduler" in services["beat"]["command"]
    assert services["web"]["environment"]["DJANGO_SETTINGS_MODULE"] == "wmo.settings.production"
    assert services["web"]["ports"] == ["127.0.0.1:8000:8000"]


def test_env_example_documents_every_variable_the_settings_read():
    import re

    documented = set(re.findall(r"^([A-Z_]+)=", (ROOT / ".env.example").read_text(), re.M))
    read = set()
    for path in (ROOT / "wmo" / "settings").glob("*.py"):
        read |= set(re.findall(r'env(?:\.\w+)?\(\s*"([A-Z_]+)"', path.read_text()))
        read |= set(re.findall(r'os\.environ\.setdefault\("([A-Z_]+)"', path.read_text()))
    assert read - documented == set()


def test_the_web_tier_serves_with_threads_so_an_upload_holds_one_thread(monkeypatch):
    import importlib

    for name in ("GUNICORN_WORKERS", "GUNICORN_THREADS", "GUNICORN_BIND"):
        monkeypatch.delenv(name, raising=False)
    config = importlib.reload(importlib.import_module("wmo.gunicorn"))
    assert (config.worker_class, config.workers, config.threads) == ("gthread", 3, 4)
    assert config.bind == "0.0.0.0:8000" and config.timeout >= 60 and config.keepalive > 60
