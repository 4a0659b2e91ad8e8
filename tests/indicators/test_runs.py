"""The life of a run in-process (eager Celery): retries of transient errors, dead runs replaced,
the beat tasks' quarters, the quarter rule, and an unreachable broker. The same behaviour on a
real worker over Redis: test_worker.py."""

import datetime
import io
import time

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import OperationalError
from django.utils import timezone

from indicators.definitions import bereik, diversiteit, kwaliteit
from indicators.models import IndicatorRun, IndicatorValue
from indicators.services import compute_values, replace_quarter, request_run
from indicators.tasks import compute_quarter, queue_run
from tests.celery_conf import broker_at
from wmo.periods import Quarter

from .scenario import build

TOO_EARLY = (
    "Berekenen kan vanaf 2020Q1: de gepubliceerde nulmeting en de gegevens van Ervaringwijzer "
    "en klachten beginnen in 2020, dus een eerdere periode is niet volledig te berekenen of te "
    "vergelijken."
)
"""Referrals reach back to 2017: the reason is the baseline and the quality data, not missing
records (a tester read 'van eerdere kwartalen zijn geen gegevens' beside referrals of 2017)."""

pytestmark = pytest.mark.django_db
Q3 = Quarter(2026, 3)
UNREACHABLE = "redis://127.0.0.1:9/0"  # the discard port: nothing listens there
UTC = datetime.UTC


def stored():
    return sorted(
        IndicatorValue.objects.filter(quarter="2026Q3").values_list(
            "level", "level_key", "indicator", "value", "numerator", "denominator", "norm"
        )
    )


def failing(monkeypatch, family, error, times=None):
    """Make `family.compute` raise `error` on its first `times` calls (every call when None);
    returns the list of what the run row looked like at each call."""
    real = family.compute
    calls = []

    def compute(context):
        run = IndicatorRun.objects.get(quarter="2026Q3", status="running")
        calls.append((run.status, run.attempts, run.error))
        if times is None or len(calls) <= times:
            raise error
        return real(context)

    monkeypatch.setattr(family, "compute", compute)
    return calls


def test_a_transient_error_is_retried_and_the_run_ends_done(monkeypatch):
    build()
    expected = sorted(
        (v.level, v.level_key, v.indicator, v.numerator, v.denominator) for v in compute_values(Q3)
    )
    calls = failing(monkeypatch, diversiteit, OperationalError("server closed the connection"), 1)
    result = compute_quarter.delay("2026Q3").get()
    run = IndicatorRun.objects.get()
    assert (result["status"], run.status, run.attempts) == ("done", "done", 2)
    # The second attempt started from the queue with the first attempt's error beside it.
    assert calls[1][:2] == ("running", 2)
    assert calls[1][2] == (
        "Poging 1 mislukt, nieuwe poging volgt: OperationalError: server closed the connection"
    )
    written = sorted(
        IndicatorValue.objects.filter(quarter="2026Q3").values_list(
            "level", "level_key", "indicator", "numerator", "denominator"
        )
    )
    assert written == expected and run.rows_written == len(expected)
    clients = IndicatorValue.objects.get(
        quarter="2026Q3", level="system", indicator="clients_in_care"
    )
    assert clients.value == 3


def test_a_retry_takes_over_a_run_its_failed_attempt_could_not_mark(monkeypatch):
    """The database went away mid-run and was still away when the attempt tried to put the run
    back in the queue: the run is left `running`. Its retry knows that attempt stopped and
    computes at once instead of waiting for the heartbeat to go stale."""
    build()
    failing(monkeypatch, bereik, OperationalError("the connection is lost"), 1)
    monkeypatch.setattr("indicators.services._record_failure", lambda run, exc, retry: None)
    result = compute_quarter.delay("2026Q3").get()
    run = IndicatorRun.objects.get()
    assert (result["status"], run.status, run.attempts) == ("done", "done", 2)
    assert run.rows_written == IndicatorValue.objects.filter(quarter="2026Q3").count() > 0


def test_a_transient_error_before_the_run_exists_is_retried_too(monkeypatch):
    import indicators.tasks as tasks

    build()
    real, calls = tasks.request_run, []

    def request_run_once_refused(*args, **kwargs):
        calls.append(args)
        if len(calls) == 1:
            raise OperationalError("could not connect to server")
        return real(*args, **kwargs)

    monkeypatch.setattr(tasks, "request_run", request_run_once_refused)
    assert compute_quarter.delay("2026Q3").get()["status"] == "done"
    assert len(calls) == 2
    assert IndicatorRun.objects.get().status == "done"


