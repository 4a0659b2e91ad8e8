"""Celery tasks: thin wrappers around indicators.services."""

from celery import shared_task
from django.db import InterfaceError, OperationalError
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from .models import IndicatorRun
from .quarters import Quarter
from .services import execute_run, request_run

TRANSIENT = (OperationalError, InterfaceError, BrokerError)


@shared_task(
    bind=True, name="indicators.compute_quarter", autoretry_for=TRANSIENT, retry_backoff=5,
    retry_jitter=True, max_retries=3, acks_late=True,
)  # fmt: skip
def compute_quarter(self, quarter: str, run_id: int | None = None, trigger: str = "celery"):
    """Compute every indicator of `quarter` (e.g. "2026Q3") and swap the stored values."""
    if run_id is None:
        run, created = request_run(Quarter.parse(quarter), trigger=trigger)
        if not created:
            return {"run": run.pk, "status": run.status, "skipped": "al bezig"}
    else:
        run = IndicatorRun.objects.get(pk=run_id)
        if run.status in (IndicatorRun.Status.DONE, IndicatorRun.Status.FAILED):
            # A redelivered message for a run that already ended: nothing to do.
            return {"run": run.pk, "status": run.status}
    IndicatorRun.objects.filter(pk=run.pk).update(task_id=self.request.id or "")
    run = execute_run(run)
    return {"run": run.pk, "status": run.status, "rows": run.rows_written}


@shared_task(name="indicators.compute_closed_quarter")
def compute_closed_quarter():
    """Scheduled after each quarter closes: the quarter that just ended."""
    quarter = Quarter.last_completed(timezone.localdate())
    return compute_quarter.delay(str(quarter), trigger="schema: kwartaal afgesloten").id


@shared_task(name="indicators.compute_running_quarter")
def compute_running_quarter():
    """Scheduled nightly: the quarter in progress, so dashboards show it up to yesterday."""
    quarter = Quarter.containing(timezone.localdate())
    return compute_quarter.delay(str(quarter), trigger="schema: nachtelijk").id


def queue_run(quarter: Quarter, user=None, trigger="handmatig") -> tuple[IndicatorRun, bool]:
    """Create (or find) the quarter's run and queue it once the row is committed."""
    from django.db import transaction

    run, created = request_run(quarter, user=user, trigger=trigger)
    if created:
        transaction.on_commit(lambda: compute_quarter.delay(str(quarter), run_id=run.pk))
    return run, created
