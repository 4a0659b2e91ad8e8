"""`/healthz`: can this instance reach its database, its broker and a Celery worker?

Anyone (a load balancer, docker's healthcheck) gets the verdict only; which part fails and
why (driver messages, broker addresses) is for staff: contract managers and superusers."""

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .accounts.roles import has_capability
from .celery import app as celery_app


def _database():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means "down"; the detail goes in the body
        return {"ok": False, "detail": str(exc)[:200]}
    return {"ok": True, "detail": connection.vendor}


def _broker():
    if celery_app.conf.task_always_eager:
        return {"ok": True, "detail": "geen broker: taken draaien in het proces (eager)"}
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:
        return {"ok": False, "detail": str(exc)[:200]}
    return {"ok": True, "detail": "bereikbaar"}


def _worker(broker_ok: bool):
    if celery_app.conf.task_always_eager:
        return {"ok": True, "detail": "geen worker nodig (eager)"}
    if not broker_ok:
        return {"ok": False, "detail": "broker onbereikbaar"}
    try:
        replies = celery_app.control.ping(timeout=settings.HEALTHZ_WORKER_TIMEOUT)
    except Exception as exc:
        return {"ok": False, "detail": str(exc)[:200]}
    if not replies:
        return {"ok": False, "detail": "geen worker antwoordde"}
    return {"ok": True, "detail": f"{len(replies)} worker(s)"}


@never_cache
@require_GET
def healthz(request):
    database = _database()
    broker = _broker()
    worker = _worker(broker["ok"])
    checks = {"database": database, "broker": broker, "worker": worker}
    healthy = all(check["ok"] for check in checks.values())
    body = {"status": "ok" if healthy else "niet ok"}
    if has_capability(request.user, "health.details"):
        body["checks"] = checks
    return JsonResponse(body, status=200 if healthy else 503)
