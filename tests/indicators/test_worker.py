"""The quarterly job on a real Celery worker over Redis, against PostgreSQL."""

import os
import signal
import threading
import time

import pytest

from indicators.models import IndicatorRun, IndicatorValue
from indicators.quarters import Quarter
from indicators.services import compute_values, replace_quarter, request_run
from indicators.tasks import compute_quarter
from tests.conftest import start_worker, stop_worker

from .scenario import build

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
Q3 = Quarter(2026, 3)


def stored():
    return sorted(
        IndicatorValue.objects.filter(quarter="2026Q3").values_list(
            "level", "level_key", "indicator", "value", "numerator", "denominator", "norm"
        )
    )


def wait_for(predicate, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(0.1)
    raise AssertionError("condition not reached in time")


def test_task_runs_on_the_worker_and_reports_progress(celery_worker, test_database_name):
    build()
    slow = start_worker(test_database_name, "slow", queue="slow", INDICATORS_STEP_DELAY="0.6")
    try:
        run, _ = request_run(Q3, trigger="test")
        result = compute_quarter.apply_async(("2026Q3",), {"run_id": run.pk}, queue="slow")
        seen = set()

        def finished():
            current = IndicatorRun.objects.get(pk=run.pk)
            seen.add(current.progress)
            return current.status == IndicatorRun.Status.DONE

        wait_for(finished)
        assert result.get(timeout=30)["status"] == "done"
    finally:
        stop_worker(slow)
    # Progress was seen advancing in steps, not only 0 → 100.
    assert len({p for p in seen if 0 < p < 100}) >= 2, seen
    assert 100 in seen
    run.refresh_from_db()
    assert run.rows_written == IndicatorValue.objects.filter(quarter="2026Q3").count() > 0


def test_killing_the_worker_mid_run_keeps_the_previous_values(celery_worker, test_database_name):
    build()
    replace_quarter(Q3, compute_values(Q3))
    previous = stored()
    # A referral added afterwards would change the figures if the killed run had written anything.
    from wmo.referrals.models import Referral

    extra = Referral.objects.get(external_id="R4")
    extra.pk, extra.external_id, extra.start_date = None, "R9", extra.referral_date
    extra.save()

    slow = start_worker(test_database_name, "doomed", queue="doomed", INDICATORS_STEP_DELAY="2")
    run, _ = request_run(Q3, trigger="test")
    compute_quarter.apply_async(("2026Q3",), {"run_id": run.pk}, queue="doomed")
    wait_for(lambda: IndicatorRun.objects.get(pk=run.pk).progress >= 18)
    os.kill(slow.pid, signal.SIGKILL)
    slow.wait(timeout=10)
    assert stored() == previous

    Referral.objects.filter(external_id="R9").delete()
    # The rerun (what a redelivered message does) finishes the same run with identical values.
    compute_quarter.delay("2026Q3", run_id=run.pk).get(timeout=60)
    run.refresh_from_db()
    assert run.status == IndicatorRun.Status.DONE
    assert stored() == previous


def test_two_concurrent_triggers_produce_one_run(celery_worker):
    from django.db import connection

    from indicators.tasks import queue_run

    build()
    barrier = threading.Barrier(2)
    outcomes = []

    def trigger():
        barrier.wait()
        try:
            run, created = queue_run(Q3, trigger="gelijktijdig")
            outcomes.append((run.pk, created))
        finally:
            connection.close()

    threads = [threading.Thread(target=trigger) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(created for _, created in outcomes) == [False, True]
    assert len({pk for pk, _ in outcomes}) == 1
    wait_for(lambda: IndicatorRun.objects.get(pk=outcomes[0][0]).status == IndicatorRun.Status.DONE)
    assert IndicatorRun.objects.filter(quarter="2026Q3").count() == 1
