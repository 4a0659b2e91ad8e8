"""survey.csv and complaints.csv through wmo/imports/: all or nothing, idempotent, every format."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from openpyxl import Workbook

from wmo.imports.parsing import future_message
from wmo.quality.imports import (
    BUURTTEAM_WITH_PROVIDER,
    CARE_WITHOUT_PROVIDER,
    TEAM_WITHOUT_BUURTTEAM,
    ComplaintImporter,
    SurveyImporter,
)
from wmo.quality.models import (
    ANSWER_MESSAGE,
    RESOLVED_BEFORE_RECEIVED,
    Complaint,
    SurveyResponse,
)

from .conftest import COMPLAINTS_CSV, COMPLAINTS_NL_CSV, SURVEY_CSV, SURVEY_NL_CSV

pytestmark = pytest.mark.django_db

SURVEY_HEADER = SURVEY_CSV.splitlines()[0]
COMPLAINT_HEADER = COMPLAINTS_CSV.splitlines()[0]
FUTURE = (datetime.date.today() + datetime.timedelta(days=3)).isoformat()
# A date in the future breaks a limit of every file (the framework's date parser says so).
FUTURE_MESSAGE = future_message(timezone.localdate())


def survey_snapshot():
    return sorted(SurveyResponse.objects.values_list(
        "external_id", "date", "district__code", "service_type__code", "provider__agb_code",
        "q_solution", "q_self_reliance"))  # fmt: skip


def complaint_snapshot():
    return sorted(Complaint.objects.values_list(
        "external_id", "provider__agb_code", "service_type__code", "district__code",
        "received_date", "resolved_date"))  # fmt: skip


def problems(result):
    return {(p.line, p.column, p.value, p.message) for p in result.problems}


def xlsx_bytes(text: str, as_dates: bool = True) -> bytes:
    """The CSV text as a workbook; ISO date strings become real date cells."""
    workbook = Workbook()
    sheet = workbook.active
    for line in text.strip().splitlines():
        cells = []
        for cell in line.split(","):
            if as_dates and len(cell) == 10 and cell[4] == "-" and cell[7] == "-":
                cells.append(datetime.date.fromisoformat(cell))
            elif cell.isdigit() and len(cell) == 1:
                cells.append(int(cell))  # answers as numbers, as Excel stores them
            else:
                cells.append(cell or None)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- survey ---------------------------------------------------------------------------------


def test_sample_survey_imports_and_is_idempotent(sample_providers):
    result = SurveyImporter().run(SURVEY_CSV.encode())
    assert result.ok, result.report
    assert (result.rows, result.created, result.updated, result.unchanged) == (8, 8, 0, 0)
    first = survey_snapshot()
    assert first[0] == ("S00000", datetime.date(2025, 12, 19), "WK034406", "dagbegeleiding",
                        "70043578", 1, None)  # fmt: skip
    again = SurveyImporter().run(SURVEY_CSV.encode())
    assert (again.created, again.updated, again.unchanged) == (0, 0, 8)
    assert survey_snapshot() == first


def test_survey_semicolon_bom_and_dutch_dates_import_identically(sample_providers):
    SurveyImporter().run(SURVEY_CSV.encode())
    iso = survey_snapshot()
    SurveyResponse.objects.all().delete()
    result = SurveyImporter().run(SURVEY_NL_CSV.encode("utf-8"))
    assert result.ok, result.report
    assert result.created == 8
    assert survey_snapshot() == iso
    # and on top of the ISO import it changes nothing
    assert SurveyImporter().run(SURVEY_CSV.encode()).unchanged == 8


def test_survey_xlsx_imports_identically(sample_providers):
    SurveyImporter().run(SURVEY_CSV.encode())
    iso = survey_snapshot()
    SurveyResponse.objects.all().delete()
    result = SurveyImporter().run(xlsx_bytes(SURVEY_CSV), "ervaringen.xlsx")
    assert result.ok, result.report
    assert result.created == 8
    assert survey_snapshot() == iso


def test_a_later_survey_file_corrects_an_answer(sample_providers):
    SurveyImporter().run(SURVEY_CSV.encode())
    corrected = SURVEY_CSV.replace(
        "S00000,2025-12-19,WK034406,dagbegeleiding,70043578,1,",
        "S00000,2025-12-19,WK034406,dagbegeleiding,70043578,2,4",
    )
    result = SurveyImporter().run(corrected.encode())
    assert (result.created, result.updated, result.unchanged) == (0, 1, 7)
    response = SurveyResponse.objects.get(external_id="S00000")
    assert (response.q_solution, response.q_self_reliance) == (2, 4)


def test_bad_survey_file_writes_nothing_and_reports_every_line(sample_providers):
    bad = f"""{SURVEY_HEADER}
