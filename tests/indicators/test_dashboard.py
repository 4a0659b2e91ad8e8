"""Staff and council dashboards: every number is the stored value (council: suppressed), few
queries, permissions, CSV/XLSX equal to the page, recompute queues one run."""

import csv
import datetime
import io
import json
import re
from decimal import Decimal
from html import unescape

import pytest
from django.core.cache import cache
from openpyxl import load_workbook

from indicators import selectors as data
from indicators.models import IndicatorRun, IndicatorValue
from providers.models import Provider
from tests.access import ROLES, Access
from wmo.periods import Quarter

WEST, OVERVECHT = "WK034401", "WK034403"
Q3 = "2026Q3"
STAFF_URL = "/dashboard/?kwartaal=2026Q3"
COUNCIL_URL = "/dashboard/raad/?kwartaal=2026Q3"

# (quarter, level, level_key, indicator, value, numerator, denominator, norm)
ROWS = [
    (Q3, "system", "all", "clients_in_care", 1234, None, None, None),
    (Q3, "system", "all", "new_referrals", 310, None, None, None),
    (Q3, "system", "all", "mean_wait_days", "12.5", None, 40, None),
    (Q3, "system", "all", "median_wait_days", "10.0", None, 40, None),
    (Q3, "system", "all", "mean_days_waiting_at_end", "23.3", None, 3, None),
    (Q3, "system", "all", "pct_within_norm", "62.5", 5, 8, None),
    (Q3, "system", "all", "waiting_at_end", 3, None, None, None),
    (Q3, "system", "all", "mean_waiting_per_month", "41.7", None, None, None),
    (Q3, "system", "all", "bt_mean_wait_workdays", "6.1", None, 120, "5"),
    (Q3, "system", "all", "bt_referral_rate", "18.3", 22, 120, None),
    (Q3, "system", "all", "bt_group_share", "44.0", 44, 100, None),
    (Q3, "system", "all", "group_share", "16.2", 12, 74, None),
    (Q3, "system", "all", "complaints", 2, None, None, None),
    (Q3, "system", "all", "small_org_share", "37.5", 30, 80, None),
    (Q3, "system", "all", "providers_active", 7, None, None, None),
    ("2026Q2", "system", "all", "clients_in_care", 1200, None, None, None),
    ("2026Q2", "system", "all", "small_org_share", "40.0", 32, 80, None),
    ("2025Q3", "system", "all", "clients_in_care", 1100, None, None, None),
    (Q3, "district", WEST, "clients_in_care", 456, None, None, None),
    (Q3, "district", WEST, "clients_per_1000", "17.5", 456, 26000, None),
    (Q3, "district", WEST, "mean_wait_days", "9.0", None, 30, None),
    (Q3, "district", WEST, "waiting_at_end", 14, None, None, None),
    (Q3, "district", WEST, "small_org_share", "52.4", 22, 42, None),
    (Q3, "district", OVERVECHT, "clients_in_care", 4, None, None, None),
    (Q3, "district", OVERVECHT, "mean_wait_days", "31.0", None, 6, None),
    (Q3, "district", OVERVECHT, "waiting_at_end", 2, None, None, None),
    (Q3, "service_type", "dagbegeleiding", "clients_in_care", 88, None, None, None),
    (Q3, "service_type", "dagbegeleiding", "mean_wait_days", "15.3", None, 20, "14"),
    (Q3, "service_type", "dagbegeleiding", "waiting_at_end", 9, None, None, None),
    (Q3, "district_service", f"{WEST}:dagbegeleiding", "clients_in_care", 21, None, None, None),
    (Q3, "district_service", f"{WEST}:dagbegeleiding", "waiting_at_end", 5, None, None, None),
    (Q3, "provider", "10000001", "clients_in_care", 77, None, None, None),
    (Q3, "provider", "10000001", "waiting_at_end", 6, None, None, None),
    (Q3, "contractor", "10000001", "clients_in_care", 99, None, None, None),
]


def store_rows():
    """The hand-made stored values above (also used by the browser tests)."""
    Provider.objects.create(
        agb_code="10000001", name="Groot Zorg", kind="care_provider", size_override="large"
    )
    IndicatorValue.objects.bulk_create(
        IndicatorValue(quarter=q, level=lvl, level_key=key, indicator=ind,
                       value=None if v is None else Decimal(str(v)), numerator=n, denominator=d,
                       norm=None if norm is None else Decimal(norm))
        for q, lvl, key, ind, v, n, d, norm in ROWS
    )  # fmt: skip
    book_spend("IV-2026Q3", "2026Q3", Decimal("90000000.00"))


def book_spend(booking_id, quarter, amount_eur):
    """One objective IV booking (dagbegeleiding at Groot Zorg), as the spend import stores it."""
    from wmo.catalogue.models import ServiceType
    from wmo.finance.models import SpendBooking

    SpendBooking.objects.create(
        booking_id=booking_id, quarter=quarter, objective="IV", amount_eur=amount_eur,
        service_type=ServiceType.objects.get(code="dagbegeleiding"),
        contractor=Provider.objects.get(agb_code="10000001"),
    )  # fmt: skip


@pytest.fixture
def stored(db):
    store_rows()


