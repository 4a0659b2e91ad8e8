"""The demo's indicator periods: the newest few computed while seeding, so the dashboard has
figures at once; the rest recorded as queued runs that a background process (or, with a broker,
the worker) computes while the app already answers. Progress is the runs' own state."""

import contextlib
import datetime
import logging

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from indicators.models import IndicatorRun
from indicators.services import RunReplaced, execute_run, request_run
from indicators.tasks import QueueUnavailable, send_run

from .models import DemoSeed

log = logging.getLogger(__name__)

TRIGGER = "demo"
Status = IndicatorRun.Status
# A demo run left `running` this long without a heartbeat lost its process (Ctrl+C, crash);
# the next background process takes it over. A period beats every family, within seconds.
ORPHANED_AFTER_SECONDS = 30


def newest_first(periods) -> list:
    """Most recent end first; at the same end the quarter before its half-year and year, so the
    dashboard's default view (the last quarter) and its comparison fill first."""
    return sorted(periods, key=lambda p: (-p.end.toordinal(), p.MONTHS))


def queue_and_compute(periods, direct: int | None, write=print) -> tuple[list, list]:
    """Record a demo run per period (newest first), compute the first `direct` (None: all) here
    and leave the rest to the background. Returns (computed here, left to the background)."""
    ordered = newest_first(periods)
    runs = [request_run(period, trigger=TRIGGER)[0] for period in ordered]
    now_count = len(runs) if direct is None else min(direct, len(runs))
    here, later = runs[:now_count], runs[now_count:]
    for number, run in enumerate(here, 1):
        if run.status == Status.QUEUED:
            execute_run(run)
        write(f"  {run.quarter} berekend ({number} van {len(runs)}).")
    if later and not settings.CELERY_TASK_ALWAYS_EAGER:
        for run in later:  # a worker is there: it computes them
            # Broker away: recorded, the dispatcher sends it once the broker is back.
            with contextlib.suppress(QueueUnavailable):
                send_run(run)
    forget_progress()
    return [r.quarter for r in here], [r.quarter for r in later]


def demo_runs():
    seed = DemoSeed.objects.first()
    if seed is None or not seed.periods:
        return None, IndicatorRun.objects.none()
    runs = IndicatorRun.objects.filter(
        trigger=TRIGGER, quarter__in=seed.periods, created_at__gte=seed.seeded_at
    )
    return seed, runs


PROGRESS_KEY = "demo:progress"
# Every page shows the banner: its state is read from the cache, for a few seconds while
# periods are computed and longer once all are done (or there is no demo).
PROGRESS_SECONDS = {"busy": 5, "settled": 60}


def progress() -> dict | None:
    """`current_progress`, as cached for the pages (see PROGRESS_SECONDS)."""
    state = cache.get(PROGRESS_KEY)
    if state is None:
        state = current_progress() or "settled"
        cache.set(
            PROGRESS_KEY, state, PROGRESS_SECONDS["settled" if state == "settled" else "busy"]
        )
    return None if state == "settled" else state


def forget_progress() -> None:
    cache.delete(PROGRESS_KEY)


def current_progress() -> dict | None:
    """{done, total, active} of the latest seeding's periods while some are still to compute;
    None when all are done (or there is no demo)."""
    seed, runs = demo_runs()
    if seed is None:
        return None
    active = set(runs.filter(status__in=IndicatorRun.ACTIVE).values_list("quarter", flat=True))
    if not active:
        return None
    done = set(runs.filter(status=Status.DONE).values_list("quarter", flat=True)) - active
    return {"done": len(done), "total": len(seed.periods), "active": len(active)}


def compute_pending(write=print) -> int:
    """Compute the latest seeding's queued demo runs, newest first, in this process; a run
    orphaned by a stopped process is taken over. Returns how many this call computed."""
    seed, runs = demo_runs()
    if seed is None:
        return 0
    stale = timezone.now() - datetime.timedelta(seconds=ORPHANED_AFTER_SECONDS)
    runs.filter(status=Status.RUNNING, heartbeat_at__lt=stale).update(
        status=Status.QUEUED, step="Wacht op de achtergrondberekening"
    )
    order = {text: index for index, text in enumerate(seed.periods)}
    queued = runs.filter(status=Status.QUEUED, task_id="")
    pending = sorted(queued, key=lambda r: order.get(str(r.quarter), len(order)))
    computed = 0
    for run in pending:
        try:
            execute_run(run)
        except RunReplaced:
            continue  # someone else took it
        except (KeyboardInterrupt, SystemExit):
            # Stopped with the server: back to the queue, so the next start continues it.
            IndicatorRun.objects.filter(pk=run.pk, status=Status.RUNNING).update(
                status=Status.QUEUED, progress=0, step="Wacht op de achtergrondberekening"
            )
            raise
        except Exception:
            log.exception("demo: indicators %s failed", run.quarter)
            continue
        computed += 1
        forget_progress()
        state = current_progress()
        left = state["active"] if state else 0
        write(f"Demo-indicatoren: {run.quarter} klaar, nog {left} te gaan.")
    return computed
