"""Computing and storing a period (a quarter, half-year or year), and the life of a run: the one
place that writes IndicatorValue rows and moves an IndicatorRun through queued → running →
done | failed.

A run's state lives in the database, not only in the broker. While it computes, the worker
writes a heartbeat on the run row at every step. A run that is `running` without a heartbeat
for longer than INDICATORS_HEARTBEAT_TIMEOUT seconds has lost its worker (killed, machine gone):
the next trigger or the redelivered message marks it failed and starts a new run. Every
heartbeat and the final swap check that the run is still the worker's own, so a worker that was
only slow, and was given up for dead, cannot overwrite what replaced it.
"""

import datetime
import logging
from collections import namedtuple
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import (
    IntegrityError,
    InterfaceError,
    OperationalError,
    connection,
    connections,
    transaction,
)
from django.db.models import F, Q
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from wmo.imports.database import copy_rows
from wmo.periods import Period, Quarter

from .definitions import FAMILIES
from .definitions.base import Context
from .definitions.referral_sets import RUN_SETTINGS, period_referrals, session_settings
from .models import IndicatorRun, IndicatorValue
from .suppression_over_time import changed_marks, marks_for_year, year_periods

log = logging.getLogger(__name__)

# The first quarter that can be computed (and so the first day of any period that can). Records
# of referrals reach back further (2017), but the published 0-measurement (2020–2022, POLICY.md)
# and the Ervaringwijzer and complaint data start in 2020: an earlier period would lack its
# quality indicators and have no baseline to set it beside.
EARLIEST = Quarter(2020, 1)
# A queued run whose message no worker took in this long (broker emptied, message lost) may be
# replaced by a new trigger. Running runs are judged by their heartbeat instead.
STALE_QUEUED_AFTER = datetime.timedelta(minutes=30)
# Errors that a later attempt may not meet again: the database or broker was briefly away.
TRANSIENT_ERRORS = (OperationalError, InterfaceError, BrokerError, ConnectionError)

Status = IndicatorRun.Status
# What deciding a stored row's council mark reads of it.
StoredMark = namedtuple("StoredMark", ["id", "quarter", "level", "level_key", "indicator",
                                       "value", "numerator", "denominator", "suppression"])  # fmt: skip
# pg_advisory_xact_lock's first key for "a year's council marks" (the second is the year).
YEAR_LOCK = 7027
VALUE_COLUMNS = ["quarter", "level", "level_key", "indicator", "value", "numerator", "denominator",
                 "norm", "suppression"]  # fmt: skip


class RunReplaced(Exception):
    """The run is no longer this worker's: it was given up for dead and replaced, or ended."""


def check_period_computable(period: Period, today: datetime.date | None = None) -> None:
    """The periods that may be computed: those starting from EARLIEST up to the running ones
    (their figures so far: the running quarter, half-year and year). Raises ValidationError with
    a Dutch message for the form, API or command to show."""
    today = today or timezone.localdate()
    if period.start > today:
        raise ValidationError(
            f"{period} ligt in de toekomst en kan nog niet berekend worden.", code="future"
        )
    if period.start < EARLIEST.start:
        raise ValidationError(
            f"Berekenen kan vanaf {EARLIEST}: de gepubliceerde nulmeting en de gegevens van "
            "Ervaringwijzer en klachten beginnen in 2020, dus een eerdere periode is niet "
            "volledig te berekenen of te vergelijken.",
            code="too_early",
        )


# The name the dashboards' compute view and older callers use; it takes every kind too.
check_quarter_computable = check_period_computable


# Families whose queries need neither the period's referral set nor what an earlier family
# computed (context.results): on PostgreSQL they run on a second connection while the others
# run, so a run uses both cores as a columnar engine does. A family with a `read` step (its
# queries) has only that step run beside; its `combine` follows in order. On 1,000,000
# referrals (make bench's data, six runs alternating in one process): a quarter 0.44 → 0.37 s,
# a year 0.69 → 0.50 s; kwaliteit's reads add a little to what buurtteam alone gains (a year
# 0.57 s with buurtteam only beside, in an earlier series).
BESIDE = frozenset({"buurtteam", "kwaliteit"})


