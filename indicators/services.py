"""Computing and storing a quarter: the one place that writes IndicatorValue rows."""

import datetime
import logging
import time

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from .definitions import FAMILIES
from .definitions.base import Context
from .definitions.referral_sets import staged_referrals
from .models import IndicatorRun, IndicatorValue
from .quarters import Quarter

log = logging.getLogger(__name__)

# A run that has shown no sign of life for this long is taken to be dead (its worker was killed
# and the message was not redelivered), so a new trigger may replace it.
STALE_AFTER = datetime.timedelta(minutes=30)


def compute_values(quarter: Quarter, on_progress=None) -> list:
    """Every indicator at every level for the quarter, as unsaved Value rows (reads only)."""
    values = []
    with staged_referrals(quarter) as referrals:
        context = Context(quarter=quarter, referrals=referrals)
        for index, family in enumerate(FAMILIES):
            if on_progress:
                on_progress(round(90 * index / len(FAMILIES)), f"Berekenen: {family.FAMILY}")
            if settings.INDICATORS_STEP_DELAY:
                time.sleep(settings.INDICATORS_STEP_DELAY)
            family_values = family.compute(context)
            for value in family_values:
                context.results[(value.level, value.level_key, value.indicator)] = value
            values.extend(family_values)
    return values


def replace_quarter(quarter: Quarter, values) -> int:
    """Swap the quarter's stored values in one transaction: readers see old or new, never half."""
    rows = [
        IndicatorValue(
            quarter=str(quarter), level=v.level, level_key=v.level_key, indicator=v.indicator,
            value=v.value, numerator=v.numerator, denominator=v.denominator, norm=v.norm,
        )
        for v in values
    ]  # fmt: skip
    with transaction.atomic():
        IndicatorValue.objects.filter(quarter=str(quarter)).delete()
        IndicatorValue.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def request_run(quarter: Quarter, user=None, trigger="handmatig") -> tuple[IndicatorRun, bool]:
    """Create a queued run, or return the active one for the quarter: (run, created)."""
    key = str(quarter)
    stale = timezone.now() - STALE_AFTER
    IndicatorRun.objects.filter(quarter=key, status__in=IndicatorRun.ACTIVE).filter(
        created_at__lt=stale
    ).exclude(heartbeat_at__gte=stale).update(
        status=IndicatorRun.Status.FAILED, error="Geen teken van leven meer; vervangen."
    )
    try:
        with transaction.atomic():
            run = IndicatorRun.objects.create(
                quarter=key,
                triggered_by=user if getattr(user, "is_authenticated", False) else None,
                trigger=trigger,
            )
        return run, True
    except IntegrityError:
        return IndicatorRun.objects.get(quarter=key, status__in=IndicatorRun.ACTIVE), False


def _update(run: IndicatorRun, **fields):
    fields["heartbeat_at"] = timezone.now()
    IndicatorRun.objects.filter(pk=run.pk).update(**fields)
    for name, value in fields.items():
        setattr(run, name, value)


def execute_run(run: IndicatorRun) -> IndicatorRun:
    """Compute and store the run's quarter, reporting progress on the run row as it goes."""
    quarter = Quarter.parse(run.quarter)
    _update(run, status=IndicatorRun.Status.RUNNING, started_at=timezone.now(), progress=0,
            error="", step="Gestart")  # fmt: skip
    try:
        values = compute_values(quarter, lambda pct, step: _update(run, progress=pct, step=step))
        _update(run, progress=95, step="Opslaan")
        written = replace_quarter(quarter, values)
    except Exception as exc:
        _update(run, status=IndicatorRun.Status.FAILED, finished_at=timezone.now(),
                error=f"{type(exc).__name__}: {exc}"[:2000], step="Mislukt")  # fmt: skip
        raise
    _update(run, status=IndicatorRun.Status.DONE, finished_at=timezone.now(), progress=100,
            rows_written=written, step="Klaar")  # fmt: skip
    log.info("indicators %s: %s values written (run %s)", quarter, written, run.pk)
    return run


def latest_computed_quarter() -> Quarter | None:
    latest = IndicatorValue.objects.order_by("-quarter").values_list("quarter", flat=True).first()
    return Quarter.parse(latest) if latest else None