def test_retries_used_up_fail_the_run_and_keep_the_old_values(monkeypatch):
    build()
    replace_quarter(Q3, compute_values(Q3))
    previous = stored()
    calls = failing(monkeypatch, diversiteit, OperationalError("database is weg"))
    with pytest.raises(OperationalError):
        compute_quarter.delay("2026Q3").get()
    run = IndicatorRun.objects.get()
    assert len(calls) == 4  # the first attempt and three retries
    assert (run.status, run.attempts, run.step) == ("failed", 4, "Mislukt")
    assert run.error == "Mislukt na 4 poging(en): OperationalError: database is weg"
    assert stored() == previous


def test_an_error_that_is_not_transient_fails_at_once(monkeypatch):
    build()
    calls = failing(monkeypatch, kwaliteit, ZeroDivisionError("division by zero"))
    with pytest.raises(ZeroDivisionError):
        compute_quarter.delay("2026Q3").get()
    run = IndicatorRun.objects.get()
    assert len(calls) == 1
    assert (run.status, run.attempts) == ("failed", 1)
    assert run.error == "Mislukt na 1 poging(en): ZeroDivisionError: division by zero"
    assert not IndicatorValue.objects.exists()


def _running(seconds_silent: float) -> IndicatorRun:
    run, _ = request_run(Q3, trigger="test")
    IndicatorRun.objects.filter(pk=run.pk).update(
        status="running", started_at=timezone.now(), attempts=1,
        heartbeat_at=timezone.now() - datetime.timedelta(seconds=seconds_silent),
    )  # fmt: skip
    run.refresh_from_db()
    return run


def test_a_running_run_without_heartbeat_is_replaced_by_the_next_trigger(settings):
    settings.INDICATORS_HEARTBEAT_TIMEOUT = 120
    dead = _running(seconds_silent=121)
    run, created = request_run(Q3, trigger="schema: nachtelijk")
    assert created and run.pk != dead.pk
    dead.refresh_from_db()
    assert dead.status == "failed" and dead.finished_at is not None
    assert dead.error.startswith("Worker verdwenen: meer dan 120 seconden geen teken van leven")


def test_a_running_run_with_a_recent_heartbeat_is_joined(settings):
    settings.INDICATORS_HEARTBEAT_TIMEOUT = 120
    alive = _running(seconds_silent=60)
    run, created = request_run(Q3, trigger="schema: nachtelijk")
    assert (run.pk, created) == (alive.pk, False)
    assert IndicatorRun.objects.get(pk=alive.pk).status == "running"


def test_a_redelivered_message_of_a_dead_run_computes_the_quarter_anew(settings):
    settings.INDICATORS_HEARTBEAT_TIMEOUT = 120
    build()
    dead = _running(seconds_silent=300)
    result = compute_quarter.delay("2026Q3", run_id=dead.pk, trigger="celery").get()
    dead.refresh_from_db()
    new = IndicatorRun.objects.get(status="done")
    assert result == {"run": new.pk, "status": "done", "rows": new.rows_written}
    assert dead.status == "failed" and dead.error.startswith("Worker verdwenen")
    assert new.trigger == "celery, na verdwenen worker"
    assert new.rows_written == IndicatorValue.objects.filter(quarter="2026Q3").count() > 0


def test_a_message_of_a_run_another_worker_is_computing_leaves_it_alone(settings, monkeypatch):
    settings.INDICATORS_HEARTBEAT_TIMEOUT = 120
    build()
    alive = _running(seconds_silent=5)
    # As a worker gets it (apply, not delay), so the look-again it sends can be caught here:
    # in-process Celery would run that message at once instead of after the countdown.
    sent = []
    monkeypatch.setattr(compute_quarter, "apply_async", lambda *a, **kw: sent.append((a, kw)))
    result = compute_quarter.apply(("2026Q3",), {"run_id": alive.pk}).get()
    assert result["skipped"] == "bezig bij een andere worker"
    # It looks again once the busy worker's heartbeat could have gone stale.
    assert sent == [
        ((("2026Q3",), {"run_id": alive.pk, "trigger": "celery"}),
         {"countdown": 120, "queue": None})
    ]  # fmt: skip
    alive.refresh_from_db()
    assert (alive.status, alive.attempts) == ("running", 1)
    assert not IndicatorValue.objects.exists()


def test_a_run_given_up_for_dead_does_not_write_when_its_worker_comes_back(monkeypatch):
    build()
    replace_quarter(Q3, compute_values(Q3))
    previous = stored()
    real = kwaliteit.compute

    def slow_worker_declared_dead(context):
        IndicatorRun.objects.filter(quarter="2026Q3", status="running").update(
            status="failed", error="Worker verdwenen (test)"
        )
        return real(context)

    monkeypatch.setattr(kwaliteit, "compute", slow_worker_declared_dead)
    result = compute_quarter.delay("2026Q3").get()
    assert result["status"] == "vervangen"
    run = IndicatorRun.objects.get()
    assert (run.status, run.error) == ("failed", "Worker verdwenen (test)")
    assert stored() == previous


