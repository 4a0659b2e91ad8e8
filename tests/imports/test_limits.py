"""The limits of INTERCHANGE.md ("Limits for every file"), each tried with a small hostile file
on the command and on the upload page alike: a Dutch message naming the limit (or the real
cause), nothing written. An upload is refused in the request when a cheap check finds it (size,
what the file is, the zip directory, the header); everything else is found by the job."""

from dataclasses import dataclass, field

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.referrals.conftest import providers  # noqa: F401 - fixture
from wmo.imports import framework, limits, problems, reading
from wmo.imports.jobs import upload_dir
from wmo.imports.models import ImportJob
from wmo.imports.parsing import TOO_EARLY, future_message
from wmo.referrals.imports import ReferralImporter
from wmo.referrals.models import Client, Referral

from . import hostile
from .hostile import HEADER, ROW, ROW2, csv_bytes

pytestmark = pytest.mark.django_db


@dataclass
class Case:
    id: str
    data: bytes
    expected: list[tuple[int, str, str]]  # (line, column, part of the message); line 0 = file
    name: str = "verwijzingen.csv"
    in_request: bool = False  # an upload is refused by the request's cheap checks
    shown: list[str] = field(default_factory=list)  # values as the report shows them
    stops: bool = False  # the reading stops there: the summary names the refusal itself


