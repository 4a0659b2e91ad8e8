"""The dashboards' data builders (also used by the quarterly report) on hand-made stored rows."""

from decimal import Decimal

import pytest

from indicators import selectors as data
from indicators.selectors import Filters
from wmo.periods import Quarter

from .test_dashboard import OVERVECHT, WEST, stored  # noqa: F401 - fixture

Q3 = Quarter(2026, 3)


@pytest.mark.parametrize(
    ("filters", "level", "ignored"),
    [
        (Filters(), ("system", "all"), []),
        (Filters(district=WEST), ("district", WEST), []),
        (Filters(service="dagbegeleiding"), ("service_type", "dagbegeleiding"), []),
        (Filters(district=WEST, service="dagbegeleiding"),
         ("district_service", f"{WEST}:dagbegeleiding"), []),
        (Filters(provider="1", district=WEST), ("provider", "1"), ["wijk"]),
        (Filters(provider="1", contractor="2"), ("provider", "1"), ["contractpartij"]),
        (Filters(contractor="2", service="x"), ("contractor", "2"), ["voorziening"]),
    ],
)  # fmt: skip
def test_filters_map_to_a_stored_level(filters, level, ignored):
    assert filters.level == level
    assert filters.ignored == ignored


@pytest.mark.parametrize(
    ("filters", "query"),
    [
        (Filters(), ""),
        (Filters(district=WEST), f"wijk={WEST}"),
        (Filters(service="dagbegeleiding"), "voorziening=dagbegeleiding"),
        (Filters(district=WEST, service="dagbegeleiding"),
         f"wijk={WEST}&voorziening=dagbegeleiding"),
        # A provider's figure covers every wijk and service: the ignored filters stay out.
        (Filters(district=WEST, service="dagbegeleiding", provider="1"), "aanbieder=1"),
        (Filters(provider="1", contractor="2"), "aanbieder=1"),
        # The waiting list cannot filter on the contractor: no drill-down rather than a wrong list.
        (Filters(contractor="2"), None),
        (Filters(contractor="2", district=WEST), None),
    ],
)  # fmt: skip
def test_waiting_list_query_carries_the_figures_own_level(filters, query):
    assert filters.waiting_list_query() == query


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [(Decimal("1234"), None, "1.234"), (Decimal("1234567.5"), None, "1.234.567,5"),
     (Decimal("12.0"), 1, "12,0"), (Decimal("0.5"), None, "0,5"), (None, None, ""),
     ("<5", None, "<5"), (Decimal("-550"), None, "-550")],
)  # fmt: skip
def test_dutch_number_format(value, decimals, expected):
    assert data.format_number(value, decimals) == expected


def test_status_against_norms_and_targets():
    cell = {"number": 6.1}
    assert data.status("bt_mean_wait_workdays", cell, Decimal(5)) == ("off", "Boven de norm (5)")
    assert data.status("bt_mean_wait_workdays", {"number": 5.0}, Decimal(5)) == (
        "ok", "Voldoet aan de norm (≤ 5)")  # fmt: skip
    assert data.status("bt_group_share", {"number": 50.0}, Decimal(50)) == (
        "ok", "Voldoet aan het doel (≥ 50)")  # fmt: skip
    # A suppressed or missing value never gets a colour.
    assert data.status("bt_group_share", {"number": None}, Decimal(50)) == (None, "")
    assert data.status("clients_in_care", {"number": 3.0}, None) == (None, "")


def test_one_query_loads_every_section(stored, django_assert_num_queries):  # noqa: F811
    # One query for the stored values, one for the dated norms their figures are judged by.
    with django_assert_num_queries(2):
        store = data.load(Q3, Filters(district=WEST))
    names = data.reference_names()
    with django_assert_num_queries(0):
        result = {
            "overview": data.overview(Q3, Filters(), False, store),
            "districts": data.by_district(Q3, Filters(), False, store, names),
            "diversity": data.diversity(Q3, Filters(), False, store, names),
        }
    assert result["overview"]["groups"][0]["tiles"][0]["current"]["text"] == "1.234"


ALL_TRENDS = ["clients_in_care", "bt_clients", "mean_wait_days", "pct_within_norm",
              "bt_mean_wait_workdays", "waiting_at_end", "mean_waiting_per_month"]  # fmt: skip
NO_BUURTTEAM = [code for code in ALL_TRENDS if not code.startswith("bt_")]


@pytest.mark.parametrize(("filters", "trend_codes"), [
    (Filters(), ALL_TRENDS),
    (Filters(district=WEST, service="dagbegeleiding"), NO_BUURTTEAM),
    (Filters(provider="10000001"), NO_BUURTTEAM)])  # fmt: skip
def test_section_builders_run_no_queries_of_their_own(stored, django_assert_num_queries,  # noqa: F811
                                                      filters, trend_codes):  # fmt: skip
    names = data.reference_names()
    baseline = data.baseline_index()
    store = data.load(Q3, filters, names=names)
    codes = [code for code, _ in names["services"]]
    with django_assert_num_queries(0):
        trends = data.trends(Q3, filters, False, store, baseline, service_codes=codes)
        services = data.by_service(Q3, filters, False, store, names)
        providers = data.by_organisation(Q3, filters, False, store, names, "provider")
        contractors = data.by_organisation(Q3, filters, False, store, names, "contractor")
        ratios = data.ratios(Q3, filters, True, store)
        data.overview(Q3, filters, True, store)
        data.by_district(Q3, filters, False, store, names)
        data.diversity(Q3, filters, True, store, names)
    assert [c["indicator"] for c in trends if c["series"] == "kwartaal"] == trend_codes
    # Yearly charts (first) only where a baseline or a computed year exists for the level.
    yearly = [c["indicator"] for c in trends if c["series"] == "jaar"]
    assert trends[: len(yearly)] == [c for c in trends if c["series"] == "jaar"]
    assert yearly == (["clients_in_care", "bt_clients", "bt_mean_wait_workdays"]
                      if filters == Filters() else [])  # fmt: skip
    assert ratios["items"][0]["current"]["text"] == "18,3"  # city-wide at every level
    assert [row["label"] for row in providers["table"]["rows"]] == ["Groot Zorg"]
    assert contractors["table"]["rows"][0]["cells"][0]["text"] == "99"
    service_rows = [row["key"] for row in services["table"]["rows"]]
    # Per service for the filtered wijk (West × dagbegeleiding is stored), else city-wide.
    assert service_rows == ["dagbegeleiding"]