def text(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def tile(html: str, indicator: str) -> str:
    match = re.search(
        rf'<article[^>]*data-indicator="{indicator}"[^>]*>(.*?)</article>', html, re.S
    )
    assert match, f"no tile {indicator}"
    return text(match.group(1))


def table_row(html: str, table: str, key: str) -> list[str]:
    body = re.search(rf'<table[^>]*id="tabel-{table}"[^>]*>(.*?)</table>', html, re.S).group(1)
    row = re.search(rf'<tr[^>]*data-sleutel="{re.escape(key)}"[^>]*>(.*?)</tr>', body, re.S)[1]
    return [text(cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]


def test_staff_tiles_show_the_stored_values(stored, contract_manager_client):
    html = contract_manager_client.get(STAFF_URL).content.decode()
    assert tile(html, "clients_in_care").startswith("Cliënten in zorg 1.234 cliënten")
    assert "Vorig kwartaal (2026Q2) 1.200" in tile(html, "clients_in_care")
    assert "Jaar eerder (2025Q3) 1.100" in tile(html, "clients_in_care")
    assert "12,5 dagen" in tile(html, "mean_wait_days")
    assert "62,5 %" in tile(html, "pct_within_norm")
    assert "Wachtenden aan het eind van het kwartaal 3 verwijzingen" in tile(html, "waiting_at_end")
    bt = tile(html, "bt_mean_wait_workdays")
    assert "6,1 werkdagen" in bt and "Norm of doel 5" in bt and "Boven de norm (5)" in bt
    assert "Klachten 2 klachten" in tile(html, "complaints")
    # Budget IV 2026 is 88.562 k€; 90.000 realised in 3 quarters is 101,6 %, a forecast of
    # 120.000 and 31.438 over budget (BUDGET.md's run rate, as on the budget page).
    budget = tile(html, "budget")
    # k€ with one decimal and the deviation with its sign, as on the budget page.
    assert "€ 88.562,0 k" in budget and "€ 90.000,0 k (101,6 %)" in budget
    assert "Prognose (na 3 kwartalen) € 120.000,0 k Afwijking € +31.438,0 k" in budget
    assert "Prognose boven het budget" in budget


def test_the_budget_tile_judges_the_forecast_not_the_spend_so_far(stored, contract_manager_client):
    """A tester saw "Binnen het budget" on the tile (three quarters' spend against a year's
    budget) while the budget page forecast an overspend of 359,9 k€ for the same year."""
    from wmo.finance.models import SpendBooking

    SpendBooking.objects.all().delete()
    book_spend("IV-2026Q3", "2026Q3", Decimal("66691400.00"))
    budget = tile(contract_manager_client.get(STAFF_URL).content.decode(), "budget")
    assert "€ 66.691,4 k (75,3 %)" in budget
    assert "Prognose (na 3 kwartalen) € 88.921,9 k Afwijking € +359,9 k" in budget
    assert "Prognose boven het budget" in budget and "binnen het budget" not in budget.lower()


def test_the_budget_tile_and_its_download_show_k_euros_like_the_budget_page(
    stored, contract_manager_client
):
    """A tester saw 88.562 and -86 on the tile and in budget.csv where the budget page showed
    88.562,0 and −86,0: BUDGET.md rounds k€ to one decimal, and the tile showed them whole."""
    from wmo.finance.models import SpendBooking

    SpendBooking.objects.all().delete()
    book_spend("IV-2026Q3", "2026Q3", Decimal("66357000.00"))  # forecast 88.476,0: −86,0
    budget = tile(contract_manager_client.get(STAFF_URL).content.decode(), "budget")
    assert "€ 88.562,0 k" in budget and "€ 66.357,0 k (74,9 %)" in budget
    assert "Prognose (na 3 kwartalen) € 88.476,0 k Afwijking € −86,0 k" in budget
    rows = csv_rows(contract_manager_client.get("/dashboard/export/budget.csv?kwartaal=2026Q3"))
    row = next(r for r in rows if r[0].startswith("IV"))
    assert row[1:6] == ["88.562,0", "66.357,0", "74,9", "88.476,0", "−86,0"]
    page = text(contract_manager_client.get("/rapportage/begroting/?jaar=2026").content.decode())
    assert "88.562,0" in page and "66.357,0" in page and "88.476,0" in page and "−86,0" in page


def test_staff_tables_show_the_stored_values_and_drill_down(stored, contract_manager_client):
    html = contract_manager_client.get(STAFF_URL).content.decode()
    west = table_row(html, "per-wijk", WEST)
    assert west[:7] == ["West", "456", "17,5", "", "9,0 — naar de wachtlijst", "",
                        "14 — naar de wachtlijst"]  # fmt: skip
    assert table_row(html, "per-wijk", OVERVECHT)[1] == "4"
    assert table_row(html, "per-wijk", "totaal")[1] == "1.234"
    assert '/verwijzingen/?wijk=WK034401">14' in html
    service = table_row(html, "per-voorziening", "dagbegeleiding")
    assert service[:3] == ["Dagbegeleiding", "14", "88"]
    assert '/verwijzingen/?voorziening=dagbegeleiding">9' in html
    assert table_row(html, "per-aanbieder", "10000001")[:2] == ["Groot Zorg", "77"]
    assert '/verwijzingen/?aanbieder=10000001">6' in html
    assert table_row(html, "per-contractpartij", "10000001")[:2] == ["Groot Zorg", "99"]
    ratios = table_row(html, "verhoudingen", "bt_referral_rate")
    assert ratios[1:4] == ["18,3", "20 %", "Voldoet aan het doel (≤ 20)"]
    assert table_row(html, "verhoudingen", "bt_group_share")[3] == "Onder het doel (50)"
    diversity = table_row(html, "diversiteit", "totaal")
    assert diversity[-3:] == ["40,0", "37,5", "7"]
    assert table_row(html, "diversiteit", WEST)[-2:] == ["52,4", ""]


def test_council_sees_every_number_suppressed_and_no_drill_down(stored, council_client):
    html = council_client.get(COUNCIL_URL).content.decode()
    assert "1.234 cliënten" in tile(html, "clients_in_care")
    # 62.5 % over 8 started referrals: too few observations.
    assert "Binnen de norm gestart — " in tile(html, "pct_within_norm")
    assert "Wachtenden aan het eind van het kwartaal &lt;5" in html or (
        "Wachtenden aan het eind van het kwartaal <5" in tile(html, "waiting_at_end")
    )
    assert "Klachten <5" in tile(html, "complaints")
    overvecht = table_row(html, "per-wijk", OVERVECHT)
    assert overvecht[1] == "<5"  # 4 clients
    assert overvecht[4] == "—"  # mean over 6 started
    assert overvecht[6] == "<5"  # 2 waiting
    assert table_row(html, "per-wijk", WEST)[:3] == ["West", "456", "17,5"]
    assert "/verwijzingen/" not in html
    assert 'id="tabel-per-aanbieder"' not in html and 'id="tabel-per-voorziening"' not in html
    assert "/aanbesteding/" in html  # the tender timeline
    assert "opnieuw berekenen" not in html
    assert table_row(html, "verhoudingen", "bt_referral_rate")[1] == "18,3"
    # The charts' data island carries no suppressed figure either.
    charts = {c["id"]: c for c in chart_data(html)}
    waits = dict(zip(charts["wijk-wachttijd"]["labels"],
                     charts["wijk-wachttijd"]["datasets"][0]["data"], strict=True))  # fmt: skip
    assert waits["West"] == 9.0 and waits["Overvecht"] is None
    trend = charts["trend-waiting_at_end"]["datasets"][0]["data"]
    assert trend[-1] is None  # 3 waiting: "<5"


def chart_data(html: str) -> list[dict]:
    island = re.search(r'<script id="dashboard-grafieken" type="application/json">(.*?)</script>',
                       html, re.S).group(1)  # fmt: skip
    return json.loads(island)


def test_staff_chart_data_is_exact(stored, contract_manager_client):
    charts = {
        c["id"]: c for c in chart_data(contract_manager_client.get(STAFF_URL).content.decode())
    }
    waits = dict(zip(charts["wijk-wachttijd"]["labels"],
                     charts["wijk-wachttijd"]["datasets"][0]["data"], strict=True))  # fmt: skip
    assert waits["Overvecht"] == 31.0
    assert charts["trend-waiting_at_end"]["datasets"][0]["data"][-1] == 3.0


def test_filters_pick_the_stored_level(stored, contract_manager_client):
    html = contract_manager_client.get(STAFF_URL + f"&wijk={WEST}").content.decode()
    assert "Kwartaal 2026Q3 — Wijk West" in text(html)
    assert "456 cliënten" in tile(html, "clients_in_care")
    assert "Naar de actuele wachtlijst" in tile(html, "waiting_at_end")
    assert f'/verwijzingen/?wijk={WEST}"' in html
    html = contract_manager_client.get(STAFF_URL + "&aanbieder=10000001&wijk=" + WEST).content
    html = html.decode()
    assert "77 cliënten" in tile(html, "clients_in_care")
    assert "het filter op wijk is niet toegepast" in html


def test_wijk_and_service_filters_use_the_combined_level(stored, contract_manager_client):
    html = contract_manager_client.get(STAFF_URL + f"&wijk={WEST}").content.decode()
    assert table_row(html, "per-voorziening", "dagbegeleiding")[:3] == [
        "Dagbegeleiding",
        "14",
        "21",
    ]
    assert f'/verwijzingen/?wijk={WEST}&amp;voorziening=dagbegeleiding">5' in html
    html = contract_manager_client.get(STAFF_URL + "&voorziening=dagbegeleiding").content.decode()
    assert "Per wijk, 2026Q3 — Dagbegeleiding" in html
    assert table_row(html, "per-wijk", WEST)[:2] == ["West", "21"]
    assert table_row(html, "per-wijk", "totaal")[:2] == ["Heel Utrecht", "88"]
    # Clients per 1,000 inhabitants and buurtteam figures exist per wijk only, not per service.
    assert "Cliënten per 1.000 inwoners" not in page_table(html, "per-wijk")[0]
    html = contract_manager_client.get(
        STAFF_URL + f"&wijk={WEST}&voorziening=dagbegeleiding"
    ).content.decode()
    assert "21 cliënten" in tile(html, "clients_in_care")


def test_organisation_tables_say_the_wijk_filter_does_not_apply(stored, contract_manager_client):
    # No figures are stored per provider and wijk: the tables show every wijk, and say so.
    html = contract_manager_client.get(STAFF_URL).content.decode()
    assert 'id="aanbieders-filter"' not in html
    assert 'aria-label="Per aanbieder, 2026Q3 (schuifbaar)"' in html
    html = contract_manager_client.get(STAFF_URL + f"&wijk={WEST}").content.decode()
    note = text(re.search(r'id="aanbieders-filter".*?</div></div>', html, re.S)[0])
    assert "Deze tabellen tellen alle wijken en voorzieningen: het filter op wijk is hier niet " \
           "toegepast." in note  # fmt: skip
    assert table_row(html, "per-aanbieder", "10000001")[:2] == ["Groot Zorg", "77"]
    assert "Per aanbieder, 2026Q3 — alle wijken en voorzieningen" in html
    assert "Per contractpartij, 2026Q3 — alle wijken en voorzieningen" in html
    html = contract_manager_client.get(STAFF_URL + f"&wijk={WEST}&voorziening=dagbegeleiding")
    assert "het filter op wijk en voorziening is hier niet toegepast" in text(html.content.decode())


def test_default_and_invalid_quarter(stored, contract_manager_client, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda: datetime.date(2026, 11, 23))
    html = contract_manager_client.get("/dashboard/").content.decode()
    assert "Kwartaal 2026Q3" in html and "1.234 cliënten" in tile(html, "clients_in_care")
    html = contract_manager_client.get("/dashboard/?kwartaal=2031Q1").content.decode()
    # `kwartaal=` is read by the period field (quarters, half-years and years).
    assert "Periode: Selecteer een geldige keuze. 2031Q1 is geen beschikbare keuze." in text(html)
    assert "Kwartaal 2026Q3" in html
    # Before 2026Q3 was completed, the newest completed quarter with values is the default.
    monkeypatch.setattr("django.utils.timezone.localdate", lambda: datetime.date(2026, 8, 1))
    assert "Kwartaal 2026Q2" in contract_manager_client.get("/dashboard/").content.decode()


def test_htmx_request_gets_the_figures_only(stored, contract_manager_client):
    response = contract_manager_client.get(STAFF_URL + f"&wijk={WEST}&voorziening=&aanbieder=",
                                           HTTP_HX_REQUEST="true")  # fmt: skip
    html = response.content.decode()
    # The address bar gets the canonical URL, without the empty filters.
    assert response["HX-Push-Url"] == f"/dashboard/?kwartaal=2026Q3&wijk={WEST}"
    assert html.lstrip().startswith('<div id="dashboard-figuren"')
    assert "<html" not in html
    assert "HX-Request" in response["Vary"]
    assert 'id="dashboard-grafieken"' in html


def test_default_quarter_is_the_last_completed_with_values(stored):
    quarters = [Quarter(2027, 1), Quarter(2026, 3), Quarter(2026, 2)]
    assert data.default_quarter(datetime.date(2026, 11, 23), quarters) == Quarter(2026, 3)
    assert data.default_quarter(datetime.date(2026, 8, 1), quarters) == Quarter(2026, 2)
    assert data.default_quarter(datetime.date(2026, 1, 1), []) is None


STAFF_URLS = [STAFF_URL, STAFF_URL + f"&wijk={WEST}&voorziening=dagbegeleiding",
              STAFF_URL + "&aanbieder=10000001", STAFF_URL + "&contractpartij=10000001"]  # fmt: skip
COUNCIL_URLS = [COUNCIL_URL, COUNCIL_URL + f"&wijk={WEST}"]
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["page", "htmx"])
@pytest.mark.parametrize(("role", "url"), [
    *[("contract_manager", url) for url in STAFF_URLS],
    *[("council_member", url) for url in COUNCIL_URLS]])  # fmt: skip
def test_cold_dashboard_query_count(stored, client_for, django_assert_max_num_queries, role, url,
                                    headers):  # fmt: skip
    """Nothing cached (the first request after a computation): at most 13 queries, one of them
    whether the demo's periods are still being computed (the banner; cached afterwards)."""
    client = client_for(role)
    cache.clear()
    with django_assert_max_num_queries(13) as captured:
        response = client.get(url, **headers)
    assert response.status_code == 200
    html = response.content.decode()
    # Rendered, not an empty page: tiles and the wijk table are there.
    assert 'id="tabel-per-wijk"' in html and 'id="tegel-clients_in_care"' in html
    # The stored values are read in one query, whatever the filters.
    reads = [q["sql"] for q in captured if "indicators_indicatorvalue" in q["sql"]]
    assert sum("UNION" in sql for sql in reads) == 1


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["page", "htmx"])
@pytest.mark.parametrize(("role", "url", "queries"), [
    # session, user, roles, data version, the quarter's latest run
    *[("contract_manager", url, 5) for url in STAFF_URLS],
    # council members see no run
    *[("council_member", url, 4) for url in COUNCIL_URLS]])  # fmt: skip