LONG_ID = "R" * 5_001
FUTURE = "2999-01-01"
CASES = [
    Case("id-of-5001-characters", csv_bytes(ROW.replace("R1", LONG_ID, 1)),
         [(2, "referral_id", "Deze waarde is 5.001 tekens lang; een referral_id mag hoogstens "
                             "64 tekens bevatten.")],
         shown=["R" * 40 + "… (5.001 tekens)"]),
    Case("cell-of-1001-characters", csv_bytes(ROW.replace("WK034401", "W" * 1_001)),
         [(2, "district", "Deze waarde is 1.001 tekens lang; een cel mag hoogstens 1.000 tekens "
                          "bevatten.")]),
    Case("bsn-of-65-characters", csv_bytes(ROW.replace("111222333", "1" * 65)),
         [(2, "bsn", "een bsn mag hoogstens 64 tekens bevatten.")]),
    Case("nul-byte", csv_bytes(ROW.replace("WK034401", "WK03\x004401")),
         [(2, "district", "Deze waarde bevat het stuurteken U+0000 (NUL); stuurtekens zijn in "
                          "een cel niet toegestaan.")],
         shown=["WK03\\x004401"]),
    Case("escape-character", csv_bytes(ROW2, ROW.replace("dagbegeleiding", "dag\x1bbegeleiding")),
         [(3, "service_type", "stuurteken U+001B (ESC)")]),
    Case("line-break-in-a-quoted-cell", csv_bytes(ROW.replace("WK034401", '"WK03\n4401"')),
         [(3, "district", "stuurteken U+000A (regelovergang)")]),
    Case("referral-date-1850", csv_bytes(ROW.replace("2026-03-01", "1850-03-01")),
         [(2, "referral_date", TOO_EARLY)]),
    Case("referral-date-year-1", csv_bytes(ROW.replace("2026-03-01", "0001-01-01")),
         [(2, "referral_date", TOO_EARLY)]),
    Case("start-date-1850", csv_bytes(ROW.replace("2026-03-01,", "2026-03-01,01-01-1850", 1)),
         [(2, "start_date", TOO_EARLY)]),  # the limit, not "before the referral date"
    Case("cancelled-in-the-future", csv_bytes(ROW.replace(",,nee", f",{FUTURE},nee")),
         [(2, "cancelled_date", "Deze datum ligt in de toekomst; een datum in een bestand ligt "
                                "niet na vandaag")]),
    Case("empty-file", b"", [(0, "", "Het bestand is leeg")], in_request=True),
    Case("only-blank-lines", b"\n\n \n", [(0, "", "Het bestand bevat alleen lege regels.")],
         in_request=True),
    Case("header-only", csv_bytes(),
         [(0, "", "Het bestand bevat alleen een kopregel, geen gegevensrijen.")]),
    Case("blank-first-line", b"\n" + csv_bytes(ROW),
         [(1, "", "Regel 1 is leeg: de kopregel met de kolomnamen moet op de eerste regel "
                  "staan.")], in_request=True),
    Case("tab-delimited", csv_bytes(ROW.replace(",", "\t"), header=HEADER.replace(",", "\t")),
         [(1, "", "De kopregel bestaat uit één kolom ('referral_id\\x09bsn")],
         in_request=True),
    Case("pipe-delimited", csv_bytes(ROW.replace(",", "|"), header=HEADER.replace(",", "|")),
         [(1, "", "het bestand is gescheiden door een verticale streep (|)")], in_request=True),
    Case("rows-with-another-delimiter", csv_bytes(ROW.replace(",", ";"), ROW2.replace(",", ";"),
                                                  ROW.replace("R1", "R3"),
                                                  header=HEADER.replace(",", ";")),
         [(4, "", "Deze regel is gescheiden door een komma (,), de kopregel door een "
                  "puntkomma (;).")]),
    Case("unquoted-delimiter-in-a-value", csv_bytes(ROW2, ROW.replace("nee", "nee,extra")),
         [(3, "", "Deze regel heeft 13 kolommen, de kopregel 12. Staat er een komma (,) in een "
                  "waarde? Zet zo'n waarde tussen aanhalingstekens.")]),
    Case("two-files-pasted-together", csv_bytes(ROW, "\ufeff" + HEADER, ROW2),
         [(3, "", "Deze regel herhaalt de kopregel; zijn twee bestanden achter elkaar geplakt?")]),
    Case("duplicate-ids", csv_bytes(ROW, ROW2, ROW.replace("2026-03-01", "2026-03-05")),
         [(4, "referral_id", "Deze waarde staat ook op regel 2; elke referral_id mag maar één keer "
                             "in het bestand voorkomen.")]),
    Case("windows-1252", ("\n".join([HEADER, ROW2, ROW.replace("nee", "né")]) + "\n").encode("cp1252"),
         [(3, "", "Regel 3 is geen UTF-8-tekst: de byte 0xE9 ('é' in Windows-1252) past daar "
                  "niet.")], stops=True),
    Case("utf-16", ("\ufeff" + HEADER + "\n" + ROW + "\n").encode("utf-16-le"),
         [(0, "", "Het bestand is opgeslagen als UTF-16")], in_request=True),
    Case("pdf-named-csv", b"%PDF-1.7\n" + bytes(100), [(0, "", "Dit is een PDF-bestand")],
         in_request=True),
    # An image or other binary file named .csv (it read as "gescheiden door een tab").
    Case("binary-named-csv", bytes(range(256)) * 8, [(0, "", "Het bestand is geen tekstbestand")],
         in_request=True),
    Case("text-named-xlsx", csv_bytes(ROW), [(0, "", "heeft de extensie .xlsx, maar is geen "
                                                      "Excel-werkmap")],
         name="verwijzingen.xlsx", in_request=True),
    Case("zip-bomb", hostile.zip_bomb(),
         [(0, "", "pakt volgens de inhoudsopgave uit tot meer dan 100 keer zijn eigen grootte "
                  "(grens: 100 keer)")], name="verwijzingen.xlsx", in_request=True),
    Case("directory-claims-300-mb", hostile.claims_too_much(),
         [(0, "", "pakt volgens de inhoudsopgave uit tot meer dan 200 MB (grens: 200 MB "
                  "uitgepakt)")], name="verwijzingen.xlsx", in_request=True),
    Case("directory-lies", hostile.lies_about_its_size(),
         [(0, "", "Het Excel-bestand is misleidend: het onderdeel xl/media/image1.bin pakt "
                  "groter uit dan de inhoudsopgave zegt.")], name="verwijzingen.xlsx"),
    Case("row-100-million", hostile.row_far_away(),
         [(1_048_577, "", "Het werkblad loopt door tot voorbij rij 1.048.576")],
         name="verwijzingen.xlsx", stops=True),
    Case("xml-bomb", hostile.xml_bomb(),
         [(0, "", "Het Excel-bestand bevat een DTD of XML-entiteiten")],
         name="verwijzingen.xlsx", in_request=True),
]  # fmt: skip


def where(line: int, column: str) -> str:
    if not line:
        return "Bestand: "
    return f"Regel {line}, kolom '{column}'" if column else f"Regel {line}: "


