"""Tasks of the embedded default (`make run`: no broker, tasks in-process) off the request.

With Celery's eager mode `apply_async` runs the task in the caller: a web upload of a million
rows held the browser's request for 82 seconds and showed no progress, where INTERCHANGE.md has
uploads "imported by a background job with progress, never inside the request". With
WMO_TASKS_IN_BACKGROUND (settings/dev.py sets it) `send` runs such a task in a thread of this
process instead, on that thread's own database connection, and the job's or run's row shows its
progress as it does on a worker. One thread takes the tasks in turn, as a single worker would:
the embedded SQLite has one writer, and an import's recomputation of six quarters at once only
made them wait on each other. The process finishes what it was given before it exits (a command
line import waits for the recomputation it started, instead of leaving it "running" for good).
The tests keep Celery's eager mode (the task runs in the caller) unless one switches this on."""

import threading
from concurrent.futures import ThreadPoolExecutor

from celery import uuid
from django.conf import settings
from django.db import connections

_worker: ThreadPoolExecutor | None = None
_worker_lock = threading.Lock()


def _the_worker() -> ThreadPoolExecutor:
    global _worker
    with _worker_lock:
        if _worker is None:
            # Its thread is joined when the interpreter exits (concurrent.futures' own atexit).
            _worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="wmo-task")
        return _worker


def in_background() -> bool:
    return bool(settings.CELERY_TASK_ALWAYS_EAGER and settings.WMO_TASKS_IN_BACKGROUND)


def send(task, args=(), kwargs=None, **options):
    """`task.apply_async(args, kwargs, **options)`; in the embedded default with
    WMO_TASKS_IN_BACKGROUND, the task runs in this process's task thread, after those sent
    before it (a countdown is not waited for, as in eager mode). Returns the AsyncResult."""
    if not in_background():
        return task.apply_async(args, kwargs, **options)
    task_id = options.get("task_id") or uuid()

    def run():
        try:
            task.apply(args, kwargs, task_id=task_id)
        finally:
            connections.close_all()

    _the_worker().submit(run)
    return task.AsyncResult(task_id)
