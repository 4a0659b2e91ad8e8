"""The budget page (issue 17 replaces issue 5's hand-typed realisation): per objective and year
BUDGET.md's figures over the spend bookings — budget, realised, quarters realised, forecast,
deviation — for contract managers and council members, and its downloads."""

import csv
import html
import io
import re
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from indicators.reports.budget import budget_rows
from providers.models import Provider, ProviderKind
from wmo.catalogue.models import ServiceType
from wmo.finance.models import SpendBooking

BUDGET_URL = "/rapportage/begroting/"


@pytest.fixture
def bookings(db):
    contractor = Provider.objects.create(agb_code="63003158", name="Zorg BV",
                                         kind=ProviderKind.CARE_PROVIDER)  # fmt: skip
    day = ServiceType.objects.get(code="dagbegeleiding")
    shelter = ServiceType.objects.get(code="beschermd_verblijf")
    rows = [
        # IV 2025: four quarters of 23,250 k€ = 93,000 against a budget of 91,858: +1,142.
        *[(f"IV25-{q}", f"2025Q{q}", "IV", day, "23250000.00") for q in range(1, 5)],
        # IV 2026: two quarters, 42,500 k€ → forecast 85,000 against 88,562: −3,562.
        ("IV26-1", "2026Q1", "IV", day, "21000000.00"),
        ("IV26-2", "2026Q2", "IV", day, "21600000.00"),
        ("IV26-2C", "2026Q2", "IV", day, "-100000.00"),  # a credit note counts
        # V 2024: booked in Q4 only, exactly the budget of 127,594.
        ("V24-4", "2024Q4", "V", shelter, "127594000.00"),
    ]
    for booking_id, quarter, objective, service, amount in rows:
        SpendBooking.objects.create(
            booking_id=booking_id, quarter=quarter, objective=objective, service_type=service,
            contractor=contractor, amount_eur=Decimal(amount),
        )  # fmt: skip


def _cells(text: str, objective: str, year: int) -> dict[str, str]:
    row = re.search(
        rf'<tr class="utrecht-table__row" data-doel="{objective}" data-jaar="{year}">(.*?)</tr>',
        text, re.S,
    ).group(1)  # fmt: skip
    return {
        name: re.sub(r"<[^>]+>", "", value).strip()
        for name, value in re.findall(r'data-kolom="([a-z-]+)">(.*?)</td>', row, re.S)
    }


def test_budget_rows_are_budget_figures(bookings):
    rows = {(r.figure.objective, r.figure.year): r.figure for r in budget_rows()}
    assert len(rows) == 3 * 4  # objectives III–V, budget years 2024–2027
    iv_2025 = rows[("IV", 2025)]
    assert (iv_2025.budget_keur, iv_2025.realised_keur, iv_2025.quarters_realised,
            iv_2025.forecast_keur, iv_2025.deviation_keur) == (
        Decimal("91858.0"), Decimal("93000.0"), 4, Decimal("93000.0"), Decimal("1142.0"))  # fmt: skip
    iv_2026 = rows[("IV", 2026)]
    assert (iv_2026.realised_keur, iv_2026.quarters_realised, iv_2026.forecast_keur,
            iv_2026.deviation_keur) == (Decimal("42500.0"), 2, Decimal("85000.0"),
                                        Decimal("-3562.0"))  # fmt: skip
    assert rows[("V", 2024)].deviation_keur == 0
    assert rows[("III", 2027)].forecast_keur is None and rows[("III", 2027)].deviation_keur is None


def test_budget_page_shows_the_numbers(
    contract_manager_client, bookings, django_assert_max_num_queries
):
    # Session and user, the budget years, the budget lines and the bookings of all years, and
    # for the chart the chosen year's lines, bookings and the two lines of the deficit.
    with django_assert_max_num_queries(12):
        response = contract_manager_client.get(BUDGET_URL)
    text = response.content.decode()
    assert _cells(text, "IV", 2025) == {
        "begroting": "91.858,0", "realisatie": "93.000,0", "kwartalen": "4",
        "prognose": "93.000,0", "afwijking": "+1.142,0",
    }  # fmt: skip
    assert _cells(text, "IV", 2026) == {
        "begroting": "88.562,0", "realisatie": "42.500,0", "kwartalen": "2",
        "prognose": "85.000,0", "afwijking": "−3.562,0",
    }  # fmt: skip
    assert _cells(text, "III", 2027)["prognose"] == "nog geen boekingen"
    assert 'rpt-over" data-kolom="afwijking">+1.142,0' in text
    assert 'href="/uitgaven/"' in text  # where contract managers import the bookings


