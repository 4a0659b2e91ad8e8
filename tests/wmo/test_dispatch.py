"""The dispatcher of work that waited for the broker (wmo.dispatch), on made-up sources. The real
sources on the real services: tests/wmo/test_faults.py."""

import pytest
from kombu.exceptions import OperationalError as BrokerError

from wmo import dispatch


@pytest.fixture
def only(monkeypatch):
    """Replace the registered sources by the test's own for the test."""
    monkeypatch.setattr(dispatch, "_SOURCES", {})
    return dispatch.register


def test_the_indicator_runs_are_registered():
    from indicators.tasks import pending_runs, send_run

    source = {s.name: s for s in dispatch.sources()}["indicatorberekeningen"]
    assert (source.pending, source.send) == (pending_runs, send_run)


def test_every_pending_item_of_every_source_is_sent_and_a_bad_item_is_skipped(only, caplog):
    sent = []

    def send(item):
        if item == "kapot":
            raise ValueError("rij bestaat niet meer")
        sent.append(item)

    only("runs", pending=lambda: ["r1", "kapot", "r2"], send=send)
    only("imports", pending=lambda: ["i1"], send=send)
    assert dispatch.dispatch_pending() == {"runs": 2, "imports": 1}
    assert sent == ["r1", "r2", "i1"]
    assert "runs could not send 'kapot'" in caplog.text


@pytest.mark.parametrize("error", [dispatch.QueueUnavailable("weg"), BrokerError("weg"),
                                   ConnectionError("weg")])  # fmt: skip
def test_the_round_stops_while_the_broker_is_still_away(only, error):
    tried = []

    def send(item):
        tried.append(item)
        raise error

    only("runs", pending=lambda: ["r1", "r2"], send=send)
    only("imports", pending=lambda: ["i1"], send=send)
    assert dispatch.dispatch_pending() == {"runs": 0}
    assert tried == ["r1"]


def test_a_failing_dispatch_does_not_stop_a_starting_worker(only, caplog):
    from wmo.celery import send_pending_work

    def pending():
        raise RuntimeError("database weg")

    only("runs", pending=pending, send=print)
    send_pending_work()  # logs, does not raise
    assert "dispatch at worker start failed" in caplog.text and "database weg" in caplog.text
