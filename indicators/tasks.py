"""Celery tasks: thin wrappers around indicators.services, plus what only a task can do
(retry later, look again later, talk to the broker)."""

import contextlib
import logging

from celery import shared_task
from celery.utils import uuid
from celery.utils.time import get_exponential_backoff_interval
from django.conf import settings
from django.utils import timezone

from wmo import background
from wmo.dispatch import BROKER_ERRORS, QueueUnavailable
from wmo.periods import HalfYear, Period, Quarter, Year

from .models import IndicatorRun
from .services import (
    TRANSIENT_ERRORS,
    RunReplaced,
    execute_run,
    request_run,
    run_for_message,
)

log = logging.getLogger(__name__)
RERUN_TRIGGER = "gewijzigd tijdens berekening"
MAX_RETRIES = 3
__all__ = ["QueueUnavailable", "compute_quarter", "pending_runs", "queue_run", "send_run"]


def retry_delay(retries: int) -> int:
    """Seconds before attempt `retries + 2`: 5, 10, 20 at most, each drawn at random from 0 up
    to that, so workers that failed together do not come back together."""
    return get_exponential_backoff_interval(5, retries, maximum=600, full_jitter=True)


# The task keeps its first name (and compute_quarter its own) for any period: messages already
# queued and the beat entries stored by django-celery-beat name it.
@shared_task(
    bind=True, name="indicators.compute_quarter", max_retries=MAX_RETRIES, acks_late=True,
    reject_on_worker_lost=True,
)  # fmt: skip
def compute_quarter(self, quarter: str, run_id: int | None = None, trigger: str = "celery"):
    """Compute every indicator of the period `quarter` (a quarter "2026Q3", half-year "2026H1"
    or year "2026") and swap the stored values.

    Without run_id (the beat schedule) it creates the period's run, unless one is active. With
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
        # In-process (embedded mode, no broker) Celery's own apply() runs the retry at once.
        kwargs = {"run_id": attempt["run_id"], "trigger": trigger}
        raise self.retry(exc=exc, countdown=retry_delay(self.request.retries), args=(quarter,),
                         kwargs=kwargs) from exc  # fmt: skip


def _compute(task, quarter: str, attempt: dict, trigger: str):
    request = task.request
    if attempt["run_id"] is None:
        run, created = request_run(Period.parse(quarter), trigger=trigger)
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
    if run.rerun_requested:
        queue_run(run.quarter, trigger=RERUN_TRIGGER, delay=settings.INDICATORS_CHANGE_DELAY)
    return {"run": run.pk, "status": run.status, "rows": run.rows_written}


def closed_periods(today) -> list[Period]:
    """The quarter that ended last, with the half-year and the year that ended with it (on
    1 July the first half-year, on 1 January the second and the year)."""
    quarter = Quarter.last_completed(today)
    ended_with_it = [kind.last_completed(today) for kind in (HalfYear, Year)]
    return [quarter, *(period for period in ended_with_it if period.end == quarter.end)]


def running_periods(today) -> list[Period]:
    """The quarter, half-year and year in progress."""
    return [kind.containing(today) for kind in (Quarter, HalfYear, Year)]


@shared_task(name="indicators.compute_closed_quarter")
def compute_closed_quarter():
    """Scheduled after each quarter closes: the periods that just ended (closed_periods), each
    computed once more with everything recorded up to its last day. Returns the task ids."""
    return [
        compute_quarter.delay(str(period), trigger="schema: periode afgesloten").id
        for period in closed_periods(timezone.localdate())
    ]


@shared_task(name="indicators.compute_running_quarter")
def compute_running_quarter():
    """Scheduled nightly: the quarter, half-year and year in progress, so dashboards show them
    up to yesterday. Returns the task ids."""
    return [
        compute_quarter.delay(str(period), trigger="schema: nachtelijk").id
        for period in running_periods(timezone.localdate())
    ]


def pending_runs():
    """The runs recorded but not handed to the broker (it was away): for wmo.dispatch."""
    return IndicatorRun.objects.filter(status=IndicatorRun.Status.QUEUED, task_id="").order_by(
        "created_at"
    )


def send_run(run: IndicatorRun, countdown: float | None = None):
    """Hand a recorded run to the broker, once. The run's task id is claimed first (empty means
    "not sent yet"), so the request that created the run and the dispatcher cannot both send
    it; a message that still arrives twice finds the run claimed by the first (run_for_message).
    When the broker is away the claim is undone: the run stays queued, nothing is failed, and
    the dispatcher (wmo.dispatch: beat every minute, and every worker at start) sends it once
    the broker is back. QueueUnavailable says so in Dutch. Returns the AsyncResult, or None
    when the run was already sent or is no longer queued."""
    task_id = uuid()
    runs = IndicatorRun.objects.filter(pk=run.pk)
    if not runs.filter(status=IndicatorRun.Status.QUEUED, task_id="").update(task_id=task_id):
        return None
    try:
        # Nobody waits on this result (the run row shows progress), so skip the result
        # backend, which would otherwise retry its own connection for 20 seconds.
        result = background.send(compute_quarter, (str(run.quarter),), {"run_id": run.pk},
                                 task_id=task_id, ignore_result=True,
                                 countdown=countdown or None)  # fmt: skip
    except BROKER_ERRORS as exc:
        runs.filter(task_id=task_id, status=IndicatorRun.Status.QUEUED).update(
            task_id="", step=IndicatorRun.AWAITING_BROKER_STEP
        )
        run.refresh_from_db()
        log.warning("indicators: run %s waits for the broker (%s: %s)", run.pk,
                    type(exc).__name__, exc)  # fmt: skip
        raise QueueUnavailable(run.awaiting_broker_message) from exc
    run.task_id = task_id
    return result


def _send_or_leave_pending(run: IndicatorRun, countdown: float | None = None) -> None:
    # On QueueUnavailable the run stays recorded and pending: the dispatcher sends it, and the
    # caller reads the run's state (run.awaits_broker) to tell the user.
    with contextlib.suppress(QueueUnavailable):
        send_run(run, countdown)


def periods_to_recompute(quarters, today=None) -> list[Period]:
    """The stored periods that change when records of `quarters` change: those quarters, their
    half-years and their years, each only if it has stored values (a period nobody computed
    yet is computed when asked for) and may be computed (services.check_period_computable).
    Quarters first, then half-years, then years."""
    from django.core.exceptions import ValidationError

    from .models import IndicatorValue
    from .services import check_period_computable

    candidates = {}
    for quarter in quarters:
        for period in (quarter, quarter.half_year, quarter.calendar_year):
            candidates[str(period)] = period
    stored = {
        str(period) for period in IndicatorValue.objects.filter(quarter__in=list(candidates))
        .order_by().values_list("quarter", flat=True).distinct()
    }  # fmt: skip
    result = []
    for text, period in candidates.items():
        if text not in stored:
            continue
        try:
            check_period_computable(period, today)
        except ValidationError:
            continue
        result.append(period)
    return sorted(result, key=lambda p: (p.MONTHS, p.start))


def recompute_after_import(sender, importer, result, **kwargs) -> list[Period]:
    """An import changed records counting in `result.touched` quarters: queue their periods'
    recompute once the import commits (queue_run), and say which in the import's summary, so
    the job's page shows it. Connected to wmo.imports.framework.imported (apps.py)."""
    periods = periods_to_recompute(result.touched)
    if not periods:
        return []
    user = getattr(importer, "user", None)
    for period in periods:
        queue_run(period, user=user, trigger=f"import {getattr(importer, 'kind', '')}".strip()[:40],
                  changed=True)  # fmt: skip
    names = [str(p) for p in periods]
    listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} en {names[-1]}"
    result.notes.append(
        f"De indicatoren van {listed} worden opnieuw berekend (de perioden waarin de gewijzigde "
        "rijen tellen); de andere perioden blijven staan."
    )
    return periods


