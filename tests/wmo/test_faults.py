"""Faults on the real services that `make test` starts (tests/harness/with-services.sh): Redis
stopped and started again, PostgreSQL restarted while a worker computes. The killed worker and
the concurrent triggers are in tests/indicators/test_worker.py."""

import io
import os
import shlex
import socket
import subprocess
import threading
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import InterfaceError, OperationalError, connection

from indicators.models import IndicatorRun, IndicatorValue
from indicators.services import compute_values, replace_quarter, request_run
from indicators.tasks import compute_quarter
from providers.models import Provider
from tests.conftest import require_services, start_worker, stop_worker, wait_for
from tests.indicators.scenario import build
from tests.providers.factories import ContractFactory
from wmo.imports.models import ImportJob
from wmo.periods import Quarter

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.faults,
    pytest.mark.django_db(transaction=True),
]
Q1, Q2, Q3 = Quarter(2026, 1), Quarter(2026, 2), Quarter(2026, 3)
PROVIDERS_CSV = (
    "agb_code,name,kvk,kind,size\n77000001,Buurtzorg Proef,12345678,care_provider,small\n"
)
COLUMNS = ("level", "level_key", "indicator", "value", "numerator", "denominator", "norm")


def command(variable: str) -> list[str]:
    value = os.environ.get(variable)
    if not value:
        require_services(f"{variable} (exported by tests/harness/with-services.sh)")
    return shlex.split(value)


def redis_port() -> int:
    return int(os.environ["CELERY_BROKER_URL"].rsplit(":", 1)[1].split("/")[0])


def redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", redis_port()), timeout=0.5) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def stop_redis():
    _drop_result_subscriptions()
    subprocess.run(command("WMO_TEST_REDIS_STOP"), capture_output=True, timeout=10)
    wait_for(lambda: not redis_answers(), 10)


def _drop_result_subscriptions():
    """Earlier tests in this process waited on task results (`.get()`), which leaves the result
    backend subscribed in Redis; an AsyncResult garbage-collected during the outage would then
    try for 20 s to unsubscribe, in whatever request happens to run. A web process never
    subscribes (it sends with ignore_result), so the test process drops it before the outage."""
    import gc

    from wmo.celery import app

    gc.collect()
    consumer = getattr(app.backend, "result_consumer", None)
    if consumer is not None and consumer._pubsub is not None:
        consumer.stop()
        consumer._pubsub = None
        consumer.subscribed_to.clear()


def start_redis():
    subprocess.run(command("WMO_TEST_REDIS_START"), check=True, capture_output=True, timeout=10)
    wait_for(redis_answers, 10)


def restart_postgres():
    subprocess.run([*command("WMO_TEST_PG_CTL"), "restart", "-m", "fast", "-w", "-t", "30"],
                   check=True, capture_output=True, timeout=60)  # fmt: skip


def rows(values) -> list[tuple]:
    return sorted(tuple(getattr(v, name) for name in COLUMNS) for v in values)


def stored(quarter: Quarter) -> list[tuple]:
    return sorted(IndicatorValue.objects.filter(quarter=str(quarter)).values_list(*COLUMNS))


# --- Redis stopped ------------------------------------------------------------------------------

AWAITING = (
    "De wachtrij (Celery-broker) is nu niet bereikbaar. De berekening van {} is vastgelegd en "
    "start vanzelf zodra de wachtrij weer bereikbaar is; tot dan blijven de bestaande cijfers staan."
)