def compute_values(period: Period, on_progress=None) -> list:
    """Every indicator at every level for the period — a quarter, half-year or year, each from
    the records with the same definitions — as unsaved Value rows (reads only)."""
    values = []
    with period_referrals(period) as referrals, ThreadPoolExecutor(max_workers=1) as pool:
        context = Context(period=period, referrals=referrals)
        beside = {
            family.FAMILY: pool.submit(
                _on_own_connection, getattr(family, "read", family.compute), context
            )
            for family in FAMILIES
            if family.FAMILY in BESIDE and _second_connection_sees_the_same()
        }
        for index, family in enumerate(FAMILIES):
            if on_progress:
                on_progress(round(90 * index / len(FAMILIES)), f"Berekenen: {family.FAMILY}")
            family_values = _finish(family, context, beside.get(family.FAMILY))
            for value in family_values:
                context.results[(value.level, value.level_key, value.indicator)] = value
            values.extend(family_values)
    return values


def _finish(family, context, ahead) -> list:
    """The family's values: computed here, or from what ran beside (all of it, or its reads)."""
    if ahead is None:
        return family.compute(context)
    done = ahead.result()
    return family.combine(context, done) if hasattr(family, "read") else done


def _second_connection_sees_the_same() -> bool:
    """Another connection sees only what is committed: used when this one has nothing of its
    own uncommitted (no open transaction), and only on PostgreSQL (SQLite has one writer and
    no parallel reads worth it)."""
    return connection.vendor == "postgresql" and not connection.in_atomic_block


def _on_own_connection(compute, context):
    """`compute(context)` in a helper thread, on that thread's own connection with the run's
    session settings, closed afterwards so that no run leaves a connection behind."""
    try:
        with session_settings(RUN_SETTINGS):
            return compute(context)
    finally:
        connections.close_all()


def replace_period(period: Period, values, run: IndicatorRun | None = None) -> int:
    """Swap the period's stored values in one transaction: readers see old or new, never half.
    Each value carries what council members may see of it (suppression.marks over the whole
    period, since a figure can be hidden to protect another, and over the stored periods of
    its year: mark_with_the_year). With a run, the run is marked
    done in the same transaction, and only if it is still running (its row is locked first,
    so a takeover cannot slip in between)."""
    values = list(values)
    text = str(period)
    with transaction.atomic():
        if run is not None:
            status = (
                IndicatorRun.objects.select_for_update()
                .filter(pk=run.pk)
                .values_list("status", flat=True)
                .first()
            )
            if status != Status.RUNNING:
                raise RunReplaced(f"Berekening {run.pk} is niet meer bezig ({status}).")
        marked = mark_with_the_year(period, values)
        # Plain rows, not model instances: a year has thousands of values and building an
        # instance for each cost more than the COPY that writes them.
        rows = [
            (text, v.level, v.level_key, v.indicator, v.value, v.numerator, v.denominator, v.norm,
             marked.get((v.level, v.level_key, v.indicator), ""))
            for v in values
        ]  # fmt: skip
        IndicatorValue.objects.filter(quarter=period).delete()
        copy_rows(IndicatorValue, VALUE_COLUMNS, rows)
        if run is not None:
            now = timezone.now()
            IndicatorRun.objects.filter(pk=run.pk).update(
                status=Status.DONE, finished_at=now, heartbeat_at=now, progress=100,
                rows_written=len(rows), step="Klaar",
            )  # fmt: skip
    return len(rows)