@pytest.mark.parametrize("suppressed", [False, True])
def test_dashboard_reads_values_baseline_and_budget_once(stored, django_assert_num_queries,  # noqa: F811
                                                         suppressed):  # fmt: skip
    names = data.reference_names()
    with django_assert_num_queries(5):  # values, dated norms, baseline, budget lines, bookings
        result = data.dashboard(Q3, Filters(district=WEST), suppressed, names=names)
    assert result["overview"]["groups"][0]["tiles"][0]["current"]["text"] == "456"


def test_dashboard_structures_for_the_report(stored):  # noqa: F811
    result = data.dashboard(Q3, Filters(), suppressed=True)
    assert result["sections"] == list(data.COUNCIL_SECTIONS)
    tiles = {t["indicator"]: t for g in result["overview"]["groups"] for t in g["tiles"]}
    assert tiles["waiting_at_end"]["current"] == {
        "text": "<5", "number": None, "numerator": "", "denominator": "", "drill": None,
        "note": ""}  # fmt: skip
    assert tiles["waiting_at_end"]["drill"] is None  # council: no drill-down
    assert tiles["clients_in_care"]["previous"]["text"] == "1.200"
    assert tiles["clients_in_care"]["last_year"]["text"] == "1.100"
    # Like for like: the published years in a yearly chart, the quarters in a chart of their own.
    yearly = {c["indicator"]: c for c in result["trends"] if c["series"] == "jaar"}
    quarterly = {c["indicator"]: c for c in result["trends"] if c["series"] == "kwartaal"}
    trend = yearly["clients_in_care"]
    assert trend["labels"] == ["2020", "2021", "2022"]  # no year computed in this data set
    assert trend["table"]["rows"][0]["label"] == "2020 (nulmeting, som per voorziening)"
    trend = quarterly["clients_in_care"]
    assert trend["labels"] == ["2025Q3", "2026Q2", "2026Q3"]
    assert trend["datasets"][0]["data"][-1] == 1234.0
    bt = yearly["bt_mean_wait_workdays"]
    # Published buurtteam means 2020–2022 (6,4 · 7,6 · 7,2 working days), then the quarter.
    assert [c["text"] for c in bt["datasets"][0]["cells"]][:3] == ["6,4", "7,6", "7,2"]
    assert bt["datasets"][1]["label"] == "Norm" and bt["datasets"][1]["data"][0] == 5.0
    overvecht = next(r for r in result["districts"]["table"]["rows"] if r["key"] == OVERVECHT)
    assert overvecht["cells"][0]["text"] == "<5"
    assert data.table_rows(result["budget"]["table"])[2][:3] == [
        "IV — passende aanvullende zorg", "88.562,0", "90.000,0"]  # fmt: skip
    diversity = result["diversity"]
    assert diversity["charts"][0]["summary"] == (
        "Heel Utrecht, 2026Q3: 37,5 % van de verwijzingen in zorg bij kleine of "
        "bewoners-/doelgroeporganisaties."
    )


def test_diversity_spans_the_2027_switch(db):
    from indicators.models import IndicatorValue

    for quarter, share in (("2026Q4", "41.0"), ("2027Q1", "23.5")):
        IndicatorValue.objects.create(quarter=quarter, level="system", level_key="all",
                                      indicator="small_org_share", value=Decimal(share),
                                      numerator=10, denominator=40)  # fmt: skip
    result = data.diversity(Quarter(2027, 1), Filters(), False)
    assert result["charts"][0]["marker"] == "2027Q1"
    assert result["charts"][0]["summary"] == (
        "Heel Utrecht, 2027Q1: 23,5 % van de verwijzingen in zorg bij kleine of "
        "bewoners-/doelgroeporganisaties, tegen 41,0 % in 2026Q4 (voor de overstap in 2027)."
    )


def test_tables_escape_names_and_link_only_for_staff():
    from indicators.dashboards.html import table_html

    table = {
        "id": "per-aanbieder", "caption": "Per aanbieder <2026Q3>", "columns": ["Aanbieder", "Wachtenden"],
        "rows": [{"key": "1", "label": "<b>Zorg & Co</b>",
                  "cells": [{**data.EMPTY, "text": "6", "number": 6.0, "drill": "aanbieder=1"}]}],
    }  # fmt: skip
    staff = table_html(table, "/verwijzingen/")
    assert "&lt;b&gt;Zorg &amp; Co&lt;/b&gt;" in staff and "<b>" not in staff
    assert "Per aanbieder &lt;2026Q3&gt;" in staff
    assert '<a class="utrecht-link" href="/verwijzingen/?aanbieder=1">6' in staff
    council = table_html(table, None)
    assert "<a " not in council and ">6</td>" in council