def test_with_redis_stopped_pages_work_queueing_says_so_and_the_work_runs_once_it_is_back(
    celery_worker, client_for
):
    from wmo.celery import dispatch_pending

    build()
    contract = ContractFactory(reference="DB-2026", name="Dagbesteding stedelijk")
    clean = {quarter: rows(compute_values(quarter)) for quarter in (Q1, Q2, Q3)}
    manager, worker = client_for("contract_manager"), client_for("buurtteam_worker")
    pages = [
        (manager, "/dashboard/?kwartaal=2026Q3", "Herberekenen"),
        (manager, "/dashboard/raad/", "Dashboard"),
        (manager, "/verwijzingen/", "Wachtlijst"),
        (manager, "/verwijzingen/R4/", "R4"),
        (worker, "/verwijzingen/registreren/", "Verwijzing registreren"),
        (manager, "/contracten/", "DB-2026"),
        (manager, f"/contracten/{contract.pk}/", "Dagbesteding stedelijk"),
        (manager, f"/contracten/{contract.pk}/wijzigen/", "DB-2026"),
        (manager, "/aanbieders/", "Groot Zorg"),
    ]
    stop_redis()
    try:
        for client, url, text in pages:
            began = time.monotonic()
            response = client.get(url)
            took = time.monotonic() - began
            assert (response.status_code, took < 2) == (200, True), (url, took)
            assert text in response.content.decode(), url
        began = time.monotonic()
        page = manager.post("/dashboard/herberekenen/", {"kwartaal": "2026Q3"},
                            HTTP_HX_REQUEST="true")  # fmt: skip
        assert time.monotonic() - began < 5
        assert page.status_code == 200 and AWAITING.format("2026Q3") in page.content.decode()
        api = manager.post("/api/v1/indicatorberekeningen", {"kwartaal": "2026Q2"},
                           content_type="application/json")  # fmt: skip
        assert api.status_code == 202 and api.json()["melding"] == AWAITING.format("2026Q2")
        err = io.StringIO()
        call_command("compute_indicators", "--quarter", "2026Q1", stdout=io.StringIO(), stderr=err)
        assert err.getvalue().startswith(AWAITING.format("2026Q1"))
        runs = list(IndicatorRun.objects.order_by("quarter"))
        assert [(str(r.quarter), r.awaits_broker) for r in runs] == [
            ("2026Q1", True), ("2026Q2", True), ("2026Q3", True)
        ]  # fmt: skip
        # The progress fragment the page polls reads PostgreSQL only.
        poll = manager.get(f"/dashboard/berekeningen/{runs[2].pk}/")
        assert AWAITING.format("2026Q3") in poll.content.decode()
        # An upload is stored and waits as a job, with the same promise.
        upload = SimpleUploadedFile("aanbieders.csv", PROVIDERS_CSV.encode())
        posted = manager.post("/aanbieders/importeren/", {"file": upload})
        assert posted.status_code == 302
        job = ImportJob.objects.get()
        assert (job.status, job.sent_at) == ("queued", None)
        assert "start zodra de wachtrij weer bereikbaar is" in manager.get(
            posted["Location"]).content.decode()  # fmt: skip
        # Queueing subscribed to no result either (ignore_result): nothing to reconnect later.
        from wmo.celery import app

        assert app.backend.result_consumer._pubsub is None
    finally:
        start_redis()
    # Beat's entry, sent as beat sends it: a message that a worker picks up and runs.
    dispatch_pending.apply_async()
    done = wait_for(lambda: IndicatorRun.objects.filter(status="done").count() == 3 and list(
        IndicatorRun.objects.order_by("quarter")), 90)  # fmt: skip
    assert [(str(r.quarter), r.trigger, r.attempts) for r in done] == [
        ("2026Q1", "commando", 1), ("2026Q2", "API", 1), ("2026Q3", "dashboard", 1)
    ]  # fmt: skip
    for quarter in (Q1, Q2, Q3):
        assert stored(quarter) == clean[quarter], quarter
    assert clean[Q3] and clean[Q3] != clean[Q2]
    # The same round sent the waiting upload; the worker imported it.
    job = wait_for(lambda: ImportJob.objects.filter(status="done").first(), 60)
    assert (job.new_rows, Provider.objects.filter(agb_code="77000001").exists()) == (1, True)


