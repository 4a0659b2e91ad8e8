"""Tasks of the embedded default (`make run`: no broker, tasks in-process) off the request.

With Celery's eager mode `apply_async` runs the task in the caller: a web upload of a million
rows held the browser's request for 82 seconds and showed no progress, where INTERCHANGE.md has
uploads "imported by a background job with progress, never inside the request". With
WMO_TASKS_IN_BACKGROUND (settings/dev.py sets it) `send` runs such a task in a thread of this
process instead, on that thread's own database connection, and the job's or run's row shows its
progress as it does on a worker. The tests keep Celery's eager mode (the task runs in the caller)
unless one switches this on."""

import threading

from celery import uuid
from django.conf import settings
from django.db import connections


def in_background() -> bool:
    return bool(settings.CELERY_TASK_ALWAYS_EAGER and settings.WMO_TASKS_IN_BACKGROUND)


def send(task, args=(), kwargs=None, **options):
    """`task.apply_async(args, kwargs, **options)`; in the embedded default with
    WMO_TASKS_IN_BACKGROUND, the task runs in a thread of this process (a countdown is not
    waited for, as in eager mode). Returns the task's AsyncResult."""
    if not in_background():
        return task.apply_async(args, kwargs, **options)
    task_id = options.get("task_id") or uuid()

    def run():
        try:
            task.apply(args, kwargs, task_id=task_id)
        finally:
            connections.close_all()

    threading.Thread(target=run, name=f"{task.name} {task_id}", daemon=True).start()
    return task.AsyncResult(task_id)
