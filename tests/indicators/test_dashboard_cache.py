"""The dashboards' cache (indicators/dashboards/cache.py): shared through Redis when Redis is
configured, so every web process serves what one rendered; a page and the downloads of its
tables read one build of the figures; a recompute changes the data version in its keys, so the
next page and download read the new values; a Redis that is away only costs speed."""

import re

import pytest
from django.conf import settings
from django.core.cache import caches

from indicators import selectors
from indicators.models import IndicatorValue
from indicators.tasks import compute_quarter
from wmo.cache import WARN_EVERY, ForgivingRedisCache
from wmo.referrals.models import Referral

from .scenario import build
from .test_dashboard import STAFF_URL, tile

DOWNLOAD = "/dashboard/export/overzicht.csv?periode=2026Q3"

pytestmark = pytest.mark.django_db
REDIS = "wmo.cache.ForgivingRedisCache"


def clients_in_care(client) -> int:
    shown = tile(client.get(STAFF_URL).content.decode(), "clients_in_care")
    return int(re.search(r"(\d+) cliënten", shown)[1])


def test_a_recompute_makes_the_next_page_read_the_new_values(contract_manager_client):
    build()
    compute_quarter.delay("2026Q3").get()
    before = clients_in_care(contract_manager_client)
    assert clients_in_care(contract_manager_client) == before  # served from the cache
    # Without client 1's referrals one client fewer is in care in 2026Q3. Until the quarter is
    # recomputed the page shows the stored (and cached) figure.
    Referral.objects.filter(client__key="sleutel-1").delete()
    assert clients_in_care(contract_manager_client) == before
    compute_quarter.delay("2026Q3").get()
    stored = IndicatorValue.objects.get(quarter="2026Q3", level="system",
                                        indicator="clients_in_care")  # fmt: skip
    assert stored.value == before - 1
    assert clients_in_care(contract_manager_client) == before - 1


def in_care_downloaded(client) -> int:
    rows = client.get(DOWNLOAD).content.decode("utf-8-sig").splitlines()
    return int(next(row for row in rows if row.startswith("Cliënten in zorg")).split(";")[1])


def test_the_page_and_the_downloads_of_its_tables_read_one_build(contract_manager_client,
                                                                 monkeypatch):  # fmt: skip
    build()
    compute_quarter.delay("2026Q3").get()
    builds = []
    real = selectors.dashboard
    monkeypatch.setattr(selectors, "dashboard", lambda *a, **k: builds.append(a) or real(*a, **k))
    before = clients_in_care(contract_manager_client)
    for table in ("overzicht", "per-wijk", "per-voorziening"):
        for fmt in ("csv", "xlsx"):
            response = contract_manager_client.get(
                f"/dashboard/export/{table}.{fmt}?periode=2026Q3"
            )
            assert response.status_code == 200, (table, fmt)
    assert in_care_downloaded(contract_manager_client) == before
    assert len(builds) == 1
    # A recompute changes the data version: the download reads the new figures at once.
    Referral.objects.filter(client__key="sleutel-1").delete()
    compute_quarter.delay("2026Q3").get()
    assert in_care_downloaded(contract_manager_client) == before - 1
    assert len(builds) == 2


def test_with_redis_the_cache_is_shared_by_every_process(contract_manager_client):
    if settings.CACHES["default"]["BACKEND"] != REDIS:
        pytest.skip("Redis is not configured (the embedded default keeps a cache per process)")
    build()
    compute_quarter.delay("2026Q3").get()
    contract_manager_client.get(STAFF_URL)
    # A connection of its own, as another web process would open it, finds what was rendered.
    other = caches.create_connection("default")
    try:
        keys = other._cache.get_client().keys(f"{other.key_prefix}:*dashboard:*")
    finally:
        other.close()
    assert keys


def test_a_redis_cache_that_cannot_be_reached_only_costs_speed(
    contract_manager_client, monkeypatch, caplog
):
    build()
    compute_quarter.delay("2026Q3").get()
    expected = clients_in_care(contract_manager_client)
    # The discard port: nothing listens there.
    cache = ForgivingRedisCache("redis://127.0.0.1:9/2", {"OPTIONS": {"socket_timeout": 0.5}})
    monkeypatch.setattr("indicators.dashboards.cache.cache", cache)
    monkeypatch.setattr("wmo.cache._last_warning", -WARN_EVERY)
    assert cache.get("anything", "miss") == "miss"
    cache.set("anything", 1)
    assert cache.get_many(["anything"]) == {} and cache.add("anything", 1) is False
    assert clients_in_care(contract_manager_client) == expected
    assert clients_in_care(contract_manager_client) == expected
    # Logged once, not on every call.
    assert caplog.text.count("Cache (Redis) not reachable") == 1
