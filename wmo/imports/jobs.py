"""Uploads as jobs: the request stores the file in a private directory and creates an ImportJob;
a Celery task (tasks.py) runs it here. The job claims its row, imports through the framework
with progress and heartbeat, and ends done (the report) or failed; its file is removed then.

A message delivered twice does not import twice: a job that ended is left alone, one whose
worker is alive (recent heartbeat) is not taken from it, and a successful import marks its job
done inside the import's own transaction, so "imported" and "done" commit together."""

from __future__ import annotations

import datetime
import hashlib
import logging
import os
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext

from .framework import CHECK, Importer
from .limits import thousands
from .models import ImportJob
from .problems import ImportResult

logger = logging.getLogger("wmo.imports")

Status = ImportJob.Status
PROGRESS_INTERVAL = 0.5
"""Seconds between two progress writes (each is a heartbeat too)."""
DUTY_SLICE = 0.2
"""Seconds of work between two pauses of a job that works part of the time (IMPORT_DUTY_CYCLE)."""


class JobTakenOver(Exception):
    """Another delivery took the job over (this worker was thought dead): stop, write nothing."""


# --- the upload ---------------------------------------------------------------------------------


def upload_dir() -> Path:
    """The private directory uploads wait in: outside the web root, readable by the app only."""
    path = Path(settings.IMPORT_UPLOAD_DIR)
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def stored_path(job: ImportJob) -> Path | None:
    return upload_dir() / job.stored_name if job.stored_name else None


def importer_path(importer_class: type[Importer]) -> str:
    return f"{importer_class.__module__}.{importer_class.__qualname__}"


def create_job(importer_class: type[Importer], upload, user=None, dry_run: bool = False,
               address: str | None = None) -> ImportJob:  # fmt: skip
    """Store an upload (copied in chunks, its SHA-256 computed on the way) and create its job,
    queued. The caller queues it (`tasks.queue_job`)."""
    suffix = ".xlsx" if upload.name.lower().endswith(".xlsx") else ".csv"
    name = f"{uuid.uuid4().hex}{suffix}"
    path = upload_dir() / name
    digest = hashlib.sha256()
    size = 0
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as out:
            upload.seek(0)
            for chunk in upload.chunks(1024 * 1024):
                digest.update(chunk)
                size += len(chunk)
                out.write(chunk)
        return ImportJob.objects.create(
            kind=importer_class.kind or importer_class.__name__.lower(),
            title=importer_class.title, importer=importer_path(importer_class),
            file_name=os.path.basename(upload.name)[:255], file_size=size,
            sha256=digest.hexdigest(), stored_name=name,
            user=user if getattr(user, "is_authenticated", False) else None, dry_run=dry_run,
            address=address,
        )  # fmt: skip
    except BaseException:
        path.unlink(missing_ok=True)
        raise


def unlink_upload(path: Path | None) -> None:
    """Remove a job's file once the job ended; the row forgot it in its final update."""
    if path is not None:
        path.unlink(missing_ok=True)


# --- pending work (for a re-dispatcher) -----------------------------------------------------------


def pending_jobs():
    """Jobs that wait for a worker that is not coming: queued ones whose message never reached
    the broker (it was down), and running ones whose worker went silent (no heartbeat for
    IMPORT_HEARTBEAT_TIMEOUT). Oldest first. Send each with `tasks.send_job`; a job that meanwhile
    ended or got a live worker is left alone by the task, so sending twice is harmless."""
    silent = timezone.now() - datetime.timedelta(seconds=settings.IMPORT_HEARTBEAT_TIMEOUT)
    return ImportJob.objects.filter(
        Q(status=Status.QUEUED, sent_at__isnull=True)
        | Q(status=Status.RUNNING, heartbeat_at__lt=silent)
    ).order_by("created_at", "pk")


# --- running a job ------------------------------------------------------------------------------