def test_warm_dashboard_query_count(stored, client_for, django_assert_num_queries, role, url,
                                    queries, headers):  # fmt: skip
    client = client_for(role)
    client.get(url, **headers)
    with django_assert_num_queries(queries):
        assert client.get(url, **headers).status_code == 200


def test_warm_request_renders_nothing_again(stored, contract_manager_client, monkeypatch):
    contract_manager_client.get(STAFF_URL)
    for name in ("dashboard", "reference_names", "stored_quarters", "stored_periods"):
        monkeypatch.setattr(data, name, lambda *a, **k: pytest.fail("rebuilt on a warm request"))
    assert "1.234 cliënten" in tile(contract_manager_client.get(STAFF_URL).content.decode(),
                                   "clients_in_care")  # fmt: skip


def tile_links(html: str, indicator: str) -> list[str]:
    match = re.search(rf'<article[^>]*data-indicator="{indicator}"[^>]*>(.*?)</article>', html,
                      re.S)  # fmt: skip
    return [unescape(href) for href in re.findall(r'href="([^"]+)"', match.group(1))]


WAITING_TILES = ["mean_wait_days", "median_wait_days", "waiting_at_end", "mean_days_waiting_at_end",
                 "mean_waiting_per_month"]  # fmt: skip


@pytest.mark.parametrize(("query", "link"), [
    ("", "/verwijzingen/"),
    (f"&wijk={WEST}", f"/verwijzingen/?wijk={WEST}"),
    (f"&wijk={WEST}&voorziening=dagbegeleiding",
     f"/verwijzingen/?wijk={WEST}&voorziening=dagbegeleiding"),
    # The provider's figures cover every wijk: the ignored wijk filter stays out of the link.
    (f"&aanbieder=10000001&wijk={WEST}", "/verwijzingen/?aanbieder=10000001"),
    # The waiting list has no contractor filter: no link rather than a longer list.
    ("&contractpartij=10000001", None),
])  # fmt: skip
def test_waiting_figures_drill_down_to_the_live_waiting_list(stored, contract_manager_client,
                                                             query, link):  # fmt: skip
    html = contract_manager_client.get(STAFF_URL + query).content.decode()
    for indicator in WAITING_TILES:
        assert tile_links(html, indicator) == ([link] if link else []), indicator
    assert tile_links(html, "clients_in_care") == []