def queue_run(period: Period, user=None, trigger="handmatig", changed=False, delay: float = 0
              ) -> tuple[IndicatorRun, bool]:  # fmt: skip
    """Create (or find) the period's run (a quarter, half-year or year) and hand it to the broker
    once the row is committed. Never fails on a broker outage: the run then stays queued in the
    database (`run.awaits_broker`) and starts by itself once the broker is back. A trigger that
    finds such a waiting run tries to send it again.

    With `changed` (records changed: an import, an edit) an active run found stands in for a
    new one, so many changes give one recompute. Such a run may already have read the records
    before the change commits, so once it commits (follow_change) the run is asked to queue its
    period again when done, or, if it ended meanwhile, a new run is queued.

    A new run starts `delay` seconds after it was queued: the changes that follow within that
    time find it queued and share it (recompute_after_change), so twenty workers registering at
    once cost one recompute, not one each."""
    from django.db import transaction

    run, created = request_run(period, user=user, trigger=trigger)
    if created or run.awaits_broker:
        transaction.on_commit(lambda: _send_or_leave_pending(run, delay if created else None))
    if changed and not created:
        transaction.on_commit(lambda: follow_change(run, user=user, trigger=trigger, delay=delay))
    return run, created


def follow_change(run: IndicatorRun, user=None, trigger="handmatig", delay: float = 0
                  ) -> IndicatorRun | None:  # fmt: skip
    """After a change committed that `run`'s period must show: a run still queued reads it
    anyway; a running one is marked to queue its period again once done (rerun_requested); one
    that ended, or ended meanwhile, is followed by a new run. Returns the run that will show the
    change, or None when that could not be arranged (the next trigger will)."""
    for _ in range(3):
        status = IndicatorRun.objects.filter(pk=run.pk).values_list("status", flat=True).first()
        if status == IndicatorRun.Status.QUEUED:
            return run
        if status == IndicatorRun.Status.RUNNING and IndicatorRun.objects.filter(
            pk=run.pk, status=IndicatorRun.Status.RUNNING
        ).update(rerun_requested=True):
            return run
        run, created = request_run(run.quarter, user=user, trigger=trigger)
        if created or run.awaits_broker:
            _send_or_leave_pending(run, delay if created else None)
            return run
    return None


def recompute_after_change(sender, quarters, user=None, **kwargs) -> list[Period]:
    """A form or the API registered or changed a referral or case that counts in `quarters`, and
    that committed (wmo.referrals.services.changed): queue the recompute of their stored periods, as after an
    import. Edits while a period's run waits share that run."""
    periods = periods_to_recompute(quarters)
    # Sent after the change committed: a run still queued will read it, so the usual case,
    # edits while the runs wait, costs these two reads and nothing more.
    waiting = {
        str(period) for period in IndicatorRun.objects.filter(
            quarter__in=[str(p) for p in periods], status=IndicatorRun.Status.QUEUED,
        ).values_list("quarter", flat=True)
    } if periods else set()  # fmt: skip
    for period in periods:
        if str(period) not in waiting:
            queue_run(period, user=user, trigger="wijziging", changed=True,
                      delay=settings.INDICATORS_CHANGE_DELAY)  # fmt: skip
    return periods