S1,2025-01-02,WK034401,dagbegeleiding,63003158,4,5
S2,2025-01-02,WK999999,dagbegeleiding,63003158,4,5
S3,2025-01-02,WK034401,onbekend,63003158,4,5
S4,2025-01-02,WK034401,dagbegeleiding,12345678,4,5
S5,2025-01-02,WK034401,dagbegeleiding,63003158,6,0
S6,2025-01-02,WK034401,dagbegeleiding,63003158,veel,
S7,{FUTURE},WK034401,dagbegeleiding,63003158,3,3
S8,2025-02-30,WK034401,dagbegeleiding,63003158,3,3
S9,,WK034401,dagbegeleiding,63003158,3,3
,2025-01-02,WK034401,dagbegeleiding,63003158,3,3
S1,2025-01-03,WK034401,dagbegeleiding,63003158,3,3
S12,2025-01-02,WK999999,dagbegeleiding,63003158,7,
"""
    result = SurveyImporter().run(bad.encode())
    assert not result.ok
    assert SurveyResponse.objects.count() == 0
    assert problems(result) == {
        (3, "district", "WK999999", "Onbekende wijkcode."),
        (4, "service_type", "onbekend", "Onbekende voorziening."),
        (5, "provider_agb", "12345678", "Onbekende AGB-code."),
        (6, "q_solution", "6", ANSWER_MESSAGE),
        (6, "q_self_reliance", "0", ANSWER_MESSAGE),
        (7, "q_solution", "veel", "Geen geheel getal."),
        (8, "date", FUTURE, FUTURE_MESSAGE),
        (9, "date", "2025-02-30", "Deze datum bestaat niet."),
        (10, "date", "", "Dit veld is verplicht."),
        (11, "response_id", "", "Dit veld is verplicht."),
        (
            12,
            "response_id",
            "S1",
            "Deze waarde staat ook op regel 2; elke response_id mag maar "
            "één keer in het bestand voorkomen.",
        ),
        (13, "district", "WK999999", "Onbekende wijkcode."),
        (13, "q_solution", "7", ANSWER_MESSAGE),
    }
    assert result.summary.startswith("Import afgebroken: 13 problemen gevonden in 12 rijen.")
    assert "Regel 6, kolom 'q_solution' (waarde '6'): " + ANSWER_MESSAGE in result.report


def test_survey_header_must_name_the_required_columns(sample_providers):
    result = SurveyImporter().run(b"response_id,date,district\nS1,2025-01-01,WK034401\n")
    assert not result.ok
    assert "'service_type', 'provider_agb'" in result.problems[0].message
    # The answer columns are part of the header (INTERCHANGE.md), their cells may be empty: a
    # file without them would otherwise erase the stored answers.
    without = SurveyImporter().run(
        b"response_id,date,district,service_type,provider_agb\n"
        b"S1,2025-01-01,WK034401,dagbegeleiding,63003158\n"
    )
    assert without.problems[0].message.startswith(
        "De kopregel mist de kolommen 'q_solution', 'q_self_reliance'."
    )
    ok = SurveyImporter().run(
        b"response_id,date,district,service_type,provider_agb,q_solution,q_self_reliance\n"
        b"S1,2025-01-01,WK034401,dagbegeleiding,63003158,,\n"
    )
    assert ok.ok, ok.report
    assert SurveyResponse.objects.get().q_solution is None


def test_a_buurtteam_response_needs_no_provider_and_may_name_its_team(sample_providers):
    text = (
        "response_id,date,district,service_type,provider_agb,q_solution,q_self_reliance,team\n"
        "B1,2025-03-02,WK034403,buurtteam,,5,4,BT05\n"
        "B2,2025-03-03,WK034401,buurtteam,,2,,\n"
        "S1,2025-03-04,WK034401,dagbegeleiding,63003158,4,4,\n"
    )
    result = SurveyImporter().run(text.encode())
    assert result.ok, result.report
    assert result.created == 3
    b1, b2 = SurveyResponse.objects.filter(about_buurtteam=True).order_by("external_id")
    assert (b1.service_type, b1.provider, b1.team.code, b1.q_solution) == (None, None, "BT05", 5)
    assert (b2.team, b2.district.code) == (None, "WK034401")
    care = SurveyResponse.objects.get(external_id="S1")
    assert (care.about_buurtteam, care.team, care.provider.agb_code) == (False, None, "63003158")
    # Idempotent, also for the rows without provider and team.
    again = SurveyImporter().run(text.encode())
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    # The team column may be left out of the header altogether.
    without_team = SurveyImporter().run(
        f"{SURVEY_HEADER}\nB3,2025-03-05,WK034401,buurtteam,,3,3\n".encode()
    )
    assert without_team.ok, without_team.report
    assert SurveyResponse.objects.get(external_id="B3").about_buurtteam
    # ... and then a stored team stays, unless the row is now about a voorziening: that has none.
    answered = SurveyImporter().run(
        f"{SURVEY_HEADER}\nB1,2025-03-02,WK034403,buurtteam,,5,3\n".encode()
    )
    assert (answered.ok, answered.updated) == (True, 1), answered.report
    assert SurveyResponse.objects.get(external_id="B1").team.code == "BT05"
    corrected = SurveyImporter().run(
        f"{SURVEY_HEADER}\nB1,2025-03-02,WK034403,dagbegeleiding,63003158,5,3\n"
        "B3,2025-03-05,WK034401,buurtteam,,4,4\n".encode()
    )
    assert (corrected.ok, corrected.updated) == (True, 2), corrected.report
    b1 = SurveyResponse.objects.get(external_id="B1")
    assert (b1.about_buurtteam, b1.team, b1.provider.agb_code) == (False, None, "63003158")


def test_a_care_response_needs_a_provider_and_a_buurtteam_one_none(sample_providers):
    bad = (
        "response_id,date,district,service_type,provider_agb,q_solution,q_self_reliance,team\n"
        "S1,2025-03-04,WK034401,dagbegeleiding,,4,4,\n"
        "B1,2025-03-04,WK034401,buurtteam,63003158,4,4,\n"
        "B2,2025-03-04,WK034401,buurtteam,,4,4,BT99\n"
        "S2,2025-03-04,WK034401,dagbegeleiding,63003158,4,4,BT01\n"
    )
    result = SurveyImporter().run(bad.encode())
    assert not result.ok
    assert SurveyResponse.objects.count() == 0
    assert problems(result) == {
        (2, "provider_agb", "", CARE_WITHOUT_PROVIDER),
        (3, "provider_agb", "63003158", BUURTTEAM_WITH_PROVIDER),
        (4, "team", "BT99", "Onbekende buurtteamcode."),
        (5, "team", "BT01", TEAM_WITHOUT_BUURTTEAM),
    }
    assert ("Regel 2, kolom 'provider_agb': provider_agb is verplicht: alleen een respons over "
            "het buurtteam (service_type buurtteam) noemt geen aanbieder.") in result.report  # fmt: skip


# --- complaints -------------------------------------------------------------------------------


def test_sample_complaints_import_and_are_idempotent(sample_providers):
    result = ComplaintImporter().run(COMPLAINTS_CSV.encode())
    assert result.ok, result.report
    assert (result.created, result.updated, result.unchanged) == (5, 0, 0)
    first = complaint_snapshot()
    again = ComplaintImporter().run(COMPLAINTS_CSV.encode())
    assert (again.created, again.updated, again.unchanged) == (0, 0, 5)
    assert complaint_snapshot() == first


def test_complaints_semicolon_bom_dutch_dates_and_xlsx_import_identically(sample_providers):
    ComplaintImporter().run(COMPLAINTS_CSV.encode())
    iso = complaint_snapshot()
    for data, name in [(COMPLAINTS_NL_CSV.encode(), "klachten.csv"),
                       (xlsx_bytes(COMPLAINTS_CSV), "klachten.xlsx")]:  # fmt: skip
        Complaint.objects.all().delete()
        result = ComplaintImporter().run(data, name)
        assert result.ok, result.report
        assert complaint_snapshot() == iso, name


def test_a_later_complaints_file_fills_in_the_resolved_date(sample_providers):
    open_file = COMPLAINTS_CSV.replace("2025-12-10,2026-02-11", "2025-12-10,")
    ComplaintImporter().run(open_file.encode())
    assert Complaint.objects.get(external_id="K0000").resolved_date is None
    result = ComplaintImporter().run(COMPLAINTS_CSV.encode())
    assert (result.created, result.updated, result.unchanged) == (0, 1, 4)
    assert Complaint.objects.get(external_id="K0000").resolved_date == datetime.date(2026, 2, 11)


def test_bad_complaints_file_writes_nothing_and_reports_every_line(sample_providers):
    bad = f"""{COMPLAINT_HEADER}