def test_mean_days_waiting_at_end_is_a_tile(stored, contract_manager_client, council_client):
    staff = tile(
        contract_manager_client.get(STAFF_URL).content.decode(), "mean_days_waiting_at_end"
    )
    assert staff.startswith("Gemiddeld aantal dagen wachtend (eind kwartaal) 23,3 dagen")
    assert "Mediane wachttijd 10,0 dagen" in tile(
        contract_manager_client.get(STAFF_URL).content.decode(), "median_wait_days")  # fmt: skip
    council = council_client.get(COUNCIL_URL).content.decode()
    # A mean over 3 people waiting: too few observations, and no link for council members.
    assert tile_value(council, "mean_days_waiting_at_end") == "—"
    assert tile_links(council, "mean_days_waiting_at_end") == []


def tile_value(html: str, indicator: str) -> str:
    match = re.search(rf'<article[^>]*data-indicator="{indicator}"[^>]*>.*?'
                      r'<p class="dash-tile__value">(.*?)</p>', html, re.S)  # fmt: skip
    return text(match.group(1))


def test_suppressed_percentage_tile_shows_the_dash_alone(stored, council_client,
                                                         contract_manager_client):  # fmt: skip
    council = council_client.get(COUNCIL_URL).content.decode()
    assert tile_value(council, "pct_within_norm") == "—"  # 62,5 % of 8: not "— %"
    assert tile_value(council, "waiting_at_end") == "<5 verwijzingen"
    ratios = re.search(r'<ul class="dash-ratios">(.*?)</ul>', council, re.S).group(1)
    assert "— %" not in text(ratios) and "— %" not in text(council)
    assert tile_value(contract_manager_client.get(STAFF_URL).content.decode(),
                      "pct_within_norm") == "62,5 %"  # fmt: skip


