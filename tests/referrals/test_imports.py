import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from wmo.referrals.imports import CaseImporter, ReferralImporter
from wmo.referrals.models import BuurtteamCase, Client, Referral, ReferralEvent

from .conftest import CASES_CSV, HEADER, REFERRALS_CSV, REFERRALS_NL_CSV

FIELDS = ["external_id", "client__key", "district__code", "service_type__code",
          "provider__agb_code", "contractor__agb_code", "referral_date", "start_date",
          "end_date", "end_reason", "cancelled_date", "group_based"]  # fmt: skip


def snapshot():
    return list(Referral.objects.order_by("external_id").values_list(*FIELDS))


def test_import_referrals(providers):
    result = ReferralImporter().run(REFERRALS_CSV.encode())
    assert result.ok, result.report
    assert (result.created, result.updated, result.unchanged) == (6, 0, 0)
    r4 = Referral.objects.get(external_id="R00004")
    assert r4.contractor.agb_code == "63003158" and r4.state == "started"
    r3 = Referral.objects.get(external_id="R00003")
    assert r3.contractor == r3.provider and r3.end_reason == "31" and r3.state == "ended"
    assert Referral.objects.get(external_id="R00002").state == "cancelled"
    assert Referral.objects.get(external_id="R00000").group_based is True
    assert Client.objects.count() == 5  # 251377908 twice
    assert ReferralEvent.objects.filter(source="import").count() == 6
    assert not Client.objects.filter(key__contains="418820028").exists()


def test_reimport_changes_nothing(providers):
    ReferralImporter().run(REFERRALS_CSV.encode())
    before, events = snapshot(), ReferralEvent.objects.count()
    result = ReferralImporter().run(REFERRALS_CSV.encode())
    assert (result.created, result.updated, result.unchanged) == (0, 0, 6)
    assert snapshot() == before and ReferralEvent.objects.count() == events


def test_semicolon_dutch_dates_bom_import_identically(providers):
    assert ReferralImporter().run(REFERRALS_CSV.encode()).ok
    comma = snapshot()
    Referral.objects.all().delete()
    Client.objects.all().delete()
    result = ReferralImporter().run(REFERRALS_NL_CSV.encode("utf-8"))
    assert result.ok, result.report
    assert snapshot() == comma


def test_xlsx_imports_identically(providers):
    ReferralImporter().run(REFERRALS_CSV.encode())
    comma = snapshot()
    Referral.objects.all().delete()
    book = Workbook()
    for line in REFERRALS_CSV.strip().splitlines():
        book.active.append(line.split(","))
    buffer = io.BytesIO()
    book.save(buffer)
    assert ReferralImporter().run(buffer.getvalue(), "verwijzingen.xlsx").ok
    assert snapshot() == comma


def test_later_file_fills_dates_and_records_event(providers):
    ReferralImporter().run(REFERRALS_CSV.encode())
    later = REFERRALS_CSV.replace(
        "R00007,624207055,WK034401,individuele_begeleiding,28073946,,2025-05-03,,,,,nee",
        "R00007,624207055,WK034401,individuele_begeleiding,28073946,,2025-05-03,2025-06-02,,,,nee",
    )
    result = ReferralImporter().run(later.encode())
    assert (result.created, result.updated, result.unchanged) == (0, 1, 5)
    referral = Referral.objects.get(external_id="R00007")
    assert referral.state == "started"
    event = referral.events.last()
    assert (event.from_state, event.to_state) == ("registered", "started")
    assert event.changes == {"start_date": "2025-06-02"}


BAD_ROWS = (
    HEADER
    + """
R1,111222333,WK034401,dagbegeleiding,13063077,,2026-03-01,,,,,nee
R2,111222334,WK034401,dagbegeleiding,13063077,,2026-03-01,,,,,nee
R3,111222333,WK099999,dagbegeleiding,13063077,,2026-03-01,,,,,nee
R4,111222333,WK034401,onbekend,13063077,,2026-03-01,,,,,nee
R5,111222333,WK034401,dagbegeleiding,99999999,,2026-03-01,,,,,nee
R6,111222333,WK034401,dagbegeleiding,13063077,99999999,2026-03-01,,,,,nee
R7,111222333,WK034401,dagbegeleiding,13063077,,,,,,,nee
R8,111222333,WK034401,dagbegeleiding,13063077,,2099-03-01,,,,,nee
R9,111222333,WK034401,dagbegeleiding,13063077,,2026-03-01,2026-02-01,,,,nee
R10,111222333,WK034401,dagbegeleiding,13063077,,2026-03-01,,2026-03-05,19,,nee
R11,111222333,WK034401,dagbegeleiding,13063077,,2026-03-01,2026-03-05,2026-03-04,19,,nee
R12,111222333,WK034401,dagbegeleiding,13063077,,2026-03-01,,,,2026-02-01,nee
R13,111222333,WK034401,dagbegeleiding,13063077,,2026-03-01,2026-03-02,,,2026-03-05,nee
R14,111222333,WK034401,dagbegeleiding,13063077,,2026-03-01,2026-03-02,2026-03-03,99,,nee
R15,111222333,WK034401,dagbegeleiding,13063077,,31-02-2026,,,,,nee
R16,111222333,WK034401,dagbegeleiding,13063077,,2026-03-01,,,,,misschien
R1,111222333,WK034401,dagbegeleiding,13063077,,2026-03-01,,,,,nee
"""
)
EXPECTED = [(3, "bsn"), (4, "district"), (5, "service_type"), (6, "provider_agb"),
            (7, "contractor_agb"), (8, "referral_date"), (9, "referral_date"), (10, "start_date"),
            (11, "end_date"), (12, "end_date"), (13, "cancelled_date"), (14, "cancelled_date"),
            (15, "end_reason"), (16, "referral_date"), (17, "group_based"),
            (18, "referral_id")]  # fmt: skip


