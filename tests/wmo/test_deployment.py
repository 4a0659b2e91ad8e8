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
    assert "gunicorn" in services["web"]["command"]
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