def mark_with_the_year(period: Period, values: list) -> dict:
    """The council marks of the period's new values, decided together with the stored periods
    of its year (suppression_over_time); the stored rows whose mark changes are updated. Runs
    in the caller's transaction, one year at a time: two periods of a year stored at once
    would each decide on the other's old values."""
    year = period.year
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [YEAR_LOCK, year])
    others = [p for p in year_periods(year) if p != period]
    # Tuples, not model instances: a year holds some 40,000 values. One query per period, so
    # that no row's period text is parsed again.
    fields = [name for name in StoredMark._fields if name != "quarter"]
    stored: dict[Period, list[StoredMark]] = {}
    for other in others:
        rows = IndicatorValue.objects.filter(quarter=other).values_list(*fields)
        stored[other] = [StoredMark(pk, other, *rest) for pk, *rest in rows]
    stored = {other: rows for other, rows in stored.items() if rows}
    by_period = marks_for_year(year, {**stored, period: values})
    for mark, ids in changed_marks(stored, by_period).items():
        for start in range(0, len(ids), 2000):
            IndicatorValue.objects.filter(id__in=ids[start : start + 2000]).update(suppression=mark)
    return by_period[period]


# The name the tests and other branches call; a quarter is one of the periods it stores.
replace_quarter = replace_period


def heartbeat_timeout() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.INDICATORS_HEARTBEAT_TIMEOUT)


def retire_dead_runs(period: Period, only: int | None = None) -> int:
    """Mark the period's runs (or only run `only`) that lost their worker as failed; returns
    how many."""
    now = timezone.now()
    runs = IndicatorRun.objects.filter(quarter=period)
    if only is not None:
        runs = runs.filter(pk=only)
    silent_since = now - heartbeat_timeout()
    dead = runs.filter(status=Status.RUNNING, heartbeat_at__lt=silent_since).update(
        status=Status.FAILED, finished_at=now, step="Mislukt",
        error=(f"Worker verdwenen: meer dan {settings.INDICATORS_HEARTBEAT_TIMEOUT:g} seconden "
               "geen teken van leven; een nieuwe berekening neemt het over."),
    )  # fmt: skip
    waiting_since = now - STALE_QUEUED_AFTER
    lost = runs.filter(
        Q(heartbeat_at__lt=waiting_since) | Q(heartbeat_at__isnull=True, created_at__lt=waiting_since),
        status=Status.QUEUED,
    ).update(
        status=Status.FAILED, finished_at=now, step="Mislukt",
        error="Niet opgepakt: geen worker nam de berekening uit de wachtrij; vervangen.",
    )  # fmt: skip
    return dead + lost


def request_run(period: Period, user=None, trigger="handmatig") -> tuple[IndicatorRun, bool]:
    """Create a queued run, or return the active one for the period: (run, created). Each
    period has its own: the year may compute while one of its quarters does."""
    retire_dead_runs(period)
    for _ in range(3):
        try:
            with transaction.atomic():
                run = IndicatorRun.objects.create(
                    quarter=period,
                    triggered_by=user if getattr(user, "is_authenticated", False) else None,
                    trigger=trigger,
                )
            return run, True
        except IntegrityError:
            active = IndicatorRun.objects.filter(quarter=period, status__in=IndicatorRun.ACTIVE)
            run = active.first()
            if run is not None:
                return run, False
            # The active run ended between our insert and this read: try again.
    raise RuntimeError(f"Geen berekening voor {period} kunnen aanmaken of vinden.")