def test_within_norm_is_judged_against_its_signal_value(stored, contract_manager_client):
    html = contract_manager_client.get(STAFF_URL).content.decode()
    within = tile(html, "pct_within_norm")
    assert "Signaalwaarde 80 %" in within and "Onder de signaalwaarde (80)" in within
    assert 'class="dash-tile dash-tile--off" aria-labelledby="tegel-pct_within_norm"' in html
    assert "geen door de raad vastgesteld doel" in text(html)
    assert "Elke voorziening heeft haar eigen wachttijdnorm" in text(html)
    chart = {c["id"]: c for c in chart_data(html)}["trend-pct_within_norm"]
    assert chart["datasets"][0]["data"][-1] == 62.5
    assert chart["datasets"][1]["label"] == "Signaalwaarde"
    assert set(chart["datasets"][1]["data"]) == {80.0}
    assert table_row(html, "trend-pct_within_norm-tabel", "2026Q3") == ["2026Q3", "62,5", "80"]
    # Mean waiting time has no city-wide norm, so it gets no colour.
    assert 'class="dash-tile dash-tile--none" aria-labelledby="tegel-mean_wait_days"' in html


def test_budget_tile_compares_with_the_year_before(stored, contract_manager_client):
    budget = tile(contract_manager_client.get(STAFF_URL).content.decode(), "budget")
    # Budget IV 2025 is 91.858 k€ (reference data); nothing booked for 2025 yet.
    assert "Vorig jaar (2025) € 91.858,0 k begroot, realisatie niet ingevoerd" in budget
    book_spend("IV-2025Q4", "2025Q4", Decimal("90000000.00"))
    html = contract_manager_client.get(STAFF_URL).content.decode()
    # 90.000 of 91.858 is 98,0 %.
    assert "Vorig jaar (2025) € 91.858,0 k begroot, € 90.000,0 k gerealiseerd (98,0 %)" in tile(
        html, "budget")  # fmt: skip
    assert table_row(html, "budget", "IV")[1:] == [
        "88.562,0",
        "90.000,0",
        "101,6",
        "120.000,0",
        "+31.438,0",
        "90.000,0",
        "98,0",
    ]


def test_edits_to_names_and_reference_data_show_at_once(stored, contract_manager_client):
    from districts.models import District
    from indicators.models import BaselineFigure, BudgetLine
    from wmo.catalogue.models import ServiceType

    contract_manager_client.get(STAFF_URL)  # cached
    contract_manager_client.get(STAFF_URL + f"&wijk={WEST}")
    # Plain UPDATEs: no signal, no save(), the way an import or the admin's bulk action writes.
    Provider.objects.filter(agb_code="10000001").update(name="Groot Zorg Utrecht")
    Provider.objects.create(agb_code="10000009", name="Nieuwe Zorg", kind="care_provider")
    District.objects.filter(code=WEST).update(name="West (hernoemd)")
    ServiceType.objects.filter(code="dagbegeleiding").update(name="Dagbesteding")
    BaselineFigure.objects.filter(service="buurtteam", indicator="unique_clients",
                                  year=2020).update(value=Decimal("11119"))  # fmt: skip
    BudgetLine.objects.filter(objective="IV", line="budget", year=2026).update(
        amount_keur=Decimal("88000"))  # fmt: skip
    html = contract_manager_client.get(STAFF_URL).content.decode()
    assert table_row(html, "per-aanbieder", "10000001")[0] == "Groot Zorg Utrecht"
    assert '<option value="10000009">Nieuwe Zorg</option>' in html  # a new filter choice
    assert table_row(html, "per-wijk", WEST)[0] == "West (hernoemd)"
    assert table_row(html, "per-voorziening", "dagbegeleiding")[0] == "Dagbesteding"
    assert table_row(html, "jaartrend-bt_clients-tabel", "2020 (nulmeting)")[1] == "11.119"
    assert "€ 88.000,0 k" in tile(html, "budget")
    filtered = contract_manager_client.get(STAFF_URL + f"&wijk={WEST}").content.decode()
    assert "Kwartaal 2026Q3 — Wijk West (hernoemd)" in text(filtered)
    # Deleted spend bookings disappear as well (a plain DELETE, no signal).
    from wmo.finance.models import SpendBooking

    SpendBooking.objects.all().delete()
    assert "nog niet ingevoerd" in tile(contract_manager_client.get(STAFF_URL).content.decode(),
                                        "budget")  # fmt: skip


