"""The one Celery app. Configuration comes from Django settings (CELERY_* names)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wmo.settings.dev")

app = Celery("wmo")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="wmo.ping")
def ping(value="pong"):
    """Round-trip probe used by the health check tests: proves a worker consumed a message."""
    return value
