"""On PostgreSQL, outside a transaction (the worker), the families in `BESIDE` compute on a
second connection while the others compute (indicators/services.py): buurtteam whole,
kwaliteit's queries (its `read`; its `combine` uses the people in care of bereik, in order).
The same values as on one connection, and no connection left behind."""

import dataclasses
import threading

import pytest
from django.db import connection, transaction

from indicators.definitions import buurtteam, kwaliteit
from indicators.services import BESIDE, compute_values
from wmo.periods import Quarter, Year

from .scenario import build

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="a second PostgreSQL connection"),
]


def sessions() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()")
        return cursor.fetchone()[0]


def rows(values) -> list[tuple]:
    return sorted(dataclasses.astuple(value) for value in values)


def threads_of(monkeypatch, module, name) -> list:
    """The threads `module.name` is called in, from now on."""
    threads = []
    own = getattr(module, name)

    def recorded(*args):
        threads.append(threading.current_thread())
        return own(*args)

    monkeypatch.setattr(module, name, recorded)
    return threads


@pytest.mark.parametrize("period", [Quarter(2026, 3), Year(2026)], ids=str)
def test_buurtteam_and_the_quality_queries_compute_beside_the_others(monkeypatch, period):
    assert {"buurtteam", "kwaliteit"} == BESIDE
    build()
    main = threading.main_thread()
    buurtteam_threads = threads_of(monkeypatch, buurtteam, "compute")
    read_threads = threads_of(monkeypatch, kwaliteit, "read")
    combine_threads = threads_of(monkeypatch, kwaliteit, "combine")
    before = sessions()
    beside = compute_values(period)
    assert sessions() == before  # the helper thread closed its connection
    assert buurtteam_threads[0] is not main and read_threads[0] is not main
    assert combine_threads == [main]
    # In a transaction another connection would not see what it has not committed: one
    # connection, in this thread.
    with transaction.atomic():
        alone = compute_values(period)
    assert buurtteam_threads[1:] == read_threads[1:] == [main]
    assert rows(beside) == rows(alone)
    found = {(v.indicator, v.level_key): v.value for v in beside}
    assert found["bt_new_cases", "all"] > 0
    # The complaints per 100 clients combine kwaliteit's reads with bereik's people in care.
    assert found["complaints", "all"] > 0 and found["complaints_per_100_clients", "all"] > 0