def test_default_quarter_moves_on_when_a_quarter_ends(stored, contract_manager_client,
                                                      monkeypatch):  # fmt: skip
    IndicatorValue.objects.create(quarter="2026Q4", level="system", level_key="all",
                                  indicator="clients_in_care", value=Decimal(1300))  # fmt: skip
    monkeypatch.setattr("django.utils.timezone.localdate", lambda: datetime.date(2026, 12, 31))
    html = contract_manager_client.get("/dashboard/").content.decode()
    assert "Kwartaal 2026Q3" in html and '<option value="2026Q3" selected>' in html
    # The next morning 2026Q4 has ended: the same page (cached a minute ago) moves on.
    monkeypatch.setattr("django.utils.timezone.localdate", lambda: datetime.date(2027, 1, 1))
    html = contract_manager_client.get("/dashboard/").content.decode()
    assert "Kwartaal 2026Q4" in html and '<option value="2026Q4" selected>' in html
    assert "1.300 cliënten" in tile(html, "clients_in_care")


def test_filter_without_quarter_shows_the_default_quarter_selected(stored,
                                                                   contract_manager_client):  # fmt: skip
    IndicatorValue.objects.create(quarter="2026Q4", level="system", level_key="all",
                                  indicator="clients_in_care", value=Decimal(1300))  # fmt: skip
    html = contract_manager_client.get(f"/dashboard/?wijk={WEST}").content.decode()
    quarter = re.search(r'<select name="periode".*?</select>', html, re.S).group(0)
    selected = re.findall(r'<option value="(\w+)" selected>', quarter)
    heading = re.search(r'<h2 class="utrecht-heading-2" id="kwartaal-kop">(.*?)</h2>', html,
                        re.S).group(1)  # fmt: skip
    assert selected == [text(heading).split()[1]]  # the field names the quarter shown


def test_empty_dashboard_offers_a_computation(db, contract_manager_client):
    html = contract_manager_client.get("/dashboard/").content.decode()
    assert "Er zijn nog geen opgeslagen indicatoren." in html
    assert "opnieuw berekenen" in html


# --- exports ---------------------------------------------------------------------------------


def csv_rows(response):
    body = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body), delimiter=";"))


@pytest.mark.parametrize(
    ("client_role", "base", "table", "key"),
    [
        ("contract_manager", "/dashboard/export/", "per-wijk", OVERVECHT),
        ("council_member", "/dashboard/raad/export/", "per-wijk", OVERVECHT),
        ("contract_manager", "/dashboard/export/", "overzicht", "waiting_at_end"),
        ("council_member", "/dashboard/raad/export/", "overzicht", "waiting_at_end"),
        ("contract_manager", "/dashboard/export/", "trend-clients_in_care-tabel", "2026Q3"),
    ],
)  # fmt: skip
def test_csv_and_xlsx_match_the_page(stored, client_for, client_role, base, table, key):
    client = client_for(client_role)
    page_url = STAFF_URL if client_role == "contract_manager" else COUNCIL_URL
    page = table_row(client.get(page_url).content.decode(), table, key)
    page = [cell.replace(" — naar de wachtlijst", "") for cell in page]
    response = client.get(f"{base}{table}.csv?kwartaal=2026Q3")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = csv_rows(response)
    labels = {"per-wijk": "Overvecht", "overzicht": "Wachtenden aan het eind van het kwartaal",
              "trend-clients_in_care-tabel": "2026Q3"}  # fmt: skip
    row = next(r for r in rows if r[0] == labels[table])
    assert row == page
    workbook = load_workbook(io.BytesIO(client.get(f"{base}{table}.xlsx?kwartaal=2026Q3").content))
    sheet = workbook.active
    values = list(sheet.iter_rows(values_only=True))
    xrow = next(r for r in values if r[0] == labels[table])
    assert [data.format_number(Decimal(str(c))) if isinstance(c, (int, float)) else (c or "")
            for c in xrow] == [re.sub(r",0$", "", c) if c.endswith(",0") else c for c in page]  # fmt: skip