@pytest.mark.parametrize(
    ("utc", "task", "periods"),
    [
        # 02:30 in Utrecht on 1 October (CEST, UTC+2): the schedule's moment; Q3 has closed, the
        # second half-year and the year run on.
        (datetime.datetime(2026, 10, 1, 0, 30, tzinfo=UTC), "compute_closed_quarter", ["2026Q3"]),
        # 00:30 in Utrecht is still 30 September in UTC: the local date decides.
        (datetime.datetime(2026, 9, 30, 22, 30, tzinfo=UTC), "compute_closed_quarter", ["2026Q3"]),
        # 1 July: the first half-year closed with Q2.
        (datetime.datetime(2026, 7, 1, 0, 30, tzinfo=UTC), "compute_closed_quarter",
         ["2026Q2", "2026H1"]),
        # 1 January: Q4, the second half-year and the year.
        (datetime.datetime(2027, 1, 1, 1, 30, tzinfo=UTC), "compute_closed_quarter",
         ["2026Q4", "2026H2", "2026"]),
        # Nightly at 01:15: the quarter, half-year and year in progress.
        (datetime.datetime(2026, 9, 29, 23, 15, tzinfo=UTC), "compute_running_quarter",
         ["2026Q3", "2026H2", "2026"]),
        (datetime.datetime(2026, 9, 30, 23, 15, tzinfo=UTC), "compute_running_quarter",
         ["2026Q4", "2026H2", "2026"]),
        (datetime.datetime(2026, 12, 31, 23, 15, tzinfo=UTC), "compute_running_quarter",
         ["2027Q1", "2027H1", "2027"]),
    ],
)  # fmt: skip
def test_beat_tasks_queue_the_right_periods(monkeypatch, utc, task, periods):
    import indicators.tasks as tasks

    monkeypatch.setattr("django.utils.timezone.now", lambda: utc)
    queued = []

    class Sent:
        id = "taak-1"

    def delay(*args, **kwargs):
        queued.append((args, kwargs))
        return Sent()

    monkeypatch.setattr(tasks.compute_quarter, "delay", delay)
    assert getattr(tasks, task).delay().get() == ["taak-1"] * len(periods)
    assert [args for args, _ in queued] == [(period,) for period in periods]


def test_a_quarter_in_the_future_or_before_2020_is_refused(contract_manager_client):
    future = Quarter.containing(timezone.localdate()).next()
    post = lambda quarter: contract_manager_client.post(  # noqa: E731
        "/api/v1/indicatorberekeningen", {"kwartaal": quarter}, content_type="application/json"
    )
    response = post(str(future))
    assert response.status_code == 400
    assert response.json()["invalidParams"] == [{
        "name": "kwartaal", "code": "invalid",
        "reason": f"{future} ligt in de toekomst en kan nog niet berekend worden.",
    }]  # fmt: skip
    reason = post("2019Q4").json()["invalidParams"][0]["reason"]
    assert reason == TOO_EARLY
    with pytest.raises(CommandError, match=f"^{future} ligt in de toekomst") as raised:
        call_command("compute_indicators", "--quarter", str(future), "--sync")
    assert raised.value.returncode == 1
    with pytest.raises(CommandError, match="Berekenen kan vanaf 2020Q1"):
        call_command("compute_indicators", "--since", "2019Q3", "--sync")
    with pytest.raises(CommandError) as raised:
        call_command("compute_indicators", "--period", "2019", "--sync")
    assert str(raised.value) == TOO_EARLY
    assert not IndicatorRun.objects.exists()
    # The running quarter may be computed (its figures so far).
    assert post(str(Quarter.containing(timezone.localdate()))).status_code == 201


def _waiting_for_the_broker(run):
    run.refresh_from_db()
    assert (run.status, run.task_id) == ("queued", "")
    assert run.step == "Wacht tot de wachtrij bereikbaar is"
    assert run.awaits_broker and (run.attempts, run.error) == (0, "")
    return run


AWAITING_2026Q3 = (
    "De wachtrij (Celery-broker) is nu niet bereikbaar. De berekening van 2026Q3 is vastgelegd en "
    "start vanzelf zodra de wachtrij weer bereikbaar is; tot dan blijven de bestaande cijfers staan."
)


