"""The one Celery app. Configuration comes from Django settings (CELERY_* names)."""

import logging
import os

from celery import Celery
from celery.signals import worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wmo.settings.dev")

app = Celery("wmo")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="wmo.ping")
def ping(value="pong"):
    """Round-trip probe used by the health check tests: proves a worker consumed a message."""
    return value


@app.task(name="wmo.dispatch_pending")
def dispatch_pending():
    """Beat, every minute: send the work recorded while the broker was away (wmo.dispatch)."""
    from .dispatch import dispatch_pending as send_pending

    return send_pending()


@worker_ready.connect
def send_pending_work(sender=None, **kwargs):
    """A worker that starts, typically after an outage, sends what waited for the broker at
    once instead of up to a minute later. A failure here must not stop the worker."""
    from django.db import connections

    from .dispatch import dispatch_pending as send_pending

    try:
        send_pending()
    except Exception:
        logging.getLogger(__name__).exception("dispatch at worker start failed")
    finally:
        connections.close_all()  # not kept open in the main process for tasks to inherit