K1,10116225,vervoersvoorziening,WK034401,2025-12-10,2025-12-01
K2,99999999,vervoersvoorziening,WK034401,2025-12-10,
K3,10116225,taxi,WK034499,2025-12-10,
K4,10116225,vervoersvoorziening,WK034401,{FUTURE},
K5,10116225,vervoersvoorziening,WK034401,2025-12-10,{FUTURE}
K6,10116225,vervoersvoorziening,WK034401,10/12/2025,morgen
K7,10116225,vervoersvoorziening,WK034401,2025-12-10,2025-12-10
"""
    result = ComplaintImporter().run(bad.encode())
    assert Complaint.objects.count() == 0
    assert problems(result) == {
        (2, "resolved_date", "2025-12-01", RESOLVED_BEFORE_RECEIVED),
        (3, "provider_agb", "99999999", "Onbekende AGB-code."),
        (4, "service_type", "taxi", "Onbekende voorziening."),
        (4, "district", "WK034499", "Onbekende wijkcode."),
        (5, "received_date", FUTURE, FUTURE_MESSAGE),
        (6, "resolved_date", FUTURE, FUTURE_MESSAGE),
        (7, "resolved_date", "morgen", "Ongeldige datum: gebruik JJJJ-MM-DD of DD-MM-JJJJ."),
    }


# --- the commands -----------------------------------------------------------------------------


@pytest.mark.parametrize(("command", "good", "bad_line"), [
    ("import_survey", SURVEY_CSV, "S99,2025-01-01,WK034401,dagbegeleiding,63003158,9,"),
    ("import_complaints", COMPLAINTS_CSV,
     "K99,63003158,dagbegeleiding,WK034401,2025-01-05,2025-01-01"),
])  # fmt: skip
def test_commands_report_in_dutch_and_fail_with_status_1(sample_providers, tmp_path, capsys,
                                                          command, good, bad_line):  # fmt: skip
    bad_file = tmp_path / "fout.csv"
    bad_file.write_text(good + bad_line + "\n", encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        call_command(command, str(bad_file))
    assert caught.value.returncode == 1
    assert "Er is niets opgeslagen" in str(caught.value)
    assert "Regel " in capsys.readouterr().err
    assert SurveyResponse.objects.count() == Complaint.objects.count() == 0

    good_file = tmp_path / "goed.csv"
    good_file.write_text(good, encoding="utf-8")
    call_command(command, str(good_file))
    assert "Import geslaagd" in capsys.readouterr().out
    call_command(command, str(good_file))
    assert "0 nieuw, 0 gewijzigd" in capsys.readouterr().out


def test_xlsx_number_cells_keep_agb_zeros_and_day_numbers_are_dates(sample_providers):
    """An AGB code with a leading zero typed into Excel as a number, and dates stored as day
    numbers (a date column formatted as 'Getal'), import as their text form."""
    from providers.models import Provider

    Provider.objects.create(agb_code="01234567", name="Nulaanbieder", kind="care_provider")
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(COMPLAINT_HEADER.split(","))
    sheet.append(["K9", 1234567, "dagbegeleiding", "WK034401", 46083, 46097.0])
    sheet.append(["K8", 1234567, "dagbegeleiding", "WK034401",
                  datetime.datetime(2026, 3, 2, 9, 30), None])  # fmt: skip
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = ComplaintImporter().run(buffer.getvalue(), "klachten.xlsx")
    assert result.ok, result.report
    assert complaint_snapshot() == [
        ("K8", "01234567", "dagbegeleiding", "WK034401", datetime.date(2026, 3, 2), None),
        ("K9", "01234567", "dagbegeleiding", "WK034401", datetime.date(2026, 3, 2),
         datetime.date(2026, 3, 16)),
    ]  # fmt: skip
