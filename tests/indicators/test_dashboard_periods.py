"""Both dashboards for a quarter, a half-year and a year, opening on the objectives III, IV and V,
with the yearly trend (baseline 2020–2022, then computed years) apart from the quarterly one."""

import re
from decimal import Decimal

import pytest
from django.core.cache import cache

from indicators import selectors as data
from indicators.models import IndicatorValue
from providers.models import Provider
from wmo.periods import HalfYear, Quarter, Year

from .test_dashboard import WEST, table_row, text, tile

# (period, level, level_key, indicator, value, numerator, denominator, norm)
ROWS = [
    # Years: the city, a wijk, an objective IV and an objective V service.
    ("2024", "system", "all", "clients_in_care", 3010, None, None, None),
    ("2025", "system", "all", "clients_in_care", 3120, None, None, None),
    ("2025", "system", "all", "bt_clients", 10450, None, None, None),
    ("2025", "system", "all", "bt_new_cases", 6010, None, None, None),
    ("2025", "system", "all", "bt_mean_wait_workdays", "6.8", None, 5900, "5"),
    ("2025", "system", "all", "bt_referral_rate", "21.4", 1284, 6000, None),
    ("2025", "system", "all", "bt_group_share", "47.5", 2855, 6010, None),
    ("2025", "system", "all", "waiting_at_end", 44, None, None, None),
    ("2025", "district", WEST, "bt_clients", 1204, None, None, None),
    ("2025", "district", WEST, "bt_referral_rate", "25.0", 50, 200, None),
    ("2025", "service_type", "dagbegeleiding", "clients_in_care", 654, None, None, None),
    ("2025", "service_type", "dagbegeleiding", "mean_wait_days", "15.2", None, 240, "14"),
    ("2025", "service_type", "dagbegeleiding", "group_share", "61.3", 147, 240, "15"),
    ("2025", "service_type", "beschermd_verblijf", "clients_in_care", 702, None, None, None),
    ("2025", "service_type", "beschermd_verblijf", "mean_wait_days", "120.5", None, 80, "91"),
    ("2025", "service_type", "beschermd_verblijf", "waiting_at_end", 3, None, None, None),
    # A half-year and its quarters.
    ("2026H1", "system", "all", "clients_in_care", 2480, None, None, None),
    ("2026H1", "system", "all", "waiting_at_end", 2, None, None, None),
    ("2026H1", "system", "all", "bt_clients", 7002, None, None, None),
    ("2026H1", "service_type", "dagbegeleiding", "clients_in_care", 501, None, None, None),
    ("2026H1", "service_type", "beschermd_verblijf", "clients_in_care", 4, None, None, None),
    ("2025H2", "system", "all", "clients_in_care", 2390, None, None, None),
    ("2026Q1", "system", "all", "clients_in_care", 1610, None, None, None),
    ("2026Q2", "system", "all", "clients_in_care", 1650, None, None, None),
    ("2025Q4", "system", "all", "clients_in_care", 1590, None, None, None),
]


@pytest.fixture
def periods(db):
    IndicatorValue.objects.bulk_create(
        IndicatorValue(quarter=p, level=lvl, level_key=key, indicator=ind,
                       value=Decimal(str(v)), numerator=n, denominator=d,
                       norm=None if norm is None else Decimal(norm))
        for p, lvl, key, ind, v, n, d, norm in ROWS
    )  # fmt: skip


def test_stored_periods_are_sorted_in_period_order_not_text_order(periods):
    # As text "2025" sorts before "2025H2" and "2025Q4": newest first in period order here.
    assert data.stored_periods() == [
        Quarter(2026, 2), HalfYear(2026, 1), Quarter(2026, 1), Quarter(2025, 4), HalfYear(2025, 2),
        Year(2025), Year(2024),
    ]  # fmt: skip
    assert data.stored_quarters() == [Quarter(2026, 2), Quarter(2026, 1), Quarter(2025, 4)]
    assert data.stored_longer_periods() == [HalfYear(2026, 1), HalfYear(2025, 2), Year(2025),
                                            Year(2024)]  # fmt: skip


def test_the_period_choice_offers_quarters_half_years_and_years(periods, contract_manager_client):
    html = contract_manager_client.get("/dashboard/?periode=2025").content.decode()
    select = re.search(r'<select name="periode".*?</select>', html, re.S).group(0)
    groups = re.findall(r'<optgroup label="([^"]+)">(.*?)</optgroup>', select, re.S)
    assert [(label, re.findall(r'value="(\w+)"', body)) for label, body in groups] == [
        ("Kwartalen", ["2026Q2", "2026Q1", "2025Q4"]), ("Halfjaren", ["2026H1", "2025H2"]),
        ("Jaren", ["2025", "2024"]),
    ]  # fmt: skip
    assert '<option value="2025" selected>' in select
    # `kwartaal=` still works, and a quarter keeps it in the canonical URL.
    response = contract_manager_client.get(
        "/dashboard/?kwartaal=2026Q2&wijk=", HTTP_HX_REQUEST="true"
    )
    assert response["HX-Push-Url"] == "/dashboard/?kwartaal=2026Q2"
    response = contract_manager_client.get("/dashboard/?periode=2026H1", HTTP_HX_REQUEST="true")
    assert response["HX-Push-Url"] == "/dashboard/?periode=2026H1"


