"""Celery tasks: thin wrappers around indicators.services, plus what only a task can do
(retry later, look again later, talk to the broker)."""

from celery import shared_task
from celery.utils.time import get_exponential_backoff_interval
from django.conf import settings
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from .models import IndicatorRun
from .quarters import Quarter
from .services import (
    TRANSIENT_ERRORS,
    RunReplaced,
    execute_run,
    mark_failed,
    request_run,
    run_for_message,
)

MAX_RETRIES = 3
# What publishing raises when the broker cannot be reached (kombu wraps redis' own errors).
BROKER_ERRORS = (BrokerError, ConnectionError)


class QueueUnavailable(Exception):
    """The broker did not take the message: the run was marked failed and nothing is queued.
    Views turn it into a 503 with this text."""


def retry_delay(retries: int) -> int:
    """Seconds before attempt `retries + 2`: 5, 10, 20 at most, each drawn at random from 0 up
    to that, so workers that failed together do not come back together."""
    return get_exponential_backoff_interval(5, retries, maximum=600, full_jitter=True)


@shared_task(
    bind=True, name="indicators.compute_quarter", max_retries=MAX_RETRIES, acks_late=True,
    reject_on_worker_lost=True,
)  # fmt: skip
def compute_quarter(self, quarter: str, run_id: int | None = None, trigger: str = "celery"):
    """Compute every indicator of `quarter` (e.g. "2026Q3") and swap the stored values.

    Without run_id (the beat schedule) it creates the quarter's run, unless one is active. With
    run_id it continues that run: computes it if queued, replaces it if its worker vanished,
    and looks again later if another worker is still busy with it (a message redelivered while
    the first delivery still runs). A transient database or broker error, wherever it happens,
    sends the run back to the queue and retries; the run fails when the retries are used up or
    the error is not transient."""
    attempt = {"run_id": run_id}
    try:
        return _compute(self, quarter, attempt, trigger)
    except TRANSIENT_ERRORS as exc:
        retries_left = self.max_retries - self.request.retries
        if retries_left <= 0:
            raise
        kwargs = {"run_id": attempt["run_id"], "trigger": trigger}
        if self.request.is_eager:
            # In-process (no broker): Celery would hand the retry back to the caller as an
            # exception, so the next attempt runs right here.
            again = compute_quarter.apply((quarter,), kwargs, task_id=self.request.id,
                                          retries=self.request.retries + 1)  # fmt: skip
            return again.get(disable_sync_subtasks=False)
        raise self.retry(exc=exc, countdown=retry_delay(self.request.retries), args=(quarter,),
                         kwargs=kwargs) from exc  # fmt: skip


def _compute(task, quarter: str, attempt: dict, trigger: str):
    request = task.request
    if attempt["run_id"] is None:
        run, created = request_run(Quarter.parse(quarter), trigger=trigger)
        if not created:
            return {"run": run.pk, "status": run.status, "skipped": "al bezig"}
    else:
        # A retry (not a redelivery) is sent by the previous attempt after it stopped, so a run
        # that attempt could not mark (the database was away) is free to take over at once.
        own = request.id if request.retries and not (request.delivery_info or {}).get(
            "redelivered") else None  # fmt: skip
        run, action = run_for_message(attempt["run_id"], trigger, previous_attempt=own)
        if action == "ended":
            return {"run": attempt["run_id"], "status": run.status if run else None}
        if action == "alive":
            if not request.is_eager:
                # If that worker dies, this later look finds the run silent and takes over.
                compute_quarter.apply_async(
                    (quarter,), {"run_id": run.pk, "trigger": trigger},
                    countdown=settings.INDICATORS_HEARTBEAT_TIMEOUT,
                    queue=(request.delivery_info or {}).get("routing_key"),
                )  # fmt: skip
            return {"run": run.pk, "status": run.status, "skipped": "bezig bij een andere worker"}
    attempt["run_id"] = run.pk
    IndicatorRun.objects.filter(pk=run.pk).update(task_id=request.id or "")
    try:
        run = execute_run(run, retries_left=task.max_retries - request.retries)
    except RunReplaced as exc:
        return {"run": run.pk, "status": "vervangen", "skipped": str(exc)}
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


def send_run(run: IndicatorRun):
    """Queue a created run's computation. If the broker cannot be reached the run is marked
    failed (no orphan in the queue state) and QueueUnavailable says so in Dutch."""
    try:
        # Nobody waits on this result (the run row shows progress), so skip the result
        # backend, which would otherwise retry its own connection for 20 seconds.
        return compute_quarter.apply_async((run.quarter,), {"run_id": run.pk}, ignore_result=True)
    except BROKER_ERRORS as exc:
        mark_failed(run, f"Wachtrij niet bereikbaar: {type(exc).__name__}: {exc}"[:2000])
        raise QueueUnavailable(
            f"De berekening van {run.quarter} kon niet gestart worden: de wachtrij (Celery-broker) "
            "is niet bereikbaar. De bestaande cijfers blijven staan; probeer het later opnieuw."
        ) from exc


def queue_run(quarter: Quarter, user=None, trigger="handmatig") -> tuple[IndicatorRun, bool]:
    """Create (or find) the quarter's run and queue it once the row is committed. Raises
    QueueUnavailable (after marking the run failed) when the broker is down."""
    from django.db import transaction

    run, created = request_run(quarter, user=user, trigger=trigger)
    if created:
        transaction.on_commit(lambda: send_run(run))
    return run, created