def claim(job_id: int, task_id: str = "") -> tuple[ImportJob | None, str]:
    """Take the job for this delivery: ('claimed' | 'ended' | 'alive' | 'missing')."""
    with transaction.atomic():
        job = (
            ImportJob.objects.select_for_update(of=("self",))
            .select_related("user")
            .filter(pk=job_id)
            .first()
        )
        if job is None:
            return None, "missing"
        if job.status in (Status.DONE, Status.FAILED):
            return job, "ended"
        now = timezone.now()
        if job.status == Status.RUNNING:
            silent_for = (now - job.heartbeat_at).total_seconds() if job.heartbeat_at else None
            if silent_for is not None and silent_for < settings.IMPORT_HEARTBEAT_TIMEOUT:
                return job, "alive"
            # Its worker died: its transaction was rolled back, so nothing of it was written.
            job.message = (f"Poging {job.attempts} is afgebroken (de worker verdween); de import "
                           "begint opnieuw.")  # fmt: skip
        job.status = Status.RUNNING
        job.attempts += 1
        job.started_at = job.started_at or now
        job.heartbeat_at = now
        job.stage, job.progress, job.rows_processed = CHECK, 0, 0
        job.task_id = task_id or job.task_id
        job.save(update_fields=["status", "attempts", "started_at", "heartbeat_at", "stage",
                                "progress", "rows_processed", "task_id", "message"])  # fmt: skip
    return job, "claimed"


class JobProgress:
    """`progress` for Importer.run: writes the job's progress and heartbeat at most every half
    second. While the import's transaction is open the job row is written over a connection
    of its own (PostgreSQL), so the page sees it before the import commits; SQLite allows one
    writer at a time, so there the progress of the writing pass shows at the end."""

    def __init__(self, job: ImportJob, duty_cycle: float | None = None):
        self.job = job
        self.last = 0.0
        self.percent = 0
        self._aside = None
        self.duty_cycle = settings.IMPORT_DUTY_CYCLE if duty_cycle is None else duty_cycle
        self.working_since = time.monotonic()
        self.paused = 0.0

    def __call__(self, stage: str, rows: int, fraction: float | None) -> None:
        self.yield_to_pages()
        now = time.monotonic()
        if now - self.last < PROGRESS_INTERVAL:
            return
        self.last = now
        if fraction is not None:
            base = 0 if stage == CHECK else 50
            self.percent = max(self.percent, min(99, base + int(50 * fraction)))
        self.write(stage=stage, progress=self.percent, rows_processed=rows)

    def yield_to_pages(self) -> None:
        """Work at most `duty_cycle` of the time: after each stretch of work, pause so long that
        work / (work + pause) = duty_cycle. On a small machine an import's worker and its
        database backend would otherwise take both cores from the web tier (the worker's `nice`
        does not reach its PostgreSQL backend); an import may take longer, a page may not."""
        if self.duty_cycle >= 1:
            return
        now = time.monotonic()
        worked = now - self.working_since
        if worked < DUTY_SLICE:
            return
        pause = worked * (1 - self.duty_cycle) / self.duty_cycle
        time.sleep(pause)
        self.paused += pause
        self.working_since = time.monotonic()

    def write(self, **fields) -> None:
        fields["heartbeat_at"] = timezone.now()
        connection = connections[DEFAULT_DB_ALIAS]
        try:
            if not connection.in_atomic_block:
                ImportJob.objects.filter(pk=self.job.pk, attempts=self.job.attempts,
                                         status=Status.RUNNING).update(**fields)  # fmt: skip
            elif connection.vendor == "postgresql":
                self._write_aside(fields)
        except DatabaseError as exc:  # progress is a courtesy: never the reason an import fails
            logger.warning("Voortgang van import %s niet geschreven: %s", self.job.pk, exc)

    def _write_aside(self, fields: dict) -> None:
        if self._aside is None:
            self._aside = connections.create_connection(DEFAULT_DB_ALIAS)
            with self._aside.cursor() as cursor:
                # The import's own transaction never holds this row while it runs; should it
                # ever, give up rather than wait for it.
                cursor.execute("SET lock_timeout = '2s'")
        meta = ImportJob._meta
        quote = self._aside.ops.quote_name
        assignments = ", ".join(f"{quote(meta.get_field(name).column)} = %s" for name in fields)
        with self._aside.cursor() as cursor:
            cursor.execute(
                f"UPDATE {quote(meta.db_table)} SET {assignments} "
                "WHERE id = %s AND attempts = %s AND status = %s",
                [*fields.values(), self.job.pk, self.job.attempts, Status.RUNNING],
            )

    def close(self) -> None:
        if self._aside is not None:
            self._aside.close()
            self._aside = None