def assert_nothing_written():
    assert Referral.objects.count() == 0 and Client.objects.count() == 0


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_the_command_refuses(case, providers, tmp_path, capsys):  # noqa: F811
    path = tmp_path / case.name
    path.write_bytes(case.data)
    with pytest.raises(CommandError) as raised:
        call_command("import_referrals", str(path))
    assert raised.value.returncode == 1
    summary = str(raised.value)
    if case.stops:
        assert summary.startswith(f"Import afgebroken: {case.expected[0][2]}"), summary
    else:
        assert summary.startswith(f"Import afgebroken: {len(case.expected)} probleem"), summary
    report = capsys.readouterr().err.splitlines()
    for line, column, message in case.expected:
        assert any(row.startswith(f"- {where(line, column)}") and message in row for row in report
                   ), report  # fmt: skip
    for value in case.shown:
        assert any(f"(waarde '{value}')" in row for row in report), report
    assert len(report) == len(case.expected), report  # one problem each, no wrong-cause echo
    assert_nothing_written()


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_the_upload_refuses(case, providers, contract_manager_client,  # noqa: F811
                            django_capture_on_commit_callbacks):  # fmt: skip
    stored = set(upload_dir().iterdir())
    upload = SimpleUploadedFile(case.name, case.data)
    with django_capture_on_commit_callbacks(execute=True):
        response = contract_manager_client.post("/verwijzingen/importeren/", {"file": upload})
    if case.in_request:
        assert response.status_code == 200
        html = response.content.decode()
        assert 'id="id_file-fout"' in html
        assert all(message.replace("'", "&#x27;") in html for _, _, message in case.expected), html
        assert not ImportJob.objects.exists()
    else:
        assert response.status_code == 302, response.content.decode()[:2000]
        job = ImportJob.objects.get()
        assert (job.status, job.accepted, job.problem_count) == ("done", False, len(case.expected))
        for (line, column, message), problem in zip(case.expected, job.problems, strict=True):
            assert (problem["line"], problem["column"]) == (line, column)
            assert message in problem["message"]
        assert [p["value"] for p in job.problems if p["value"] in case.shown] == case.shown
        html = contract_manager_client.get(response["Location"]).content.decode()
        assert "Import afgebroken" in html
        assert job.stored_name == ""  # the file was removed when the job ended
    assert set(upload_dir().iterdir()) == stored
    assert_nothing_written()


def test_a_file_over_50_mb_is_refused_by_the_command(providers, tmp_path, capsys):  # noqa: F811
    path = tmp_path / "groot.csv"
    with open(path, "wb") as file:  # sparse: no 50 MB written
        file.truncate(limits.MAX_FILE_BYTES + 1)
    with pytest.raises(CommandError):
        call_command("import_referrals", str(path))
    assert capsys.readouterr().err.strip() == (
        "- Bestand: Het bestand is groter dan 50 MB (52.428.801 bytes; grens: 50 MB per "
        "bestand). Splits het in kleinere bestanden."
    )
    assert_nothing_written()


def test_an_upload_over_50_mb_is_not_even_stored(providers, contract_manager_client):  # noqa: F811
    stored = set(upload_dir().iterdir())
    data = csv_bytes(ROW) + b"#" * (limits.MAX_FILE_BYTES + 1)
    response = contract_manager_client.post("/verwijzingen/importeren/",
                                            {"file": SimpleUploadedFile("groot.csv", data)})  # fmt: skip
    assert response.status_code == 200
    html = response.content.decode()
    assert ("Het bestand is groter dan 50 MB (grens: 50 MB per bestand). Splits het in kleinere "
            "bestanden.") in html  # fmt: skip
    label = html[html.index('for="id_file"') : html.index("</label>", html.index('for="id_file"'))]
    assert "Bestand" in label and "niet verplicht" not in label
    assert not ImportJob.objects.exists()
    assert set(upload_dir().iterdir()) == stored


def test_more_than_the_row_limit_is_refused(providers, monkeypatch, tmp_path):  # noqa: F811
    """The limit itself (1,000,000) and what happens past it, shown with a limit of 2."""
    assert limits.MAX_ROWS == 1_000_000
    monkeypatch.setattr(framework, "MAX_ROWS", 2)
    data = csv_bytes(ROW, "", ROW2, ROW.replace("R1", "R3"))
    result = ReferralImporter().run(data)
    assert [(p.line, p.message) for p in result.problems] == [
        (5, "Het bestand heeft meer dan 2 gegevensrijen (grens: 2 per bestand). Splits het in "
            "kleinere bestanden."),
    ]  # fmt: skip
    assert result.rows == 2
    assert ReferralImporter().run(csv_bytes(ROW, "", ROW2)).ok  # blank lines do not count
    assert Referral.objects.count() == 2