def test_council_reads_the_table_but_is_not_sent_to_the_bookings(council_client, bookings):
    response = council_client.get(BUDGET_URL)
    assert response.status_code == 200
    text = response.content.decode()
    assert _cells(text, "IV", 2025)["realisatie"] == "93.000,0"
    assert "Uitgavenboekingen importeren" not in text
    assert 'href="/uitgaven/"' not in text
    assert council_client.get("/uitgaven/").status_code == 403


def test_the_hand_entry_form_is_gone(contract_manager_client):
    assert contract_manager_client.get(BUDGET_URL + "realisatie/").status_code == 404


def test_csv_and_xlsx_downloads_match_the_table(council_client, bookings):
    response = council_client.get("/rapportage/begroting/begroting.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["year", "objective", "budget_keur", "realised_keur", "quarters_realised",
                       "forecast_keur", "deviation_keur"]  # fmt: skip
    by_key = {(r[0], r[1]): r for r in rows[1:]}
    assert by_key[("2025", "IV")] == ["2025", "IV", "91858,0", "93000,0", "4", "93000,0",
                                      "1142,0"]  # fmt: skip
    assert by_key[("2026", "IV")] == ["2026", "IV", "88562,0", "42500,0", "2", "85000,0",
                                      "-3562,0"]  # fmt: skip
    assert by_key[("2027", "III")][4:] == ["0", "", ""]
    assert len(rows) == 1 + 3 * 4

    response = council_client.get("/rapportage/begroting/begroting.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    by_key = {(r[0], r[1]): r for r in values[1:]}
    assert by_key[(2025, "IV")] == (2025, "IV", 91858, 93000, 4, 93000, 1142)


def test_chart_is_cumulative_against_the_budget_with_the_unchanged_policy_reference(
    contract_manager_client, bookings
):
    response = contract_manager_client.get(BUDGET_URL, {"jaar": "2025"})
    assert response.status_code == 200
    chart = response.context["chart"]
    # Budget 2025 III+IV+V = 33,189 + 91,858 + 117,862 = 242,909 k€, a quarter per quarter;
    # unchanged policy 33,739 + 95,228 + 118,542 = 247,509: a deficit of 4,600.
    assert [[row["label"], *[c["text"] for c in row["cells"]]] for row in chart["table"]["rows"]] == [
        ["2025Q1", "23.250,0", "60.727,3", "61.877,3"],
        ["2025Q2", "46.500,0", "121.454,5", "123.754,5"],
        ["2025Q3", "69.750,0", "182.181,8", "185.631,8"],
        ["2025Q4", "93.000,0", "242.909,0", "247.509,0"],
    ]  # fmt: skip
    assert chart["deficit"] == Decimal("4600.0")
    text = response.content.decode()
    assert "een tekort van € 4.600,0 k in 2025" in text
    # Calculated from the lines (2024: 2,286.0 k€), not the policy note's rounded € 2,0 mln.
    assert "Berekend uit de begrotingsregels" in text and "Uit de beleidsnota" not in text
    assert 'id="dashboard-grafieken"' in text and 'data-chart-id="begroting-2025"' in text
    assert "Tabel bij deze grafiek" in text


def test_chart_leaves_unbooked_quarters_empty(contract_manager_client, bookings):
    chart = contract_manager_client.get(BUDGET_URL, {"jaar": "2026"}).context["chart"]
    # 2026: IV booked in Q1 and Q2 (21,000 and 21,600 − 100); Q3 and Q4 not yet.
    assert chart["datasets"][0]["data"] == [21000.0, 42500.0, None, None]
    assert "Na 2 van 4 kwartalen is € 42.500,0 k uitgegeven" in chart["summary"]


@pytest.mark.parametrize("value", ["2023", "twee", "2025Q1"])
def test_a_bad_year_is_named_in_dutch(contract_manager_client, bookings, value):
    response = contract_manager_client.get(BUDGET_URL, {"jaar": value})
    assert response.status_code == 400
    assert f"'{value}' is geen begrotingsjaar; kies uit 2024, 2025, 2026, 2027." in (
        html.unescape(response.content.decode()))  # fmt: skip
