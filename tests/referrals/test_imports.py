import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from openpyxl import Workbook

from providers.models import Provider
from wmo.referrals.imports import CaseImporter, ReferralImporter
from wmo.referrals.models import BuurtteamCase, Client, Referral, ReferralEvent
from wmo.referrals.pseudonyms import client_key

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
    assert (event.from_state, event.to_state, event.source) == ("registered", "started", "import")
    assert event.changes == {"start_date": "2025-06-02"}
    assert referral.events.count() == 2  # the import that created it, and this change


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
    # A BSN that fails the eleven-test is usually a typo of a real one: never echoed whole.
    assert "Regel 3, kolom 'bsn' (waarde '*****2334'): " in result.report
    assert "111222334" not in result.report
    assert [p.value for p in result.problems if p.column == "bsn"] == ["*****2334"]


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
C7,111222333,WK034401,BT01,2026-03-01,2026-03-10,2026-03-09,group
"""
    result = CaseImporter().run(bad.encode())
    assert {(p.line, p.column) for p in result.problems} == {
        (2, "team"), (3, "first_contact_date"), (4, "closed_date"), (5, "support_form"),
        (6, "bsn"), (7, "registration_date"), (8, "closed_date")}  # fmt: skip
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
    assert event.changes == {
        "district": "WK034403", "service_type": "dagbegeleiding", "provider": "13063077",
        "contractor": "83058805", "referral_date": "2026-03-02", "start_date": "2026-03-16",
        "group_based": True,
    }  # fmt: skip
    assert event.at is not None
    assert ReferralEvent.objects.count() == 150
    again = ReferralImporter().run("\n".join(lines).encode())
    assert (again.created, again.updated, again.unchanged) == (0, 0, 150)


CORRECTED = REFERRALS_CSV.replace(
    "R00003,373197688,WK034409,individuele_begeleiding,87137463,,2026-04-01,2026-06-30,2026-07-01,31,,nee",
    "R00003,624207055,WK034410,thuisbegeleiding,28073946,63003158,2026-03-30,2026-06-30,2026-07-01,31,,ja",
)


def test_every_correction_is_an_event_in_the_services_format(providers, user_for):
    """A later file that corrects the client, wijk, voorziening, provider, contractor, referral
    date and group flag of one referral: one event naming each new value (codes, not ids), by
    the importing user; the five unchanged referrals get none."""
    ReferralImporter().run(REFERRALS_CSV.encode())
    before = ReferralEvent.objects.count()
    manager = user_for("contract_manager")
    result = ReferralImporter(user=manager).run(CORRECTED.encode())
    assert (result.created, result.updated, result.unchanged) == (0, 1, 5), result.report
    assert ReferralEvent.objects.count() == before + 1
    referral = Referral.objects.get(external_id="R00003")
    event = referral.events.order_by("id").last()
    client = Client.objects.get(pk=referral.client_id)
    assert event.changes == {
        "district": "WK034410", "service_type": "thuisbegeleiding", "provider": "28073946",
        "contractor": "63003158", "client": client.short_key, "referral_date": "2026-03-30",
        "group_based": True,
    }  # fmt: skip
    assert (event.from_state, event.to_state) == ("ended", "ended")
    assert (event.user, event.source) == (manager, "import")
    # The same client as R00007's: the corrected BSN found the existing client, no new one.
    assert referral.client_id == Referral.objects.get(external_id="R00007").client_id
    assert ReferralImporter().run(CORRECTED.encode()).unchanged == 6
    assert ReferralEvent.objects.count() == before + 1


def test_correcting_many_rows_writes_one_event_each(providers):
    """Above 100 changed rows the update goes through a COPY-filled table on PostgreSQL: the
    stored values and the events must be those of the row-by-row path."""
    from wmo.referrals.demo import demo_bsn

    def lines(day, flag):
        return "\n".join([HEADER] + [
            f"M{i:04d},{demo_bsn(i)},WK034403,dagbegeleiding,13063077,,{day},,,,,{flag}"
            for i in range(120)
        ])  # fmt: skip

    assert ReferralImporter().run(lines("2026-03-02", "nee").encode()).created == 120
    result = ReferralImporter().run(lines("2026-03-04", "ja").encode())
    assert (result.created, result.updated, result.unchanged) == (0, 120, 0)
    assert Referral.objects.filter(referral_date="2026-03-04", group_based=True).count() == 120
    changes = list(ReferralEvent.objects.filter(referral__external_id__startswith="M")
                   .order_by("id").values_list("changes", flat=True))  # fmt: skip
    assert len(changes) == 240
    assert changes[120:] == [{"referral_date": "2026-03-04", "group_based": True}] * 120


def test_a_file_cannot_move_the_referral_date_past_the_stored_assignment(providers, user_for):
    from wmo.referrals.services import assign

    ReferralImporter().run(REFERRALS_CSV.encode())
    referral = Referral.objects.get(external_id="R00007")
    assign(referral, user=user_for("contract_manager"), date=datetime.date(2025, 5, 10))
    too_late = REFERRALS_CSV.replace("28073946,,2025-05-03,,,,,nee", "28073946,,2025-05-12,,,,,nee")
    result = ReferralImporter().run(too_late.encode())
    assert not result.ok
    assert [(p.line, p.column, p.value) for p in result.problems] == [
        (7, "referral_date", "2025-05-12")
    ]
    assert "De toewijzingsdatum 10-05-2025 is al vastgelegd" in result.problems[0].message
    assert Referral.objects.get(external_id="R00007").referral_date == datetime.date(2025, 5, 3)
    # On the assignment date itself is allowed; the event goes from and to 'assigned'.
    same_day = REFERRALS_CSV.replace("28073946,,2025-05-03,,,,,nee", "28073946,,2025-05-10,,,,,nee")
    result = ReferralImporter().run(same_day.encode())
    assert (result.created, result.updated, result.unchanged) == (0, 1, 5), result.report
    event = Referral.objects.get(external_id="R00007").events.order_by("id").last()
    assert (event.from_state, event.to_state, event.changes) == (
        "assigned", "assigned", {"referral_date": "2025-05-10"})  # fmt: skip


def test_stored_assignment_problems_are_reported_with_the_other_problems(providers):
    ReferralImporter().run(REFERRALS_CSV.encode())
    Referral.objects.filter(external_id="R00007").update(assignment_date="2025-05-04")
    both = REFERRALS_CSV.replace("28073946,,2025-05-03,,,,,nee", "28073946,,2025-05-05,,,,,nee")
    both = both.replace("R00000,418820028,WK034408", "R00000,418820028,WK099999")
    result = ReferralImporter().run(both.encode())
    assert [(p.line, p.column) for p in result.problems] == [(2, "district"), (7, "referral_date")]


def test_xlsx_with_number_and_date_cells(providers):
    """Excel stores a BSN or AGB code typed as a number without its leading zero, and a date as
    a date cell or a day number: they import as the same text a CSV file holds."""
    Provider.objects.create(agb_code="01234567", name="Nulaanbieder", kind="care_provider")
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.split(","))
    sheet.append(["X1", 12345672, "WK034401", "dagbegeleiding", 1234567, None,
                  datetime.datetime(2026, 3, 2), 46097, None, None, None, 1])  # fmt: skip
    sheet.append(["X2", "012345672", "WK034401", "dagbegeleiding", "01234567", "01234567",
                  datetime.date(2026, 3, 2), "2026-03-16", None, None, None, "true"])  # fmt: skip
    buffer = io.BytesIO()
    book.save(buffer)
    result = ReferralImporter().run(buffer.getvalue(), "verwijzingen.xlsx")
    assert result.ok, result.report
    rows = list(Referral.objects.order_by("external_id").values_list(
        "client_id", "provider__agb_code", "contractor__agb_code", "referral_date", "start_date",
        "group_based"))  # fmt: skip
    assert rows[0] == rows[1]
    assert rows[0][1:] == ("01234567", "01234567", datetime.date(2026, 3, 2),
                           datetime.date(2026, 3, 16), True)  # fmt: skip
    assert Client.objects.get(pk=rows[0][0]).key == client_key("012345672")


def test_command_and_upload_page_mask_an_invalid_bsn(providers, tmp_path, capsys,
                                                     contract_manager_client,
                                                     django_capture_on_commit_callbacks):  # fmt: skip
    bad = tmp_path / "bad.csv"
    bad.write_text(BAD_ROWS)
    with pytest.raises(CommandError):
        call_command("import_referrals", str(bad))
    err = capsys.readouterr().err
    assert "Regel 3, kolom 'bsn' (waarde '*****2334'): " in err and "111222334" not in err
    upload = SimpleUploadedFile("verwijzingen.csv", BAD_ROWS.encode(), "text/csv")
    # The upload becomes a job (run in-process here); its page shows the report.
    with django_capture_on_commit_callbacks(execute=True):
        response = contract_manager_client.post("/verwijzingen/importeren/", {"file": upload})
    job_page = response["Location"]
    html = contract_manager_client.get(job_page).content.decode()
    assert "*****2334" in html and "111222334" not in html
    assert Referral.objects.count() == 0
    csv_text = contract_manager_client.get(job_page + "problemen.csv")
    assert "*****2334" in csv_text.content.decode() and b"111222334" not in csv_text.content


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL keeps the care history")
def test_an_import_leaves_the_care_history_of_its_clients_right(providers):
    from tests.indicators.test_repeating_clients import expected, stored

    assert ReferralImporter().run(REFERRALS_CSV.encode()).ok
    # A second file with a new, earlier referral of a client the first file had twice.
    earlier = "R00008,251377908,WK034405,ambulante_begeleiding,75039087,63003158,2025-08-20,2025-09-01,,,,nee\n"
    assert ReferralImporter().run((HEADER + "\n" + earlier).encode()).ok
    history = stored()
    assert history == expected()
    # Client 251377908's R00004 (ambulante begeleiding with 75039087, started 2025-09-16) now
    # follows R00008, started 2025-09-01 with the same provider and still open.
    r4 = Referral.objects.get(external_id="R00004").pk
    assert history[(r4, "system")] == history[(r4, "provider")] == datetime.date(9999, 12, 31)
