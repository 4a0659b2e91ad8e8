"""The quarterly job on a real Celery worker over Redis, against PostgreSQL."""

import os
import signal
import threading
import time

import pytest

from indicators.models import IndicatorRun, IndicatorValue
from indicators.services import compute_values, replace_quarter, request_run
from indicators.tasks import compute_quarter
from tests.conftest import start_worker, stop_worker, wait_for
from wmo.periods import Quarter

from .scenario import build

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True),
]
Q3 = Quarter(2026, 3)


def stored():
    return sorted(
        IndicatorValue.objects.filter(quarter="2026Q3").values_list(
            "level", "level_key", "indicator", "value", "numerator", "denominator", "norm"
        )
    )


def clean_run():
    """What a clean, uninterrupted computation stores, computed here in-process."""
    return sorted(
        (v.level, v.level_key, v.indicator, v.value, v.numerator, v.denominator, v.norm)
        for v in compute_values(Q3)
    )


def stored_ids():
    return sorted(IndicatorValue.objects.filter(quarter="2026Q3").values_list("id", flat=True))


def assert_written_once_since(baseline_ids, rows):
    """The quarter's rows were inserted exactly once since the baseline: their ids follow the
    baseline's without a gap (one id per row from the table's sequence). A killed attempt that
    had written, or a second computation, would have used up the next ids first."""
    first = max(baseline_ids) + 1
    assert stored_ids() == list(range(first, first + rows))


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


# Short for the tests; each step of the killed run beats at least every 2 s.
HEARTBEAT = 3


def _add_referral_that_changes_the_figures():
    """A referral whose presence changes the quarter's figures: had the killed run written
    anything, the stored values would show it."""
    from wmo.referrals.models import Referral

    extra = Referral.objects.get(external_id="R4")
    extra.pk, extra.external_id, extra.start_date = None, "R9", extra.referral_date
    extra.save()


def _kill_mid_run(worker, run_pk=None):
    def running():
        runs = IndicatorRun.objects.filter(quarter="2026Q3", status="running", progress__gte=18)
        return runs.filter(pk=run_pk).first() if run_pk else runs.first()

    run = wait_for(running)
    os.kill(worker.pid, signal.SIGKILL)
    worker.wait(timeout=10)
    return run


def test_a_killed_workers_message_goes_to_a_new_worker_which_computes_the_quarter(
    celery_worker, test_database_name
):
    from wmo.referrals.models import Referral

    build()
    replace_quarter(Q3, compute_values(Q3))
    previous, baseline_ids = stored(), stored_ids()
    assert previous == clean_run()
    _add_referral_that_changes_the_figures()
    doomed = start_worker(test_database_name, "doomed", queue="doomed", INDICATORS_STEP_DELAY="2")
    run, _ = request_run(Q3, trigger="test")
    compute_quarter.apply_async(("2026Q3",), {"run_id": run.pk}, queue="doomed")
    _kill_mid_run(doomed, run.pk)
    assert stored() == previous
    Referral.objects.filter(external_id="R9").delete()
    time.sleep(HEARTBEAT + 0.5)  # the dead run's last heartbeat is now older than the timeout
    # Redis hands the killed worker's unacknowledged message to the next worker once it is older
    # than the visibility timeout (600 s in production, 1 s here): no trigger needed.
    fresh = start_worker(test_database_name, "fresh", queue="doomed",
                         CELERY_VISIBILITY_TIMEOUT="1",
                         INDICATORS_HEARTBEAT_TIMEOUT=str(HEARTBEAT))  # fmt: skip
    try:
        replacement = wait_for(
            lambda: IndicatorRun.objects.filter(quarter="2026Q3", status="done").first()
        )
    finally:
        stop_worker(fresh)
    run.refresh_from_db()
    assert run.status == "failed"
    assert run.error.startswith(f"Worker verdwenen: meer dan {HEARTBEAT} seconden geen teken")
    assert replacement.pk != run.pk and replacement.trigger == "celery, na verdwenen worker"
    # The rerun stores exactly a clean run's values (every column of every row), computed once:
    # one run done, one attempt, its rows written once since the clean baseline.
    assert stored() == previous == clean_run()
    assert (replacement.attempts, replacement.rows_written) == (1, len(previous))
    assert list(IndicatorRun.objects.filter(quarter="2026Q3").order_by("pk").values_list(
        "pk", "status")) == [(run.pk, "failed"), (replacement.pk, "done")]  # fmt: skip
    assert_written_once_since(baseline_ids, len(previous))


