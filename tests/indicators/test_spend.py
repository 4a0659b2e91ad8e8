"""The budget page (issue 17 replaces issue 5's hand-typed realisation): per objective and year
BUDGET.md's figures over the spend bookings — budget, realised, quarters realised, forecast,
deviation — for contract managers and council members, and its downloads."""

import csv
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
    # Session and user, the budget years, the budget lines and the bookings of all years.
    with django_assert_max_num_queries(8):
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