def test_a_worker_that_starts_after_an_outage_sends_what_waited(celery_worker, test_database_name):
    from indicators.tasks import queue_run

    build()
    clean = rows(compute_values(Q3))
    stop_redis()
    try:
        run, created = queue_run(Q3, trigger="dashboard")
    finally:
        start_redis()
    run.refresh_from_db()
    assert created and run.awaits_broker
    # No beat here: the new worker's start-up (worker_ready) sends the waiting run. It listens
    # on a queue of its own, so the shared worker computes the run it sent.
    fresh = start_worker(test_database_name, "after-outage", queue="after-outage")
    try:
        wait_for(lambda: IndicatorRun.objects.get(pk=run.pk).status == "done", 60)
    finally:
        stop_worker(fresh)
    run.refresh_from_db()
    assert (run.attempts, run.rows_written) == (1, len(clean))
    assert stored(Q3) == clean


# --- PostgreSQL restarted -----------------------------------------------------------------------


class Reader(threading.Thread):
    """Reads the quarter's stored values in one statement every few milliseconds, on its own
    connection, as a dashboard would; a broken connection is replaced and the read skipped."""

    def __init__(self, quarter):
        super().__init__(daemon=True)
        self.quarter, self.seen, self.broken = quarter, [], 0
        self.stop = threading.Event()

    def run(self):
        try:
            while not self.stop.is_set():
                try:
                    self.seen.append(stored(self.quarter))
                except (OperationalError, InterfaceError):
                    self.broken += 1
                    connection.close()
                time.sleep(0.02)
        finally:
            connection.close()


def tolerant(predicate):
    """The test's own connection breaks with the restart: reconnect and look again."""

    def check():
        try:
            return predicate()
        except (OperationalError, InterfaceError):
            connection.close()
            return False

    return check


def test_a_postgresql_restart_mid_run_is_retried_and_readers_see_old_or_new_values_whole(
    celery_worker, test_database_name
):
    from wmo.referrals.models import Referral

    build()
    replace_quarter(Q3, compute_values(Q3))
    old = stored(Q3)
    # A referral that changes the figures, so that old and new values can be told apart.
    extra = Referral.objects.get(external_id="R4")
    extra.pk, extra.external_id, extra.start_date = None, "R9", extra.referral_date
    extra.save()
    new = rows(compute_values(Q3))
    assert new != old
    worker = start_worker(test_database_name, "pg-restart", queue="pg-restart",
                          INDICATORS_STEP_DELAY="0.5")  # fmt: skip
    reader = Reader(Q3)
    reader.start()
    try:
        run, _ = request_run(Q3, trigger="test")
        compute_quarter.apply_async(("2026Q3",), {"run_id": run.pk}, queue="pg-restart")
        wait_for(lambda: IndicatorRun.objects.get(pk=run.pk).progress >= 18)
        restart_postgres()
        wait_for(tolerant(lambda: IndicatorRun.objects.get(pk=run.pk).status in ("done", "failed")),
                 90)  # fmt: skip
        time.sleep(0.2)  # the reader sees the outcome too
    finally:
        reader.stop.set()
        reader.join(10)
        stop_worker(worker)
    run.refresh_from_db()
    # The restart broke the worker's connection mid-run (an OperationalError, transient): the
    # task retried within 0-5 s against the restarted server and computed the quarter anew.
    assert (run.status, run.attempts) == ("done", 2), run.error
    # Its first attempt wrote its error on the run, unless the server was still down then.
    assert run.error == "" or run.error.startswith(
        "Poging 1 mislukt, nieuwe poging volgt: OperationalError"
    ), run.error
    assert stored(Q3) == new and run.rows_written == len(new)
    # Every read, before, during and after the restart, saw one whole set: old or new.
    assert reader.broken >= 1, "the reader's connection was not broken: no restart seen"
    assert all(seen in (old, new) for seen in reader.seen)
    assert reader.seen[0] == old and reader.seen[-1] == new