def test_the_command_with_the_broker_down_records_the_run_and_the_dispatcher_sends_it():
    """A transactional outbox: the run waits in PostgreSQL, and once the broker is back the
    dispatcher (beat, a starting worker) sends it; here in-process (eager), as one round."""
    from wmo.dispatch import dispatch_pending

    build()
    replace_quarter(Q3, compute_values(Q3))
    previous = stored()
    IndicatorValue.objects.filter(quarter="2026Q3", indicator="referrals_in_care").delete()
    began = time.monotonic()
    out, err = io.StringIO(), io.StringIO()
    with broker_at(UNREACHABLE):
        call_command("compute_indicators", "--quarter", "2026Q3", stdout=out, stderr=err)
        # Still away: the round stops at once and the run keeps waiting.
        assert dispatch_pending()["indicatorberekeningen"] == 0
    assert time.monotonic() - began < 15  # no long reconnect loop
    run = _waiting_for_the_broker(IndicatorRun.objects.get())
    assert err.getvalue() == f"{AWAITING_2026Q3} (run {run.pk})\n" and out.getvalue() == ""
    # A second trigger joins the waiting run instead of failing it or starting another.
    assert request_run(Q3) == (run, False)
    # The broker is back (eager here): one round sends it and the quarter is computed.
    assert dispatch_pending()["indicatorberekeningen"] == 1
    run.refresh_from_db()
    assert (run.status, run.attempts, run.trigger) == ("done", 1, "commando")
    assert run.task_id and stored() == previous
    assert dispatch_pending()["indicatorberekeningen"] == 0  # nothing is sent twice
    # A copy of the same message (redelivered, or sent twice) finds the run done: no second
    # computation, the rows untouched.
    ids = sorted(IndicatorValue.objects.values_list("id", flat=True))
    again = compute_quarter.apply(("2026Q3",), {"run_id": run.pk}, task_id=run.task_id).get()
    assert again == {"run": run.pk, "status": "done"}
    assert sorted(IndicatorValue.objects.values_list("id", flat=True)) == ids
    assert IndicatorRun.objects.get().attempts == 1


@pytest.mark.django_db(transaction=True)
def test_the_api_answers_202_with_a_dutch_message_when_the_broker_is_down(contract_manager_client):
    post = lambda: contract_manager_client.post(  # noqa: E731
        "/api/v1/indicatorberekeningen", {"kwartaal": "2026Q3"}, content_type="application/json"
    )
    with broker_at(UNREACHABLE):
        response, again = post(), post()
    assert response.status_code == 202
    body = response.json()
    assert (body["status"], body["melding"]) == ("queued", AWAITING_2026Q3)
    assert body["stap"] == "Wacht tot de wachtrij bereikbaar is" and body["foutmelding"] == ""
    # The second trigger tried to send the waiting run again and says the same.
    assert (again.status_code, again.json()["id"]) == (202, body["id"])
    _waiting_for_the_broker(IndicatorRun.objects.get())


@pytest.mark.django_db(transaction=True)
def test_a_trigger_that_finds_a_waiting_run_sends_it_once_the_broker_is_back(monkeypatch):
    with broker_at(UNREACHABLE):
        first, created = queue_run(Q3, trigger="dashboard")
    assert created
    _waiting_for_the_broker(first)
    sent = []
    monkeypatch.setattr("indicators.tasks.compute_quarter.apply_async",
                        lambda *args, **kwargs: sent.append(kwargs))  # fmt: skip
    run, created = queue_run(Q3, trigger="dashboard")
    run.refresh_from_db()
    assert (run.pk, created, run.awaits_broker) == (first.pk, False, False)
    assert [kwargs["task_id"] for kwargs in sent] == [run.task_id]
    # Sent once: neither another trigger nor the dispatcher sends it again.
    from wmo.dispatch import dispatch_pending

    queue_run(Q3, trigger="dashboard")
    assert dispatch_pending()["indicatorberekeningen"] == 0 and len(sent) == 1


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_broker_that_accepts_but_never_answers_does_not_hold_the_page(
    contract_manager_client, settings
):
    """Redis frozen or a half-open network: without socket timeouts the request waited
    forever; with the configured ones (2 s) kombu gives up after about 4 s in all."""
    import socket

    assert settings.CELERY_BROKER_TRANSPORT_OPTIONS["socket_timeout"] == 2.0
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)  # connections are accepted by the kernel; nothing ever answers
    try:
        began = time.monotonic()
        address = f"redis://127.0.0.1:{silent.getsockname()[1]}/0"
        with broker_at(address):
            response = contract_manager_client.post(
                "/dashboard/herberekenen/", {"kwartaal": "2026Q3"}, HTTP_HX_REQUEST="true"
            )
        took = time.monotonic() - began
    finally:
        silent.close()
    assert response.status_code == 200 and AWAITING_2026Q3 in response.content.decode()
    assert took < 6, took
    _waiting_for_the_broker(IndicatorRun.objects.get())