def test_staff_year_opens_on_the_objectives_with_the_stored_numbers(periods,
                                                                   contract_manager_client):  # fmt: skip
    html = contract_manager_client.get("/dashboard/?periode=2025").content.decode()
    assert "Jaar 2025" in text(html)
    # The objectives come first, before the family view.
    assert html.index('id="doelen-kop"') < html.index('id="overzicht-kop"')
    assert table_row(html, "doel-iii", "bt_clients")[:2] == ["Cliënten buurtteam", "10.450"]
    assert table_row(html, "doel-iii", "bt_mean_wait_workdays")[1:4] == [
        "6,8", "5 werkdagen", "Boven de norm (5)"]  # fmt: skip
    assert table_row(html, "doel-iii", "bt_referral_rate")[1:4] == [
        "21,4", "20 % (doel 80/20)", "Boven het doel (20)"]  # fmt: skip
    assert table_row(html, "doel-iii", "bt_group_share")[1:4] == [
        "47,5", "50 % (doel 50/50)", "Onder het doel (50)"]  # fmt: skip
    # IV and V per service of the objective, with the service's norm and the 15/85 target.
    assert table_row(html, "doel-iv", "dagbegeleiding")[:5] == [
        "Dagbegeleiding", "14", "654", "", ""]  # fmt: skip
    assert table_row(html, "doel-iv", "dagbegeleiding")[5] == "15,2"
    assert table_row(html, "doel-iv", "dagbegeleiding")[-1] == "61,3"
    assert 'data-sleutel="beschermd_verblijf"' not in re.search(
        r'id="tabel-doel-iv".*?</table>', html, re.S).group(0)  # fmt: skip
    assert table_row(html, "doel-v", "beschermd_verblijf")[:3] == [
        "Beschermd Verblijf", "91", "702"]  # fmt: skip
    assert table_row(html, "doel-v", "beschermd_verblijf")[-2] == "3"  # waiting, exact for staff
    # Family view: the year's tile compares with the year before only.
    clients = tile(html, "clients_in_care")
    assert "3.120 cliënten" in clients and "Vorig jaar (2024) 3.010" in clients
    assert "Jaar eerder" not in clients
    # A wijk: objective III for that wijk.
    html = contract_manager_client.get(f"/dashboard/?periode=2025&wijk={WEST}").content.decode()
    assert table_row(html, "doel-iii", "bt_clients")[1] == "1.204"
    assert "Beleidsdoelen — Wijk West" in text(html)
    Provider.objects.create(agb_code="10000001", name="Groot Zorg", kind="care_provider")
    url = f"/dashboard/?periode=2025&aanbieder=10000001&wijk={WEST}"
    provider = contract_manager_client.get(url).content.decode()
    assert ("Het filter op aanbieder geldt hier niet: de beleidsdoelen gaan over wijk West."
            in text(provider))  # fmt: skip
    assert table_row(provider, "doel-iii", "bt_clients")[1] == "1.204"
    assert table_row(html, "doel-iii", "bt_referral_rate")[1:5] == [
        "25,0", "20 % (doel 80/20)", "Boven het doel (20)", "gekozen wijk"]  # fmt: skip


def test_council_half_year_is_suppressed_on_the_objectives(periods, council_client):
    html = council_client.get("/dashboard/raad/?periode=2026H1").content.decode()
    assert "Halfjaar 2026H1" in text(html)
    assert table_row(html, "doel-iii", "bt_clients")[1] == "7.002"
    assert table_row(html, "doel-iv", "dagbegeleiding")[2] == "501"
    assert table_row(html, "doel-v", "beschermd_verblijf")[2] == "<5"  # 4 clients
    assert "Wachtenden aan het eind van het halfjaar" in text(html) or "<5" in tile(
        html, "waiting_at_end")  # fmt: skip
    assert "<5" in tile(html, "waiting_at_end")
    assert "Vorig halfjaar (2025H2) 2.390" in tile(html, "clients_in_care")
    year = council_client.get("/dashboard/raad/?periode=2025").content.decode()
    assert table_row(year, "doel-v", "beschermd_verblijf")[-2] == "<5"  # 3 waiting