def finish(job: ImportJob, result: ImportResult) -> None:
    """Mark the job done with its report. Called inside the import's transaction when it wrote
    (so both commit together), else after the run. Raises JobTakenOver when this attempt no
    longer owns the job."""
    now = timezone.now()
    fields = {
        "status": Status.DONE, "stage": "", "progress": 100, "rows": result.rows,
        "rows_processed": result.rows, "new_rows": result.created,
        "changed_rows": result.updated, "unchanged_rows": result.unchanged,
        "problem_count": result.problem_count,
        "problems": [problem.as_dict() for problem in result.problems],
        "warnings": [warning.as_dict() for warning in result.warnings],
        "warning_count": result.warning_count,
        "summary": result.summary, "finished_at": now, "heartbeat_at": now, "error": "",
        # Forgotten in the same update: a page that sees the job done never sees its file.
        "stored_name": "",
    }  # fmt: skip
    owned = ImportJob.objects.filter(pk=job.pk, attempts=job.attempts, status=Status.RUNNING)
    if not owned.update(**fields):
        raise JobTakenOver(f"Importtaak {job.pk}: poging {job.attempts} is overgenomen.")
    for name, value in fields.items():
        setattr(job, name, value)


def fail(job: ImportJob, error: str) -> bool:
    now = timezone.now()
    updated = ImportJob.objects.filter(pk=job.pk, attempts=job.attempts, status=Status.RUNNING
                                       ).update(status=Status.FAILED, stage="", error=error[:4000],
                                                finished_at=now, heartbeat_at=now,
                                                stored_name="")  # fmt: skip
    if updated:
        job.status, job.error, job.stored_name = Status.FAILED, error[:4000], ""
    return bool(updated)


def execute_job(job_id: int, task_id: str = "") -> dict:
    """Run one delivery of a job's message. Never raises for the file or the import: a fault
    marks the job failed (the report says why), so an in-process run cannot break the request
    that queued it."""
    job, action = claim(job_id, task_id)
    if action != "claimed":
        return {"job": job_id, "status": job.status if job else None, "skipped": action}
    progress = JobProgress(job)
    ended = False
    path = None
    try:
        path = stored_path(job)
        if path is None or not path.exists():
            ended = fail(job, "Het geüploade bestand is niet meer aanwezig; upload het opnieuw.")
            return {"job": job.pk, "status": job.status}
        importer = import_string(job.importer)(user=job.user, address=job.address)
        if not isinstance(importer, Importer):
            raise TypeError(f"{job.importer} is geen importeur")
        result = importer.run(path, job.file_name, dry_run=job.dry_run, progress=progress,
                              before_commit=lambda result: finish(job, result))  # fmt: skip
        if job.status != Status.DONE:  # refused, or a dry run: nothing was written
            finish(job, result)
        ended = True
        return {"job": job.pk, "status": job.status, "problems": result.problem_count}
    except JobTakenOver as exc:
        logger.warning("%s", exc)
        return {"job": job.pk, "status": "overgenomen"}
    except Exception as exc:
        logger.exception("Import %s mislukt", job.pk)
        ended = fail(job, failure_message(exc))
        return {"job": job.pk, "status": job.status}
    finally:
        progress.close()
        if ended:
            unlink_upload(path)


def failure_message(exc: Exception) -> str:
    from celery.exceptions import SoftTimeLimitExceeded
    from django.db import OperationalError

    if isinstance(exc, SoftTimeLimitExceeded):
        return (gettext("De import duurde langer dan de tijdgrens van de achtergrondtaak en is gestopt; er "
                "is niets opgeslagen."))  # fmt: skip
    if isinstance(exc, OperationalError):
        return (gettext("De verbinding met de database viel weg tijdens de import; er is niets opgeslagen. "
                "Upload het bestand opnieuw."))  # fmt: skip
    return gettext(
        "De import is door een fout in de toepassing gestopt (%(name)s); er is niets opgeslagen."
    ) % {"name": type(exc).__name__}


# --- what the pages show ------------------------------------------------------------------------


def stage_label(job: ImportJob) -> str:
    if job.stage == CHECK:
        return "controleren"
    return "tellen" if job.dry_run else "opslaan"


def status_text(job: ImportJob) -> str:
    """One Dutch sentence on where the job stands, for the page and its live region."""
    if job.status == Status.QUEUED:
        return f"In de wachtrij. {job.message}".strip()
    if job.status == Status.RUNNING:
        if job.stage == CHECK:
            return (f"Bezig met controleren: {thousands(job.rows_processed)} rijen gecontroleerd "
                    f"({job.progress} %).")  # fmt: skip
        return (f"Bezig met {stage_label(job)}: {thousands(job.rows_processed)} rijen verwerkt "
                f"({job.progress} %).")  # fmt: skip
    if job.status == Status.DONE:
        return job.summary
    return f"Mislukt: {job.error}"
