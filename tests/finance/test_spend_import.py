"""spend.csv through wmo/imports/: BUDGET.md's rules, all or nothing, idempotent, CSV and XLSX."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from openpyxl import Workbook

from providers.models import Provider, ProviderKind
from wmo.finance.imports import AMOUNT_MESSAGE, SpendImporter, parse_amount
from wmo.finance.models import (
    BUURTTEAM_WITH_CONTRACTOR,
    BUURTTEAM_WITH_SERVICE,
    CONTRACTOR_REQUIRED,
    SERVICE_REQUIRED,
    SpendBooking,
    service_objective_mismatch,
)
from wmo.periods import Quarter

pytestmark = pytest.mark.django_db

HEADER = "booking_id,quarter,objective,service_type,contractor_agb,amount_eur"
SPEND_CSV = f"""{HEADER}
B1,2026Q1,III,,,125000.50
B2,2026Q1,IV,dagbegeleiding,63003158,"2500,25"
B3,2026q2,V,beschermd_wonen_bovenregionaal,63003158,-1000
"""


@pytest.fixture
def contractor(db):
    return Provider.objects.create(
        agb_code="63003158", name="Zorg BV", kind=ProviderKind.CARE_PROVIDER
    )


def snapshot():
    return sorted(SpendBooking.objects.values_list(
        "booking_id", "quarter", "objective", "service_type__code", "contractor__agb_code",
        "amount_eur"))  # fmt: skip


def run(text, **kwargs):
    return SpendImporter().run(text.encode(), "spend.csv", **kwargs)


def problems(result):
    return {(p.line, p.column, p.message) for p in result.problems}


def test_import_stores_bookings_and_is_idempotent(contractor):
    result = run(SPEND_CSV)
    assert result.ok and (result.created, result.updated, result.unchanged) == (3, 0, 0)
    assert [(b, str(q), o, s, c, a) for b, q, o, s, c, a in snapshot()] == [
        ("B1", "2026Q1", "III", None, None, Decimal("125000.50")),
        ("B2", "2026Q1", "IV", "dagbegeleiding", "63003158", Decimal("2500.25")),
        ("B3", "2026Q2", "V", "beschermd_wonen_bovenregionaal", "63003158", Decimal("-1000.00")),
    ]
    again = run(SPEND_CSV)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    changed = run(SPEND_CSV.replace("-1000", "-999.99"))
    assert (changed.created, changed.updated, changed.unchanged) == (0, 1, 2)
    assert SpendBooking.objects.get(booking_id="B3").amount_eur == Decimal("-999.99")


def test_the_quarters_a_booking_counts_in_are_recomputed(contractor):
    """The budget page reads the bookings; the spend indicators must follow them (a booking
    imported without a recompute left the dashboard's spend per voorziening behind)."""
    assert run(SPEND_CSV).touched == [Quarter(2026, 1), Quarter(2026, 2)]
    assert run(SPEND_CSV).touched == []  # nothing changed
    moved = run(SPEND_CSV.replace("B3,2026q2", "B3,2026q1"))
    assert moved.touched == [Quarter(2026, 1), Quarter(2026, 2)]  # where it was, and is


def test_rules_of_budget_md_all_or_nothing(contractor):
    text = f"""{HEADER}
C1,2026Q1,III,dagbegeleiding,63003158,10
C2,2026Q1,IV,,,10
C3,2026Q1,IV,beschermd_verblijf,63003158,10
C4,2026H1,V,beschermd_verblijf,63003158,10
C5,2026Q1,VI,,,10
C6,2026Q1,IV,dagbegeleiding,63003158,1.250.00
C7,2026Q1,IV,dagbegeleiding,63003158,12.345
C8,2026Q1,IV,onbekend,99999999,10
C9,2026Q1,IV,dagbegeleiding,63003158,10
"""
    result = run(text)
    found = problems(result)
    assert (2, "service_type", BUURTTEAM_WITH_SERVICE) in found
    assert (2, "contractor_agb", BUURTTEAM_WITH_CONTRACTOR) in found
    assert (3, "service_type", SERVICE_REQUIRED) in found
    assert (3, "contractor_agb", CONTRACTOR_REQUIRED) in found
    assert (4, "service_type", service_objective_mismatch("beschermd_verblijf", "V", "IV")) in found
    assert any(line == 5 and column == "quarter" and "geen kwartaal" in message
               for line, column, message in found)  # fmt: skip
    assert any(line == 6 and column == "objective" for line, column, _ in found)
    assert (7, "amount_eur", AMOUNT_MESSAGE) in found
    assert (8, "amount_eur", AMOUNT_MESSAGE) in found
    assert (9, "service_type", "Onbekende voorziening.") in found
    assert (9, "contractor_agb", "Onbekende AGB-code.") in found
    assert not any(line == 10 for line, _, _ in found)
    assert SpendBooking.objects.count() == 0  # one bad row: nothing stored


def test_a_quarter_not_begun_or_before_2015_is_refused(contractor):
    """INTERCHANGE.md: no date in the future or before 2015. A 2027Q1 booking of € 25 million was
    stored and showed as the 2027 realisation on the budget page."""
    upcoming = Quarter.containing(timezone.localdate()).next()
    text = f"""{HEADER}
F1,{upcoming},IV,dagbegeleiding,63003158,25000000
F2,2014Q4,IV,dagbegeleiding,63003158,1000
F3,2015Q1,IV,dagbegeleiding,63003158,1000
F4,{Quarter.containing(timezone.localdate())},IV,dagbegeleiding,63003158,1000
"""
    result = run(text)
    assert problems(result) == {
        (2, "quarter", f"Kwartaal {upcoming} is nog niet begonnen; een boeking ligt niet in de "
                       "toekomst."),
        (3, "quarter", "Kwartaal 2014Q4 ligt vóór 2015; de Wmo 2015 ging in op 1 januari 2015."),
    }  # fmt: skip
    assert SpendBooking.objects.count() == 0


@pytest.mark.parametrize(("text", "amount"), [("12", "12"), ("-12,5", "-12.5"), ("0.01", "0.01"),
                                              ("1250,50", "1250.50")])  # fmt: skip
def test_amounts(text, amount):
    assert parse_amount(text) == Decimal(amount)


@pytest.mark.parametrize("text", ["1.250,50", "1,250.50", "12.345", "€ 12", "1e3", "--1", ""])
def test_refused_amounts(text):
    with pytest.raises(ValueError):
        parse_amount(text)


def test_xlsx_semicolon_and_command(contractor, tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    for line in SPEND_CSV.strip().splitlines():
        sheet.append(line.replace('"2500,25"', "2500.25").split(","))
    sheet["F2"] = 125000.5  # a number cell
    path = tmp_path / "spend.xlsx"
    workbook.save(path)
    call_command("import_spend", str(path), stdout=io.StringIO())
    assert SpendBooking.objects.get(booking_id="B1").amount_eur == Decimal("125000.50")
    assert SpendBooking.objects.count() == 3
    semicolon = tmp_path / "spend.csv"
    semicolon.write_text(f"{HEADER.replace(',', ';')}\nB4;2026Q3;III;;;-5,5\n", encoding="utf-8")
    call_command("import_spend", str(semicolon), stdout=io.StringIO())
    assert SpendBooking.objects.get(booking_id="B4").amount_eur == Decimal("-5.50")
    bad = tmp_path / "bad.csv"
    bad.write_text(f"{HEADER}\nB5,2026Q3,IV,,,1\n", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_spend", str(bad), stdout=io.StringIO(), stderr=io.StringIO())
    assert not SpendBooking.objects.filter(booking_id="B5").exists()