def test_the_next_trigger_after_the_heartbeat_timeout_replaces_a_killed_run(
    celery_worker, test_database_name
):
    build()
    replace_quarter(Q3, compute_values(Q3))
    previous, baseline_ids = stored(), stored_ids()
    _add_referral_that_changes_the_figures()
    expected = clean_run()
    doomed = start_worker(test_database_name, "doomed-beat", queue="doomed-beat",
                          INDICATORS_STEP_DELAY="2")  # fmt: skip
    # As beat sends it: no run yet, the task creates it.
    compute_quarter.apply_async(("2026Q3",), {"trigger": "schema: nachtelijk"},
                                queue="doomed-beat")  # fmt: skip
    dead = _kill_mid_run(doomed)
    assert stored() == previous
    time.sleep(HEARTBEAT + 0.5)
    fresh = start_worker(test_database_name, "fresh-beat", queue="fresh-beat",
                         INDICATORS_HEARTBEAT_TIMEOUT=str(HEARTBEAT))  # fmt: skip
    try:
        result = compute_quarter.apply_async(
            ("2026Q3",), {"trigger": "schema: nachtelijk"}, queue="fresh-beat"
        ).get(timeout=60)
    finally:
        stop_worker(fresh)
    dead.refresh_from_db()
    assert dead.status == "failed" and dead.error.startswith("Worker verdwenen")
    new = IndicatorRun.objects.get(pk=result["run"])
    assert (result["status"], new.status, new.trigger) == ("done", "done", "schema: nachtelijk")
    # Computed now, with the referral added while the killed run was busy: a clean run's values,
    # written once.
    assert stored() == expected != previous
    in_care = IndicatorValue.objects.get(
        quarter="2026Q3", level="system", indicator="referrals_in_care"
    )
    assert in_care.value == 5  # R1, R2, R3, R8 and R9
    assert (new.attempts, new.rows_written) == (1, len(expected))
    assert IndicatorRun.objects.filter(quarter="2026Q3", status="done").count() == 1
    assert_written_once_since(baseline_ids, len(expected))


def test_a_second_delivery_waits_for_the_busy_worker_and_takes_over_when_it_dies(
    celery_worker, test_database_name
):
    """What happens when a pool child is killed (the message comes back at once) or a run
    outlasts the visibility timeout: the second delivery sees a recent heartbeat, computes
    nothing, and looks again after the heartbeat timeout, taking over once the run is silent."""
    build()
    busy = start_worker(test_database_name, "busy", queue="busy", INDICATORS_STEP_DELAY="2")
    second = start_worker(test_database_name, "second", queue="second",
                          INDICATORS_HEARTBEAT_TIMEOUT=str(HEARTBEAT))  # fmt: skip
    try:
        run, _ = request_run(Q3, trigger="test")
        compute_quarter.apply_async(("2026Q3",), {"run_id": run.pk}, queue="busy")
        wait_for(lambda: IndicatorRun.objects.get(pk=run.pk).status == "running")
        answer = compute_quarter.apply_async(("2026Q3",), {"run_id": run.pk}, queue="second")
        assert answer.get(timeout=30)["skipped"] == "bezig bij een andere worker"
        run.refresh_from_db()
        assert (run.status, run.attempts) == ("running", 1)  # not taken from the busy worker
        os.kill(busy.pid, signal.SIGKILL)
        busy.wait(timeout=10)
        replacement = wait_for(
            lambda: IndicatorRun.objects.filter(quarter="2026Q3", status="done").first()
        )
    finally:
        stop_worker(second)
        if busy.poll() is None:
            stop_worker(busy)
    run.refresh_from_db()
    assert run.status == "failed" and run.error.startswith("Worker verdwenen")
    assert replacement.trigger == "celery, na verdwenen worker"
    assert stored() == clean_run()
    assert (replacement.attempts, replacement.rows_written) == (1, len(stored()))
    assert IndicatorRun.objects.filter(quarter="2026Q3", status="done").count() == 1


def test_a_lost_database_connection_is_retried_and_the_run_ends_done(
    celery_worker, test_database_name
):
    from django.db import connection

    from tests.conftest import _worker_env

    build()
    expected = sorted(
        (v.level, v.level_key, v.indicator, v.value, v.numerator, v.denominator)
        for v in compute_values(Q3)
    )
    # A name on the worker's database connection, so the test can cut exactly that one.
    url = _worker_env(test_database_name)["DATABASE_URL"] + "?application_name=wmo-retry-test"
    # 0.4 s per family: the connection is cut two families in, with four (1.6 s) still to go.
    worker = start_worker(test_database_name, "retry", queue="retry", DATABASE_URL=url,
                          INDICATORS_STEP_DELAY="0.4")  # fmt: skip
    try:
        run, _ = request_run(Q3, trigger="test")
        compute_quarter.apply_async(("2026Q3",), {"run_id": run.pk}, queue="retry")
        wait_for(lambda: IndicatorRun.objects.get(pk=run.pk).progress >= 18)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE application_name = 'wmo-retry-test'"
            )
            assert cursor.fetchall() == [(True,)]
        wait_for(lambda: IndicatorRun.objects.get(pk=run.pk).status in ("done", "failed"), 90)
    finally:
        stop_worker(worker)
    run.refresh_from_db()
    assert (run.status, run.attempts) == ("done", 2), run.error
    assert run.error.startswith("Poging 1 mislukt, nieuwe poging volgt: OperationalError")
    written = sorted(
        IndicatorValue.objects.filter(quarter="2026Q3").values_list(
            "level", "level_key", "indicator", "value", "numerator", "denominator"
        )
    )
    assert written == expected


def test_two_concurrent_triggers_produce_one_run(celery_worker):
    from django.db import connection

    from indicators.tasks import queue_run

    build()
    replace_quarter(Q3, compute_values(Q3))
    expected, baseline_ids = stored(), stored_ids()
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
    time.sleep(0.5)  # room for a second message, had one been sent
    run = IndicatorRun.objects.get(quarter="2026Q3")
    assert (run.status, run.attempts, run.rows_written) == ("done", 1, len(expected))
    # Computed once: the quarter's rows were written by this one run, once.
    assert stored() == expected
    assert_written_once_since(baseline_ids, len(expected))
