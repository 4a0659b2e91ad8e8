"""BUDGET.md's figures per objective and year over real bookings, computed by hand."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from indicators.budget import budget_figures, unchanged_policy_deficit
from providers.models import Provider, ProviderKind
from wmo.catalogue.models import ServiceType
from wmo.finance.models import SpendBooking

pytestmark = pytest.mark.django_db


@pytest.fixture
def bookings(db):
    contractor = Provider.objects.create(agb_code="63003158", name="Zorg BV",
                                         kind=ProviderKind.CARE_PROVIDER)  # fmt: skip
    day = ServiceType.objects.get(code="dagbegeleiding")
    shelter = ServiceType.objects.get(code="beschermd_verblijf")
    rows = [
        # 2026: three quarters booked (Q3 by IV only: quarters_realised counts any objective).
        ("A1", "2026Q1", "IV", day, "20000000.00"),
        ("A2", "2026Q2", "IV", day, "21000000.55"),
        ("A3", "2026Q3", "IV", day, "22000000.00"),
        ("A4", "2026Q3", "IV", day, "-500000.10"),  # a credit note counts
        ("A5", "2026Q1", "III", None, "8000000.00"),
        ("A6", "2026Q1", "V", shelter, "30000000.04"),
        # 2024: Q4 only, V: 127,594 k€ budget, realised 50 € short — rounding half away from zero.
        ("B1", "2024Q4", "V", shelter, "127593950.00"),
        # 2025Q1 is not 2026: another year's booking never counts.
        ("C1", "2025Q1", "IV", day, "999.99"),
    ]
    for booking_id, quarter, objective, service, amount in rows:
        SpendBooking.objects.create(
            booking_id=booking_id, quarter=quarter, objective=objective, service_type=service,
            contractor=contractor if service else None, amount_eur=Decimal(amount),
        )  # fmt: skip


def as_rows(year):
    return {f.objective: f.row() for f in budget_figures(year)}


def test_a_year_with_three_quarters_and_a_credit_note(bookings):
    d = Decimal
    assert as_rows(2026) == {
        # 8,000 k€ / 3 × 4 = 10,666.67; − 33,337 = −22,670.33
        "III": [2026, "III", d("33337.0"), d("8000.0"), 3, d("10666.7"), d("-22670.3")],
        # 62,500.00045 k€ / 3 × 4 = 83,333.3339; − 88,562 = −5,228.666
        "IV": [2026, "IV", d("88562.0"), d("62500.0"), 3, d("83333.3"), d("-5228.7")],
        # 30,000.00004 / 3 × 4 = 40,000.00005; − 117,658 = −77,657.99995
        "V": [2026, "V", d("117658.0"), d("30000.0"), 3, d("40000.0"), d("-77658.0")],
    }
    iv = next(f for f in budget_figures(2026) if f.objective == "IV")
    assert iv.realised_per_quarter == (d("20000.0"), d("21000.0"), d("21500.0"), d("0.0"))


def test_half_away_from_zero_and_empty_forecast(bookings):
    v_2024 = as_rows(2024)["V"]
    # 127,593.95 → 127,594.0; deviation −0.05 → −0.1 (away from zero, not to even)
    assert v_2024 == [2024, "V", Decimal("127594.0"), Decimal("127594.0"), 4, Decimal("127594.0"),
                      Decimal("-0.1")]  # fmt: skip
    assert as_rows(2024)["III"][3:] == [Decimal("0.0"), 4, Decimal("0.0"), Decimal("-33181.0")]
    # No booking in 2027: 0 quarters, no forecast and no deviation.
    assert as_rows(2027)["IV"] == [2027, "IV", Decimal("89758.0"), Decimal("0.0"), 0, None, None]


def test_unchanged_policy_deficit():
    # (33,731 − 33,181) + (86,556 − 85,500) + (128,274 − 127,594) = 550 + 1,056 + 680
    assert unchanged_policy_deficit(2024) == Decimal("2286.0")
    assert unchanged_policy_deficit(2030) is None


def test_export_budget_csv_and_xlsx(bookings, tmp_path):
    out = io.StringIO()
    call_command("export_budget", "--year", "2026", "--format", "csv", stdout=out)
    assert out.getvalue().splitlines() == [
        "year,objective,budget_keur,realised_keur,quarters_realised,forecast_keur,deviation_keur",
        "2026,III,33337.0,8000.0,3,10666.7,-22670.3",
        "2026,IV,88562.0,62500.0,3,83333.3,-5228.7",
        "2026,V,117658.0,30000.0,3,40000.0,-77658.0",
    ]
    out = io.StringIO()
    call_command("export_budget", "--year", "2027", stdout=out)
    assert out.getvalue().splitlines()[2] == "2027,IV,89758.0,0.0,0,,"
    path = tmp_path / "b.xlsx"
    call_command("export_budget", "--year", "2026", "--format", "xlsx", "--output", str(path),
                 stderr=io.StringIO())  # fmt: skip
    sheet = load_workbook(path).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[2] == [2026, "IV", 88562, 62500, 3, 83333.3, -5228.7]