def run_for_message(
    run_id: int, trigger: str, previous_attempt: str | None = None
) -> tuple[IndicatorRun | None, str]:
    """What a delivered message for an existing run should do, as (run, action):
    "compute" the run (queued, or a new run replacing a dead one), "ended" (nothing to do) or
    "alive" (another worker is computing it and showed a sign of life recently).
    `previous_attempt`: the task id of an attempt known to have stopped (the caller is its
    retry); a run it left running is queued again rather than waited for."""
    run = IndicatorRun.objects.filter(pk=run_id).first()
    if run is None or run.status in (Status.DONE, Status.FAILED):
        return run, "ended"
    if previous_attempt and IndicatorRun.objects.filter(
        pk=run.pk, status=Status.RUNNING, task_id=previous_attempt
    ).update(status=Status.QUEUED, step="Wacht op een nieuwe poging"):
        run.refresh_from_db()
    if run.status == Status.QUEUED:
        return run, "compute"
    if not retire_dead_runs(run.quarter, only=run.pk):
        run.refresh_from_db()
        return run, ("alive" if run.status == Status.RUNNING else "ended")
    replacement, created = request_run(run.quarter, trigger=f"{trigger}, na verdwenen worker"[:40])
    return replacement, ("compute" if created else "ended")


def _beat(run: IndicatorRun, **fields):
    """Progress and heartbeat in one write, only while the run is still this worker's."""
    fields["heartbeat_at"] = timezone.now()
    if not IndicatorRun.objects.filter(pk=run.pk, status=Status.RUNNING).update(**fields):
        raise RunReplaced(f"Berekening {run.pk} is niet meer bezig; gestopt zonder op te slaan.")
    for name, value in fields.items():
        setattr(run, name, value)


def _claim(run: IndicatorRun) -> None:
    now = timezone.now()
    claimed = IndicatorRun.objects.filter(pk=run.pk, status=Status.QUEUED).update(
        status=Status.RUNNING, started_at=now, heartbeat_at=now, finished_at=None, progress=0,
        attempts=F("attempts") + 1, step="Gestart",
    )  # fmt: skip
    if not claimed:
        raise RunReplaced(f"Berekening {run.pk} staat niet (meer) in de wachtrij.")
    run.refresh_from_db()


def _record_failure(run: IndicatorRun, exc: BaseException, retry: bool) -> None:
    """Back to the queue (another attempt follows) or failed, with the error text. A broken
    connection is replaced once; if even that fails the run stays `running`: the task's retry
    takes it over (run_for_message), or else its heartbeat goes stale and the next trigger
    retires it."""
    text = f"{type(exc).__name__}: {exc}".strip()[:1500]
    now = timezone.now()
    if retry:
        fields = {"status": Status.QUEUED, "step": "Wacht op een nieuwe poging",
                  "error": f"Poging {run.attempts} mislukt, nieuwe poging volgt: {text}"}  # fmt: skip
    else:
        fields = {"status": Status.FAILED, "step": "Mislukt", "finished_at": now,
                  "error": f"Mislukt na {run.attempts} poging(en): {text}"}  # fmt: skip
    for attempt in range(2):
        try:
            IndicatorRun.objects.filter(pk=run.pk, status=Status.RUNNING).update(
                heartbeat_at=now, **fields
            )
        except (OperationalError, InterfaceError):
            if attempt or connection.in_atomic_block:
                log.exception("indicators: run %s could not be marked %s", run.pk, fields["status"])
                return
            connection.close()  # the next query opens a fresh connection
        else:
            for name, value in fields.items():
                setattr(run, name, value)
            return


def is_transient(exc: BaseException) -> bool:
    return isinstance(exc, TRANSIENT_ERRORS)


def execute_run(run: IndicatorRun, retries_left: int = 0) -> IndicatorRun:
    """Compute and store the run's period, reporting progress on the run row as it goes. On a
    transient error with retries left the run goes back to the queue and the error is raised
    for the caller to retry; on any other error, or the last attempt, the run is failed."""
    _claim(run)
    period = run.quarter
    try:
        values = compute_values(period, lambda pct, step: _beat(run, progress=pct, step=step))
        _beat(run, progress=95, step="Opslaan")
        replace_period(period, values, run=run)
    except RunReplaced:
        raise
    except Exception as exc:
        _record_failure(run, exc, retry=is_transient(exc) and retries_left > 0)
        raise
    run.refresh_from_db()
    log.info("indicators %s: %s values written (run %s)", period, run.rows_written, run.pk)
    return run