def page_table(html: str, table_id: str) -> list[list[str]]:
    body = re.search(rf'<table[^>]*id="tabel-{table_id}"[^>]*>(.*?)</table>', html, re.S).group(1)
    body = body.split("</caption>", 1)[1]
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    return [
        [text(cell).replace(" — naar de wachtlijst", "")
         for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        for row in rows
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("role", "page_url", "export_base", "suppressed"),
    [
        ("contract_manager", STAFF_URL, "/dashboard/export/", False),
        ("council_member", COUNCIL_URL, "/dashboard/raad/export/", True),
    ],
)
def test_every_table_on_the_page_downloads_as_shown(
    stored, client_for, role, page_url, export_base, suppressed
):
    client = client_for(role)
    html = client.get(page_url).content.decode()
    result = data.dashboard(Quarter(2026, 3), data.Filters(), suppressed)
    tables = data.all_tables(result)
    # + the three objective tables and the yearly trends (three with a baseline at city level).
    assert len(tables) >= (26 if not suppressed else 20)
    for table_id in tables:
        assert f'{export_base}{table_id}.csv?kwartaal=2026Q3"' in html, table_id
        assert f'{export_base}{table_id}.xlsx?kwartaal=2026Q3"' in html, table_id
        downloaded = csv_rows(client.get(f"{export_base}{table_id}.csv?kwartaal=2026Q3"))
        assert downloaded == page_table(html, table_id), table_id


def test_council_export_is_suppressed(stored, council_client):
    rows = csv_rows(council_client.get("/dashboard/raad/export/per-wijk.csv?kwartaal=2026Q3"))
    overvecht = next(r for r in rows if r[0] == "Overvecht")
    assert overvecht[1] == "<5" and overvecht[4] == "—"
    sheet = load_workbook(io.BytesIO(
        council_client.get("/dashboard/raad/export/per-wijk.xlsx?kwartaal=2026Q3").content
    )).active  # fmt: skip
    row = next(r for r in sheet.iter_rows(values_only=True) if r[0] == "Overvecht")
    assert row[1] == "<5" and row[4] == "—"


def test_unknown_export_table_is_404(stored, contract_manager_client, council_client):
    assert contract_manager_client.get("/dashboard/export/bestaat-niet.csv").status_code == 404
    # Staff-only tables are not in the council dashboard.
    assert council_client.get("/dashboard/raad/export/per-aanbieder.csv").status_code == 404


@pytest.mark.parametrize(
    ("base", "query", "reason"),
    [("/dashboard/raad/export/", "kwartaal=garbage",
      "kwartaal: Selecteer een geldige keuze. garbage is geen beschikbare keuze."),
     ("/dashboard/raad/export/", "kwartaal=2019Q1",
      "kwartaal: Selecteer een geldige keuze. 2019Q1 is geen beschikbare keuze."),
     ("/dashboard/export/", "kwartaal=2026Q2%0d%0aX:1", "kwartaal: Selecteer een geldige keuze."),
     ("/dashboard/export/", "periode=2031", "periode: Selecteer een geldige keuze. 2031 is geen"),
     ("/dashboard/export/", "kwartaal=2026Q2&wijk=WK999999", "wijk: Selecteer een geldige keuze."),
     ("/dashboard/raad/export/", "voorziening=nope", "voorziening: Selecteer een geldige keuze.")],
)  # fmt: skip
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_refuses_a_bad_selection(stored, client_for, base, query, reason, fmt):
    # A refused period or filter counted as unset, so the download was the default period's
    # (or the whole city's) table under that period's file name (per-wijk_2026Q3.csv).
    role = "council_member" if "raad" in base else "contract_manager"
    response = client_for(role).get(f"{base}per-wijk.{fmt}?{query}")
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert reason in response.content.decode()
    assert "Content-Disposition" not in response


def test_export_of_a_stored_period_and_the_default(stored, contract_manager_client):
    response = contract_manager_client.get("/dashboard/export/per-wijk.csv?kwartaal=2026Q2")
    assert response.status_code == 200 and "per-wijk_2026Q2.csv" in response["Content-Disposition"]
    response = contract_manager_client.get("/dashboard/export/per-wijk.csv?kwartaal=")
    assert response.status_code == 200 and "per-wijk_2026Q3.csv" in response["Content-Disposition"]


# --- recompute -------------------------------------------------------------------------------


def test_two_recompute_posts_give_one_active_run(
    db, contract_manager_client, monkeypatch, django_capture_on_commit_callbacks
):
    queued = []
    # apply_async: what .delay() calls too, so the test holds however the task is sent.
    monkeypatch.setattr("indicators.tasks.compute_quarter.apply_async",
                        lambda args, kwargs, **options: queued.append((args, kwargs)))  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        first = contract_manager_client.post(
            "/dashboard/herberekenen/", {"kwartaal": "2026Q3"}, HTTP_HX_REQUEST="true"
        )
        second = contract_manager_client.post(
            "/dashboard/herberekenen/", {"kwartaal": "2026Q3"}, HTTP_HX_REQUEST="true"
        )
    assert first.status_code == second.status_code == 200
    run = IndicatorRun.objects.get()
    assert run.status == "queued" and run.quarter == Quarter(2026, 3)
    assert len(queued) == 1 and queued[0][1] == {"run_id": run.pk}
    html = second.content.decode()
    assert f'hx-get="/dashboard/berekeningen/{run.pk}/"' in html and 'hx-trigger="every 1s"' in html
    assert '<progress id="voortgang-' in html and 'value="0"' in html
    # The staff page shows the active run too.
    page = contract_manager_client.get("/dashboard/?kwartaal=2026Q3").content.decode()
    assert "Berekening 2026Q3: in de wachtrij" in page


def test_recompute_runs_and_the_status_fragment_announces_done(
    db, contract_manager_client, django_capture_on_commit_callbacks
):
    # Tests run tasks eagerly: the run is finished once the commit hook has queued it.
    with django_capture_on_commit_callbacks(execute=True):
        response = contract_manager_client.post(
            "/dashboard/herberekenen/", {"kwartaal": "2026Q3"}, HTTP_HX_REQUEST="true"
        )
    # The POST answers with the queued run, which the page then polls.
    assert "every 1s" in response.content.decode() and "HX-Trigger" not in response
    run = IndicatorRun.objects.get()
    assert run.status == "done"
    status = contract_manager_client.get(
        f"/dashboard/berekeningen/{run.pk}/", HTTP_HX_REQUEST="true"
    )
    assert status["HX-Trigger"] == "wmo-herberekend"
    assert 'value="100"' in status.content.decode() and "every 1s" not in status.content.decode()
    assert IndicatorValue.objects.filter(quarter="2026Q3", level="system").exists()


def test_recompute_without_js_redirects_and_rejects_bad_quarters(
    db, contract_manager_client, monkeypatch
):
    monkeypatch.setattr("indicators.tasks.compute_quarter.apply_async", lambda *a, **k: None)
    response = contract_manager_client.post("/dashboard/herberekenen/", {"kwartaal": "2026Q2"})
    assert response.status_code == 302 and response["Location"] == "/dashboard/?kwartaal=2026Q2"
    bad = contract_manager_client.post("/dashboard/herberekenen/", {"kwartaal": "2026Q7"},
                                       HTTP_HX_REQUEST="true")  # fmt: skip
    assert bad.status_code == 400
    assert "Kwartaal: &#x27;2026Q7&#x27; is geen kwartaal" in bad.content.decode()
    future = contract_manager_client.post("/dashboard/herberekenen/", {"kwartaal": "2099Q1"},
                                          HTTP_HX_REQUEST="true")  # fmt: skip
    assert future.status_code == 400 and "ligt in de toekomst" in future.content.decode()
    early = contract_manager_client.post("/dashboard/herberekenen/", {"kwartaal": "2019Q4"},
                                         HTTP_HX_REQUEST="true")  # fmt: skip
    assert early.status_code == 400
    assert "Kwartaal: Berekenen kan vanaf 2020Q1" in early.content.decode()
    assert IndicatorRun.objects.count() == 1


def test_recompute_a_year_or_half_year_from_its_own_page(db, contract_manager_client, monkeypatch):
    """The button on a year's or half-year's page computes that period (from the records),
    not its last quarter."""
    from wmo.periods import HalfYear, Year

    monkeypatch.setattr("indicators.tasks.compute_quarter.apply_async", lambda *a, **k: None)
    year = contract_manager_client.post("/dashboard/herberekenen/", {"periode": "2025"})
    assert year.status_code == 302 and year["Location"] == "/dashboard/?periode=2025"
    half = contract_manager_client.post("/dashboard/herberekenen/", {"periode": "2025H2"})
    assert half["Location"] == "/dashboard/?periode=2025H2"
    assert [run.quarter for run in IndicatorRun.objects.order_by("pk")] == [
        Year(2025),
        HalfYear(2025, 2),
    ]
    bad = contract_manager_client.post("/dashboard/herberekenen/", {"periode": "2025H3"},
                                       HTTP_HX_REQUEST="true")  # fmt: skip
    assert bad.status_code == 400 and "Periode: " in bad.content.decode()
    assert IndicatorRun.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_recompute_with_the_broker_down_says_the_run_starts_by_itself(contract_manager_client):
    from tests.celery_conf import broker_at

    awaiting = ("De wachtrij (Celery-broker) is nu niet bereikbaar. De berekening van 2026Q3 is "
                "vastgelegd en start vanzelf zodra de wachtrij weer bereikbaar is; tot dan blijven "
                "de bestaande cijfers staan.")  # fmt: skip
    with broker_at("redis://127.0.0.1:9/0"):  # the discard port: nothing listens there
        response = contract_manager_client.post(
            "/dashboard/herberekenen/", {"kwartaal": "2026Q3"}, HTTP_HX_REQUEST="true"
        )
        page = contract_manager_client.post(
            "/dashboard/herberekenen/", {"kwartaal": "2026Q3"}, follow=True
        )
    assert response.status_code == 200
    html = response.content.decode()
    assert awaiting in html and 'data-status="queued"' in html
    assert "Berekening 2026Q3: in de wachtrij — Wacht tot de wachtrij bereikbaar is" in html
    # Without htmx: the same message on the dashboard the button redirects to.
    assert page.status_code == 200 and awaiting in page.content.decode()
    run = IndicatorRun.objects.get()
    assert (run.status, run.task_id, run.error) == ("queued", "", "")


# --- permissions -----------------------------------------------------------------------------

OK, LOGIN, FORBIDDEN = 200, 302, 403
STAFF_PAGE = {"anonymous": LOGIN, "buurtteam_worker": FORBIDDEN, "contract_manager": OK,
              "council_member": FORBIDDEN}  # fmt: skip
COUNCIL_PAGE = {**STAFF_PAGE, "council_member": OK}
MATRIX = [
    Access("GET", "/dashboard/", STAFF_PAGE),
    Access("GET", "/dashboard/raad/", COUNCIL_PAGE),
    # The period choice and the objective tables: the same pages, the same roles.
    Access("GET", "/dashboard/?periode=2026H1", STAFF_PAGE),
    Access("GET", "/dashboard/raad/?periode=2025", COUNCIL_PAGE),
    Access("GET", "/dashboard/export/doel-iv.csv?periode=2025", STAFF_PAGE),
    Access("GET", "/dashboard/raad/export/jaartrend-bt_clients-tabel.xlsx?periode=2025",
           COUNCIL_PAGE),
    Access("GET", "/dashboard/export/per-wijk.csv", STAFF_PAGE),
    Access("GET", "/dashboard/raad/export/per-wijk.xlsx", COUNCIL_PAGE),
    Access("POST", "/dashboard/herberekenen/", {**STAFF_PAGE, "contract_manager": 302},
           {"kwartaal": "2026Q3"}),
    Access("GET", "/dashboard/berekeningen/{run}/", STAFF_PAGE),
]  # fmt: skip


@pytest.mark.parametrize("row", MATRIX, ids=str)
@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(stored, client_for, monkeypatch, row, role):
    monkeypatch.setattr("indicators.tasks.compute_quarter.apply_async", lambda *a, **k: None)
    run = IndicatorRun.objects.create(quarter="2026Q2")
    # 2025 stored: the year's downloads (`periode=2025`) answered 200 with 2026Q3's table before
    # a period that is not stored was refused (400).
    IndicatorValue.objects.create(quarter="2025", level="system", level_key="all",
                                  indicator="clients_in_care", value=Decimal(1100))  # fmt: skip
    client = client_for(role)
    row = row.format(run=run.pk)
    response = client.post(row.url, row.data) if row.method == "POST" else client.get(row.url)
    assert response.status_code == row.expected[role]
    if role == "anonymous":
        assert "/account/inloggen/" in response["Location"]


def test_navigation_links_per_role(stored, client_for):
    staff = client_for("contract_manager").get("/").content.decode()
    # The menu opens the one-screen overviews; their tiles lead to /dashboard/ and /dashboard/raad/.
    assert 'href="/dashboard/overzicht/"' in staff and 'href="/dashboard/raad/overzicht/"' in staff
    council = client_for("council_member").get("/").content.decode()
    assert 'href="/dashboard/raad/overzicht/"' in council
    assert 'href="/dashboard/overzicht/"' not in council and 'href="/dashboard/"' not in council
    worker = client_for("buurtteam_worker").get("/").content.decode()
    # Of the dashboard pages, buurtteam workers have only the continuity monitor (own team).
    assert 'href="/dashboard/' not in worker.replace('href="/dashboard/overgang/"', "")
    assert 'href="/dashboard/overgang/"' in worker