def test_yearly_trend_runs_from_the_baseline_into_computed_years(periods, contract_manager_client):
    html = contract_manager_client.get("/dashboard/?periode=2025").content.decode()
    body = re.search(r'id="tabel-jaartrend-clients_in_care-tabel".*?</table>', html, re.S)[0]
    labels = [text(label) for label in re.findall(r'<th scope="row">(.*?)</th>', body)]
    summed = "nulmeting, som per voorziening"
    assert labels == [f"2020 ({summed})", f"2021 ({summed})", f"2022 ({summed})", "2024", "2025"]
    assert table_row(html, "jaartrend-clients_in_care-tabel", "2025")[1] == "3.120"
    # Not published as such, and not like the computed years: said beside the chart.
    assert "een cliënt met twee voorzieningen telt daarin twee keer" in text(html)
    # The baseline for the city: the sum of the catalogue services' published clients 2022,
    # 2144 + 396 + 654 + 643 + 5888 + 12685 + 3458 + 2362 + 982 + 691 + 122 + 162 + 2079.
    assert table_row(html, "jaartrend-clients_in_care-tabel", f"2022 ({summed})")[1] == "32.266"
    assert table_row(html, "jaartrend-bt_clients-tabel", "2022 (nulmeting)")[1] == "10.953"
    assert table_row(html, "jaartrend-bt_clients-tabel", "2025")[1] == "10.450"
    # The quarterly trend: quarters only (a year's figures never beside a quarter's).
    body = re.search(r'id="tabel-trend-clients_in_care-tabel".*?</table>', html, re.S)[0]
    labels = [text(label) for label in re.findall(r'<th scope="row">(.*?)</th>', body)]
    assert labels == ["2025Q4"]
    html = contract_manager_client.get("/dashboard/?periode=2026H1").content.decode()
    body = re.search(r'id="tabel-trend-clients_in_care-tabel".*?</table>', html, re.S)[0]
    labels = [text(label) for label in re.findall(r'<th scope="row">(.*?)</th>', body)]
    assert labels == ["2025H2", "2026H1"]
    html = contract_manager_client.get("/dashboard/?kwartaal=2026Q2").content.decode()
    body = re.search(r'id="tabel-trend-clients_in_care-tabel".*?</table>', html, re.S)[0]
    labels = [text(label) for label in re.findall(r'<th scope="row">(.*?)</th>', body)]
    assert labels == ["2025Q4", "2026Q1", "2026Q2"]
    for chart in re.findall(r'id="tabel-trend-[a-z_]+-tabel".*?</table>', html, re.S):
        assert not re.search(r'<th scope="row">\d{4}( \(nulmeting\))?</th>', chart)


@pytest.mark.parametrize(("role", "url"), [
    ("contract_manager", "/dashboard/?periode=2025"),
    ("contract_manager", f"/dashboard/?periode=2026H1&wijk={WEST}"),
    ("council_member", "/dashboard/raad/?periode=2025"),
    ("council_member", "/dashboard/raad/?periode=2026H1")])  # fmt: skip
def test_period_pages_keep_the_query_counts(periods, client_for, django_assert_max_num_queries,
                                            django_assert_num_queries, role, url):  # fmt: skip
    client = client_for(role)
    cache.clear()
    # Cold: 12, plus whether the demo's periods are still being computed (cached afterwards).
    with django_assert_max_num_queries(13) as captured:
        assert client.get(url).status_code == 200
    reads = [q["sql"] for q in captured if "indicators_indicatorvalue" in q["sql"]]
    assert sum("UNION" in sql for sql in reads) == 1
    # Warm: session, user, roles, data version (and for staff the latest run).
    with django_assert_num_queries(5 if role == "contract_manager" else 4):
        assert client.get(url).status_code == 200


def test_the_cache_keeps_periods_apart(periods, contract_manager_client):
    year = contract_manager_client.get("/dashboard/?periode=2025").content.decode()
    half = contract_manager_client.get("/dashboard/?periode=2026H1").content.decode()
    assert "3.120 cliënten" in tile(year, "clients_in_care")
    assert "2.480 cliënten" in tile(half, "clients_in_care")
    assert "3.120 cliënten" in tile(contract_manager_client.get("/dashboard/?periode=2025")
                                   .content.decode(), "clients_in_care")  # fmt: skip


@pytest.mark.parametrize(("role", "base"), [("contract_manager", "/dashboard/export/"),
                                            ("council_member", "/dashboard/raad/export/")])  # fmt: skip
def test_objective_and_yearly_tables_download_for_a_period(periods, client_for, role, base):
    client = client_for(role)
    response = client.get(f"{base}doel-v.csv?periode=2025")
    assert response.status_code == 200
    rows = response.content.decode("utf-8-sig").splitlines()
    shown = "3" if role == "contract_manager" else "<5"
    assert any(r.startswith("Beschermd Verblijf;91;702;") and f";{shown};" in r for r in rows)
    rows = client.get(f"{base}jaartrend-bt_clients-tabel.csv?periode=2025").content
    assert "2025;10.450" in rows.decode("utf-8-sig")


def test_with_only_a_year_stored_the_page_opens_on_it(db, contract_manager_client):
    IndicatorValue.objects.create(quarter="2025", level="system", level_key="all",
                                  indicator="clients_in_care", value=Decimal(3120))  # fmt: skip
    html = contract_manager_client.get("/dashboard/").content.decode()
    assert "Jaar 2025" in text(html) and "3.120 cliënten" in tile(html, "clients_in_care")
    # No quarter stored: the quarterly trend is empty rather than filled with the year.
    assert "Cliënten in zorg: nog geen opgeslagen waarden." in text(html)