def test_the_row_limit_comes_first_however_many_other_problems(providers, monkeypatch):  # noqa: F811
    """A file of junk rows past the limit: the limit refusal heads the problems (the page and
    problemen.csv show the first ones) and the summary (the command's last line) names it."""
    monkeypatch.setattr(framework, "MAX_ROWS", 3)
    monkeypatch.setattr(problems, "MAX_KEPT_PROBLEMS", 4)
    result = ReferralImporter().run(csv_bytes(*["Zn,,,,,,,,,,,"] * 4))
    refusal = ("Het bestand heeft meer dan 3 gegevensrijen (grens: 3 per bestand). Splits het "
               "in kleinere bestanden.")  # fmt: skip
    assert (result.problems[0].line, result.problems[0].message) == (5, refusal)
    # Five problems in the first row, the two rows after it repeat its referral_id.
    assert len(result.problems) == 4 and result.problem_count == 8
    assert result.summary == (
        f"Import afgebroken: {refusal} In de gelezen rijen zijn daarnaast 7 problemen gevonden. "
        "Er is niets opgeslagen; verbeter het bestand en probeer het opnieuw."
    )
    assert_nothing_written()


def test_the_limits_are_those_of_interchange_md():
    assert limits.MAX_FILE_BYTES == 50 * 1024 * 1024
    assert limits.MAX_UNPACKED_BYTES == 200 * 1024 * 1024
    assert limits.MAX_UNPACK_RATIO == 100
    assert (limits.MAX_CELL_CHARS, limits.MAX_ID_CHARS) == (1_000, 64)
    assert str(limits.EARLIEST_DATE) == "2015-01-01"


def test_the_first_and_last_allowed_dates_pass(providers):  # noqa: F811
    from django.utils import timezone

    today = timezone.localdate()
    data = csv_bytes(ROW.replace("2026-03-01", "2015-01-01"),
                     ROW2.replace("2026-03-02", today.isoformat()))  # fmt: skip
    result = ReferralImporter().run(data)
    assert result.ok, result.report
    assert (
        ReferralImporter()
        .run(csv_bytes(ROW.replace("2026-03-01", "31-12-2014")))
        .problems[0]
        .message
        == TOO_EARLY
    )
    tomorrow = today.replace(year=today.year + 1)
    assert ReferralImporter().run(
        csv_bytes(ROW.replace("2026-03-01", tomorrow.isoformat()))
    ).problems[0].message == future_message(today)


def test_a_bom_and_a_doubled_bom_are_fine(providers):  # noqa: F811
    for prefix in ("\ufeff", "\ufeff\ufeff"):
        Referral.objects.all().delete()
        result = ReferralImporter().run((prefix + HEADER + "\n" + ROW + "\n").encode())
        assert (result.ok, result.created) == (True, 1), result.report


def test_a_valid_workbook_passes_the_unpacked_check(providers):  # noqa: F811
    result = ReferralImporter().run(hostile.workbook_bytes([ROW, ROW2]), "verwijzingen.xlsx")
    assert (result.ok, result.created) == (True, 2), result.report


def test_a_workbook_that_claims_every_row_and_column_is_read_as_wide_as_its_header(
    providers,  # noqa: F811
    monkeypatch,
):
    """Read as it claims, the sheet would give rows of 16,384 cells: the header is read at
    most MAX_COLUMNS wide, every other row as wide as the header."""
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    widths = []
    iter_rows = ReadOnlyWorksheet.iter_rows

    def counted(self, *args, **kwargs):
        for row in iter_rows(self, *args, **kwargs):
            widths.append(len(row))
            yield row

    monkeypatch.setattr(ReadOnlyWorksheet, "iter_rows", counted)
    sheet_rows = reading.sheet_rows

    def counted_rows(sheet, width):
        for number, row in sheet_rows(sheet, width):
            widths.append(len(row))
            yield number, row

    monkeypatch.setattr(reading, "sheet_rows", counted_rows)
    result = ReferralImporter().run(hostile.lying_dimension([ROW, ROW2]), "verwijzingen.xlsx")
    assert (result.ok, result.rows, result.created) == (True, 2, 2), result.report
    header = len(hostile.HEADER.split(","))
    assert set(widths) == {limits.MAX_COLUMNS, header}
    assert widths.count(limits.MAX_COLUMNS) <= 2  # the header, in each pass


def test_a_workbook_with_its_data_on_another_sheet_says_so(providers):  # noqa: F811
    import io

    from openpyxl import Workbook

    book = Workbook()
    second = book.create_sheet("Verwijzingen")
    for line in (HEADER, ROW):
        second.append(line.split(","))
    buffer = io.BytesIO()
    book.save(buffer)
    result = ReferralImporter().run(buffer.getvalue(), "verwijzingen.xlsx")
    assert [(p.line, p.message) for p in result.problems] == [(1, (
        "De eerste rij van het eerste werkblad is leeg: daar hoort de kopregel met de kolomnamen "
        "te staan (andere werkbladen worden niet gelezen)."))]  # fmt: skip