def test_bad_file_writes_nothing_and_reports_every_line(providers):
    result = ReferralImporter().run(BAD_ROWS.encode())
    assert not result.ok
    assert Referral.objects.count() == 0 and Client.objects.count() == 0
    found = {(p.line, p.column) for p in result.problems}
    assert set(EXPECTED) <= found, result.report
    assert {p.line for p in result.problems} == {line for line, _ in EXPECTED}
    assert "Regel 3, kolom 'bsn' (waarde '111222334')" in result.report


def test_missing_column_is_reported(providers):
    result = ReferralImporter().run(b"referral_id,bsn\nR1,111222333\n")
    assert not result.ok and "district" in result.report


def test_command_exit_status(providers, tmp_path):
    good = tmp_path / "good.csv"
    good.write_text(REFERRALS_CSV)
    call_command("import_referrals", str(good))
    assert Referral.objects.count() == 6
    bad = tmp_path / "bad.csv"
    bad.write_text(BAD_ROWS)
    with pytest.raises(CommandError) as excinfo:
        call_command("import_referrals", str(bad))
    assert excinfo.value.returncode == 1


def test_import_cases_and_reimport(db, tmp_path):
    result = CaseImporter().run(CASES_CSV.encode())
    assert result.ok, result.report
    assert BuurtteamCase.objects.count() == 4
    case = BuurtteamCase.objects.get(external_id="C00005")
    assert case.buurtteam.code == "BT08" and case.closed_date.isoformat() == "2026-04-13"
    again = CaseImporter().run(CASES_CSV.replace(",", ";").encode())
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)
    path = tmp_path / "cases.csv"
    path.write_text(CASES_CSV)
    call_command("import_cases", str(path))


def test_bad_cases_file(db):
    bad = """case_id,bsn,district,team,registration_date,first_contact_date,closed_date,support_form
C1,111222333,WK034401,BT99,2026-03-01,,,group
C2,111222333,WK034401,BT01,2026-03-01,2026-02-01,,group
C3,111222333,WK034401,BT01,2026-03-01,,2026-02-01,group
C4,111222333,WK034401,BT01,2026-03-01,,,alleen
C5,123,WK034401,BT01,2026-03-01,,,group
C6,111222333,WK034401,BT01,2099-03-01,,,group
"""
    result = CaseImporter().run(bad.encode())
    assert {(p.line, p.column) for p in result.problems} == {
        (2, "team"), (3, "first_contact_date"), (4, "closed_date"), (5, "support_form"),
        (6, "bsn"), (7, "registration_date")}  # fmt: skip
    assert BuurtteamCase.objects.count() == 0


def test_large_file_is_copied_in_with_every_field_and_event(providers):
    """From 100 new rows on, PostgreSQL gets them by COPY: the rows and their events must be
    exactly what the row-by-row path writes."""
    from wmo.referrals.demo import demo_bsn

    lines = [HEADER] + [
        f"L{i:05d},{demo_bsn(i)},WK034403,dagbegeleiding,13063077,83058805,2026-03-02,"
        f"{'2026-03-16' if i % 2 else ''},,,,{'ja' if i % 3 == 0 else 'nee'}"
        for i in range(150)
    ]
    result = ReferralImporter().run("\n".join(lines).encode())
    assert result.ok, result.report
    assert (result.created, result.updated, result.unchanged) == (150, 0, 0)
    referral = Referral.objects.get(external_id="L00003")
    assert referral.provider.agb_code == "13063077" and referral.contractor.agb_code == "83058805"
    assert str(referral.start_date) == "2026-03-16" and referral.group_based
    assert referral.idempotency_key is None and referral.end_reason == ""
    assert Referral.objects.filter(start_date__isnull=False).count() == 75
    event = ReferralEvent.objects.get(referral=referral)
    assert (event.source, event.from_state, event.to_state) == ("import", "", "started")
    assert event.changes == {"referral_date": "2026-03-02", "start_date": "2026-03-16"}
    assert event.at is not None
    assert ReferralEvent.objects.count() == 150
    again = ReferralImporter().run("\n".join(lines).encode())
    assert (again.created, again.updated, again.unchanged) == (0, 0, 150)
