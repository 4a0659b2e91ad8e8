"""Celery task of an upload's import: a thin wrapper around jobs.execute_job, plus what only a
task can do (talk to the broker, look again later)."""

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from wmo import background
from wmo.dispatch import BROKER_ERRORS, QueueUnavailable

from .jobs import execute_job
from .models import ImportJob

QUEUE_DOWN = (
    "De wachtrij (Celery-broker) is nu niet bereikbaar. De import blijft in de wachtrij staan en "
    "start zodra de wachtrij weer bereikbaar is; u hoeft het bestand niet opnieuw te uploaden."
)


@shared_task(bind=True, name="imports.run_import_job", acks_late=True,
             reject_on_worker_lost=True)  # fmt: skip
def run_import_job(self, job_id: int):
    """Import an uploaded file (jobs.execute_job). Acknowledged only when done, so a killed
    worker's job is delivered again; a delivery that finds it ended does nothing, one that
    finds it alive elsewhere looks again after the heartbeat timeout, in case that worker dies."""
    outcome = execute_job(job_id, task_id=self.request.id or "")
    if outcome.get("skipped") == "alive":
        run_import_job.apply_async(
            (job_id,), countdown=settings.IMPORT_HEARTBEAT_TIMEOUT,
            queue=(self.request.delivery_info or {}).get("routing_key"),
        )  # fmt: skip
    return outcome


def send_job(job: ImportJob) -> bool:
    """Hand a queued job to the broker (in the embedded default: run it in this process,
    wmo.background). If the
    broker cannot be reached the job stays queued with a Dutch note saying it starts once the
    queue is back (`jobs.pending_jobs` lists it for whoever sends it again). True when sent."""
    try:
        # Nobody waits on this result (the job row shows progress), so skip the result backend.
        sent = background.send(run_import_job, (job.pk,), ignore_result=True)
    except BROKER_ERRORS:
        ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.QUEUED).update(
            message=QUEUE_DOWN
        )
        job.message = QUEUE_DOWN
        return False
    ImportJob.objects.filter(pk=job.pk).update(sent_at=timezone.now(), task_id=sent.id or "")
    ImportJob.objects.filter(pk=job.pk, message=QUEUE_DOWN).update(message="")
    return True


def queue_job(job: ImportJob) -> None:
    """Send the job once its row is committed (at once outside a transaction)."""
    transaction.on_commit(lambda: send_job(job))


def dispatch_job(job: ImportJob) -> None:
    """`send_job` as the dispatcher (wmo.dispatch) calls it: an unreachable broker is raised, so
    the dispatcher's round stops and tries again later."""
    if not send_job(job):
        raise QueueUnavailable(QUEUE_DOWN)
